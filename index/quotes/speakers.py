"""Resolve a speaker mention ("he", "Putin", "the Kremlin aide") to a canonical name and role within one article,
saying which rule did it (the rule sets the attribution's confidence, `index/quotes/confidence.py`).

Rules, in order (their limits are in docs/quotes.md):
1. Words that refer to nobody ("it was revealed", "there", "you", "all") give no speaker; a relative pronoun
   ("voters who said") stands for the noun it hangs on, resolved in its place; "I" and "we" outside a quotation
   and "they" give none.
2. "he" / "she" is a person before it (in subject position or speaking, never inside quoted words) whose gender
   (from an honorific or a first name) does not disagree: in the nearest sentence holding one, the subject of the
   main clause or the speaker ("Ryan said Obama has never ... He says" is Ryan), else the nearest embedded
   subject (rule "-embedded", less sure); or, when a "he" / "she" subject of a main clause is nearer and stands
   for someone else, whom that one stands for (rule "-chain").
3. A mention holding a PERSON entity names that person only when the entity holds the mention's head: "Clinton
   spokesman Nick Merrill" is Merrill, and "the Clinton campaign" or "Clinton's aides" are a group, never Clinton.
   A single surname becomes the full name first mentioned in the article outside the headline.
4. A description ("the Kremlin aide", "the mayor") is the person the article gave that role to.
5. A mention naming an organisation (and no person) is that organisation; a dateline ("WASHINGTON") is nobody.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from index.quotes.antecedents import Antecedent, Antecedents, in_main_clause
from index.quotes.mentions import (
    appositive_role,
    headline_end,
    honorific_gender,
    plausible,
    proper_name_runs,
    role_of,
)
from index.text.lexicon import (
    FEMALE_HONORIFICS,
    FEMALE_NAMES,
    FIRST_PERSON,
    GENDERED_SUBJECTS,
    HONORIFICS,
    MALE_HONORIFICS,
    MALE_NAMES,
    PLURAL_PRONOUNS,
    PRONOUN_GENDER,
    RELATIVE,
    TITLES,
)
from index.text.names import display_name, name_key, strip_article

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
ORG_LABELS = {"ORG", "NORP", "GPE"}


NON_REFERRING = frozenset(
    """it there this that these those what which all some many one you everyone everybody nobody anyone someone
    somebody each both none few others most any""".split()
)
INDEFINITE = frozenset({"a", "an", "another", "one", "some", "several", "other", "many", "two", "three"})
NEAR = 400
CHAIN = 3  # how many "he"s back a "he" may follow to a name


@dataclass
class Resolved:
    name: str | None
    role: str | None
    rule: str = "description"


class SpeakerResolver:
    def __init__(self, doc: Doc, quoted: list[tuple[int, int]] | None = None) -> None:
        self.doc = doc
        self.text = doc.text  # spaCy joins every token again on each `doc.text` and `span.ents`: kept once here
        self._ents = doc.ents
        self.full_names: dict[str, str] = {}  # surname (lower) -> first full name
        self.roles: dict[str, str] = {}  # role (lower, no article) -> name
        self.role_heads: dict[str, set[str]] = {}
        self._first_full: dict[str, str] = {}
        self.antecedents = Antecedents(doc)
        self._quoted = quoted or []
        self.people: set[str] = set()
        self.namesakes: dict[str, list[tuple[int, str]]] = {}  # surname -> (offset, full name) of each mention
        self.gender: dict[str, str] = {}  # canonical name -> "m" / "f", where an honorific or first name says
        headline = headline_end(self.text)  # a title line's capitalised words are not names to learn
        for offset, name in proper_name_runs(doc, headline):
            self.full_names.setdefault(name.split()[-1].lower(), name)
            self.namesakes.setdefault(name.split()[-1].lower(), []).append((offset, name))
        persons = [(e, name) for e in self._ents if e.label_ == "PERSON" and (name := display_name(e.text))]
        for ent, name in persons:  # full names first, so that "Mrs. Clinton" before or after them finds hers
            words = name.split()
            if len(words) >= 2 and ent.start_char > headline:
                self.full_names[words[-1].lower()] = self._first_full.setdefault(words[-1].lower(), name)
                self.namesakes.setdefault(words[-1].lower(), []).append((ent.start_char, name))
                self._learn_gender(ent, name)
        for ent, name in persons:
            gender = self._gender_of(ent)
            canonical = self.canonical(name)
            if len(name.split()) == 1 and gender is not None:  # "Mr. Clinton" beside "Hillary Clinton" is not her
                agrees = self.gender.get(canonical) in (None, "?", gender)
                canonical = self.by_surname(name, ent.start_char, gender)[0] or (canonical if agrees else name)
            self.people.add(canonical)
            self._learn_gender(ent, canonical)
            subject = next((t for t in ent if t.dep_ in SUBJECT_DEPS), None)
            if subject is None and ent.root.head.dep_ in SUBJECT_DEPS:
                subject = ent.root.head
            if subject is not None and not self._in_quotes(ent.start_char):
                self.antecedents.add(ent.start_char, canonical, in_main_clause(subject))
            role = role_of(self.doc, ent)
            if role:
                self._add_role(role, canonical)
        self._untagged_subjects({t.i for ent, _ in persons for t in ent})

    def _in_quotes(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self._quoted)

    def _untagged_subjects(self, tagged: set[int]) -> None:
        """A lone surname as a subject that the entity recogniser missed or took for an organisation ("Calderon
        also noted …", "Trump blamed local officials …") is an antecedent too, when it is the surname of a person
        the article names; so is a "he" / "she" as a main clause's subject, standing for whom it stands for (see
        `_nearest`)."""
        for token in self.doc:
            if token.dep_ not in SUBJECT_DEPS:
                continue
            if token.lower_ in GENDERED_SUBJECTS:
                if in_main_clause(token) and not self._in_quotes(token.idx):
                    self.antecedents.add_pronoun(token.idx, PRONOUN_GENDER[token.lower_])
                continue
            if token.pos_ != "PROPN" or token.i in tagged:
                continue
            if any(c.dep_ == "compound" for c in token.children) or self._in_quotes(token.idx):
                continue
            full, _ = self.by_surname(token.text, token.idx, None)
            if full is not None and full in self.people:
                self.antecedents.add(token.idx, full, in_main_clause(token))

    def _gender_of(self, ent: Span) -> str | None:
        """ "m" / "f" from an honorific before or in the name, or from its first name (of a name of two words or
        more, or a lone first name no one in the article has as surname: "Kevin", "Melanie"); "?" when they
        disagree."""
        before = self.doc[ent.start - 1].lower_.rstrip(".") if ent.start else ""
        first = ent[0].lower_.rstrip(".")
        given = first if len(ent) > 1 or first not in self.full_names else ""  # a lone "Clinton" is a surname
        gender = None
        if before in MALE_HONORIFICS or first in MALE_HONORIFICS or given in MALE_NAMES:
            gender = "m"
        if before in FEMALE_HONORIFICS or first in FEMALE_HONORIFICS or given in FEMALE_NAMES:
            gender = "f" if gender is None else "?"
        return gender

    def _learn_gender(self, ent: Span, name: str) -> None:
        gender = self._gender_of(ent)
        given = name.split()[0].lower() if len(name.split()) > 1 else ""
        if gender is None:
            gender = "m" if given in MALE_NAMES else "f" if given in FEMALE_NAMES else None
        if gender and self.gender.get(name, gender) == gender:
            self.gender[name] = gender
        elif gender:
            self.gender[name] = "?"

    def by_surname(self, surname: str, position: int, gender: str | None) -> tuple[str | None, str]:
        """The full name a lone surname stands for at `position`, and how sure that is: the one person of that
        surname (whose gender agrees), else the one of them named most often before it, then the first named: the
        article's principal (in an article about Carly Fiorina that once names "her husband, Frank Fiorina",
        "Fiorina" is still Carly), rule "surname-ambiguous"."""
        mentions = list(dict.fromkeys(self.namesakes.get(surname.lower(), [])))
        names = list(dict.fromkeys(n for _, n in mentions))
        if gender in ("m", "f"):
            names = [n for n in names if self.gender.get(n) in (None, "?", gender)]
        if len(names) == 1:
            return names[0], "surname"
        if not names:
            return None, "surname-alone"
        before = [(o, n) for o, n in mentions if o < position and n in names]
        if not before:
            return names[0], "surname-ambiguous"
        named = Counter(n for _, n in before)
        first = {n: min(o for o, m in before if m == n) for n in named}
        return max(named, key=lambda n: (named[n], -first[n])), "surname-ambiguous"

    def canonical(self, name: str) -> str:
        words = name.split()
        if len(words) == 1:
            return self.full_names.get(words[0].lower(), name)
        return name

    def _add_role(self, role: str, name: str) -> None:
        key = name_key(role)
        if not key:
            return
        self.roles.setdefault(key, name)
        self.role_heads.setdefault(key.split()[-1], set()).add(name)

    def ents_in(self, span: Span) -> list[Span]:
        """`span.ents`, without spaCy's walk over the whole document."""
        return [e for e in self._ents if e.start >= span.start and e.end <= span.end]

    def named_in_capitals(self, words: str, position: int) -> Resolved:
        """The person a transcript's speaker label ("PENCE", "JAKE TAPPER") at `position` names: someone the article
        names elsewhere, else nobody ("CORRECTION", "UPDATE")."""
        name = " ".join(w.capitalize() for w in words.split())
        full, rule = (name, "surname") if len(name.split()) > 1 else self.by_surname(name, position, None)
        if full is None or full not in self.people:
            return Resolved(None, None, "transcript-none")
        return Resolved(full, None, rule.replace("surname", "transcript"))

    def note_speaker(self, position: int, name: str) -> None:
        self.antecedents.add(position, name, main=True)

    def resolve(self, mention: Span, cue: Token | None = None) -> Resolved:
        if len(mention) == 1 or mention.root.pos_ == "PRON":
            return self._pronoun(mention, cue)
        text = mention.text.strip()
        if sum(c.isalpha() for c in text) >= 2 and text.upper() == text:
            return Resolved(None, None, "dateline")
        persons = [e for e in self.ents_in(mention) if e.label_ == "PERSON"]
        head = [e for e in persons if e.start <= mention.root.i < e.end]
        appos = [
            e
            for t in mention.root.children
            if t.dep_ == "appos"
            for e in self.ents_in(self.doc[t.left_edge.i : t.right_edge.i + 1])
            if e.label_ == "PERSON"
        ]
        if head:
            return self._named(mention, head[0], "name" if len(head[0]) > 1 else "surname")
        if appos:
            return self._named(mention, appos[0], "appos", role=strip_article(text))
        if persons and mention.root.pos_ == "NOUN":
            return Resolved(None, strip_article(text) or None, "group")  # "the Clinton campaign", "Trump's aides"
        if mention[0].lower_ in INDEFINITE and mention.root.pos_ == "NOUN":
            return Resolved(None, strip_article(text) or None, "indefinite")  # "a spokeswoman" is someone new
        key = name_key(text)
        if key in self.roles:
            return Resolved(self.roles[key], strip_article(text), "role")
        candidates = self.role_heads.get(key.split()[-1], set()) if key else set()
        if len(candidates) == 1 and mention.root.pos_ == "NOUN":
            return Resolved(next(iter(candidates)), strip_article(text), "role-head")
        surname = display_name(text)
        if len(surname.split()) == 1 and surname.lower() in self.namesakes and mention.root.pos_ == "PROPN":
            full, rule = self.by_surname(surname, mention.start_char, honorific_gender(mention))
            return Resolved(full or surname, None, rule)
        orgs = [e for e in self.ents_in(mention) if e.label_ in ORG_LABELS]
        held = [e for e in orgs if e.start <= mention.root.i < e.end]
        if held and mention[0].lower_.rstrip(".") in TITLES and held[0].start == mention.start + 1:
            return self._named(mention, held[0], "name" if len(held[0]) > 1 else "surname")  # "Mayor Helena Marsh"
        if held:
            return Resolved(display_name(held[0].text), None, "org")
        if orgs and mention.root.pos_ == "NOUN":
            return Resolved(None, strip_article(text) or None, "group")  # "Scott's relatives", "the GOP's complaint"
        if orgs:
            return Resolved(display_name(orgs[0].text), None, "org-part")
        if mention.root.pos_ == "PROPN":
            return Resolved(self.canonical(display_name(text)), None, "propn")
        return Resolved(None, strip_article(text) or None, "description")

    def _named(self, mention: Span, ent: Span, rule: str, role: str | None = None) -> Resolved:
        name = display_name(ent.text)
        if len(name.split()) == 1:
            full, rule = self.by_surname(name, ent.start_char, honorific_gender(mention))
            name = full or name
        if not plausible(name):
            rule = "odd-name"
        if role is None and ent.start > mention.start:
            role = strip_article(self.doc[mention.start : ent.start].text.strip()) or None
        if role is None:
            role = appositive_role(mention)
        if role and role.lower().rstrip(".") in HONORIFICS:
            role = None
        if role:
            self._add_role(role, name)
        self.people.add(name)
        return Resolved(name, role, rule)

    def _pronoun(self, mention: Span, cue: Token | None) -> Resolved:
        word = mention.root.lower_
        if word in RELATIVE and cue is not None and cue.dep_ == "relcl" and cue.head.pos_ in ("NOUN", "PROPN"):
            noun = cue.head
            antecedent = self.doc[noun.left_edge.i : noun.i + 1]
            found = self.resolve(antecedent)
            return Resolved(found.name, found.role, f"relative-{found.rule}")
        if word in PRONOUN_GENDER:
            return self._nearest(mention.start_char, PRONOUN_GENDER[word])
        known = mention.text[:1].isupper() and mention.text.lower() in self.namesakes  # "Sanders" tagged NOUN
        if len(mention) == 1 and (mention[0].pos_ == "PROPN" or known):
            if mention.text.isupper() and len(mention.text) > 1:
                return Resolved(None, None, "dateline")
            persons = [e for e in self.ents_in(mention) if e.label_ == "PERSON"]
            if persons or mention.text.lower() in self.namesakes:
                full, rule = self.by_surname(mention.text, mention.start_char, None)
                name = full or display_name(mention.text)
                self.people.add(name)
                return Resolved(name, None, rule)
            orgs = [e for e in self.ents_in(mention) if e.label_ in ORG_LABELS]
            return Resolved(display_name(mention.text), None, "org" if orgs else "propn")
        if word in FIRST_PERSON:
            return Resolved(None, None, "first-person")
        if word in PLURAL_PRONOUNS:
            return Resolved(None, None, "plural")
        if word in NON_REFERRING or word in RELATIVE or mention.root.pos_ == "PRON":
            return Resolved(None, None, "non-referring")
        return Resolved(None, strip_article(mention.text) or None, "description")

    def _nearest(self, position: int, gender: str, chained: int = 0) -> Resolved:
        """The person a "he" / "she" at `position` stands for (`index/quotes/antecedents.py`), among those whose
        gender does not disagree with the pronoun's. When the nearest is another "he" / "she", the subject of a main
        clause, that stands for someone else than the nearest name ("But Mr. Manafort went further: He also said
        that Mr. Trump wanted …. “…,” he said"), it is whom that one stands for (rule "pronoun-chain")."""

        def person(a: Antecedent) -> bool:
            return a.pronoun is None and a.name in self.people and self.gender.get(a.name) in (None, "?", gender)

        chosen = self.antecedents.choose(position, person)
        if chained < CHAIN:
            nearest = self.antecedents.choose(position, lambda a: a.pronoun == gender or person(a))
            if nearest is not None and nearest.pronoun is not None:
                found = self._nearest(nearest.offset, gender, chained + 1)
                if found.name is not None and (chosen is None or found.name != chosen.name):
                    known = "" if self.gender.get(found.name) == gender else "-unknown"
                    return Resolved(found.name, None, f"pronoun{known}-chain")
        if chosen is None:
            return Resolved(None, None, "pronoun-none")
        rule = "pronoun" if self.gender.get(chosen.name) == gender else "pronoun-unknown"
        rule += "" if chosen.main else "-embedded"
        rule += "-near" if self._alone(chosen.offset, position, chosen.name, gender) else ""
        return Resolved(chosen.name, None, rule)

    def _alone(self, start: int, position: int, name: str, gender: str) -> bool:
        """Nobody else who could be "he" / "she" is named between the antecedent at `start` and the pronoun, and
        the two are close (NEAR characters)."""
        if position - start > NEAR:
            return False
        for ent in self._ents:
            if start < ent.start_char < position and ent.label_ == "PERSON":
                other = self.canonical(display_name(ent.text))
                if other != name and self.gender.get(other) in (None, "?", gender):
                    return False
        return True

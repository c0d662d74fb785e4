"""Resolve a speaker mention ("he", "Putin", "the Kremlin aide") to a canonical name and role, within one article.

Rules, in order (their limits are in docs/quotes.md):
1. A mention holding a PERSON entity names that person; a single surname ("Putin", "Mr. Putin") becomes the
   full name first mentioned in the article ("Vladimir Putin"). Words before the name in the same noun
   phrase are the role ("Russian President"); an appositive can give the name or the role.
2. A pronoun (he, she, they...) is the nearest speaker resolved before it in the article, else the
   nearest person named before it.
3. A description ("the Kremlin aide", "the mayor") is the person the article gave that role to
   ("Kremlin aide Yuri Ushakov"), matched on the whole role, then on its last word when that is unique.
4. A mention naming an organisation (and no person) is that organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from index.text.lexicon import HONORIFICS, PRONOUNS, TITLES
from index.text.names import display_name, name_key, strip_article

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
NOT_NAMES = {"GPE", "LOC", "DATE", "TIME", "NORP", "FAC", "EVENT", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"}
ROLE_DEPS = {"compound", "amod", "nmod", "poss", "case", "npadvmod"}
ORG_LABELS = {"ORG", "NORP", "GPE"}


@dataclass
class Resolved:
    name: str | None
    role: str | None


class SpeakerResolver:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # spaCy joins every token again on each `doc.text` and `span.ents`: kept once here
        self._ents = doc.ents
        self.full_names: dict[str, str] = {}  # surname (lower) -> first full name
        self.roles: dict[str, str] = {}  # role (lower, no article) -> name
        self.role_heads: dict[str, set[str]] = {}
        self._first_full: dict[str, str] = {}
        self.persons: list[tuple[int, str]] = []  # persons named as a clause's subject: (char offset, name)
        self.speakers: list[tuple[int, str]] = []
        for name in _proper_name_runs(doc):
            self.full_names.setdefault(name.split()[-1].lower(), name)
        for ent in self._ents:
            if ent.label_ != "PERSON":
                continue
            name = display_name(ent.text)
            if not name:
                continue
            words = name.split()
            if len(words) >= 2:
                self.full_names[words[-1].lower()] = self._first_full.get(words[-1].lower(), name)
                self._first_full.setdefault(words[-1].lower(), name)
            canonical = self.canonical(name)
            if any(t.dep_ in SUBJECT_DEPS for t in ent) or ent.root.head.dep_ in SUBJECT_DEPS:
                self.persons.append((ent.start_char, canonical))
            role = self._role_of(ent)
            if role:
                self._add_role(role, canonical)

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

    def _role_of(self, ent: Span) -> str | None:
        """Words before the name in its noun phrase ("Kremlin aide"), or an appositive ("a Kremlin aide")."""
        start = ent.start
        members = set(range(ent.start, ent.end))
        i = ent.start - 1
        while i >= 0 and self._in_role(self.doc[i], members, ent.start):
            members.add(i)
            start = i
            i -= 1
        if start < ent.start:
            return self.doc[start : ent.start].text.strip()
        for child in ent.root.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                span = self.doc[child.left_edge.i : child.i + 1]
                return span.text
        return None

    def _in_role(self, token: Token, members: set[int], name_start: int) -> bool:
        """A modifier of the name (or of a word already in the role) in the same noun phrase."""
        if token.dep_ not in ROLE_DEPS:
            return False
        modifies_member = token.head.i in members and token.pos_ in ("PROPN", "NOUN", "ADJ")
        return modifies_member or any(t.head.i == token.i for t in self.doc[token.i + 1 : name_start])

    def ents_in(self, span: Span) -> list[Span]:
        """`span.ents`, without spaCy's walk over the whole document."""
        return [e for e in self._ents if e.start >= span.start and e.end <= span.end]

    def note_speaker(self, position: int, name: str) -> None:
        self.speakers.append((position, name))

    def resolve(self, mention: Span) -> Resolved:
        persons = [e for e in self.ents_in(mention) if e.label_ == "PERSON"]
        appos_person = [
            e
            for t in mention.root.children
            if t.dep_ == "appos"
            for e in self.ents_in(self.doc[t.left_edge.i : t.right_edge.i + 1])
            if e.label_ == "PERSON"
        ]
        if persons or appos_person:
            ent = (persons or appos_person)[0]
            name = self.canonical(display_name(ent.text))
            role = self.doc[mention.start : ent.start].text.strip() if persons and ent.start > mention.start else None
            if not persons:
                role = mention.text.strip()
            role = strip_article(role) if role else None
            if role and role.lower().rstrip(".") in HONORIFICS:
                role = None
            if role:
                self._add_role(role, name)
            return Resolved(name, role or None)
        head = mention.root.lower_
        if head in PRONOUNS or (len(mention) == 1 and mention[0].pos_ == "PRON"):
            return Resolved(self._nearest(mention.start_char), None)
        key = name_key(mention.text)
        if key in self.roles:
            return Resolved(self.roles[key], strip_article(mention.text))
        candidates = self.role_heads.get(key.split()[-1], set()) if key else set()
        if len(candidates) == 1:
            return Resolved(next(iter(candidates)), strip_article(mention.text))
        surname = display_name(mention.text).lower()
        if surname in self.full_names and mention.root.pos_ == "PROPN":
            return Resolved(self.full_names[surname], None)
        orgs = [e for e in self.ents_in(mention) if e.label_ in ORG_LABELS]
        if orgs:
            return Resolved(display_name(orgs[0].text), None)
        if mention.root.pos_ == "PROPN":
            return Resolved(self.canonical(display_name(mention.text)), None)
        return Resolved(None, strip_article(mention.text) or None)

    def _nearest(self, position: int) -> str | None:
        """The person most recently in subject position or speaking before `position`."""
        before = [(o, n) for o, n in self.persons + self.speakers if o < position]
        return max(before)[1] if before else None


def _proper_name_runs(doc: Doc) -> list[str]:
    """Runs of two or more proper nouns, honorifics and titles dropped ("Mayor Helena Marsh" -> "Helena Marsh")."""
    runs, current = [], []
    for token in doc:
        if token.pos_ == "PROPN" and token.ent_type_ not in NOT_NAMES and token.text[:1].isupper():
            current.append(token.text)
            continue
        while current and current[0].lower().rstrip(".") in TITLES:
            current.pop(0)
        if len(current) >= 2:
            runs.append(" ".join(current[-2:]))
        current = []
    return runs

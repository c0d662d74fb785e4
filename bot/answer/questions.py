"""A question's shape, read from its dependency parse: what it asks for (a speaker, someone's words, a verdict on
a claim, a description of someone, a fact about the articles themselves, or a phrase of some type), and the slots
that say where to look. Quoted strings are set aside before parsing ("Who said “…”?" parses as "Who said
something?") and put back in the slots. What the rules do not recognise is a general question, never a refusal."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.answer import loose
from bot.answer.article_questions import ABOUT, ArticleQuestions
from bot.answer.attributes import attribute
from bot.answer.shapes import Parse, Shape, Wants
from index.text.lexicon import (
    ARTICLE_NOUNS,
    HOLDING_VERBS,
    NAME_CONNECTORS,
    NAMING_VERBS,
    OUTLET_NOUNS,
    QUOTE_QUESTION_VERBS,
    RESPONSE_VERBS,
    ROLE_NOUNS,
    WANTED_BY_NOUN,
    WANTED_BY_WH,
    WH_WORDS,
)
from index.text.names import runs

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


_NAME_RUN = re.compile(r"(?<=\S)\s+[A-Z][\w’'.&-]*\s+(?:(?:" + "|".join(sorted(NAME_CONNECTORS)) + r")\s+)*[A-Z0-9]")
"""Two capitalised words in a row after the first word: a name that may be a place, a building, an event or a work
(`Shape.whole_names`), which only the entity recogniser tells from a person's."""
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|(?<!\w)‘([^’]+)’(?!\w)")
_STAND_IN = "something"
_TOPIC_PREPS = ABOUT | {"of", "over", "in"}
_RESPONSE_PREPS = _TOPIC_PREPS | {"to"}
_ANY = {"anything", "something", "everything"}
_ASIDES = {"exactly", "again", "actually", "now", "then"}
"""Words a reader adds to "Who is X?" that ask nothing more: "Who is Robertson exactly?"."""
_WHOLE_NAMES = {"FAC", "LOC", "EVENT", "WORK_OF_ART"}
_NAME_PARTS = {"PROPN", "DET", "PUNCT", "PART", "NUM"}


def parse(question: str, nlp: Parse) -> Shape:
    """The shape of `question`; a question the rules do not read is "general"."""
    question = " ".join(question.split())
    masked, quoted = _set_aside(question)
    try:
        return _Reader(nlp(masked, entities=bool(_NAME_RUN.search(masked))), quoted).shape()
    except (IndexError, StopIteration, ValueError):  # a parse the rules do not expect
        return Shape(kind="general")


def _set_aside(question: str) -> tuple[str, dict[int, str]]:
    """The question with each quoted string replaced by "something", and the replaced strings by where each
    stand-in starts."""
    parts, quoted, cursor = [], {}, 0
    for match in _QUOTED.finditer(question):
        parts.append(question[cursor : match.start()])
        quoted[sum(len(p) for p in parts)] = next(g for g in match.groups() if g is not None).strip()
        parts.append(_STAND_IN)
        cursor = match.end()
    parts.append(question[cursor:])
    return "".join(parts), quoted


class _Reader(ArticleQuestions):
    def __init__(self, doc: Doc, quoted: dict[int, str]) -> None:
        self.doc = doc
        self.restored = {t.i: quoted[t.idx] for t in doc if t.idx in quoted}
        self.wh = next((t for t in doc if t.lower_ in WH_WORDS and t.tag_ in ("WP", "WP$", "WDT", "WRB")), None)
        if self.wh is not None and _in_claim(doc, self.wh):
            self.wh = None
        self.root = next(iter(doc.sents)).root if self.wh is None else self.wh.sent.root
        self.names = _names(doc)

    def text(self, tokens: list[Token]) -> str:
        """Tokens as the question wrote them, quoted strings put back, punctuation at either end left out."""
        kept = list(tokens)
        while kept and kept[-1].is_punct and kept[-1].i not in self.restored:
            kept.pop()
        while kept and kept[0].is_punct and kept[0].i not in self.restored:
            kept.pop(0)
        if not kept:
            return ""
        span = self.doc[kept[0].i : kept[-1].i + 1]
        return "".join(self.restored.get(t.i, t.text) + t.whitespace_ for t in span).strip()

    def subtree(self, token: Token) -> str:
        return self.text(list(token.subtree))

    def after(self, token: Token) -> str:
        """The rest of the question after `token`, without a leading "that" or colon."""
        rest = list(self.doc[token.i + 1 :])
        while rest and rest[0].lower_ == "that" and rest[0].i not in self.restored:
            rest = rest[1:]
        return self.text(rest)

    def shape(self) -> Shape:
        verb = self.root
        lemmas = sorted({t.lemma_.lower() for t in self.doc if t.is_alpha and not t.is_stop})
        whole = [e.text for e in self.doc.ents if e.label_ in _WHOLE_NAMES and e.start not in self.restored]
        common = {"verb": verb.lemma_.lower(), "names": self.names, "whole_names": whole, "lemmas": lemmas}
        if found := self.about_articles(verb):
            return found.model_copy(update=common)
        if found := self.quote_shape(verb):
            return found.model_copy(update=common)
        if found := self.who_is(verb):
            return found.model_copy(update=common)
        if (spoken := loose.speaker_verb(self.doc)) is not None:
            speaker, said = spoken
            topic = self.topic(said) if self.doc[said.i + 1 : said.i + 2].text.lower() in _TOPIC_PREPS else None
            content = topic or self.after(said) or None
            return Shape(kind="what_said", speaker=speaker, content=content, act=topic is None, **common)
        if (found := loose.speech_verb(self.doc)) is not None:
            content, described = self.after(loose.clause(self.doc, found[1])), loose.description(self.doc, *found)
            act = found[1].lemma_.lower() in loose.ACTS
            return Shape(kind="who_said", wants="person", content=content, described=described, act=act, **common)
        if self.wh is None:
            return Shape(kind="general", **common)
        office = self.office(verb)
        if not office and (found := attribute(self.wh, verb)) is not None:
            office = {"attribute": found[0], "subject": found[1]}
        return Shape(kind="wh", wants=self.wanted(), relation=self.relation(), asked=self.asked(), **office, **common)

    def quote_shape(self, verb: Token) -> Shape | None:
        """who said (a claim), what did X say (about Y), did X say (a claim); X must read as someone who speaks."""
        children = list(verb.children)
        subject = next((c for c in children if c.dep_ == "nsubj"), None)
        claim = next((c for c in children if c.dep_ in ("ccomp", "parataxis")), None)
        objects = [c for c in children if c.dep_ in ("dobj", "attr", "oprd")]
        said = [o for o in objects if o.i in self.restored] or ([claim] if claim is not None else [])
        wh = self.wh
        if subject is not None and wh == subject and self.names_someone(verb, objects):
            return Shape(kind="who_said", wants="person", content=self.after(verb))
        if self.responds(verb, subject):  # "How did Marsh respond (to the charge)?"
            return Shape(kind="what_said", speaker=self.subtree(subject), content=self.topic(verb, _RESPONSE_PREPS))
        if subject is None or verb.lemma_.lower() not in QUOTE_QUESTION_VERBS:
            return None
        if wh is not None and (wh == subject or (wh.head == subject and wh.dep_ == "det")):
            if said and wh.i < verb.i and _speaks(subject):
                described = loose.description(self.doc, wh, verb)
                return Shape(kind="who_said", wants="person", content=self.after(verb), described=described)
            return None
        if not _speaks(subject):
            return None
        told = len(objects) == 2 and verb.lemma_.lower() == "tell"  # "What did Sondland tell Trump?"
        if wh is not None and wh.lower_ == "what" and claim is None and wh in objects and (len(objects) == 1 or told):
            return Shape(kind="what_said", speaker=self.subtree(subject), content=self.topic(verb))
        first = next(t for t in self.doc if not (t.dep_ in ("cc", "intj") or t.is_punct))
        if wh is None and first.pos_ == "AUX" and first.i < subject.i:
            if any(o.lower_ in _ANY and o.i not in self.restored for o in objects):
                return Shape(kind="what_said", speaker=self.subtree(subject), content=self.topic(verb))
            if said or objects:
                return Shape(kind="did_say", speaker=self.subtree(subject), content=self.after(verb))
        return None

    def responds(self, verb: Token, subject: Token | None) -> bool:
        """ "How did X respond?": what someone said back."""
        wh = self.wh
        how = wh is not None and wh.lower_ == "how" and wh.head == verb
        return how and subject is not None and verb.lemma_.lower() in RESPONSE_VERBS and _speaks(subject)

    @staticmethod
    def names_someone(verb: Token, objects: list[Token]) -> bool:
        """ "Who called Trump a fraud?": a naming verb with what is named and what it is called."""
        return verb.lemma_.lower() in NAMING_VERBS and len(objects) == 2 and objects[-1].dep_ == "oprd"

    def topic(self, verb: Token, preps: frozenset[str] = _TOPIC_PREPS) -> str | None:
        """What a what-said question is about: the object of "about", "on", "regarding" … after the verb."""
        for token in self.doc[verb.i + 1 :]:
            if (
                token.lower_ in preps
                and token.dep_ == "prep"
                and token.head.i in (verb.i, *(c.i for c in verb.children))
            ):
                return self.after(token) or None
        return None

    def who_is(self, verb: Token) -> Shape | None:
        """ "Who is Yuri Ushakov?", "What is NATO?": a wh-word and a name joined by "be", nothing else ("Who is the
        chair of the IPCC?" asks for a person instead)."""
        wh = self.wh
        if wh is None or verb.lemma_ != "be" or wh.head != verb or wh.lower_ not in ("who", "what"):
            return None
        other = [c for c in verb.children if c != wh and c.dep_ in ("nsubj", "attr")]
        rest = [c for c in verb.children if c not in (wh, *other) and not c.is_punct and c.lower_ not in _ASIDES]
        if len(other) != 1 or rest or (other[0].lemma_.lower() in ROLE_NOUNS and other[0].i not in self.restored):
            return None  # "Who is the House Speaker?" asks who holds an office
        name = list(other[0].subtree)
        linked = [t for t in name if t.lower_ == "of" and any(c.dep_ == "pobj" for c in t.children)]
        if other[0].i not in self.restored and not all(t.pos_ in _NAME_PARTS or t in linked for t in name):
            return None
        if not any(t.pos_ == "PROPN" or t.i in self.restored for t in name):
            return None
        return Shape(kind="who_is", wants="description", subject=self.subtree(other[0]))

    def office(self, verb: Token) -> dict[str, str]:
        """ "Who heads the Congressional Black Caucus?", "Who is the Kremlin's spokesman?": the office asked about
        (`role`) and the body it is of (`subject`); nothing for other questions, nor for an office qualified ("the
        first chair", "the vice-chair", "the General Manager") or held in the past ("Who led …?")."""
        wh = self.wh
        if wh is None or wh.lower_ != "who" or wh.head != verb:
            return {}
        lemma = verb.lemma_.lower()
        if wh.dep_ == "nsubj" and lemma in HOLDING_VERBS and verb.tag_ in ("VBZ", "VBP"):
            body = next((c for c in verb.children if c.dep_ == "dobj" and c.i not in self.restored), None)
            return self.body(HOLDING_VERBS[lemma], list(body.subtree) if body is not None else [])
        roles = [c for c in verb.children if c != wh and c.dep_ in ("nsubj", "attr") and c.lemma_.lower() in ROLE_NOUNS]
        if lemma != "be" or len(roles) != 1:
            return {}
        role = roles[0]
        if role.i > 0 and not self.doc[role.i - 1].whitespace_:  # "the vice-chair"
            return {}
        of = [t for p in role.children if p.dep_ == "prep" and p.lower_ in ("of", "at", "for") for t in p.children]
        named = {"det"} if of else {"det", "poss", "compound"}
        if any(c.dep_ not in named | {"prep"} for c in role.children):
            return {}
        body = list(of[0].subtree) if of else [t for t in role.subtree if t.i < role.i]
        return self.body(role.lemma_.lower(), body)

    def body(self, role: str, tokens: list[Token]) -> dict[str, str]:
        """The office and its body, when the body has a name ("the campaign" alone does not say whose)."""
        if not any(t.pos_ == "PROPN" or t.i in self.restored for t in tokens):
            return {}
        return {"role": role, "subject": self.text(tokens)}

    def wanted(self) -> Wants | None:
        wh = self.wh
        if wh is None:
            return None
        following = self.doc[wh.i + 1] if wh.i + 1 < len(self.doc) else None
        if wh.lower_ == "how" and following is not None and following.lower_ in ("many", "much"):
            return "number" if following.lower_ == "many" else "amount"
        if wh.lower_ in WANTED_BY_WH:
            return WANTED_BY_WH[wh.lower_]
        if wh.dep_ == "det" or (wh.lower_ in ("what", "which") and following is not None and following.pos_ == "NOUN"):
            noun = wh.head if wh.dep_ == "det" else following
            if noun.lemma_.lower() in OUTLET_NOUNS:
                return "outlet"
            return WANTED_BY_NOUN.get(noun.lemma_.lower(), "thing")
        return "thing" if wh.lower_ in ("what", "which") else None

    def asked(self) -> str | None:
        """The noun the wh-phrase asks about, as a lemma ("sacks" in "How many career sacks …" -> "sack")."""
        wh = self.wh
        if wh is None:
            return None
        if wh.dep_ == "det":
            return wh.head.lemma_.lower()
        if wh.lower_ == "how" and wh.head.dep_ == "amod" and wh.head.head.pos_ == "NOUN":
            return wh.head.head.lemma_.lower()
        return None

    def relation(self) -> str | None:
        """Where the wh-word (or the noun it asks for) sits: the verb's subject or object, or the object of a
        preposition ("pobj:to" for "Who did she compare Trump to?", "according to" for "According to whom …")."""
        wh = self.wh
        if wh is None:
            return None
        word = wh.head if wh.dep_ == "det" else wh
        if word.dep_ in ("pobj", "pcomp") and word.head.lower_ == "to" and word.head.head.lower_ == "according":
            return "according to"
        if word.dep_ in ("pobj", "pcomp"):
            return f"pobj:{word.head.lower_}"
        stranded = [c for c in self.root.children if c.dep_ == "prep" and not list(c.children) and c.i > word.i]
        if stranded:
            return f"pobj:{stranded[-1].lower_}"
        return word.dep_


def _in_claim(doc: Doc, wh: Token) -> bool:
    """Whether `wh` is inside the claim of a yes/no question: "Did Graham say he knows what the platform is?"
    (not "Can you tell me who said it?")."""
    first = next(t for t in doc if not (t.dep_ in ("cc", "intj") or t.is_punct))
    if first.pos_ != "AUX" or first.i > wh.i:
        return False
    verbs = [t for t in doc[first.i : wh.i] if t.lemma_.lower() in QUOTE_QUESTION_VERBS]
    return any(c.dep_ == "nsubj" and c.lower_ not in ("you", "i") for v in verbs for c in v.children)


def _names(doc: Doc) -> list[str]:
    """The question's proper names ("Jared Allen", "Trump"): runs of proper nouns and the named entities."""
    found: list[str] = [e.text for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")]
    found += [" ".join(t.text for t in run) for run in runs(doc, lambda t: t.pos_ == "PROPN" and t.i > 0)]
    return list(dict.fromkeys(found))


def _speaks(subject: Token) -> bool:
    """Whether a subject can be someone quoted: not the articles or an outlet ("What do the articles say about
    Crimea?" asks the articles), not "it" or "this"."""
    return subject.lemma_.lower() not in ARTICLE_NOUNS | OUTLET_NOUNS | {"it", "this", "that", "there"}

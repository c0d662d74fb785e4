"""Short answers: the phrase of an evidence sentence that fills the question's missing slot. The sentence's verb
that matches the question's is found, and the candidate of the asked-for type that stands where the wh-word
stands (its subject for "Who unveiled …", the object of "to" for "Who did she compare Trump to?", the object of
"according to" for "According to whom …") scores highest; one nearby in the tree scores less. Never a phrase the
question itself names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

from bot.answer.shapes import Parse, Shape

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


ENTITY_TYPES = {
    "person": {"PERSON", "ORG", "NORP"},
    "date": {"DATE", "TIME"},
    "place": {"GPE", "LOC", "FAC"},
    "number": {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"},
    "amount": {"MONEY", "QUANTITY", "PERCENT", "CARDINAL"},
    "outlet": {"ORG", "WORK_OF_ART", "PERSON"},
}
IN_PLACE = 1.0
NEAR_VERB = 0.6
NEAR_WORDS = 0.4
MAX_EDGES = 2
OTHER_KIND = 0.9
MODIFIERS = frozenset({"compound", "amod", "poss", "nmod"})
"""A name that only modifies another noun ("*Green Party* candidate Jill Stein") fills no slot."""


class Short(BaseModel):
    text: str
    score: float


def short_answer(shape: Shape, question: str, sentence: str, parse: Parse) -> Short | None:
    """The best phrase of `sentence` for the slot `shape` asks about, with how well it fits; None when nothing
    of the asked-for type is there."""
    if shape.wants not in ENTITY_TYPES:
        return None
    question_words = set(shape.lemmas)
    doc = parse(sentence)
    named = [n.lower() for n in shape.names] + [question.lower()]
    candidates = [
        e
        for e in doc.ents
        if e.label_ in ENTITY_TYPES[shape.wants]
        and not _named(e.text.lower(), named, question_words)
        and e.root.dep_ not in MODIFIERS
    ]
    verbs = [t for t in doc if t.lemma_.lower() == shape.verb and t.pos_ in ("VERB", "AUX")] if shape.verb else []
    if shape.wants == "outlet" or shape.relation == "according to":
        candidates += [s for s in _according(doc) if not _named(s.text.lower(), named, question_words)]
    if shape.wants == "person" and shape.relation == "nsubj":
        candidates += [a for a in _agents(doc, verbs) if not _named(a.text.lower(), named, question_words)]
    if not candidates:
        return None
    anchors = [t for t in doc if t.is_alpha and not t.is_stop and t.lemma_.lower() in question_words]
    scored = [(_fit(e, shape, verbs, anchors) * _kind_factor(e, shape), -e.start, e) for e in candidates]
    if shape.wants == "person" and any(_passive(v) for v in verbs):
        scored = [s for s in scored if s[0] >= IN_PLACE * OTHER_KIND]  # its agent, or nothing
    score, _, best = max(scored, key=lambda s: (s[0], s[1]))
    return Short(text=best.text, score=score) if score > 0 else None


def _passive(verb: Token) -> bool:
    """ "Jill Stein (was) removed … by police": a verb whose subject undergoes it (a headline drops the "was")."""
    return any(c.dep_ in ("nsubjpass", "agent", "auxpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "ROOT") and not any(c.dep_ == "nsubj" for c in verb.children)
    )


def _agents(doc: Doc, verbs: list[Token]) -> list[Span]:
    """Who does what a passive verb tells ("removed … *by police*"), whatever kind of noun it is."""
    found = []
    for verb in verbs:
        for by in (c for c in verb.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")):
            found += [doc[o.left_edge.i : o.right_edge.i + 1] for o in by.children if o.dep_ == "pobj"]
    return found


def _kind_factor(candidate: Span, shape: Shape) -> float:
    """A person question is best answered by a person; a number by the number of the noun asked about."""
    if shape.wants == "person" and candidate.label_ != "PERSON":
        return OTHER_KIND
    if shape.wants in ("number", "amount") and shape.asked and candidate.root.head.lemma_.lower() == shape.asked:
        return 1.0 / NEAR_WORDS
    return 1.0


def _named(text: str, named: list[str], question_words: set[str]) -> bool:
    """A candidate the question names: inside one of its names or a name inside it, or all its words asked."""
    words = [w for w in text.replace("'s", "").split() if w.isalpha()]
    return any(text in n for n in named) or any(n in text for n in named[:-1]) or all_asked(words, question_words)


def all_asked(words: list[str], question_words: set[str]) -> bool:
    return bool(words) and all(w in question_words for w in words)


def _according(doc: Doc) -> list[Span]:
    """The objects of "according to" (the source a sentence gives)."""
    found = []
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            objects = [c for c in doc[token.i + 1].children if c.dep_ in ("pobj", "pcomp")]
            found += [doc[o.left_edge.i : o.right_edge.i + 1] for o in objects]
    return found


def _fit(candidate: Span, shape: Shape, verbs: list[Token], anchors: list[Token]) -> float:
    root = candidate.root
    if shape.relation == "according to" and _under_according(root):
        return IN_PLACE
    for verb in verbs:
        if _in_slot(root, verb, shape.relation):
            return IN_PLACE
    if verbs and min(_distance(root, v) for v in verbs) <= MAX_EDGES:
        return NEAR_VERB
    if anchors and min(_distance(root, a) for a in anchors) <= MAX_EDGES:
        return NEAR_WORDS
    return 0.0


def _under_according(token: Token) -> bool:
    return any(t.lower_ == "to" and t.head.lower_ == "according" for t in token.ancestors)


def _in_slot(token: Token, verb: Token, relation: str | None) -> bool:
    """Whether `token` stands, under `verb`, where the question's wh-word stands under the question's verb."""
    path = [token, *token.ancestors]
    if verb not in path:
        return False
    below = path[path.index(verb) - 1] if path.index(verb) > 0 else None
    if below is None or relation is None:
        return False
    if relation == "nsubj":
        return below.dep_ in ("nsubj", "agent") or (below.dep_ == "prep" and below.lower_ == "by")
    if relation in ("dobj", "attr", "nsubjpass"):
        return below.dep_ in ("dobj", "attr", "nsubjpass", "oprd")
    if relation.startswith("pobj:"):
        return below.dep_ in ("prep", "dative") and below.lower_ == relation.removeprefix("pobj:")
    return below.dep_ in ("prep", "npadvmod", "advmod")  # when / where / how many: a modifier of the verb


def _distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the dependency tree."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    depth_b = {t.i: n for n, t in enumerate(up_b)}
    for n, token in enumerate(up_a):
        if token.i in depth_b:
            return n + depth_b[token.i]
    return len(up_a) + len(up_b)

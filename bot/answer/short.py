"""Short answers for who / when / where / how-many questions: the entity of the asked-for type in the best
sentence, nearest to the words the question shares with it."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.text.terms import terms

ENTITY_TYPES = {
    "who": {"PERSON", "ORG", "NORP"},
    "when": {"DATE", "TIME"},
    "where": {"GPE", "LOC", "FAC"},
    "how_many": {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"},
    "how_much": {"MONEY", "QUANTITY", "PERCENT", "CARDINAL"},
}
_KINDS = [
    ("how_many", re.compile(r"^\s*how\s+many\b", re.I)),
    ("how_much", re.compile(r"^\s*how\s+much\b", re.I)),
    ("when", re.compile(r"^\s*(when\b|(in\s+)?what\s+(year|date|month|day|century|decade)\b)", re.I)),
    ("where", re.compile(r"^\s*(where\b|(in\s+)?(what|which)\s+(city|country|town|state|region|place)\b)", re.I)),
    ("who", re.compile(r"^\s*(who|whom)\b(?!\s+(said|says|say)\b)", re.I)),
]
MAX_EDGES = 2
Parse = Callable[[str], object]  # text -> spaCy Doc


def question_kind(question: str) -> str | None:
    return next((kind for kind, pattern in _KINDS if pattern.search(question)), None)


def short_answer(question: str, sentence: str, parse: Parse) -> str | None:
    """The entity that answers `question` in `sentence`, or None when there is no fitting one: of the asked-for
    type, not already in the question, not modifying a word of the question ("the US delegation"), and
    nearest in the parse tree to the sentence's words that share a lemma with the question's."""
    kind = question_kind(question)
    if kind is None:
        return None
    asked = question.lower()
    doc = parse(sentence)
    candidates = [e for e in doc.ents if e.label_ in ENTITY_TYPES[kind] and e.text.lower() not in asked]
    if not candidates:
        return None
    wanted = {t.lemma_.lower() for t in parse(question) if t.is_alpha and not t.is_stop} | set(terms(question))
    anchors = [t for t in doc if t.is_alpha and not t.is_stop and (t.lemma_.lower() in wanted or t.lower_ in wanted)]
    free = [e for e in candidates if not (e.end < len(doc) and doc[e.end] in anchors and e.root.head == doc[e.end])]
    candidates = free or candidates
    if not anchors:
        return None
    distance, _, best = min((min(_distance(e.root, a) for a in anchors), e.start, e) for e in candidates)
    return best.text if distance <= MAX_EDGES else None


def _distance(a: object, b: object) -> int:
    """Edges between two tokens in the dependency tree."""
    up_a = [a, *a.ancestors]  # type: ignore[attr-defined]
    up_b = [b, *b.ancestors]  # type: ignore[attr-defined]
    depth_b = {t.i: n for n, t in enumerate(up_b)}
    for n, token in enumerate(up_a):
        if token.i in depth_b:
            return n + depth_b[token.i]
    return len(up_a) + len(up_b)

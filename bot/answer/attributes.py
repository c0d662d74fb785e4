"""Questions that ask for an attribute of something ("What is the population of Donetsk?") or who holds an office
of it ("Who is the mayor of Chicago?"), and whether passages state it: one that names Donetsk but no population
does not answer, and the answer says what is missing instead of showing passages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.answer.evidence import Evidence
from bot.answer.matching import AROUND, names_held, salient
from bot.answer.shapes import Shape
from index.text.lexicon import GENERIC_NOUNS, ROLE_NOUNS
from index.text.terms import root, roots, term

if TYPE_CHECKING:
    from spacy.tokens import Token


def attribute(wh: Token | None, verb: Token) -> tuple[str, str] | None:
    """ "What is the population of Donetsk?" -> ("population", "Donetsk"): the noun asked for and what it is of,
    for a "be" question; None for other questions and for nouns any passage on the thing answers without writing
    them ("the name of", "an example of")."""
    if wh is None or wh.head != verb or verb.lemma_ != "be" or wh.lower_ not in ("what", "who"):
        return None
    asked = [c for c in verb.children if c != wh and c.dep_ in ("nsubj", "attr") and c.pos_ == "NOUN"]
    if len(asked) != 1 or asked[0].lemma_.lower() in GENERIC_NOUNS | ROLE_NOUNS:
        return None  # an office ("Who was the first chair of the IPCC?") is the office reader's
    of = [o for p in asked[0].children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
    if not of:
        return None
    return asked[0].lemma_.lower(), "".join(t.text_with_ws for t in of[0].subtree).strip()


def unstated(shape: Shape, evidence: Sequence[Evidence]) -> str | None:
    """What a "the N of X" question asks that none of these passages states ("the population of Donetsk"): no
    passage, with the AROUND characters on each side of it, holds N (by root) with X's names; None when one does,
    or for other questions."""
    noun = shape.attribute or (shape.role if shape.verb == "be" else None)
    if noun is None or not shape.subject or (key := term(noun)) is None:
        return None
    names = salient(shape.subject) or set(roots(shape.subject))
    for passage in evidence:
        text = passage.article.text
        held = names_held(text[max(0, passage.start - AROUND) : passage.end + AROUND])
        if root(key) in held and names <= held:
            return None
    return f"the {noun} of {shape.subject.removeprefix('the ')}"

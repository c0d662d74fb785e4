"""Recognise the shapes of who-said questions; everything else goes to the general answer path."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from index.text.lexicon import QUESTION_VERBS, verb_forms

_VERBS = "|".join(sorted({form for lemma in QUESTION_VERBS for form in verb_forms(lemma)}))
_LEAD = r"^\s*(?:(?:and|also|but|so|ok|okay|then)[\s,]+)*"
_END = r"[\s?.!]*$"
WHO = re.compile(
    rf"{_LEAD}who\s+(?:has\s+|had\s+|first\s+)?(?:{_VERBS})\b[\s:,]*(?:that\s+)?(?P<content>.+?){_END}", re.I
)
WHAT = re.compile(
    rf"{_LEAD}what\s+(?:else\s+)?(?:did|does|do|has|have|had|was|is)\s+(?P<speaker>.+?)\s+(?:(?:been\s+)?(?:{_VERBS}))\b"
    rf"(?:\s+(?:about|on|regarding|of|concerning|over|in)\s+(?P<topic>.+?))?{_END}",
    re.I,
)
DID = re.compile(
    rf"{_LEAD}(?:did|does|has|had)\s+(?P<speaker>.+?)\s+(?:{_VERBS})\b[\s:,]*(?:that\s+)?(?P<content>.+?){_END}", re.I
)


class Shape(BaseModel):
    kind: Literal["who_said", "what_said", "did_say", "general"]
    speaker: str | None = None
    content: str | None = None


def parse(question: str) -> Shape:
    question = " ".join(question.split())
    if match := WHO.match(question):
        return Shape(kind="who_said", content=_unquote(match["content"]))
    if match := WHAT.match(question):
        return Shape(kind="what_said", speaker=match["speaker"].strip(), content=match["topic"])
    if match := DID.match(question):
        return Shape(kind="did_say", speaker=match["speaker"].strip(), content=_unquote(match["content"]))
    return Shape(kind="general")


def _unquote(text: str) -> str:
    return text.strip().strip("\"“”'‘’").strip()

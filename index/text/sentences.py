"""Sentence and paragraph spans with exact character offsets, by rule (fast, no model)."""

from __future__ import annotations

import re

from index.text.lexicon import ABBREVIATIONS
from index.text.names import INITIALS

_PARAGRAPH = re.compile(r"[^\n]+")
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_NEXT_START = re.compile(r"\s+[\"'“‘(\[]*[A-Z0-9À-ÖØ-Þ]")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of `text`, trimmed of surrounding white space."""
    spans = []
    for match in _PARAGRAPH.finditer(text):
        start, end = _trim(text, match.start(), match.end())
        if start < end:
            spans.append((start, end))
    return spans


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside `text[start:end]`; a line break always ends a sentence."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs(text[start:end]):
        spans.extend(_split_paragraph(text, start + p_start, start + p_end))
    return spans


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        cut = match.end()
        if not _NEXT_START.match(text, cut, end) or _is_abbreviation(text, cursor, match.start()):
            continue
        s, e = _trim(text, cursor, cut)
        if s < e:
            spans.append((s, e))
        cursor = cut
    s, e = _trim(text, cursor, end)
    if s < e:
        spans.append((s, e))
    return spans


def _is_abbreviation(text: str, sentence_start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > sentence_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lstrip("\"'“‘([")
    if not word:
        return False
    if word.lower() in ABBREVIATIONS:
        return True
    return (len(word) == 1 and word.isupper()) or INITIALS.fullmatch(word) is not None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end

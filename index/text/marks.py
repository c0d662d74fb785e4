"""Where quotation marks open and close in a text, and whether a stretch of it is a quotation: “curly”,
"straight" and ''doubled'' marks (as NYT texts write them), marks that do not pair as they should, a line opened
by a closing mark, a paragraph of a quotation that goes on in the next one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the `ask` path must not import spaCy before it blocks torch (bot/cli.py)
    from spacy.tokens import Doc, Token

OPENING_MARKS = frozenset({"“", '"', "''"})
CLOSING_MARKS = frozenset({"”", '"', "''"})
QUOTED = re.compile(r"[“”\"]|''")
"""A quotation mark in a text: a reported clause holding one is a mixed quote."""
_QUOTE = re.compile(
    r"“([^”\"\n]*)(?:[”\"]|(?=\n)|$)|\"([^\"“”\n]*)[\"”]|''((?:[^'\n]|'(?!'))*)''"
    r"|(?:(?<=\n)|^)[ \t]*”([^”“\n]+)”"  # a line opened by a closing mark, a typo: ”I am ashamed.” ― Ana Ruiz
    r"|(?:(?<=\n)|^)[ \t]*\"([^\"\n]+)(?=\n|$)"  # a paragraph of a quotation that goes on in the next one
)


_DOUBLED = re.compile(r"''")


def shown(text: str) -> str:
    """A passage as a reader should see it: ''doubled'' marks as curly ones (“opening” after a space or at the
    start, ”closing” elsewhere), and a mark that the passage opens or closes alone paired at its other end:
    «Not paying taxes ''makes me smart,'' Trump said» -> «Not paying taxes “makes me smart,” Trump said»."""
    text = _DOUBLED.sub(lambda m: "“" if m.start() == 0 or text[m.start() - 1] in " \t\n([" else "”", text)
    opened, closed = text.count("“"), text.count("”")
    if opened > closed and text.rstrip()[-1:] != "”":
        text += "”" * (opened - closed)
    elif closed > opened:
        text = "“" * (closed - opened) + text
    return text


def nested(text: str) -> str:
    """Words to be shown inside quotation marks, their own quotations marked with single marks: «a “disgrace.”»
    -> «a ‘disgrace.’» (no “”” where two close together)."""
    text = re.sub(r'"([^"\n]*)"', r"‘\1’", shown(text))
    return text.replace("“", "‘").replace("”", "’")


def direct_spans(text: str) -> list[tuple[int, int]]:
    """Content of each quotation, trimmed of white space and of the comma before a closing mark."""
    spans = []
    for match in _QUOTE.finditer(text):
        group = next(g for g in (1, 2, 3, 4, 5) if match.group(g) is not None)
        start, end = match.start(group), match.end(group)
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
            end -= 1
        if text[start:end].strip():
            spans.append((start, end))
    return spans


def in_quotes(token: Token) -> bool:
    """The word stands inside a quotation its text opens and closes (one left open runs to the end of the
    paragraph and may hold the attribution itself)."""
    spans = token.doc.user_data.get("quoted")
    if spans is None:
        text = token.doc.text
        closed = [(s, e) for s, e in direct_spans(text) if text[e : e + 2].lstrip(",")[:1] in ("”", '"', "'")]
        spans = token.doc.user_data["quoted"] = closed
    return any(s <= token.idx < e for s, e in spans)


def is_title(quote: str) -> bool:
    words = quote.split()
    return (
        len(words) <= 6
        and all(w[:1].isupper() or not w[:1].isalpha() for w in words)
        and not quote.endswith((".", "!", "?"))
    )


def covers_sentences(doc: Doc, start: int, end: int) -> bool:
    """The quotation is (nearly) all of the sentences it stands in."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in doc[span[0].sent.start : span[-1].sent.end] if t.is_alpha]
    inside = [t for t in words if start <= t.idx < end]
    return bool(words) and len(inside) >= 0.8 * len(words)

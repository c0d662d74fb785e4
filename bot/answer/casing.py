"""Names typed in lower case ("who is steve witkoff", "how did marsh respond?"): a question's lower-case words
that are the name of someone the articles quote surely, written as the articles write it, so that the parse
reads a name there. Only the end of a name is matched (the surname, or more of the name up to it: "witkoff",
"steve witkoff"), or its first and last words ("donald trump" for "Donald J. Trump")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from index.text.lexicon import STOPWORDS
from index.text.names import name_words

_WORD = re.compile(r"[^\W\d_][\w’'-]*")
MIN_LETTERS = 3


def candidates(question: str) -> list[str]:
    """The question's words typed in lower case that could be part of a name."""
    words = (m[0] for m in _WORD.finditer(question))
    return sorted({w for w in words if w.islower() and len(w) >= MIN_LETTERS and w not in STOPWORDS})


def recase(question: str, names: Callable[[list[str]], Iterable[str]]) -> str:
    """`question` with each lower-case run of words that ends one of the `names` (given the candidate words)
    written as that name writes it."""
    words = candidates(question)
    if not words:
        return question
    tokens = list(_WORD.finditer(question))
    cased: dict[int, str] = {}  # token index -> its word as the name writes it
    for name in names(words):
        parts = [(key[0], part) for part in name.split() if len(key := name_words(part)) == 1]
        for run in _runs(parts):
            for i in range(len(tokens) - len(run) + 1):
                here = tokens[i : i + len(run)]
                if all(t[0].islower() and t[0] == key for t, (key, _) in zip(here, run, strict=True)):
                    cased.update({i + k: part for k, (_, part) in enumerate(run)})
    text, end = [], 0
    for i, token in enumerate(tokens):
        if i in cased:
            text += [question[end : token.start()], cased[i]]
            end = token.end()
    return "".join(text) + question[end:]


def _runs(parts: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The ways a name may be typed: each run of its words that ends at its last, longest first, and its first
    and last words."""
    if not parts:
        return []
    runs = [parts[i:] for i in range(len(parts))]
    return runs + ([[parts[0], parts[-1]]] if len(parts) > 2 else [])

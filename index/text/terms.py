"""The one tokenizer: the words of a text that carry its topic, as BM25 indexes them and as a question's words
are matched in a sentence: lower-cased runs of two or more letters or digits, stop words (`lexicon.STOPWORDS`)
left out, stemmed by Snowball's English stemmer ("bridges" and "bridge" are one term)."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from index.text.lexicon import STOPWORDS

WORD = re.compile(r"(?u)\b\w\w+\b")
TOKENIZER = 1  # saved with BM25 indexes: one cut by another version of these rules is rebuilt


@cache
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def term(word: str) -> str | None:
    """The term of one word as WORD finds it (None for a stop word)."""
    lower = word.lower()
    if lower in STOPWORDS:
        return None
    return _stemmer().stemWord(lower)  # type: ignore[attr-defined]


def terms(text: str) -> list[str]:
    return [t for w in WORD.findall(text) if (t := term(w)) is not None]


def terms_many(texts: list[str]) -> list[list[str]]:
    return [terms(text) for text in texts]

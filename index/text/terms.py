"""The one tokenizer: the words of a text that carry its topic, as BM25 indexes them and as a question's words
are matched in a sentence: lower-cased runs of two or more letters or digits, stop words (`lexicon.STOPWORDS`)
left out, plurals folded by Harman's S-stemmer ("bridges" and "bridge" are one term, "senators" and "senator",
but not "senate": a who-said answer is only as good as its matches, so a light stemmer, not Porter's)."""

from __future__ import annotations

import re
from functools import lru_cache

from index.text.lexicon import NUMBER_WORDS, STOPWORDS

WORD = re.compile(r"(?u)\b\w\w+\b")
"""A word as BM25 indexes it and as topics are matched: two or more letters or digits."""
WRITTEN = re.compile(r"n't|\w+(?:[-’']\w+)*")
"""A word as written, hyphenated and with its apostrophe whole, "n't" apart: what a verdict compares."""
NAME_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9][\w’'.&-]*")
"""A word as names are written: initials with their dots ("U.S."), "&" inside ("AT&T")."""
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
TOKENIZER = 1  # saved with BM25 indexes: one cut by another version of these rules is rebuilt


def s_stem(word: str) -> str:
    """Harman's S-stemmer (1991), for lower-case words: "policies" -> "policy", "votes" -> "vote", "senators" ->
    "senator"; words ending in "us", "ss" or "is" are left alone ("campus", "press", "crisis")."""
    if word.endswith("ies") and not word.endswith(("eies", "aies")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")) and len(word) > 3:
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss", "is")) and len(word) > 2:
        return word[:-1]
    return word


@lru_cache(maxsize=200_000)
def term(word: str) -> str | None:
    """The term of one word as WORD finds it (None for a stop word)."""
    lower = word.lower()
    if lower in STOPWORDS:
        return None
    return s_stem(lower)


def terms(text: str) -> list[str]:
    return [t for w in WORD.findall(text) if (t := term(w)) is not None]


def terms_many(texts: list[str]) -> list[list[str]]:
    return [terms(text) for text in texts]


ROOT = 6


def root(term: str) -> str:
    """A term cut to its first six letters, for finding a question's words in a sentence whatever their endings
    ("discovered", "discovery" and "discovers" are one root); too loose for an index, right for one passage."""
    return term[:ROOT]


def roots(text: str) -> list[str]:
    return [root(t) for t in terms(text)]


def numbers(text: str) -> set[str]:
    """The numbers a text states, in digits ("4,000" is 4000) or in words ("six million" holds 6)."""
    found = {m.group().replace(",", "") for m in NUMBER.finditer(text)}
    return found | {NUMBER_WORDS[w] for w in WORD.findall(text.lower()) if w in NUMBER_WORDS}

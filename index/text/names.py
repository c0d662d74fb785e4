"""The one name normaliser: a name or role as shown (titles, articles and possessives dropped) and as matched
(a key of lower-case words), used at ingest, in the store and for the names in questions alike."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from index.text.lexicon import ARTICLES, FEMALE_NAMES, HONORIFICS, MALE_NAMES, NAME_SUFFIXES, TITLES

NAMES_VERSION = "2026-12-07"
"""The name normaliser's version, recorded with each article's attributions: change it with any rule here that
changes how a speaker is named, and `whosaid reattribute` names the stored articles' speakers again."""

INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]\.?")
"""Initials written together: "P.J." of "P.J. Fleck", "G.K" of "G.K. Butterfield" before its last full stop."""

T = TypeVar("T")
_POSSESSIVE = re.compile(r"[’']s?$")
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def strip_possessive(word: str) -> str:
    """ "Putin's" -> "Putin", "Reuters’" -> "Reuters", "U.S." -> "U.S" (dots around the word go too)."""
    return _POSSESSIVE.sub("", word.strip(".")).strip(".")


def display_name(text: str) -> str:
    """A person's name as shown: possessives and leading titles dropped ("Mayor Helena Marsh's" -> "Helena
    Marsh"), spaces collapsed; a title alone is kept ("President")."""
    words = text.replace("’s", "").replace("'s", "").split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words).strip(" ,.")


def strip_article(text: str) -> str:
    """A role as shown: "the Kremlin aide," -> "Kremlin aide"."""
    words = text.split()
    if words and words[0].lower() in ARTICLES:
        words = words[1:]
    return " ".join(words).strip(" ,")


def name_words(text: str) -> list[str]:
    """The words a name or role is matched on: lower case, possessives dropped, leading articles and honorifics
    dropped ("the Russian president's" -> ["russian", "president"], "Mr. Sanders" -> ["sanders"])."""
    words = [strip_possessive(w).lower() for w in _WORD.findall(text)]
    words = [w for w in words if w]
    while len(words) > 1 and (words[0] in ARTICLES or words[0] in HONORIFICS):
        words = words[1:]
    return words


def runs(items: Iterable[T], member: Callable[[T], bool]) -> list[list[T]]:
    """The longest runs of consecutive items that `member` accepts: the one way runs of proper names are found, in
    an article's tokens ("Mayor Helena Marsh"), a question's tokens and a question's words."""
    found: list[list[T]] = []
    current: list[T] = []
    for item in items:
        if member(item):
            current.append(item)
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def name_key(text: str | None) -> str | None:
    """`name_words` joined by spaces: what the store indexes speakers and roles by (None for nothing)."""
    words = name_words(text or "")
    return " ".join(words) if words else None


def given_gender(name: str) -> str | None:
    """ "m" or "f" from a full name's first name ("Steve Witkoff", "Ruth Alvarez"), None when it does not tell."""
    words = name.split()
    first = words[0].lower().rstrip(".") if len(words) > 1 else ""
    return "m" if first in MALE_NAMES else "f" if first in FEMALE_NAMES else None


def named_in(text: str, name: str | None) -> bool:
    """Whether `text` names this person by surname ("Comey" of "James B. Comey Jr")."""
    words = [w for w in name_words(name or "") if w not in NAME_SUFFIXES]
    return bool(words) and words[-1] in name_words(text)

"""Names in a question, and whether the retrieved passages mention them: evidence for refusing."""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from index.text.lexicon import NAME_CONNECTORS, QUESTION_WORDS
from index.text.names import runs, strip_possessive
from index.text.terms import NAME_TOKEN, s_stem


def names(question: str) -> list[list[str]]:
    """Runs of capitalised words that are not question words; the question's first word never counts (it is
    capitalised anyway): "What did Emmanuel Macron say about the Donbas?" -> [[Emmanuel, Macron], [Donbas]]."""
    words = [(n, strip_possessive(m.group())) for n, m in enumerate(NAME_TOKEN.finditer(question))]

    def capital(item: tuple[int, str]) -> bool:
        n, word = item
        return n > 0 and word[:1].isupper() and word.lower() not in QUESTION_WORDS and len(word) > 1

    return [[word for _, word in run] for run in runs(words, capital)]


@lru_cache(maxsize=4096)
def _initialisms(passage: str) -> frozenset[str]:
    """ "United Methodist Church" -> "umc", "European Union" -> "eu" (connectors skipped)."""
    found = set()
    run: list[str] = []
    for word in [*NAME_TOKEN.findall(passage), "."]:
        if word[:1].isupper():
            run.append(word)
            continue
        if word.lower() in NAME_CONNECTORS and run:
            continue
        for i in range(len(run)):
            for j in range(i + 2, min(len(run), i + 6) + 1):
                found.add("".join(w[0] for w in run[i:j]).lower())
        run = []
    return frozenset(found)


@lru_cache(maxsize=4096)
def _words(passage: str) -> frozenset[str]:
    """A passage's words as names are looked up: lower case, possessives off, hyphenated parts too."""
    words = {strip_possessive(w).lower() for w in NAME_TOKEN.findall(passage)}
    return frozenset(words | {part for w in words for part in w.split("-")})


def _mentioned(key: str, words: set[str], by_prefix: dict[str, list[str]], initialisms: set[str]) -> bool:
    if key in words or s_stem(key) in words or key.replace(".", "") in initialisms:
        return True
    for word in by_prefix.get(key[:2], []):
        common = len(_common_prefix(key, word))
        if common >= 5 and common >= len(key) - 2:
            return True  # German / Germany, Indian / India
        if abs(len(word) - len(key)) <= 2 and SequenceMatcher(None, key, word).ratio() >= 0.85:
            return True  # a typo in the question: Bedigo / Bendigo
    return False


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def missing_names(question: str, passages: list[str], whole: list[str] = ()) -> list[str]:
    """The names of the question that no passage mentions. A name counts as mentioned if any of its words
    (or hyphenated parts) longer than two letters is, in its own or a near form, or as an initialism; a name in
    `whole` (a place, a building, an event) only where its words stand together in one passage ("Berlin Wall" is
    not just any wall)."""
    words = frozenset().union(*(_words(p) for p in passages))
    by_prefix: dict[str, list[str]] = {}
    for word in words:
        by_prefix.setdefault(word[:2], []).append(word)
    initialisms = frozenset().union(*(_initialisms(p) for p in passages))
    missing = []
    for group in names(question):
        parts = [p.lower() for w in group for p in w.split("-") if p]
        keys = [p for p in parts if len(p) > 2] or parts
        if not any(_mentioned(k, words, by_prefix, initialisms) for k in keys):
            missing.append(" ".join(group))
    for name in whole:
        parts = [strip_possessive(w).lower() for w in NAME_TOKEN.findall(name)]
        keys = [k for k in parts if len(k) > 2 and k not in QUESTION_WORDS]
        if name not in missing and not any(_together(keys, p) for p in passages):
            missing.append(name)
    return missing


def _together(keys: list[str], passage: str) -> bool:
    """The name's words stand together in the passage, in order, short words aside ("the Great Wall of China" is
    not "Hadrian's Wall" in a passage that names China elsewhere)."""
    if not keys:
        return True
    sequence = _sequence(passage)
    for start, word in enumerate(sequence):
        if not _same(keys[0], word):
            continue
        at, found = start, 1
        for key in keys[1:]:
            window = sequence[at + 1 : at + 3]
            step = next((n for n, w in enumerate(window) if _same(key, w)), None)
            if step is None:
                break
            at, found = at + 1 + step, found + 1
        if found == len(keys):
            return True
    return False


def _same(key: str, word: str) -> bool:
    """The same word, in the plural, or with one letter mistyped ("Maastrich", "The Mark of Anarchy")."""
    if word == key or s_stem(word) == s_stem(key):
        return True
    if min(len(key), len(word)) < 4 or abs(len(key) - len(word)) > 1:
        return False
    short, long = sorted((key, word), key=len)
    if len(short) == len(long):
        return sum(a != b for a, b in zip(short, long, strict=True)) == 1
    return any(long[:n] + long[n + 1 :] == short for n in range(len(long)))


@lru_cache(maxsize=4096)
def _sequence(passage: str) -> tuple[str, ...]:
    return tuple(strip_possessive(w).lower() for w in NAME_TOKEN.findall(passage))

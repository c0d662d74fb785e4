"""Whether a speaker's words say what a question claims they said, or the opposite: pure code over words.

"Did Putin say Zelensky's government is legitimate?" against “Zelensky's government is illegitimate”: the words the
two share are the claim's topic; a negation in front of its predicate in one and not the other, or an antonym by
prefix ("legitimate" / "illegitimate"), makes the quote say the opposite."""

from __future__ import annotations

import re

from index.text.terms import WORD, term, terms

NEGATORS = frozenset({"not", "no", "never", "neither", "nor", "without", "cannot", "n't", "nothing", "none"})
ANTONYM_PREFIXES = ("il", "un", "in", "im", "ir", "non", "dis", "non-")
NEGATION_REACH = 3
_TOKEN = re.compile(r"n't|\w+(?:[-’']\w+)*")


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _written(text)]


def _written(text: str) -> list[str]:
    """The words of a text as written (case kept), "n't" apart."""
    return _TOKEN.findall(text.replace("’", "'"))


def negated(words: list[str], i: int) -> bool:
    """A negator stands at most NEGATION_REACH words before word i."""
    return any(w in NEGATORS or w.endswith("n't") for w in words[max(0, i - NEGATION_REACH) : i])


def antonym(a: str, b: str) -> bool:
    """One word is the other with a negating prefix: "legitimate" / "illegitimate", "fair" / "unfair"."""
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return len(shorter) >= 4 and any(longer == p + shorter for p in ANTONYM_PREFIXES)


def coverage(claim: str, quote: str, names: bool = True) -> float:
    """The share of the claim's topic words (terms) that the quote holds, or holds as an antonym; with `names`
    False only of its words that are not names (what the claim says of them), 1.0 when it has none."""
    wanted = {t for w in _written(claim) if (names or not w[:1].isupper()) and (t := term(w.lower())) and len(t) > 2}
    if not wanted:
        return 0.0 if names else 1.0
    found = {t for w in tokens(quote) if (t := term(w))}
    held = {w for w in wanted if w in found or any(antonym(w, f) for f in found)}
    return len(held) / len(wanted)


def names_held(claim: str, quote: str) -> bool:
    """Every name and number of the claim (a capitalised word that is no stop word, a word with a digit) stands in
    the quote: "Who said Ted Cruz was born in Mexico?" is not answered by words about Canada."""
    held = set(terms(quote))
    for word in WORD.findall(claim):
        salient = word[:1].isupper() or any(ch.isdigit() for ch in word)
        if salient and (t := term(word)) is not None and t not in held:
            return False
    return True


def opposite(claim: str, quote: str) -> bool:
    """The quote says the opposite of the claim: an antonym of one of its words, or its predicate (the last word
    of the claim that the quote holds: "the plan is a *behemoth*") negated in one and not in the other."""
    claim_words, quote_words = tokens(claim), tokens(quote)
    if any(antonym(c, q) for c in claim_words for q in quote_words if len(c) > 3 and len(q) > 3):
        return True
    for i in range(len(claim_words) - 1, -1, -1):
        word = claim_words[i]
        if term(word) is None or len(word) < 4 or word not in quote_words:
            continue
        return negated(claim_words, i) != negated(quote_words, quote_words.index(word))
    return False

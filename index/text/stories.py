"""One story across outlets: whether two articles are copies of one text (a wire story republished with other
boilerplate, trimmed, a word changed), by MinHash over word 5-grams. The estimate of Jaccard similarity gives
the containment of the shorter text's shingles in the longer's, which is what a trimmed copy keeps.

A signature is `PERMUTATIONS` 31-bit minima (a*x + b mod 2^31 - 1: every product fits 64 bits). `Stories`
buckets signatures by bands (LSH), so that a new article is compared only with those sharing a band, and keeps
those whose containment reaches `SAME_STORY`."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

SHINGLE = 5
PERMUTATIONS = 128
BANDS = 64
SAME_STORY = 0.5
"""Containment from which two texts are one story: chosen with `BANDS` on the fit copies of `bench/stories.py`
(distinct web-news pages share at most about a quarter of their shingles; results in docs/benchmarks.md)."""
_PRIME = (1 << 31) - 1
_WORD = re.compile(r"[^\W_]+")
_RNG = np.random.default_rng(20261207)
_A = _RNG.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _RNG.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)


@dataclass(frozen=True)
class Signature:
    """A text's MinHash signature and how many distinct shingles it has."""

    minima: np.ndarray
    size: int


def shingles(text: str) -> set[int]:
    """The text's word 5-grams (lower case, letters and digits only), each as a 31-bit hash."""
    words = [w.lower() for w in _WORD.findall(text)]
    grams = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))} if words else set()
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "big") % _PRIME for g in grams}


def signature(text: str) -> Signature:
    found = np.fromiter(shingles(text), dtype=np.uint64)
    if not len(found):
        return Signature(np.full(PERMUTATIONS, _PRIME, dtype=np.uint64), 0)
    mixed = (_A[:, None] * found[None, :] + _B[:, None]) % np.uint64(_PRIME)
    return Signature(mixed.min(axis=1), len(found))


def containment(one: Signature, other: Signature) -> float:
    """The share of the smaller text's shingles that are in the other, from the estimated Jaccard similarity."""
    if not one.size or not other.size:
        return 0.0
    jaccard = float(np.mean(one.minima == other.minima))
    union = (one.size + other.size) / (1 + jaccard)
    return min(1.0, jaccard * union / min(one.size, other.size))


@dataclass
class Stories:
    """Signatures by LSH band: which stored texts a new one is a copy of."""

    signatures: dict[str, Signature] = field(default_factory=dict)
    _buckets: dict[tuple[int, bytes], set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, key: str, text: str) -> list[str]:
        """Store a text's signature; the keys of those stored before that are the same story."""
        found = signature(text)
        candidates: set[str] = set()
        for band, part in enumerate(np.array_split(found.minima, BANDS)):
            bucket = (band, part.tobytes())
            candidates |= self._buckets[bucket]
            self._buckets[bucket].add(key)
        self.signatures[key] = found
        return sorted(c for c in candidates if containment(found, self.signatures[c]) >= SAME_STORY)

"""Deterministic stand-ins that are real subclasses of the library's interfaces."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cache

import numpy as np

from index.embed.base import Embedder
from index.text.chunk import approx_tokens


class HashEmbedder(Embedder):
    """Bag of hashed lower-cased words: texts sharing words get similar vectors. No model, instant."""

    def __init__(self, name: str = "fake/hash-embedder", dim: int = 256) -> None:
        self.name = name
        self.dim = dim
        self.max_tokens = 256
        self.calls = 0

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return approx_tokens(texts)


@cache
def extractor():
    """The real spaCy quote extractor, loaded once per test process."""
    from index.quotes.extract import QuoteExtractor

    return QuoteExtractor()

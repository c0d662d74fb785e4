"""The embedder interface: texts to L2-normalised float32 vectors, and their word-piece counts."""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

import numpy as np


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors, and counts their word pieces."""

    name: str
    dim: int
    max_tokens: int

    @abstractmethod
    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray: ...

    @abstractmethod
    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def threads(self, count: int | None) -> contextlib.AbstractContextManager[None]:
        """Encodes inside use at most `count` threads (None: as many as usual)."""
        return contextlib.nullcontext()


class Interrupted(Exception):
    """Work stopped on request (the process is shutting down) before it was done."""


def encode_shortest_first(
    embedder: Embedder,
    texts: Sequence[str],
    batch_size: int,
    piece: int = 64,
    threads: Callable[[], int | None] = lambda: None,
    stop: Callable[[], bool] = lambda: False,
) -> np.ndarray:
    """`embedder.encode(texts)`, shortest first across all of them so a model batch pads little, in pieces of
    `piece` texts, each on as many threads as `threads()` says then; `Interrupted` between two pieces once
    `stop()` says so."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for start in range(0, len(texts), piece):
        if stop():
            raise Interrupted
        part = order[start : start + piece]
        with embedder.threads(threads()):
            vectors[part] = embedder.encode([texts[i] for i in part], batch_size=batch_size)
    return vectors


def split_rows(vectors: np.ndarray, counts: Sequence[int]) -> list[np.ndarray]:
    """Consecutive rows of `vectors`, `counts[i]` of them for the i-th part (the rows of texts encoded together)."""
    return np.split(vectors, np.cumsum(counts)[:-1]) if len(counts) else []

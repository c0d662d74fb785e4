"""BM25 over the same chunks (and quotes) as FAISS, with bm25s; rebuilt from SQLite after each change."""

from __future__ import annotations

import logging
import shutil
from functools import cache
from pathlib import Path

import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)


@cache
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


def _tokenize(texts: list[str], return_ids: bool = True) -> object:
    """Stemmed words without English stop words; as bm25s's ids and vocabulary, or as lists of words."""
    import bm25s

    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=return_ids, show_progress=False)


class LexicalIndex:
    """BM25 scores for row ids of one table; `ids[i]` is the row id of document i."""

    def __init__(self, retriever: object | None, ids: np.ndarray) -> None:
        self.retriever = retriever
        self.ids = ids
        self._position = {int(i): n for n, i in enumerate(ids)}

    @classmethod
    def build(cls, ids: np.ndarray, texts: list[str]) -> LexicalIndex:
        import bm25s

        if not texts:
            return cls(None, np.zeros(0, dtype=np.int64))
        retriever = bm25s.BM25()
        retriever.index(_tokenize(texts), show_progress=False)
        return cls(retriever, np.asarray(ids, dtype=np.int64))

    def search(self, query: str, k: int, only: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(row id, BM25 score) of the best matches with a score above zero, best first."""
        if self.retriever is None or not len(self.ids):
            return []
        mask = None
        if only is not None:
            mask = np.zeros(len(self.ids), dtype=np.float32)
            positions = [self._position[int(i)] for i in only if int(i) in self._position]
            if not positions:
                return []
            mask[positions] = 1.0
        words = _tokenize([query], return_ids=False)[0]  # type: ignore[index]
        known = self.retriever.get_tokens_ids(words)  # type: ignore[attr-defined]
        if not known:
            return []
        scores = self.retriever.get_scores_from_ids(known, weight_mask=mask)  # type: ignore[attr-defined]
        # Top k among the matching documents only: bm25s's own top-k partitions the whole score array, and
        # numpy's argpartition is slow on the mostly-zero arrays BM25 gives (10 ms vs 0.3 ms at 100k chunks).
        docs = np.flatnonzero(scores > 0)
        if len(docs) > k:
            docs = docs[np.argpartition(-scores[docs], k - 1)[:k]]
        docs = docs[np.argsort(-scores[docs], kind="stable")]
        return [(int(self.ids[d]), float(scores[d])) for d in docs]

    def save(self, folder: Path) -> None:
        """Write into a fresh folder (the caller points meta.json at it once it is complete)."""
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        np.save(folder / "ids.npy", self.ids)
        if self.retriever is not None:
            self.retriever.save(str(folder), show_progress=False)  # type: ignore[attr-defined]

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        ids = np.load(folder / "ids.npy")
        if not len(ids):
            return cls(None, ids)
        retriever = bm25s.BM25.load(str(folder), show_progress=False, mmap=True)
        return cls(retriever, ids)


def rrf(rankings: list[list[int]], k: int = 60) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: each id scores the sum of 1 / (k + rank) over the rankings it appears in."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: pair[1], reverse=True)

"""BM25 over the same chunks (and quotes) as FAISS, with bm25s.

A full build indexes every row of a table. After that, small changes do not rebuild it: rows added since go into a
delta scored with the full index's statistics (document frequencies, number and average length of documents), and
removed rows are masked out, until the delta outgrows a share of the index and the next change rebuilds it all.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from index.models import Scored
from index.system import atomic_write
from index.text.terms import TOKENIZER, terms, terms_many

logging.getLogger("bm25s").setLevel(logging.WARNING)
DELTA_SHARE = 0.05  # rows added or removed since the full build, as a share of it, before rebuilding
DELTA_MIN = 2000


@dataclass(frozen=True)
class RowChange:
    """Rows added to or removed from a table by a write, in order, for the delta."""

    op: Literal["add", "remove"]
    ids: np.ndarray


class LexicalIndex:
    """BM25 scores for row ids of one table. `main_ids[i]` is the row id of document i of the full build;
    `delta` holds the words of rows added since, `removed` the full build's rows deleted since; `home` is the
    folder the full build was saved in (None until it is saved)."""

    def __init__(
        self,
        retriever: object | None,
        main_ids: np.ndarray,
        avgdl: float | None = None,
        delta: dict[int, list[str]] | None = None,
        removed: set[int] | None = None,
        home: Path | None = None,
    ) -> None:
        self.retriever = retriever
        self.home = home
        self.main_ids = main_ids
        self.avgdl = avgdl
        self.delta = delta or {}
        self.removed = removed or set()
        self._position = {int(i): n for n, i in enumerate(main_ids)}
        kept = [i for i in main_ids.tolist() if i not in self.removed]
        self.ids = np.array(sorted(set(kept) | set(self.delta)), dtype=np.int64)
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for row, words in self.delta.items():
            for word in set(words):
                self._postings.setdefault(word, []).append((row, words.count(word)))

    @classmethod
    def build(cls, ids: np.ndarray, texts: list[str]) -> LexicalIndex:
        import bm25s

        if not texts:
            return cls(None, np.zeros(0, dtype=np.int64))
        tokens = terms_many(texts)
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        avgdl = float(np.mean([len(doc) for doc in tokens]))
        return cls(retriever, np.asarray(ids, dtype=np.int64), avgdl)

    def can_absorb(self, changes: int) -> bool:
        """Whether `changes` more added or removed rows fit in the delta (else: rebuild)."""
        if self.retriever is None or self.avgdl is None or self.home is None:
            return False
        return len(self.delta) + len(self.removed) + changes <= max(DELTA_MIN, DELTA_SHARE * len(self.main_ids))

    def changed(self, changes: list[RowChange], texts: dict[int, str]) -> LexicalIndex:
        """This index after `changes`, applied in order (a removed row id may come back as a new row); `texts`
        has the text of every row added."""
        delta, removed = dict(self.delta), set(self.removed)
        new: dict[int, None] = {}
        for change in changes:
            for row in map(int, change.ids):
                if change.op == "add":
                    new[row] = None
                elif row in new:
                    del new[row]
                elif delta.pop(row, None) is None and row in self._position:
                    removed.add(row)
        rows = list(new)
        delta.update(zip(rows, terms_many([texts[row] for row in rows]), strict=True))
        return LexicalIndex(self.retriever, self.main_ids, self.avgdl, delta, removed, self.home)

    def search(self, query: str, k: int, only: np.ndarray | None = None) -> list[Scored]:
        """Row ids and BM25 scores of the best matches with a score above zero, best first."""
        if self.retriever is None or not len(self.ids):
            return []
        words = terms(query)
        allowed = None if only is None else set(only.tolist())
        found = self._main_scores(words, k, allowed) + self._delta_scores(words, allowed)
        return [Scored(i, s) for i, s in sorted(found, key=lambda pair: (-pair[1], pair[0]))[:k]]  # ties: by id

    def _main_scores(self, words: list[str], k: int, allowed: set[int] | None) -> list[tuple[int, float]]:
        known = self.retriever.get_tokens_ids(words)  # type: ignore[attr-defined]
        if not known:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(len(self.main_ids), dtype=np.float32)
            mask[[self._position[i] for i in allowed if i in self._position]] = 1.0
        elif self.removed:
            mask = np.ones(len(self.main_ids), dtype=np.float32)
        if mask is not None and self.removed:
            mask[[self._position[i] for i in self.removed]] = 0.0
        scores = self.retriever.get_scores_from_ids(known, weight_mask=mask)  # type: ignore[attr-defined]
        # Top k among the matching documents only: bm25s's own top-k partitions the whole score array, and
        # numpy's argpartition is slow on the mostly-zero arrays BM25 gives (docs/benchmarks.md, issue 6).
        docs = np.flatnonzero(scores > 0)
        if len(docs) > k:
            docs = docs[np.argpartition(-scores[docs], k - 1)[:k]]
        return [(int(self.main_ids[d]), float(scores[d])) for d in docs]

    def _delta_scores(self, words: list[str], allowed: set[int] | None) -> list[tuple[int, float]]:
        """Lucene BM25 (as bm25s computes it) of the delta rows, with the full build's statistics."""
        if not self.delta:
            return []
        r = self.retriever
        n_docs, indptr, vocab = r.scores["num_docs"], r.scores["indptr"], r.vocab_dict  # type: ignore[attr-defined]
        k1, b = r.k1, r.b  # type: ignore[attr-defined]
        scores: dict[int, float] = {}
        for word in words:
            t = vocab.get(word)
            df = int(indptr[t + 1] - indptr[t]) if t is not None else 0
            idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
            for row, tf in self._postings.get(word, ()):
                if allowed is None or row in allowed:
                    norm = k1 * (1 - b + b * len(self.delta[row]) / self.avgdl) + tf  # type: ignore[operator]
                    scores[row] = scores.get(row, 0.0) + idf * tf / norm
        return list(scores.items())

    def save(self, folder: Path) -> None:
        """Write into a fresh folder (the caller points meta.json at it once it is complete): the full index the
        first time, afterwards only the delta and the name of the full index's folder."""
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        if self.home is not None:
            state = {"main": self.home.name, "delta": self.delta, "removed": sorted(self.removed)}
            atomic_write(folder / "delta.json", json.dumps(state).encode())
            return
        self.home = folder
        np.save(folder / "ids.npy", self.main_ids)
        if self.retriever is not None:
            self.retriever.save(str(folder), show_progress=False)  # type: ignore[attr-defined]
            stats = {"avgdl": self.avgdl, "tokenizer": TOKENIZER}
            atomic_write(folder / "stats.json", json.dumps(stats).encode())

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        """The index saved in `folder`; None when its words were cut by another tokenizer (rebuild it)."""
        import bm25s

        if (folder / "delta.json").exists():
            state = json.loads((folder / "delta.json").read_text())
            main = cls.load(folder.parent / state["main"])
            if main is None:
                return None
            delta = {int(row): words for row, words in state["delta"].items()}
            return cls(main.retriever, main.main_ids, main.avgdl, delta, set(state["removed"]), main.home)
        ids = np.load(folder / "ids.npy")
        if not len(ids):
            return cls(None, ids, home=folder)
        stats = json.loads((folder / "stats.json").read_text()) if (folder / "stats.json").exists() else {}
        if stats.get("tokenizer") != TOKENIZER:
            return None
        retriever = bm25s.BM25.load(str(folder), show_progress=False, mmap=True)
        return cls(retriever, ids, stats["avgdl"], home=folder)


def rrf(rankings: list[list[int]], k: int = 60) -> list[Scored]:
    """Reciprocal rank fusion: each id scores the sum of 1 / (k + rank) over the rankings it appears in."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return [Scored(i, s) for i, s in sorted(scores.items(), key=lambda pair: pair[1], reverse=True)]

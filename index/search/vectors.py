"""The vector index behind a small interface (add/remove/search/save/load), with FAISS inner product."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from pathlib import Path

import faiss
import numpy as np

from index.system import atomic_write, usable_cores


class VectorIndex(ABC):
    """A FAISS index of normalised vectors keyed by SQLite row ids; scores are inner products (cosine)."""

    kind: str

    def __init__(self, index: faiss.Index) -> None:
        self.index = index
        self.dim = index.d

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        if not len(ids):
            return 0
        return int(self.index.remove_ids(faiss.IDSelectorBatch(np.asarray(ids, dtype=np.int64))))

    def search(self, vectors: np.ndarray, k: int, only: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k scores and ids per query row; `only` restricts the search to those ids (-1 pads)."""
        # One question at a time is the common case, and FAISS's OpenMP threads only add overhead there
        # (docs/benchmarks.md, issue 6). OpenMP keeps the thread count per calling thread.
        faiss.omp_set_num_threads(1)
        k = min(k, self.index.ntotal if only is None else len(only))
        if k == 0:
            empty = np.zeros((len(vectors), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        params = self._params(None if only is None else faiss.IDSelectorBatch(only.astype(np.int64)))
        return self.index.search(np.ascontiguousarray(vectors, dtype=np.float32), k, params=params)

    @abstractmethod
    def _params(self, selector: faiss.IDSelector | None) -> faiss.SearchParameters | None: ...

    @abstractmethod
    def ids(self) -> np.ndarray: ...

    def vectors(self, ids: list[int]) -> tuple[list[int], np.ndarray]:
        """The ids of these that the index holds, and their stored vectors."""
        found, rows = [], []
        for i in ids:
            try:
                rows.append(self.index.reconstruct(int(i)))
            except RuntimeError:
                continue
            found.append(int(i))
        return found, np.vstack(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)

    def save(self, path: Path) -> None:
        atomic_write(path, faiss.serialize_index(self.index).tobytes())

    def memory_bytes(self) -> int:
        """Bytes the index takes in memory (its serialised size: vectors, ids, centroids)."""
        return int(faiss.serialize_index(self.index).nbytes)

    def __len__(self) -> int:
        return int(self.index.ntotal)


class FlatIndex(VectorIndex):
    """Exact search: every query is compared with every vector."""

    kind = "flat"

    def __init__(self, dim: int, index: faiss.Index | None = None) -> None:
        super().__init__(index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    def _params(self, selector: faiss.IDSelector | None) -> faiss.SearchParameters | None:
        return None if selector is None else faiss.SearchParameters(sel=selector)

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self.index.id_map).astype(np.int64)


class IVFIndex(VectorIndex):
    """Approximate search: k-means puts the vectors into `nlist` cells and a query scans only the `nprobe` cells
    nearest to it. Additions go to their nearest cell without retraining; removals are exact. A scoped search
    (`only`) scans every cell but scores only the allowed ids, so it stays exact."""

    kind = "ivf"

    def remove(self, ids: np.ndarray) -> int:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(ids):
            return 0
        return int(self.index.remove_ids(faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids))))  # the hash map's kind

    def _params(self, selector: faiss.IDSelector | None) -> faiss.SearchParameters:
        if selector is None:
            return faiss.SearchParametersIVF(nprobe=self.index.nprobe)
        return faiss.SearchParametersIVF(nprobe=self.index.nlist, sel=selector)

    def ids(self) -> np.ndarray:
        lists = self.index.invlists
        parts = [
            faiss.rev_swig_ptr(lists.get_ids(c), lists.list_size(c)).copy()
            for c in range(self.index.nlist)
            if lists.list_size(c)
        ]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, recall: float = 0.98, seed: int = 0) -> IVFIndex:
        """Train `cells(n)` cells on the vectors, add them all, and pick the smallest nprobe whose
        recall@10 against exact search reaches `recall` on probe queries drawn from the data; the probes are a proxy
        for questions, so they are held to half the allowed loss."""
        n, dim = vectors.shape
        nlist = cells(n)
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        index.cp.seed = seed
        rng = np.random.default_rng(seed)
        sample = vectors[rng.choice(n, min(n, 40 * nlist), replace=False)]
        faiss.omp_set_num_threads(usable_cores())
        try:
            index.train(sample)
            index.set_direct_map_type(faiss.DirectMap.Hashtable)
            index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))
            index.nprobe = tune_nprobe(index, ids, vectors, 1 - (1 - recall) / 2, rng)
        finally:
            faiss.omp_set_num_threads(1)
        return cls(index)


def cells(n: int) -> int:
    """IVF cells for n vectors: 4·√n (FAISS's usual choice) up to 250k vectors, held at those 2,000 up to 1M, and
    2·√n past it, so that k-means training stays within a minute at 1M; at least 40 training points per cell.
    Continuous and never decreasing with n, so a table that hovers around one size is not retrained back and forth
    (`AnnPolicy.fits` retrains when the count doubles or halves). Why 4·√n and not 2·√n below 250k: measured at
    100k news chunks in docs/benchmarks.md (issue 6)."""
    root = math.sqrt(n)
    wanted = 4 * root if n <= FINE_CELLS_UP_TO else max(4 * math.sqrt(FINE_CELLS_UP_TO), 2 * root)
    return max(1, min(round(wanted), n // 40))


FINE_CELLS_UP_TO = 250_000


def probe_queries(vectors: np.ndarray, rng: np.random.Generator, count: int = 300) -> np.ndarray:
    """Question-like probes: the normalised mean of three stored vectors. Questions sit between passages, not on
    one; such probes are a little harder for IVF than real questions (docs/benchmarks.md, issue 6), so tuning on
    them errs on the safe side."""
    probes = sum(vectors[rng.integers(0, len(vectors), count)] for _ in range(3))
    return probes / np.linalg.norm(probes, axis=1, keepdims=True)


def tune_nprobe(
    index: faiss.IndexIVF, ids: np.ndarray, vectors: np.ndarray, recall: float, rng: np.random.Generator
) -> int:
    probes = probe_queries(vectors, rng)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(np.ascontiguousarray(vectors, dtype=np.float32))
    _, truth = exact.search(probes, 10)
    expected = [set(ids[row].tolist()) for row in truth]
    for nprobe in sorted({min(index.nlist, p) for p in NPROBES} | {index.nlist}):
        _, found = index.search(probes, 10, params=faiss.SearchParametersIVF(nprobe=nprobe))
        hits = sum(len(want & set(row.tolist())) for want, row in zip(expected, found, strict=True))
        if hits / (10 * len(probes)) >= recall:
            return nprobe
    return index.nlist


NPROBES = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)


def load_index(path: Path) -> VectorIndex:
    index = faiss.deserialize_index(np.frombuffer(path.read_bytes(), dtype=np.uint8))
    return IVFIndex(index) if isinstance(index, faiss.IndexIVF) else FlatIndex(index.d, index)

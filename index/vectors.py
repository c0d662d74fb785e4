"""The vector index behind a small interface (add/remove/search/save/load), with FAISS inner product."""

from __future__ import annotations

import json
import os
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path

import faiss
import numpy as np
from pydantic import BaseModel

# One query at a time is the common case (a question); FAISS's OpenMP threads only add overhead there
# (measured: 7.6 ms vs 15.7 ms for one query over 100k vectors on 2 cores), and the bot runs queries in parallel.
faiss.omp_set_num_threads(1)


class StoreMismatchError(RuntimeError):
    """The store on disk was built with another embedding model or dimension."""


class IndexMeta(BaseModel):
    model: str
    dim: int
    count: int = 0
    revision: int = 0
    lexical_revision: int = -1
    kind: str = "flat"


class VectorIndex(ABC):
    dim: int

    @abstractmethod
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    @abstractmethod
    def remove(self, ids: np.ndarray) -> int: ...

    @abstractmethod
    def search(self, vectors: np.ndarray, k: int, only: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]: ...

    @abstractmethod
    def ids(self) -> np.ndarray: ...

    @abstractmethod
    def save(self, path: Path) -> None: ...

    def __len__(self) -> int:
        return len(self.ids())


class FlatIndex(VectorIndex):
    """Exact inner-product search over normalised vectors; ids are chunk row ids."""

    def __init__(self, dim: int, index: faiss.Index | None = None) -> None:
        self.dim = dim
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        if not len(ids):
            return 0
        return int(self.index.remove_ids(faiss.IDSelectorBatch(np.asarray(ids, dtype=np.int64))))

    def search(self, vectors: np.ndarray, k: int, only: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k ids and scores per query row; `only` restricts the search to those ids (-1 pads)."""
        k = min(k, self.index.ntotal if only is None else len(only))
        if k == 0:
            empty = np.zeros((len(vectors), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        params = None if only is None else faiss.SearchParameters(sel=faiss.IDSelectorBatch(only.astype(np.int64)))
        return self.index.search(np.ascontiguousarray(vectors, dtype=np.float32), k, params=params)

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

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

    @classmethod
    def load(cls, path: Path) -> FlatIndex:
        index = faiss.deserialize_index(np.frombuffer(path.read_bytes(), dtype=np.uint8))
        return cls(index.d, index)


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync it, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read_meta(path: Path) -> IndexMeta | None:
    if not path.exists():
        return None
    return IndexMeta.model_validate(json.loads(path.read_text("utf-8")))


def write_meta(path: Path, meta: IndexMeta) -> None:
    atomic_write(path, (meta.model_dump_json(indent=2) + "\n").encode("utf-8"))


def check_meta(meta: IndexMeta, model: str, dim: int, folder: Path) -> None:
    if meta.model != model or meta.dim != dim:
        raise StoreMismatchError(
            f"the store in {folder} was built with model {meta.model!r} (dimension {meta.dim}), "
            f"but this run uses {model!r} (dimension {dim}); use that model, or another --data-dir"
        )

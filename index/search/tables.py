"""The index files of a data dir: FAISS per table (exact, or IVF once large) and BM25 per table, loaded when they
match SQLite's revision, otherwise rebuilt from it; meta.json names the revision they hold."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np

from index.search.lexical import LexicalIndex
from index.search.meta import IndexMeta, StoreMismatchError, read_meta
from index.search.vectors import FlatIndex, IVFIndex, VectorIndex, cells, load_index
from index.store.lock import Coordinated
from index.store.sqlite import VECTOR_TABLES, Store


class IndexFiles(Coordinated):
    """Mixed into Library: the vector and lexical indexes of every table, kept in step with SQLite."""

    store: Store
    model: str
    ann_min: int
    ann_recall: float
    save_every: float
    _saved_at: float
    _indexes: dict[str, VectorIndex]
    _lexical_ops: dict[str, list[tuple[str, np.ndarray]]] | None

    def _path(self, table: str) -> Path:
        return self.data_dir / ("vectors.faiss" if table == "chunks" else f"{table}.faiss")

    def _open_indexes(self, meta: IndexMeta) -> None:
        """Load the saved indexes if they match SQLite; otherwise rebuild them, as the one writer (another
        process may be half-way through a write: wait for it, then look again)."""
        if self._load_indexes(meta):
            if not all(self._fits(index) for index in self._indexes.values()):
                with self.writing():
                    self._choose_indexes()
                    self._save()
            return
        with self.writing():
            meta = read_meta(self.meta_path) or meta
            if not self._load_indexes(meta):
                self.rebuild(meta.dim)

    def _load_indexes(self, meta: IndexMeta) -> bool:
        if meta.revision != self.store.revision or not all(self._path(t).exists() for t in VECTOR_TABLES):
            return False
        for table in VECTOR_TABLES:
            index = load_index(self._path(table))
            if index.dim != meta.dim:
                raise StoreMismatchError(f"{self._path(table)} has dimension {index.dim}, meta.json says {meta.dim}")
            self._indexes[table] = index
        self._meta = meta
        return True

    def rebuild(self, dim: int) -> None:
        """Rebuild every vector index from the vectors SQLite holds."""
        built = {table: self._build(table, dim) for table in VECTOR_TABLES}
        with self._lock:
            self._indexes.update(built)
            self._meta = IndexMeta(model=self.model, dim=dim)
        self._save()

    def _fits(self, index: VectorIndex) -> bool:
        """Exact search while a table is small; from `ann_min` vectors an approximate (IVF) index, retrained when
        the cells its size calls for have doubled or halved since it was trained, and exact again below half of
        `ann_min`."""
        n = len(index)
        if isinstance(index, IVFIndex):
            return n >= self.ann_min // 2 and index.index.nlist / 2 < cells(n) < index.index.nlist * 2
        return n < self.ann_min

    def _build(self, table: str, dim: int) -> VectorIndex:
        batches = list(self.store.iter_vectors(dim, table))
        ids = np.concatenate([b[0] for b in batches]) if batches else np.zeros(0, np.int64)
        vectors = np.vstack([b[1] for b in batches]) if batches else np.zeros((0, dim), np.float32)
        if len(ids) >= self.ann_min:
            return IVFIndex.build(ids, vectors, self.ann_recall)
        index = FlatIndex(dim)
        index.add(ids, vectors)
        return index

    def _choose_indexes(self) -> None:
        """Swap in the kind of index each table's size calls for. The writer builds it from SQLite while the old
        index keeps answering queries."""
        for table in VECTOR_TABLES:
            index = self._indexes[table]
            if not self._fits(index):
                built = self._build(table, index.dim)
                with self._lock:
                    self._indexes[table] = built

    def _save(self, force: bool = True) -> None:
        """Write the indexes, then meta.json naming the SQLite revision they hold. Long ingests save every
        `save_every` seconds and at the end: a crash in between costs a rebuild from SQLite, never data."""
        if not force and time.monotonic() - self._saved_at < self.save_every:
            return
        assert self._meta is not None
        for table, index in self._indexes.items():
            index.save(self._path(table))
        with self._lock:
            update = {"count": len(self._indexes["chunks"]), "revision": self.store.revision}
            self._meta = self._meta.model_copy(update=update)
            self._write_meta()
        self._saved_at = time.monotonic()

    def _lexical_folder(self, table: str, revision: int) -> Path:
        return self.data_dir / f"lexical-{table}-{revision}"

    def lexical(self, table: str) -> LexicalIndex:
        """The BM25 index of a table, loaded from disk, or rebuilt when it is behind SQLite."""
        with self._lock:
            if table not in self._lexical:
                meta = self._meta
                folder = self._lexical_folder(table, meta.lexical_revision) if meta else None
                if meta and meta.lexical_revision == self.store.revision and folder and folder.exists():
                    self._lexical[table] = LexicalIndex.load(folder)
                else:
                    with self.writing():
                        self.refresh_lexical()
            return self._lexical[table]

    def _track_lexical(self) -> None:
        """Start recording this write's row changes, if the BM25 indexes are current (else the write ends with a
        full rebuild)."""
        current = self._meta is not None and self._meta.lexical_revision == self.store.revision
        self._lexical_ops = {t: [] for t in VECTOR_TABLES} if current else None
        if current:
            for table in VECTOR_TABLES:
                self.lexical(table)

    def refresh_lexical(self) -> None:
        """Bring the BM25 indexes up to SQLite: the recorded changes of this write when they are few, else a full
        rebuild; saved into new folders (queries go on meanwhile), then swapped in and named in meta.json."""
        revision = self.store.revision
        ops, self._lexical_ops = self._lexical_ops, None
        built = {}
        for table in VECTOR_TABLES:
            current, changes = self._lexical.get(table), (ops or {}).get(table)
            if current is not None and changes is not None and current.can_absorb(sum(len(i) for _, i in changes)):
                added = [int(i) for op, ids in changes if op == "add" for i in ids]
                built[table] = current.changed(changes, dict(zip(*self.store.texts(table, added), strict=True)))
            else:
                built[table] = LexicalIndex.build(*self.store.texts(table))
            built[table].save(self._lexical_folder(table, revision))
        with self._lock:
            self._lexical.update(built)
            if self._meta is not None:
                self._meta = self._meta.model_copy(update={"lexical_revision": revision})
                self._write_meta()
            keep = {index.home.name for index in built.values() if index.home is not None}
            for old in self.data_dir.glob("lexical-*"):
                if old.name not in keep and not old.name.endswith(f"-{revision}"):
                    shutil.rmtree(old, ignore_errors=True)

    def indexed_ids(self, table: str) -> tuple[set[int], set[int] | None]:
        """Row ids in the FAISS index and in the BM25 index of a table (None: no BM25 index yet)."""
        with self._lock:
            index = self._indexes.get(table)
            faiss_ids = set(index.ids().tolist()) if index is not None else set()
            lexical = self._lexical.get(table) or (self.lexical(table) if self._meta else None)
            return faiss_ids, set(lexical.ids.tolist()) if lexical is not None else None

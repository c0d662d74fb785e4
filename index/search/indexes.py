"""The search indexes of a data dir, every table's, and meta.json naming the SQLite revision they hold: loaded
when they match SQLite, rebuilt from it when they do not, reloaded when another process has saved newer ones."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import numpy as np

from index.models import TABLES, Mode, Scope, Scored, Table
from index.search.lexical import LexicalIndex
from index.search.meta import IndexMeta, check_meta, read_meta, write_meta
from index.search.tables import AnnPolicy, TableIndex
from index.search.vectors import FlatIndex
from index.store.lock import WriterLock
from index.store.protocol import ArticleStore


class Indexes:
    """Readers take `lock` (re-entrant) for searches and swaps; writers hold `writer` (one across processes),
    whose every acquisition first catches up with the files another process saved."""

    def __init__(
        self, folder: Path, store: ArticleStore, model: str, ann: AnnPolicy | None = None, save_every: float = 30.0
    ) -> None:
        self.folder = folder
        self.store = store
        self.model = model
        self.save_every = save_every
        self.tables: dict[Table, TableIndex] = {t: TableIndex(t, folder, store, ann or AnnPolicy()) for t in TABLES}
        self.meta_path = folder / "meta.json"
        self.lock = threading.RLock()
        self.writer = WriterLock(folder / "write.lock", on_acquire=lambda: self.sync(force=True))
        self._stamp: tuple[int, int, int] | None = None
        self._saved_at = time.monotonic()
        self.meta = read_meta(self.meta_path)
        if self.meta is not None and self.meta.model != model:
            check_meta(self.meta, model, self.meta.dim, folder)
        if self.meta is not None:
            self._open(self.meta)

    @property
    def ready(self) -> bool:
        """Whether the vector indexes are loaded (a store whose embedder was never seen has none yet)."""
        return self.meta is not None and all(t.vectors is not None for t in self.tables.values())

    @property
    def dim(self) -> int | None:
        return self.meta.dim if self.meta is not None else None

    def added(self, table: Table, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Rows a write stored (the caller holds `lock`)."""
        self.tables[table].add(ids, vectors)

    def removed(self, table: Table, ids: np.ndarray) -> None:
        """Rows a write deleted (the caller holds `lock`)."""
        self.tables[table].remove(ids)

    def warm(self) -> None:
        """Load the BM25 indexes now, so that the first question needing them does not wait."""
        if self.meta is not None:
            for table in TABLES:
                self.lexical(table)

    def indexed_ids(self, table: Table) -> tuple[set[int], set[int] | None]:
        """Row ids in the FAISS index and in the BM25 index of a table (None: no BM25 index yet)."""
        if self.meta is not None:
            self.lexical(table)
        with self.lock:
            return self.tables[table].indexed_ids()

    def adopt(self, name: str, dim: int) -> None:
        """Check an embedder against the store; a store whose meta.json is gone is rebuilt from SQLite."""
        with self.lock:
            if self.meta is None:
                if self.store.count("chunks"):
                    with self.writer():
                        self.rebuild(dim)
                else:
                    self.meta = IndexMeta(model=self.model, dim=dim)
            assert self.meta is not None
            check_meta(self.meta, name, dim, self.folder)
            for table in self.tables.values():
                if table.vectors is None:
                    table.vectors = FlatIndex(dim)

    def _open(self, meta: IndexMeta) -> None:
        """Load the saved indexes if they match SQLite; otherwise rebuild them, as the one writer (another
        process may be half-way through a write: wait for it, then look again)."""
        if self._load(meta):
            if not all(t.ann.fits(t.vectors) for t in self.tables.values() if t.vectors is not None):
                with self.writer():
                    self.resize()
                    self.save()
            return
        with self.writer():
            meta = read_meta(self.meta_path) or meta
            if not self._load(meta):
                self.rebuild(meta.dim)

    def _load(self, meta: IndexMeta) -> bool:
        if meta.revision != self.store.revision or not all(t.path.exists() for t in self.tables.values()):
            return False
        for table in self.tables.values():
            table.load_vectors(meta.dim)
        self.meta = meta
        return True

    def rebuild(self, dim: int) -> None:
        """Rebuild every vector index from the vectors SQLite holds."""
        built = {name: table.build_vectors(dim) for name, table in self.tables.items()}
        with self.lock:
            for name, index in built.items():
                self.tables[name].vectors = index
            self.meta = IndexMeta(model=self.model, dim=dim)
        self.save()

    def resize(self) -> None:
        """Swap in the kind of vector index each table's size calls for."""
        for table in self.tables.values():
            if (built := table.resized()) is not None:
                with self.lock:
                    table.vectors = built

    def save(self, force: bool = True) -> None:
        """Write the vector indexes, then meta.json naming the SQLite revision they hold. Long ingests save every
        `save_every` seconds and at the end: a crash in between costs a rebuild from SQLite, never data."""
        if not force and time.monotonic() - self._saved_at < self.save_every:
            return
        assert self.meta is not None
        for table in self.tables.values():
            assert table.vectors is not None
            table.vectors.save(table.path)
        with self.lock:
            count = len(self.tables["chunks"].vectors or [])
            self.meta = self.meta.model_copy(update={"count": count, "revision": self.store.revision})
            self._write_meta()
        self._saved_at = time.monotonic()

    def commit(self) -> None:
        """The end of a write that changed rows: the right kind of vector index, saved, and BM25 brought up to
        SQLite."""
        if self.ready:
            self.resize()
            self.save()
        self.refresh_lexical()

    def lexical(self, table: Table) -> LexicalIndex:
        """The BM25 index of a table, loaded from disk, or rebuilt when it is behind SQLite."""
        with self.lock:
            index = self.tables[table]
            if index.lexical is None:
                meta = self.meta
                current = meta is not None and meta.lexical_revision == self.store.revision
                if not (current and index.load_lexical(meta.lexical_revision)):
                    with self.writer():
                        self.refresh_lexical()
            assert index.lexical is not None
            return index.lexical

    def track_changes(self) -> None:
        """Start recording this write's row changes if BM25 is current (else the write ends with a full rebuild)."""
        current = self.meta is not None and self.meta.lexical_revision == self.store.revision
        for name, table in self.tables.items():
            if current:
                self.lexical(name)
            table.changes = [] if current else None

    def forget_changes(self) -> None:
        """A write that failed: whatever was recorded, the next BM25 refresh rebuilds in full."""
        for table in self.tables.values():
            table.changes = None

    def refresh_lexical(self) -> None:
        """Bring BM25 up to SQLite into new folders (queries go on meanwhile), swap them in, name them in
        meta.json, and delete the folders nothing refers to any more."""
        revision = self.store.revision
        built = {name: table.refreshed_lexical(revision) for name, table in self.tables.items()}
        with self.lock:
            for name, index in built.items():
                self.tables[name].lexical = index
            if self.meta is not None:
                self.meta = self.meta.model_copy(update={"lexical_revision": revision})
                self._write_meta()
            keep = {index.home.name for index in built.values() if index.home is not None}
            for old in self.folder.glob("lexical-*"):
                if old.name not in keep and not old.name.endswith(f"-{revision}"):
                    shutil.rmtree(old, ignore_errors=True)

    def search(self, table: Table, text: str, vector: np.ndarray, k: int, scope: Scope, mode: Mode) -> list[Scored]:
        """The rows inside `scope` best matching a query, best first: the scope is read from SQLite as row ids,
        which FAISS and BM25 are limited to."""
        only = None if scope.everything else self.store.row_ids(table, scope)
        self.sync()
        with self.lock:
            index = self.tables[table]
            if index.vectors is None:
                return []
            if mode != "dense":
                self.lexical(table)
            return index.ranked(text, vector, k, only, mode)

    def sync(self, force: bool = False) -> None:
        """Catch up with writes another process saved since this one loaded its indexes. Readers look only when
        meta.json's timestamp moved (cheap; two writes within one clock tick show one query late); the writer,
        holding the lock, always reads it."""
        try:
            stat = self.meta_path.stat()
        except FileNotFoundError:
            return
        stamp = (stat.st_mtime_ns, stat.st_ino, stat.st_size)
        if stamp == self._stamp and not force:
            return
        with self.lock:
            self._stamp = stamp
            disk = read_meta(self.meta_path)
            if disk is None or (self.meta is not None and disk.revision == self.meta.revision):
                return
            if not self._load(disk):
                self.rebuild(disk.dim)
            for table in self.tables.values():
                table.lexical = None

    def _write_meta(self) -> None:
        assert self.meta is not None
        write_meta(self.meta_path, self.meta)
        stat = self.meta_path.stat()
        self._stamp = (stat.st_mtime_ns, stat.st_ino, stat.st_size)

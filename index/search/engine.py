"""The interface of the search side of a store (issue 32): what `Library` and the ingest call, answered by the
embedded engine's `index.search.indexes.Indexes` (FAISS and bm25s files kept in step with SQLite) and by
PostgreSQL's `index.search.pg.PgSearch` (the database answers whole). One search call takes the whole scope."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

import numpy as np

from index.models import Mode, Scope, Scored, Table


@runtime_checkable
class SearchIndexes(Protocol):
    lock: threading.RLock

    @property
    def ready(self) -> bool: ...

    @property
    def dim(self) -> int | None: ...

    def adopt(self, name: str, dim: int) -> None: ...

    def writer(self) -> AbstractContextManager[None]: ...

    def track_changes(self) -> None: ...

    def forget_changes(self) -> None: ...

    def commit(self) -> None: ...

    def save(self, force: bool = True) -> None: ...

    def added(self, table: Table, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    def removed(self, table: Table, ids: np.ndarray) -> None: ...

    def rebuild(self, dim: int) -> None: ...

    def refresh_lexical(self) -> None: ...

    def warm(self) -> None: ...

    def indexed_ids(self, table: Table) -> tuple[set[int], set[int] | None]: ...

    def search(self, table: Table, text: str, vector: np.ndarray, k: int, scope: Scope, mode: Mode) -> list[Scored]: ...

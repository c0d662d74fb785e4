"""SQLite storage of articles, chunks and quotes (with their vectors): the source of truth of a data dir."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.models import Article, Chunk, Quote, Table
from index.store.attributions import rule_columns
from index.store.lock import Leases
from index.store.queries import QUOTE_COLUMNS, QUOTE_FIELDS, Queries, table_name, write_article
from index.store.schema import connect
from index.text.names import name_key


@dataclass(frozen=True)
class VectorBatch:
    ids: np.ndarray
    vectors: np.ndarray


class Store(Queries):
    """The embedded engine's store: one SQLite file, vectors as float32 blobs (FAISS and bm25s are kept beside it
    by `index.search.indexes`)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = connect(path)
        self._leases = Leases(path.parent)

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._leases.close()

    def take_lease(self, name: str) -> bool:
        """Whether this process now holds the named lease (`index.store.lock.Leases`), without waiting."""
        return self._leases.take(name)

    def give_back_lease(self, name: str) -> None:
        self._leases.give_back(name)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute(
                    "INSERT INTO meta(key, value) VALUES ('revision', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def state(self) -> Iterator[sqlite3.Connection]:
        """A transaction on what the store keeps beside the searched tables (sources, seen entries): the
        revision the search indexes follow stays as it is."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    @staticmethod
    def insert_article(
        db: sqlite3.Connection, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray
    ) -> list[int]:
        write_article(db, article)
        ids = []
        for chunk, vector in zip(chunks, vectors, strict=True):
            cursor = db.execute(
                "INSERT INTO chunks(article_id, seq, start, end, text, tokens, vector) VALUES (?,?,?,?,?,?,?)",
                (
                    article.id,
                    chunk.seq,
                    chunk.start,
                    chunk.end,
                    chunk.text,
                    chunk.tokens,
                    _blob(vector),
                ),
            )
            ids.append(int(cursor.lastrowid or 0))
        return ids

    @staticmethod
    def insert_quotes(
        db: sqlite3.Connection, quotes: Sequence[Quote], vectors: np.ndarray, contexts: np.ndarray
    ) -> list[int]:
        """Quotes with the vectors of their words and of their contexts."""
        ids = []
        marks = ",".join("?" * (len(QUOTE_FIELDS) + 7))  # and the keys, the rule's columns and the vectors
        for quote, vector, context in zip(quotes, vectors, contexts, strict=True):
            row = [getattr(quote, c) for c in QUOTE_FIELDS]
            row[-1] = json.dumps(quote.spans) if quote.spans else None
            keys = (name_key(quote.speaker), name_key(quote.role))
            cursor = db.execute(
                f"INSERT INTO quotes({QUOTE_COLUMNS}, speaker_key, role_key, rule, reached, flags, vector, "
                f"context_vector) VALUES ({marks})",
                (*row, *keys, *rule_columns(quote.resolution), _blob(vector), _blob(context)),
            )
            ids.append(int(cursor.lastrowid or 0))
        return ids

    def context_vectors(self, ids: Sequence[int], dim: int) -> dict[int, np.ndarray]:
        """The context vectors of these quotes, those that have one (quotes stored before schema version 4 have
        none)."""
        wanted = [int(i) for i in ids]
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._query(
            f"SELECT id, context_vector FROM quotes WHERE id IN ({marks}) AND context_vector IS NOT NULL", wanted
        )
        return {r[0]: np.frombuffer(r[1], dtype=np.float32, count=dim) for r in rows}

    def iter_vectors(self, dim: int, table: Table = "chunks", batch: int = 50_000) -> Iterator[VectorBatch]:
        last = -1
        while True:
            rows = self._query(
                f"SELECT id, vector FROM {table_name(table)} WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            )
            if not rows:
                return
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim)
            yield VectorBatch(ids, vectors)
            last = int(ids[-1])


def _blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()

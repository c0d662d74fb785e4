"""The store on PostgreSQL: the shared queries (`index.store.queries`) through the dialect handle, and what
differs here: transactions, rows written with their vectors (pgvector) and their terms (BM25 in SQL), the
vectors read back. Several processes share one database; each holds one connection, used by one thread at a
time."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from pgvector.psycopg import register_vector

from index.models import TABLES, Article, Chunk, Quote, Table
from index.store.attributions import rule_columns
from index.store.postgres import terms
from index.store.postgres.dialect import PgHandle
from index.store.postgres.schema import migrate
from index.store.queries import QUOTE_COLUMNS, QUOTE_FIELDS, Queries, table_name, write_article
from index.text.names import name_key


@dataclass(frozen=True)
class VectorBatch:
    ids: np.ndarray
    vectors: np.ndarray


class PgStore(Queries):
    def __init__(self, url: str) -> None:
        self.url = url
        self.path = Path(psycopg.conninfo.conninfo_to_dict(url).get("dbname") or "postgres")
        self._lock = threading.RLock()
        connection = psycopg.connect(url, autocommit=True)
        try:
            migrate(connection, url)
            register_vector(connection)
        except BaseException:
            connection.close()
            raise
        self._db = PgHandle(connection)
        self._leases: set[str] = set()

    @property
    def connection(self) -> psycopg.Connection:
        return self._db.connection

    def close(self) -> None:
        with self._lock:
            self.connection.close()

    def take_lease(self, name: str) -> bool:
        """Whether this process now holds the named lease (a session advisory lock, taken once), without
        waiting."""
        with self._lock:
            if name not in self._leases:
                row = self._db.sql("SELECT pg_try_advisory_lock(hashtext(%s))", (name,)).fetchone()
                if row and row[0]:
                    self._leases.add(name)
            return name in self._leases

    def give_back_lease(self, name: str) -> None:
        with self._lock:
            if name in self._leases:
                self._leases.discard(name)
                self._db.sql("SELECT pg_advisory_unlock(hashtext(%s))", (name,))

    @contextmanager
    def transaction(self) -> Iterator[PgHandle]:
        """A write the searches follow: the revision goes up with it."""
        with self._lock, self.connection.transaction():
            yield self._db
            self._db.sql(
                "INSERT INTO meta(key, value) VALUES ('revision', '1') "
                "ON CONFLICT(key) DO UPDATE SET value = (meta.value::bigint + 1)::text"
            )

    @contextmanager
    def state(self) -> Iterator[PgHandle]:
        with self._lock, self.connection.transaction():
            yield self._db

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def read(
        self, statement: str, params: Sequence[Any] | dict[str, Any] = (), settings: Sequence[str] = ()
    ) -> list[tuple]:
        """Rows of a query in PostgreSQL's own SQL, after `SET LOCAL` settings for it alone."""
        with self._lock, self.connection.transaction():
            for setting in settings:
                self._db.sql(f"SET LOCAL {setting}")
            return self._db.sql(statement, params).fetchall()

    @staticmethod
    def insert_article(db: PgHandle, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray) -> list[int]:
        write_article(db, article)
        rows, held = [], []
        for chunk, vector in zip(chunks, vectors, strict=True):
            counts, length = terms.counted(chunk.text)
            place = (article.id, chunk.seq, chunk.start, chunk.end)
            rows.append((*place, chunk.text, chunk.tokens, _vector(vector), length))
            held.append(counts)
        return _insert(db, "chunks", 'article_id, seq, start, "end", text, tokens, vector, length', rows, held)

    @staticmethod
    def insert_quotes(db: PgHandle, quotes: Sequence[Quote], vectors: np.ndarray, contexts: np.ndarray) -> list[int]:
        rows, held = [], []
        for quote, vector, context in zip(quotes, vectors, contexts, strict=True):
            row = [getattr(quote, c) for c in QUOTE_FIELDS]
            row[-1] = json.dumps(quote.spans) if quote.spans else None
            keys = (name_key(quote.speaker), name_key(quote.role))
            counts, length = terms.counted(quote.quote)
            rule = rule_columns(quote.resolution)
            rows.append((*row, *keys, *rule, _vector(vector), _vector(context), length))
            held.append(counts)
        columns = QUOTE_COLUMNS.replace(" end,", ' "end",')
        columns += ", speaker_key, role_key, rule, reached, flags, vector, context_vector, length"
        return _insert(db, "quotes", columns, rows, held)

    @staticmethod
    def delete_article(db: PgHandle, article_id: str) -> dict[Table, np.ndarray]:
        """Delete an article with its rows, their postings and their share of the BM25 statistics."""
        removed = {}
        for table in TABLES:
            rows = db.sql(f"DELETE FROM {table} WHERE article_id = %s RETURNING id, length", (article_id,)).fetchall()
            ids = sorted(int(r[0]) for r in rows)
            removed[table] = np.array(ids, dtype=np.int64)
            if not ids:
                continue
            db.sql(
                "UPDATE lexicon l SET df = l.df - d.n FROM (SELECT term, count(*) AS n FROM postings "
                "WHERE tbl = %s AND row_id = ANY(%s) GROUP BY term) d WHERE l.tbl = %s AND l.term = d.term",
                (table, ids, table),
            )
            db.sql("DELETE FROM postings WHERE tbl = %s AND row_id = ANY(%s)", (table, ids))
            db.sql(
                "UPDATE lexicon_totals SET rows = rows - %s, length = length - %s WHERE tbl = %s",
                (len(ids), sum(int(r[1]) for r in rows), table),
            )
        db.sql("DELETE FROM articles WHERE id = %s", (article_id,))
        return removed

    def context_vectors(self, ids: Sequence[int], dim: int) -> dict[int, np.ndarray]:
        wanted = [int(i) for i in ids]
        if not wanted:
            return {}
        rows = self.read(
            "SELECT id, context_vector FROM quotes WHERE id = ANY(%(ids)s) AND context_vector IS NOT NULL",
            {"ids": wanted},
        )
        return {r[0]: np.asarray(r[1], dtype=np.float32) for r in rows}

    def iter_vectors(self, dim: int, table: Table = "chunks", batch: int = 50_000) -> Iterator[VectorBatch]:
        last = -1
        while True:
            rows = self.read(
                f"SELECT id, vector FROM {table_name(table)} WHERE id > %(last)s ORDER BY id LIMIT %(n)s",
                {"last": last, "n": batch},
            )
            if not rows:
                return
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            yield VectorBatch(ids, np.vstack([np.asarray(r[1], dtype=np.float32) for r in rows]))
            last = int(ids[-1])


def _vector(vector: np.ndarray) -> np.ndarray:
    return np.asarray(vector, dtype=np.float32)


def _insert(db: PgHandle, table: Table, columns: str, rows: list[tuple], held: list[Counter[str]]) -> list[int]:
    """Rows inserted (their ids, in order; each row's length last), with their postings (`held`: each row's terms
    and how often), counted into the BM25 statistics."""
    if not rows:
        return []
    marks = ",".join(["%s"] * len(columns.split(", ")))
    ids = []
    for row in rows:
        found = db.sql(f"INSERT INTO {table}({columns}) VALUES ({marks}) RETURNING id", row).fetchone()
        ids.append(int(found[0]) if found else 0)
    totals = db.sql("SELECT rows, length FROM lexicon_totals WHERE tbl = %s", (table,)).fetchone()
    average = (totals[1] + sum(r[-1] for r in rows)) / max(1, totals[0] + len(rows))
    with db.connection.cursor().copy("COPY postings(tbl, term, row_id, tf, length, weight) FROM STDIN") as copy:
        for row_id, row, counts in zip(ids, rows, held, strict=True):
            for term, tf in counts.items():
                copy.write_row((table, term, row_id, tf, row[-1], terms.weight(tf, row[-1], average)))
    frequencies: Counter[str] = Counter()
    for counts in held:
        frequencies.update(counts.keys())
    db.connection.cursor().executemany(
        "INSERT INTO lexicon(tbl, term, df) VALUES (%s, %s, %s) "
        "ON CONFLICT(tbl, term) DO UPDATE SET df = lexicon.df + excluded.df",
        [(table, term, n) for term, n in sorted(frequencies.items())],
    )
    db.sql(
        "UPDATE lexicon_totals SET rows = rows + %s, length = length + %s WHERE tbl = %s",
        (len(rows), sum(row[-1] for row in rows), table),
    )
    return ids

"""`whosaid migrate --to postgresql://…`: an embedded store copied into an empty PostgreSQL database, vectors
included (nothing is embedded again), in one transaction, then checked: every table holds as many rows as the
SQLite file. Row ids are kept (the vectors and everything that names a row stay valid), the identity sequences
moved past them, BM25's statistics counted from the copied rows, and the watch cursor carried over to the
articles' new order numbers."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.search.pg import dimension, vector_indexes
from index.store.postgres import terms
from index.store.postgres.dialect import PgHandle
from index.store.postgres.store import PgStore
from index.store.watches import CURSOR

TABLES = (
    "articles",
    "chunks",
    "quotes",
    "story_signatures",
    "story_bands",
    "sources",
    "entries",
    "watches",
    "watch_hits",
    "digests",
    "chat_shelves",
    "buttons",
    "chat_state",
    "rate_limits",
)
BATCH = 2_000
TEXTS = {"chunks": "text", "quotes": "quote"}  # what BM25 reads of each searched table


class MigrateError(RuntimeError):
    """The copy cannot start (the target holds articles) or did not hold every row."""


@dataclass(frozen=True)
class Copied:
    table: str
    rows: int


def copy_store(source: Path, url: str, progress: Callable[[Copied], None] | None = None) -> list[Copied]:
    """Copy the SQLite store at `source` (schema migrated to this version first) into the database at `url`."""
    from index.store.sqlite import Store

    Store(source).close()  # the store's own migrations first, with their backup
    target = PgStore(url)
    db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if target.count("chunks") or target.select("SELECT 1 FROM articles LIMIT 1"):
            raise MigrateError(f"the database {target.path} already holds articles: migrate into an empty one")
        copied = []
        with target.transaction() as pg:
            _meta(db, pg)
            for table in TABLES:
                copied.append(Copied(table, _copy(db, pg, table)))
                if progress:
                    progress(copied[-1])
            _finish(db, pg)
        _check(db, target, copied)
        return copied
    finally:
        db.close()
        target.close()


def _meta(db: sqlite3.Connection, pg: PgHandle) -> None:
    """The model and dimension (the vectors' columns and their HNSW indexes made for it), when there are vectors."""
    dim = _dim(db)
    if dim is not None:
        dimension(pg, _model(db), dim, index=False)


def _dim(db: sqlite3.Connection) -> int | None:
    row = db.execute("SELECT length(vector) FROM chunks LIMIT 1").fetchone()
    return int(row[0]) // 4 if row else None


def _model(db: sqlite3.Connection) -> str:
    """The model the embedded store was built with, from the meta.json beside it."""
    import json

    path = Path(db.execute("PRAGMA database_list").fetchone()[2]).parent / "meta.json"
    return json.loads(path.read_text("utf-8"))["model"] if path.exists() else "unknown"


def _copy(db: sqlite3.Connection, pg: PgHandle, table: str) -> int:
    columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall()]
    order = "rowid" if table == "articles" else "1"
    cursor = db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
    extra = ["length"] if table in TEXTS else []
    names = ", ".join(f'"{c}"' for c in [*columns, *extra])
    count = 0
    with pg.connection.cursor().copy(f"COPY {table}({names}) FROM STDIN") as copy:
        for row in _rows(cursor, columns, table):
            copy.write_row(row)
            count += 1
    if table in TEXTS:
        _postings(db, pg, table)
    return count


def _postings(db: sqlite3.Connection, pg: PgHandle, table: str) -> None:
    """BM25's postings of the copied rows, read from their texts."""
    average = float(pg.sql(f"SELECT coalesce(avg(length), 0) FROM {table}").fetchone()[0])
    cursor = db.execute(f"SELECT id, {TEXTS[table]} FROM {table} ORDER BY id")
    with pg.connection.cursor().copy("COPY postings(tbl, term, row_id, tf, length, weight) FROM STDIN") as copy:
        while batch := cursor.fetchmany(BATCH):
            for row_id, text in batch:
                counts, length = terms.counted(text)
                for term, tf in counts.items():
                    copy.write_row((table, term, row_id, tf, length, terms.weight(tf, length, average)))


def _rows(cursor: sqlite3.Cursor, columns: list[str], table: str) -> Iterator[list[object]]:
    vectors = [n for n, c in enumerate(columns) if c in ("vector", "context_vector")]
    words = columns.index(TEXTS[table]) if table in TEXTS else None
    while batch := cursor.fetchmany(BATCH):
        for row in batch:
            out = list(row)
            for n in vectors:
                if out[n] is not None:
                    out[n] = _vector_text(np.frombuffer(out[n], dtype=np.float32))
            if words is not None:
                out.append(terms.counted(out[words])[1])
            yield out


def _vector_text(vector: np.ndarray) -> str:
    return "[" + ",".join(repr(float(x)) for x in vector) + "]"


def _finish(db: sqlite3.Connection, pg: PgHandle) -> None:
    """The vector indexes built over the copied rows, sequences past the copied ids, BM25's statistics, the watch
    cursor in the new order numbers."""
    vector_indexes(pg)
    for table in ("chunks", "quotes", "sources", "watches"):
        pg.sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}")
    for table in ("chunks", "quotes"):
        pg.sql(
            "INSERT INTO lexicon(tbl, term, df) SELECT tbl, term, count(*) FROM postings WHERE tbl = %s "
            "GROUP BY tbl, term",
            (table,),
        )
        pg.sql(
            f"UPDATE lexicon_totals SET rows = (SELECT count(*) FROM {table}), "
            f"length = (SELECT coalesce(sum(length), 0) FROM {table}) WHERE tbl = %s",
            (table,),
        )
    cursor = db.execute("SELECT value FROM meta WHERE key = ?", (CURSOR,)).fetchone()
    if cursor is not None:
        seen = db.execute("SELECT count(*) FROM articles WHERE rowid <= ?", (int(cursor[0]),)).fetchone()[0]
        pg.sql("INSERT INTO meta(key, value) VALUES (%s, %s)", (CURSOR, str(seen)))


def _check(db: sqlite3.Connection, target: PgStore, copied: list[Copied]) -> None:
    for item in copied:
        there = target.select(f"SELECT count(*) FROM {item.table}")[0][0]
        here = db.execute(f"SELECT count(*) FROM {item.table}").fetchone()[0]
        if not here == there == item.rows:
            raise MigrateError(f"{item.table}: {here} rows in SQLite, {there} in PostgreSQL")

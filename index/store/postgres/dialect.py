"""The store's shared SQL (written for SQLite: `?` marks, `INSERT OR IGNORE`, `IS NOT ?`, `COLLATE NOCASE`, the
`end` column) run on PostgreSQL through a psycopg connection that looks like SQLite's: `execute` and
`executemany` give a cursor with `fetchone`, `fetchall`, `rowcount` and `lastrowid`. The PostgreSQL schema
supplies the rest: `rowid` on articles, `instr()`, and case-insensitive text (citext) where SQLite says
COLLATE NOCASE."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

import psycopg

ID_TABLES = frozenset({"chunks", "quotes", "sources", "watches"})
"""Tables whose rows get their id from the database: an insert into one returns it (`lastrowid`)."""

_INSERT = re.compile(r"^\s*INSERT\s+(OR\s+(IGNORE|REPLACE)\s+)?INTO\s+(\w+)", re.IGNORECASE)
_END = re.compile(r'(?<![\w".])end(?![\w"])')


@lru_cache(maxsize=512)
def translate(sql: str) -> tuple[str, bool]:
    """PostgreSQL for a statement of the shared SQL, and whether it returns the new row's id."""
    found = _INSERT.match(sql)
    out = sql.replace("%", "%%").replace("IS NOT ?", "IS DISTINCT FROM ?").replace(" COLLATE NOCASE", "")
    out = _END.sub('"end"', out).replace("?", "%s")
    returning = False
    if found is not None:
        if found.group(2):
            if found.group(2).upper() == "REPLACE":
                raise ValueError("INSERT OR REPLACE has no PostgreSQL form here: write an upsert (ON CONFLICT)")
            out = out.replace(found.group(1), "", 1) + " ON CONFLICT DO NOTHING"
        elif found.group(3) in ID_TABLES and "RETURNING" not in out.upper():
            out += " RETURNING id"
            returning = True
    return out, returning


class PgCursor:
    def __init__(self, cursor: psycopg.Cursor, returning: bool) -> None:
        self._cursor = cursor
        self.rowcount = cursor.rowcount
        self.lastrowid: int | None = None
        if returning:
            row = cursor.fetchone()
            self.lastrowid = int(row[0]) if row else None

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall() if self._cursor.description else []

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.fetchall())


class PgHandle:
    """A psycopg connection as the shared SQL's handle (the caller holds the store's lock around it)."""

    def __init__(self, connection: psycopg.Connection) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Sequence[object] = ()) -> PgCursor:
        statement, returning = translate(sql)
        cursor = self.connection.cursor()
        cursor.execute(statement, list(params))  # type: ignore[arg-type]
        return PgCursor(cursor, returning)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> PgCursor:
        statement, _ = translate(sql)
        cursor = self.connection.cursor()
        rows = list(rows)
        if rows:
            cursor.executemany(statement.removesuffix(" RETURNING id"), [list(r) for r in rows])  # type: ignore[arg-type]
        return PgCursor(cursor, False)

    def sql(self, statement: str, params: Sequence[object] | dict[str, Any] = ()) -> psycopg.Cursor:
        """PostgreSQL as it is (`%s` marks), for what only this engine runs."""
        cursor = self.connection.cursor()
        cursor.execute(statement, params)  # type: ignore[arg-type]
        return cursor

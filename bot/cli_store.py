"""`whosaid migrate --to postgresql://…`: the data dir's embedded store copied into PostgreSQL (no model is loaded:
the vectors are copied, not embedded again), checked table by table."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bot.settings import Settings

Parser = Callable[[str, str], argparse.ArgumentParser]


def add_parsers(command: Parser) -> None:
    p = command("migrate", "copy the data dir's store into an empty PostgreSQL database, vectors included")
    p.add_argument("--to", required=True, metavar="URL", help="the database: postgresql://user@host:port/name")


def migrate(settings: Settings, args: argparse.Namespace) -> int:
    from index.store.postgres.copy import MigrateError, copy_store

    source = settings.store.data_dir / "store.sqlite"
    if not source.exists():
        print(f"whosaid: no store in {settings.store.data_dir} to migrate", file=sys.stderr)
        return 1
    try:
        copied = copy_store(source, args.to, lambda c: print(f"{c.table}: {c.rows} rows", file=sys.stderr))
    except MigrateError as error:
        print(f"whosaid: {error}", file=sys.stderr)
        return 1
    rows = sum(c.rows for c in copied)
    print(f"copied {rows} rows in {len(copied)} tables; every table's count checked against SQLite")
    print(f"use it with WHOSAID_DATABASE_URL={args.to}")
    return 0

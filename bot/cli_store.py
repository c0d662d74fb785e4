"""The commands of the shared store: `whosaid migrate --to postgresql://…` (the data dir's embedded store copied
into PostgreSQL; no model is loaded: the vectors are copied, not embedded again, and checked table by table) and
`whosaid worker` (runs the ingest jobs the bots enqueue)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable

from bot.conversation import Conversation
from bot.settings import Settings

Parser = Callable[[str, str], argparse.ArgumentParser]


def add_parsers(command: Parser) -> None:
    p = command("migrate", "copy the data dir's store into an empty PostgreSQL database, vectors included")
    p.add_argument("--to", required=True, metavar="URL", help="the database: postgresql://user@host:port/name")
    p = command("worker", "run the ingest jobs of the PostgreSQL store (WHOSAID_DATABASE_URL) until stopped")
    p.add_argument("--concurrency", type=int, default=1, help="jobs at once (default: 1)")
    p.add_argument("--once", action="store_true", help="stop when no job is waiting")
    command("health", "exit 0 if the bot (whosaid serve) beat lately: a container's health check")


def tune_search(settings: Settings, url: str) -> dict:
    """Each table's HNSW ef_search for the store just filled (no model is loaded)."""
    from index.search.pg import PgSearch
    from index.search.tables import AnnPolicy
    from index.store.postgres.store import PgStore

    store = PgStore(url)
    try:
        policy = AnnPolicy(settings.store.ann_min_vectors, settings.store.ann_recall)
        return PgSearch(store, settings.store.model, policy).tune()
    finally:
        store.close()


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
    tuned = tune_search(settings, args.to)
    print(f"HNSW ef_search tuned to recall@10 {settings.store.ann_recall}: {tuned}", file=sys.stderr)
    print(f"copied {rows} rows in {len(copied)} tables; every table's count checked against SQLite")
    print(f"use it with WHOSAID_DATABASE_URL={args.to}")
    return 0


def worker(conversation: Conversation, args: argparse.Namespace) -> int:
    from bot.jobs import Worker

    engine = conversation.engine
    url = engine.settings.store.database_url
    if url is None:
        print("whosaid: the worker needs the PostgreSQL store: set WHOSAID_DATABASE_URL", file=sys.stderr)
        return 2
    logging.getLogger("bot.jobs").setLevel(logging.INFO)  # a line per job
    engine.settings.store.fast_queries = False  # a worker answers no questions: no ONNX export for them
    Worker(engine, url.get_secret_value()).run(args.concurrency, wait=not args.once)
    return 0


def health(settings: Settings) -> int:
    """`whosaid health`, a container's health check: 0 when the bot's event loop beat within HEARTBEAT_LATE
    seconds; else why not. Opens no store and creates nothing."""
    from bot.telegram.app import HEARTBEAT_FILE, HEARTBEAT_LATE

    beat = settings.store.data_dir / HEARTBEAT_FILE
    try:
        age = time.time() - beat.stat().st_mtime
    except FileNotFoundError:
        print(f"whosaid: no heartbeat in {beat}: the bot has not started", file=sys.stderr)
        return 1
    if age > HEARTBEAT_LATE:
        print(f"whosaid: the bot's last heartbeat was {age:.0f} s ago", file=sys.stderr)
        return 1
    return 0


HANDLERS = {"worker": worker}

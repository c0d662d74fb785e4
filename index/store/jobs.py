"""The job queue in the store (PostgreSQL only; issue 32): ingest jobs deferred into procrastinate's tables in
the caller's transaction, and the reports the workers leave for the chats that asked."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

import psycopg

from index.store.protocol import ArticleStore

QUEUE = "ingest"
TASK = "whosaid.ingest_link"


class JobTable:
    def __init__(self, store: ArticleStore) -> None:
        self.store = store

    @staticmethod
    def enqueue(db: Any, link: str, collection: str, chat_id: int | None) -> bool:
        """A job reading `link` into `collection`, in the transaction of `db` (it is enqueued if that commits);
        False when the same link is already waiting for that collection (procrastinate's queueing lock)."""
        args = json.dumps({"link": link, "collection": collection, "chat_id": chat_id})
        db.sql("SAVEPOINT enqueue")
        try:
            db.sql(
                "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(%s, %s, 0, NULL, %s, %s::jsonb, NULL)"
                "::procrastinate_job_to_defer_v1])",
                (QUEUE, TASK, f"{collection}\n{link}", args),
            )
        except psycopg.errors.UniqueViolation:
            db.sql("ROLLBACK TO SAVEPOINT enqueue")
            return False
        db.sql("RELEASE SAVEPOINT enqueue")
        return True

    def enqueue_links(self, links: Sequence[str], collection: str, chat_id: int | None) -> tuple[list[str], list[str]]:
        """Links as jobs, enqueued in one transaction: those now waiting, and those already waiting."""
        queued: list[str] = []
        duplicates: list[str] = []
        with self.store.state() as db:
            for link in dict.fromkeys(links):
                (queued if self.enqueue(db, link, collection, chat_id) else duplicates).append(link)
        return queued, duplicates

    def report(self, chat_id: int, text: str) -> None:
        with self.store.state() as db:
            db.execute("INSERT INTO job_reports(chat_id, text, created) VALUES (?,?,?)", (chat_id, text, time.time()))

    def take_reports(self) -> list[tuple[int, str]]:
        """The reports the workers left, taken (each is sent once)."""
        with self.store.state() as db:
            rows = db.execute("DELETE FROM job_reports RETURNING chat_id, text").fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def workers(self) -> int:
        """Workers taking jobs now."""
        return int(self.store.select("SELECT count(*) FROM procrastinate_workers")[0][0])

    def counts(self) -> dict[str, int]:
        """Jobs by status (todo, doing, succeeded, failed, …)."""
        return {
            r[0]: int(r[1]) for r in self.store.select("SELECT status, count(*) FROM procrastinate_jobs GROUP BY 1")
        }

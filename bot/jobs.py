"""Ingest as jobs (issue 32). With the embedded store, links are read in the bot's own process, as they always
were. With PostgreSQL, a link becomes a job in procrastinate's queue, in the same database and in the same
transaction as the request that asks for it (`index.store.jobs`), and `whosaid worker` processes run the jobs:
one job per link and collection at a time (a link already waiting is refused as a duplicate), retried with
backoff when reading or storing it fails, and what became of it reported to the chat that asked (the bot sends
the reports)."""

from __future__ import annotations

import logging

from procrastinate import App, JobContext, PsycopgConnector, RetryStrategy

from bot.conversation import report_lines
from bot.engine import Engine
from index.store.jobs import QUEUE, TASK

ATTEMPTS = 3
RETRY = RetryStrategy(max_attempts=ATTEMPTS - 1, exponential_wait=2)  # tried again after 2 s, then 4 s
log = logging.getLogger(__name__)


class JobFailed(RuntimeError):
    """A link could not be read or stored this time (it is tried again)."""


class Worker:
    """Runs the ingest jobs with one engine, loaded once (`whosaid worker`)."""

    def __init__(self, engine: Engine, url: str) -> None:
        jobs = engine.library.jobs
        if jobs is None:
            raise ValueError("jobs need the PostgreSQL store: set WHOSAID_DATABASE_URL")
        self.engine = engine
        self.jobs = jobs
        self.app = App(connector=PsycopgConnector(conninfo=url))
        self.app.task(name=TASK, queue=QUEUE, retry=RETRY, pass_context=True)(self.ingest_link)

    def run(self, concurrency: int = 1, wait: bool = True) -> None:
        """Load the models, then take jobs until stopped (`wait`), or until the queue is empty."""
        _ = self.engine.library.embedder, self.engine.library.extractor
        self.app.run_worker(queues=[QUEUE], concurrency=concurrency, wait=wait, install_signal_handlers=wait)

    def ingest_link(self, context: JobContext, link: str, collection: str, chat_id: int | None) -> None:
        """Read a link into a collection; a failure raises (procrastinate tries again), and the last one is
        reported."""
        last = context.job.attempts + 1 >= ATTEMPTS
        try:
            report = self.engine.ingest([link], collection=collection)
        except Exception as error:
            if last and chat_id is not None:
                self.jobs.report(chat_id, f"Refused {link}: {type(error).__name__} while storing it")
            raise
        if report.refused and not report.results and not last:
            raise JobFailed(report.refused[0].reason)
        lines = report_lines(report)
        log.info("job %s, try %d: %s", context.job.id, context.job.attempts + 1, lines[0])
        if chat_id is not None:
            self.jobs.report(chat_id, "\n".join(lines))

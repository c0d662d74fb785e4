"""Quote attribution beside encoding: during a long ingest a child process parses the next batch of articles with
spaCy while this process embeds the current one (threads would not overlap: spaCy holds the GIL)."""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
from collections import deque
from typing import Protocol

from index.models import Quote

log = logging.getLogger(__name__)
Items = list[tuple[str, str]]  # (article id, text)


class Extractor(Protocol):
    def extract_many(self, items: Items, batch_size: int = 8) -> list[list[Quote]]: ...


class QuoteWorkerError(RuntimeError):
    """The quote process died or failed on a batch."""


def _serve(model: str, jobs: mp.Queue, results: mp.Queue) -> None:
    from index.quotes import QuoteExtractor

    extractor = QuoteExtractor(model)
    while (items := jobs.get()) is not None:
        try:
            found = extractor.extract_many(items)
            results.put(("ok", {article_id: quotes for (article_id, _), quotes in zip(items, found, strict=True)}))
        except Exception as error:  # reported to the parent, which extracts that batch itself
            results.put(("error", repr(error)))


class QuoteWorker:
    """A child process with its own spaCy pipeline; results come back in the order the jobs were sent."""

    def __init__(self, model: str) -> None:
        context = mp.get_context("spawn")  # no fork of a process holding torch / FAISS threads
        self._jobs: mp.Queue = context.Queue()
        self._results: mp.Queue = context.Queue()
        self.process = context.Process(target=_serve, args=(model, self._jobs, self._results), daemon=True)
        self.process.start()

    def submit(self, items: Items) -> None:
        self._jobs.put(items)

    def result(self) -> dict[str, list[Quote]]:
        while True:
            try:
                status, payload = self._results.get(timeout=1.0)
            except queue.Empty:
                if not self.process.is_alive():
                    raise QuoteWorkerError(f"the quote process exited with code {self.process.exitcode}") from None
                continue
            if status != "ok":
                raise QuoteWorkerError(payload)
            return payload

    def close(self) -> None:
        if self.process.is_alive():
            self._jobs.put(None)
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self._jobs.close()
        self._results.close()


class QuotePipeline:
    """Quotes for the batches of one ingest, in order. The first batch is parsed here when it is taken; from the
    second on a worker process (if a spaCy model name is given) parses each batch as soon as it is sent, so it
    runs ahead of encoding. If the worker fails, the rest is parsed here."""

    def __init__(self, local: Extractor | None, model: str | None) -> None:
        self.local = local
        self.model = model
        self.worker: QuoteWorker | None = None
        self._jobs: deque[tuple[Items, bool]] = deque()

    def send(self, items: Items) -> None:
        ahead = self.local is not None and self.model is not None and bool(items) and bool(self.worker or self._jobs)
        if ahead and self.worker is None:
            self.worker = QuoteWorker(self.model)  # type: ignore[arg-type]
        if ahead:
            self.worker.submit(items)  # type: ignore[union-attr]
        self._jobs.append((items, ahead))

    def take(self) -> dict[str, list[Quote]]:
        items, ahead = self._jobs.popleft()
        if self.local is None or not items:
            return {}
        if ahead and self.worker is not None:
            try:
                return self.worker.result()
            except QuoteWorkerError as error:
                log.warning("quote process failed (%s); parsing in this process instead", error)
                self._stop_worker()
        found = self.local.extract_many(items)
        return {article_id: quotes for (article_id, _), quotes in zip(items, found, strict=True)}

    def _stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None
            self.model = None

    def close(self) -> None:
        self._stop_worker()

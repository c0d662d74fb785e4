"""Quote attribution beside encoding: during a long ingest a child process parses the next batch of articles with
spaCy, and embeds their quotes, while this process embeds the current batch's chunks (threads would not overlap:
spaCy holds the GIL). Two one-thread encoders outrun one two-thread encoder here (docs/benchmarks.md, issue 6)."""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from index.embed.base import Embedder, encode_shortest_first
from index.embed.transformer import SentenceTransformerEmbedder
from index.models import Quote
from index.quotes.source import ArticleText, Found, QuoteSource, Reply, with_vectors, without_vectors

log = logging.getLogger(__name__)
Parsed = dict[str, Found]  # by article id


@dataclass(frozen=True)
class Encoding:
    """The sentence-transformers embedder the worker loads to embed quotes as this process would."""

    model: str
    precision: str
    batch_size: int

    def argv(self) -> list[str]:
        return [self.model, self.precision, str(self.batch_size)]


class QuoteWorkerError(RuntimeError):
    """The quote process died or failed on a batch."""


def _send(stream: BinaryIO, payload: object) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _receive(stream: BinaryIO) -> object:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    return pickle.loads(stream.read(struct.unpack("<Q", head)[0]))  # frames from our own child process only


def _serve(model: str, encoding: Encoding | None) -> None:
    """The child: read jobs from stdin, answer on stdout, until stdin closes. The embedder loads after the first
    answer (it takes seconds), so the first batch is not kept waiting for it; the parent embeds that batch's
    quotes."""
    from index.quotes.extract import QuoteExtractor

    out = os.fdopen(os.dup(1), "wb")  # frames only: anything a library prints goes to stderr instead
    os.dup2(2, 1)
    extractor = QuoteExtractor(model)
    embedder: Embedder | None = None
    jobs = sys.stdin.buffer
    while True:
        try:
            items: list[ArticleText] = _receive(jobs)  # type: ignore[assignment]
        except EOFError:
            return
        try:
            found = extractor.extract_many(items)
            if embedder is not None and encoding is not None:
                _send(out, Reply(_with_vectors(items, found, embedder, encoding.batch_size)))
            else:
                _send(out, Reply(without_vectors(items, found)))
        except Exception as error:  # reported to the parent, which extracts that batch itself
            _send(out, Reply(error=repr(error)))
        if encoding is not None and embedder is None:
            try:
                embedder = _embedder(encoding)
            except Exception as error:  # the parent embeds every batch's quotes itself
                log.warning("quote process cannot embed (%r)", error)
                encoding = None


def _embedder(encoding: Encoding) -> Embedder:
    return SentenceTransformerEmbedder(encoding.model, precision=encoding.precision)  # type: ignore[arg-type]


def _with_vectors(items: list[ArticleText], found: list[list[Quote]], embedder: Embedder, batch_size: int) -> Parsed:
    embedded = with_vectors(items, found, lambda texts: encode_shortest_first(embedder, texts, batch_size))
    return {item.id: f for item, f in zip(items, embedded, strict=True)}


class QuoteWorker:
    """A child process (`python -m index.quotes.pipeline`, so the caller's own script is never re-run, as
    multiprocessing's spawn would) with its own spaCy pipeline; answers come back in the order jobs were sent.
    Threads feed and drain its pipes so neither side blocks the other."""

    def __init__(self, model: str, encoding: Encoding | None = None) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),  # the modules this one sees
            **dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"), "1"),  # one core
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "index.quotes.pipeline", model, *(encoding.argv() if encoding else [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self._jobs: queue.Queue[list[ArticleText] | None] = queue.Queue()
        self._results: queue.Queue[Reply] = queue.Queue()
        self.sent = self.answered = 0
        threading.Thread(target=self._feed, daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()

    def _feed(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            while (items := self._jobs.get()) is not None:
                _send(stdin, items)
        except OSError:
            pass  # the child is gone; _drain reports it
        finally:
            with contextlib.suppress(OSError):
                stdin.close()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        try:
            while True:
                answer = _receive(self.process.stdout)  # type: ignore[arg-type]
                self.answered += 1  # before the answer can be taken, so `busy` is never stale after a take
                self._results.put(answer)
        except (EOFError, OSError, pickle.UnpicklingError):
            self._results.put(Reply(error=f"the quote process exited with code {self.process.wait()}"))

    def submit(self, items: list[ArticleText]) -> None:
        self.sent += 1
        self._jobs.put(items)

    def result(self) -> Parsed:
        reply = self._results.get()
        if reply.parsed is None:
            raise QuoteWorkerError(reply.error)
        return reply.parsed

    def close(self, now: bool = False) -> None:
        self._jobs.put(None)
        if now:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Job:
    """A batch sent for parsing, and whether the worker process has it."""

    items: list[ArticleText]
    in_worker: bool = False


class QuotePipeline:
    """Quotes for the batches of one ingest, in order. A lone batch is parsed here when it is taken; once a second
    one is sent, a worker process (if a spaCy model name is given) parses every batch not yet taken as soon as it
    is sent, so it runs ahead of encoding, and embeds their quotes too if given an `encoding`. If the worker fails,
    the rest is parsed here. `local` loads the extractor of this process, called only when a batch is parsed here."""

    def __init__(
        self, local: Callable[[], QuoteSource] | None, model: str | None, encoding: Encoding | None = None
    ) -> None:
        self.local = local
        self.model = model
        self.encoding = encoding
        self.worker: QuoteWorker | None = None
        self._jobs: deque[Job] = deque()

    def send(self, items: list[ArticleText]) -> None:
        if self.worker is None and self.local is not None and self.model is not None and items and self._jobs:
            # a second batch: worth a process, which takes the waiting ones too
            self.worker = QuoteWorker(self.model, self.encoding)
            for job in self._jobs:
                if job.items:
                    self.worker.submit(job.items)
                    job.in_worker = True
        job = Job(items, in_worker=self.worker is not None and bool(items))
        if job.in_worker:
            self.worker.submit(items)  # type: ignore[union-attr]
        self._jobs.append(job)

    @property
    def busy(self) -> bool:
        """The worker process is busy with a batch beside this one, which should leave it a core meanwhile."""
        return self.worker is not None and self.worker.answered < self.worker.sent

    def take(self) -> Parsed:
        job = self._jobs.popleft()
        items = job.items
        if self.local is None or not items:
            return {}
        if job.in_worker and self.worker is not None:
            try:
                return self.worker.result()
            except QuoteWorkerError as error:
                log.warning("quote process failed (%s); parsing in this process instead", error)
                self._stop_worker()
        return without_vectors(items, self.local().extract_many(items))

    def _stop_worker(self, now: bool = False) -> None:
        if self.worker is not None:
            self.worker.close(now)
            self.worker = None
            self.model = None

    def close(self, now: bool = False) -> None:
        """Let the worker process finish and exit (`now`: end it at once, its batches are not wanted)."""
        self._stop_worker(now)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C at the terminal is the parent's to handle: it ends us
    spacy_model, *embedding = sys.argv[1:]
    _serve(spacy_model, Encoding(embedding[0], embedding[1], int(embedding[2])) if embedding else None)
    sys.stderr.flush()
    os._exit(0)  # nothing to clean up; a teardown with torch loaded would keep the parent waiting

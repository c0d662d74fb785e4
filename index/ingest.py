"""Adding articles: in batches they are chunked, their quotes attributed (in a worker process during long ingests,
which also embeds them), their chunks embedded here, and each batch written in one transaction with its vectors
added to the indexes."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

import numpy as np

from index.embed.base import Embedder, Interrupted, encode_shortest_first, split_rows
from index.embed.transformer import SentenceTransformerEmbedder
from index.models import TABLES, Article, Chunk, IngestResult, Table
from index.quotes.pipeline import Encoding, QuotePipeline
from index.quotes.source import ArticleText, Found, QuoteSource, with_vectors, without_vectors
from index.search.engine import SearchIndexes
from index.store.protocol import ArticleStore
from index.system import usable_cores
from index.text.chunk import chunk_article
from index.text.language import article_language

Languages = dict[str, str | None]
"""Each article's language, when not English (`index.text.language.article_language`), by id."""
PARSE_AHEAD = 2  # batches parsed ahead of the one being embedded (docs/benchmarks.md, issue 6)
ENCODE_PIECE = 64


@dataclass(frozen=True)
class Chunking:
    tokens: int = 200
    overlap: int = 40


@dataclass
class Pending:
    """An article of a batch to store: its chunks, and the result that reports it."""

    article: Article
    chunks: list[Chunk]
    result: IngestResult


class Ingestor:
    """`embedder` and `extractor` are loaded on first use (`extractor` None: no quote attribution);
    `worker_model` names the spaCy model a worker process loads to parse batches beside encoding (None: every
    batch is parsed here)."""

    def __init__(
        self,
        store: ArticleStore,
        indexes: SearchIndexes,
        embedder: Callable[[], Embedder],
        extractor: Callable[[], QuoteSource] | None,
        worker_model: Callable[[], str | None],
        chunking: Chunking = Chunking(),
        batch_size: int = 16,
    ) -> None:
        self.store = store
        self.indexes = indexes
        self.embedder = embedder
        self.extractor = extractor
        self.worker_model = worker_model
        self.chunking = chunking
        self.batch_size = batch_size
        self.stopping = threading.Event()  # set at shutdown: stop after the batch being written, or mid-embedding
        self.finishing = threading.Event()  # set by a first Ctrl-C: stop once the batch being embedded is written

    def ingest(
        self,
        articles: Iterable[Article],
        on_article: Callable[[IngestResult], None] | None = None,
        batch_articles: int = 32,
        again: bool = False,
    ) -> list[IngestResult]:
        """Store articles in batches, one writer at a time across threads and processes. Batches are embedded
        and written PARSE_AHEAD batches behind their quote parsing, so a worker process parses the next ones while
        this one embeds. `again`: an article stored with the same text is replaced too (its quotes attributed
        again), not skipped as unchanged. Nothing to store (every link refused, say) loads no model."""
        batches = _batches(articles, batch_articles)
        first = next(batches, None)
        if first is None:
            return []
        with self.indexes.writer():
            self.indexes.track_changes()
            embedder = self.embedder()
            encoding = None
            if isinstance(embedder, SentenceTransformerEmbedder):  # the worker can load the same model
                encoding = Encoding(embedder.name, embedder.precision, self.batch_size)
            pipeline = QuotePipeline(self.extractor, self.worker_model() if self.extractor else None, encoding)
            results: list[IngestResult] = []
            sent: deque[tuple[list[Article], Languages]] = deque()
            try:
                for batch in chain([first], batches):
                    if self.stopped:
                        break
                    changed = [a for a in batch if again or self.store.digest_of(a.id) != a.digest]
                    languages = {a.id: article_language(a.text) for a in changed}
                    pipeline.send([ArticleText(a.id, a.text) for a in changed if languages[a.id] is None])
                    sent.append((batch, languages))
                    if len(sent) > PARSE_AHEAD:
                        results += self._ingest_batch(*sent.popleft(), pipeline, on_article, again)
                while sent and not self.stopped:
                    results += self._ingest_batch(*sent.popleft(), pipeline, on_article, again)
            except Interrupted:
                pass  # the batch being embedded is not written; those before it are, and are committed below
            except BaseException:
                self.indexes.forget_changes()
                raise
            finally:
                pipeline.close(now=self.stopped)
            if any(r.status in ("added", "replaced") for r in results):
                self.indexes.commit()
            return results

    @property
    def stopped(self) -> bool:
        """Asked to stop, now or once the batch being embedded is written."""
        return self.stopping.is_set() or self.finishing.is_set()

    def _plan(
        self, batch: list[Article], languages: Languages, again: bool = False
    ) -> tuple[list[IngestResult], list[Pending]]:
        """What each article of a batch needs: nothing (unchanged, duplicate), or chunks to add or replace.
        `languages`: those read when the batch was sent to be parsed (an article changed since is read here)."""
        embedder = self.embedder()
        results, pending = [], []
        seen: dict[str, str] = {}
        for article in batch:
            result = IngestResult(
                article_id=article.id, title=article.title, source=article.source, origin=article.link, status="added"
            )
            old_digest = self.store.digest_of(article.id)
            twin = seen.get(article.digest) or self.store.id_with_digest(article.digest, article.collection)
            if old_digest == article.digest and not again:
                result.status = "unchanged"
            elif twin is not None and twin != article.id:
                result.status, result.duplicate_of = "duplicate", twin
            else:
                result.status = "replaced" if old_digest is not None else "added"
                chunks = chunk_article(article, embedder.count_tokens, self.chunking.tokens, self.chunking.overlap)
                result.chunks = len(chunks)
                # an article not in English gets no quotes attributed by English rules
                result.language = languages[article.id] if article.id in languages else article_language(article.text)
                pending.append(Pending(article, chunks, result))
                seen[article.digest] = article.id
            results.append(result)
        return results, pending

    def _ingest_batch(
        self,
        batch: list[Article],
        languages: Languages,
        pipeline: QuotePipeline,
        on_article: Callable[[IngestResult], None] | None,
        again: bool = False,
    ) -> list[IngestResult]:
        results, pending = self._plan(batch, languages, again)
        if pending:
            chunk_vectors = self._encode([c.text for p in pending for c in p.chunks], pipeline)
            found = self._quotes(pending, pipeline)
            self._write(pending, chunk_vectors, found)
        else:
            pipeline.take()
        self.indexes.save(force=False)
        if on_article:
            for result in results:
                on_article(result)
        return results

    def _quotes(self, pending: list[Pending], pipeline: QuotePipeline) -> list[Found]:
        """The quotes of each pending article, with vectors: parsed while its chunks were embedded (by the worker,
        if any), or here for an id whose text was unchanged when its batch was sent; those the worker did not
        embed are embedded here. An article not in English has none (English rules would attribute nonsense)."""
        parsed = pipeline.take()
        english = [p for p in pending if p.result.language is None]
        missing = [ArticleText(p.article.id, p.article.text) for p in english if p.article.id not in parsed]
        if missing and self.extractor is not None:
            parsed |= without_vectors(missing, self.extractor().extract_many(missing))
        found = [parsed.get(p.article.id, Found([])) for p in pending]
        bare = [i for i, f in enumerate(found) if f.vectors is None]
        items = [ArticleText(pending[i].article.id, pending[i].article.text) for i in bare]
        embedded = with_vectors(items, [found[i].quotes for i in bare], lambda texts: self._encode(texts, pipeline))
        for i, done in zip(bare, embedded, strict=True):
            found[i] = done
        return found

    def _encode(self, texts: list[str], pipeline: QuotePipeline) -> np.ndarray:
        """On every core but one while the worker is busy, on all of them while it waits for work."""
        cores = usable_cores()
        return encode_shortest_first(
            self.embedder(),
            texts,
            self.batch_size,
            ENCODE_PIECE,
            lambda: max(1, cores - 1) if pipeline.busy else None,
            self.stopping.is_set,
        )

    def _write(self, pending: list[Pending], chunk_vectors: np.ndarray, found: list[Found]) -> None:
        with self.indexes.lock:
            removed: dict[Table, list[np.ndarray]] = {t: [] for t in TABLES}
            added: dict[Table, list[int]] = {t: [] for t in TABLES}
            chunk_parts = split_rows(chunk_vectors, [len(p.chunks) for p in pending])
            with self.store.transaction() as db:
                for item, vectors, quotes in zip(pending, chunk_parts, found, strict=True):
                    if item.result.status == "replaced":
                        for table, ids in self.store.delete_article(db, item.article.id).items():
                            removed[table].append(ids)
                    added["chunks"] += self.store.insert_article(db, item.article, item.chunks, vectors)
                    added["quotes"] += self.store.insert_quotes(db, quotes.quotes, _vectors(quotes), _contexts(quotes))
                    item.result.quotes = len(quotes.quotes)
            new_vectors = {"chunks": chunk_vectors, "quotes": np.concatenate([_vectors(f) for f in found])}
            for table in TABLES:
                self.indexes.removed(table, np.concatenate(removed[table] or [np.zeros(0, np.int64)]))
                self.indexes.added(table, np.array(added[table], np.int64), new_vectors[table])


def _vectors(found: Found) -> np.ndarray:
    assert found.vectors is not None
    return found.vectors


def _contexts(found: Found) -> np.ndarray:
    assert found.contexts is not None
    return found.contexts


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Batches of at most `size` articles; an id seen again starts a new batch (the later version wins)."""
    batch: list[Article] = []
    for article in articles:
        article = article.with_id()
        if len(batch) >= size or any(a.id == article.id for a in batch):
            yield batch
            batch = []
        batch.append(article)
    if batch:
        yield batch

"""The ingest path of a Library: articles in batches are chunked, their quotes attributed (in a worker process
during long ingests, which also embeds them), their chunks embedded here, and each batch written in one
transaction with its vectors added to the indexes."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from index.embed.base import Embedder, encode_shortest_first, split_rows
from index.embed.transformer import SentenceTransformerEmbedder
from index.models import Article, Chunk, IngestResult, Quote
from index.quotes.pipeline import Encoding, Extractor, QuotePipeline, without_vectors
from index.search.tables import IndexFiles
from index.store.sqlite import VECTOR_TABLES, Store
from index.system import usable_cores
from index.text.chunk import chunk_article

PARSE_AHEAD = 2
ENCODE_PIECE = 64
Pending = tuple[Article, list[Chunk], IngestResult]  # an article to store, its chunks, its result


class Ingesting(IndexFiles):
    """Mixed into Library: adding articles."""

    chunk_tokens: int
    chunk_overlap: int
    batch_size: int
    quote_process: bool
    embedder: Embedder
    extractor: Extractor | None
    quote_model: str | None
    attributes_quotes: bool

    def ingest(
        self,
        articles: Iterable[Article],
        on_article: Callable[[IngestResult], None] | None = None,
        batch_articles: int = 32,
    ) -> list[IngestResult]:
        """Store articles in batches; one writer at a time across threads and processes."""
        with self.writing():
            return self._ingest(articles, on_article, batch_articles)

    def _ingest(
        self, articles: Iterable[Article], on_article: Callable[[IngestResult], None] | None, batch_articles: int
    ) -> list[IngestResult]:
        """Batches are embedded and written PARSE_AHEAD batches behind their quote parsing, so a worker process
        parses the next ones while this one embeds (300 PolNeAR articles: 125.5 s in one process, 109.5 s one batch
        ahead, 102.6 s two ahead)."""
        self._track_lexical()
        local = self._local_extractor if self.attributes_quotes else None
        model = self.quote_model if self.quote_process else None
        embedder = self.embedder
        encoding = None
        if isinstance(embedder, SentenceTransformerEmbedder):  # the worker can load the same model
            encoding = Encoding(embedder.name, embedder.precision, self.batch_size)
        pipeline = QuotePipeline(local, model, encoding)
        results: list[IngestResult] = []
        sent: deque[list[Article]] = deque()
        try:
            for batch in _batches(articles, batch_articles):
                pipeline.send([(a.id, a.text) for a in batch if self.store.digest_of(a.id) != a.digest])
                sent.append(batch)
                if len(sent) > PARSE_AHEAD:
                    results += self._ingest_batch(sent.popleft(), pipeline, on_article)
            while sent:
                results += self._ingest_batch(sent.popleft(), pipeline, on_article)
        except BaseException:
            self._lexical_ops = None  # whatever was recorded, the next BM25 refresh rebuilds in full
            raise
        finally:
            pipeline.close()
        if any(r.status in ("added", "replaced") for r in results):
            self._choose_indexes()
            self._save()
            self.refresh_lexical()
        return results

    def _local_extractor(self) -> Extractor:
        """spaCy in this process, loaded only when a batch is parsed here (not while a worker parses them all)."""
        extractor = self.extractor
        assert extractor is not None
        return extractor

    def _plan(self, batch: list[Article]) -> tuple[list[IngestResult], list[Pending]]:
        """What each article of a batch needs: nothing (unchanged, duplicate), or chunks to add or replace."""
        embedder = self.embedder
        results, pending = [], []
        seen: dict[str, str] = {}
        for article in batch:
            result = IngestResult(article_id=article.id, title=article.title, source=article.source, status="added")
            old_digest = self.store.digest_of(article.id)
            twin = seen.get(article.digest) or self.store.id_with_digest(article.digest)
            if old_digest == article.digest:
                result.status = "unchanged"
            elif twin is not None and twin != article.id:
                result.status, result.duplicate_of = "duplicate", twin
            else:
                result.status = "replaced" if old_digest is not None else "added"
                chunks = chunk_article(article, embedder.count_tokens, self.chunk_tokens, self.chunk_overlap)
                result.chunks = len(chunks)
                pending.append((article, chunks, result))
                seen[article.digest] = article.id
            results.append(result)
        return results, pending

    def _ingest_batch(
        self, batch: list[Article], pipeline: QuotePipeline, on_article: Callable[[IngestResult], None] | None
    ) -> list[IngestResult]:
        results, pending = self._plan(batch)
        if pending:
            self._write(pending, *self._embed(pending, pipeline))
        else:
            pipeline.take()
        self._save(force=False)
        if on_article:
            for result in results:
                on_article(result)
        return results

    def _embed(
        self, pending: list[Pending], pipeline: QuotePipeline
    ) -> tuple[np.ndarray, list[list[Quote]], np.ndarray]:
        """Chunks are embedded while the worker (if any) may still be parsing the batch; quotes the worker did not
        embed are embedded here."""
        chunk_vectors = self._encode([c.text for _, chunks, _ in pending for c in chunks], pipeline)
        parsed = pipeline.take()
        missing = [(a.id, a.text) for a, _, _ in pending if a.id not in parsed]
        if missing and self.attributes_quotes:  # an id whose text was unchanged when its batch was sent
            parsed |= without_vectors(missing, self._local_extractor().extract_many(missing))
        found_here = [parsed.get(a.id, ([], None)) for a, _, _ in pending]
        here = self._encode([q.quote for qs, vectors in found_here if vectors is None for q in qs], pipeline)
        fresh = iter(split_rows(here, [len(qs) for qs, vectors in found_here if vectors is None]))
        quote_vectors = [next(fresh) if vectors is None else vectors for _, vectors in found_here]
        return chunk_vectors, [qs for qs, _ in found_here], np.concatenate([here[:0], *quote_vectors])

    def _encode(self, texts: list[str], pipeline: QuotePipeline) -> np.ndarray:
        """On every core but one while the worker is busy, on all of them while it waits for work."""
        cores = usable_cores()
        return encode_shortest_first(
            self.embedder,
            texts,
            self.batch_size,
            ENCODE_PIECE,
            lambda: max(1, cores - 1) if pipeline.busy else None,
        )

    def _write(
        self, pending: list[Pending], chunk_vectors: np.ndarray, quotes: list[list[Quote]], quote_vectors: np.ndarray
    ) -> None:
        with self._lock:
            removed: dict[str, list[np.ndarray]] = {t: [] for t in VECTOR_TABLES}
            added: dict[str, list[int]] = {t: [] for t in VECTOR_TABLES}
            chunk_parts = split_rows(chunk_vectors, [len(chunks) for _, chunks, _ in pending])
            quote_parts = split_rows(quote_vectors, [len(qs) for qs in quotes])
            with self.store.transaction() as db:
                for (article, chunks, result), article_quotes, article_chunk_vectors, article_quote_vectors in zip(
                    pending, quotes, chunk_parts, quote_parts, strict=True
                ):
                    if result.status == "replaced":
                        for table, ids in Store.delete_article(db, article.id).items():
                            removed[table].append(ids)
                    added["chunks"] += Store.insert_article(db, article, chunks, article_chunk_vectors)
                    added["quotes"] += Store.insert_quotes(db, article_quotes, article_quote_vectors)
                    result.quotes = len(article_quotes)
            for table, new_vectors in (("chunks", chunk_vectors), ("quotes", quote_vectors)):
                gone, new = np.concatenate(removed[table] or [np.zeros(0, np.int64)]), np.array(added[table], np.int64)
                self._indexes[table].remove(gone)
                self._indexes[table].add(new, new_vectors)
                if self._lexical_ops is not None:
                    self._lexical_ops[table] += [("remove", gone), ("add", new)]


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

"""A data dir opened for use: SQLite (the truth), FAISS indexes of chunks and quotes kept in step, the models."""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

import numpy as np

from index.chunk import chunk_article
from index.embed import Embedder
from index.indexes import IndexFiles
from index.lexical import LexicalIndex, rrf
from index.models import Article, ArticleInfo, Chunk, Hit, IngestResult, Quote, QuoteHit
from index.pipeline import Extractor, QuotePipeline
from index.store import VECTOR_TABLES, Store
from index.vectors import (
    FlatIndex,
    IndexMeta,
    VectorIndex,
    check_meta,
    read_meta,
)

EmbedderSource = Embedder | Callable[[], Embedder]
PARSE_AHEAD = 2
ENCODE_PIECE = 64
Pending = tuple[Article, list[Chunk], IngestResult]  # an article to store, its chunks, its result


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the OS tells it, else all of them)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


class QuoteSource(Extractor, Protocol):
    def parse(self, text: str) -> object: ...


class Library(IndexFiles):
    """Articles, chunks, quotes and their vectors in one data dir. SQLite commits first; the FAISS files follow
    and are rebuilt from SQLite when a crash left them behind (meta.json records the revision they match)."""

    def __init__(
        self,
        data_dir: Path,
        model: str,
        embedder: EmbedderSource,
        chunk_tokens: int = 200,
        chunk_overlap: int = 40,
        batch_size: int = 16,
        quotes: QuoteSource | Callable[[], QuoteSource] | None = None,
        query_embedder: EmbedderSource | None = None,
        ann_min: int = 50_000,
        ann_recall: float = 0.98,
        save_every: float = 30.0,
        quote_process: bool = False,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.model = model
        self.chunk_tokens = chunk_tokens
        self.chunk_overlap = chunk_overlap
        self.batch_size = batch_size
        self.ann_min = ann_min
        self.ann_recall = ann_recall
        self.save_every = save_every
        self.quote_process = quote_process
        self._saved_at = time.monotonic()
        self._embedder_source = embedder
        self._embedder: Embedder | None = embedder if isinstance(embedder, Embedder) else None
        self._quote_source = quotes
        self._query_source = query_embedder
        self._query_embedder: Embedder | None = None
        self._extractor: QuoteSource | None = None
        self._lock = threading.RLock()  # readers and the short commit sections
        self._write_lock = threading.Lock()  # one writer at a time (with the file lock across processes)
        self._writer: int | None = None
        self._meta_stamp: tuple[int, int, int] | None = None
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.meta_path = self.data_dir / "meta.json"
        meta = read_meta(self.meta_path)
        if meta is not None and meta.model != model:
            check_meta(meta, model, meta.dim, self.data_dir)
        self.store = Store(self.data_dir / "store.sqlite")
        self._meta = meta
        self._indexes: dict[str, VectorIndex] = {}
        self._lexical: dict[str, LexicalIndex] = {}
        self._lexical_ops: dict[str, list[tuple[str, np.ndarray]]] | None = None
        if meta is not None:
            self._open_indexes(meta)

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = self._embedder_source()  # type: ignore[operator]
            self._adopt(self._embedder)
            return self._embedder

    def _adopt(self, embedder: Embedder) -> None:
        """Check an embedder against the store; a store whose meta.json is gone is rebuilt from SQLite."""
        if self._meta is None:
            if self.store.count("chunks"):
                with self.writing():
                    self.rebuild(embedder.dim)
            else:
                self._meta = IndexMeta(model=self.model, dim=embedder.dim)
        assert self._meta is not None
        check_meta(self._meta, embedder.name, embedder.dim, self.data_dir)
        for table in VECTOR_TABLES:
            self._indexes.setdefault(table, FlatIndex(embedder.dim))

    @property
    def query_embedder(self) -> Embedder:
        """What embeds questions: the same model, possibly through a faster runtime; checked like the other."""
        with self._lock:
            if self._query_embedder is None:
                source = self._query_source
                if source is None:
                    return self.embedder
                self._query_embedder = source if isinstance(source, Embedder) else source()
                self._adopt(self._query_embedder)
            return self._query_embedder

    @property
    def extractor(self) -> QuoteSource | None:
        with self._lock:
            if self._extractor is None and self._quote_source is not None:
                source = self._quote_source
                loaded = hasattr(source, "extract_many") and not isinstance(source, type)
                self._extractor = source if loaded else source()  # type: ignore[assignment,operator]
            return self._extractor

    def close(self) -> None:
        self.store.close()

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
        extractor = self.extractor
        model = getattr(extractor, "model", None) if self.quote_process else None
        pipeline = QuotePipeline(extractor, model)
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
        """Chunks are embedded while the worker (if any) may still be parsing the batch."""
        chunk_vectors = self._encode([c.text for _, chunks, _ in pending for c in chunks], pipeline)
        parsed = pipeline.take()
        missing = [(a.id, a.text) for a, _, _ in pending if a.id not in parsed]
        if missing and self.extractor is not None:  # an id whose text was unchanged when its batch was sent
            parsed |= dict(zip((i for i, _ in missing), self.extractor.extract_many(missing), strict=True))
        quotes = [parsed.get(a.id, []) for a, _, _ in pending]
        return chunk_vectors, quotes, self._encode([q.quote for qs in quotes for q in qs], pipeline)

    def _encode(self, texts: list[str], pipeline: QuotePipeline) -> np.ndarray:
        """Shortest first, so a model batch pads little (quotes: 1.3-1.5x the throughput of pieces sorted on their
        own), in pieces of ENCODE_PIECE texts, each on every core but one while the worker is parsing, on all of
        them while it waits for work."""
        embedder, cores = self.embedder, usable_cores()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        for start in range(0, len(texts), ENCODE_PIECE):
            piece = order[start : start + ENCODE_PIECE]
            with embedder.threads(max(1, cores - 1) if pipeline.parsing else None):
                vectors[piece] = embedder.encode([texts[i] for i in piece], batch_size=self.batch_size)
        return vectors

    def _write(
        self, pending: list[Pending], chunk_vectors: np.ndarray, quotes: list[list[Quote]], quote_vectors: np.ndarray
    ) -> None:
        with self._lock:
            removed: dict[str, list[np.ndarray]] = {t: [] for t in VECTOR_TABLES}
            added: dict[str, list[int]] = {t: [] for t in VECTOR_TABLES}
            with self.store.transaction() as db:
                c_off = q_off = 0
                for (article, chunks, result), article_quotes in zip(pending, quotes, strict=True):
                    if result.status == "replaced":
                        for table, ids in Store.delete_article(db, article.id).items():
                            removed[table].append(ids)
                    added["chunks"] += Store.insert_article(
                        db, article, chunks, chunk_vectors[c_off : c_off + len(chunks)]
                    )
                    added["quotes"] += Store.insert_quotes(
                        db, article_quotes, quote_vectors[q_off : q_off + len(article_quotes)]
                    )
                    result.quotes = len(article_quotes)
                    c_off += len(chunks)
                    q_off += len(article_quotes)
            for table, new_vectors in (("chunks", chunk_vectors), ("quotes", quote_vectors)):
                gone, new = np.concatenate(removed[table] or [np.zeros(0, np.int64)]), np.array(added[table], np.int64)
                self._indexes[table].remove(gone)
                self._indexes[table].add(new, new_vectors)
                if self._lexical_ops is not None:
                    self._lexical_ops[table] += [("remove", gone), ("add", new)]

    def remove(self, article_id: str) -> bool:
        with self.writing():
            if self.store.digest_of(article_id) is None:
                return False
            self._track_lexical()
            with self._lock:
                with self.store.transaction() as db:
                    removed = Store.delete_article(db, article_id)
                if self._indexes and self._meta is not None:
                    for table, ids in removed.items():
                        self._indexes[table].remove(ids)
                        if self._lexical_ops is not None:
                            self._lexical_ops[table].append(("remove", ids))
            if self._indexes and self._meta is not None:
                self._choose_indexes()
                self._save()
            self.refresh_lexical()
            return True

    def search(
        self, question: str, k: int = 8, article_ids: list[str] | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        """The best chunks for a question; each hit's score is its cosine similarity to the question."""
        vector = self.query_embedder.encode([question])[0]
        self.sync()
        with self._lock:
            if "chunks" not in self._indexes:
                return []
            only = None
            if article_ids is not None:
                only = np.concatenate([self.store.chunk_ids(a) for a in article_ids] or [np.zeros(0, np.int64)])
            ranked = self._ranked("chunks", question, vector, k, only, mode)
            chunks = self.store.chunks(i for i, _ in ranked)
        return self._hits([(i, s) for i, s in ranked if i in chunks], chunks)  # BM25 may name a removed row

    def _ranked(
        self, table: str, text: str, vector: np.ndarray, k: int, only: np.ndarray | None, mode: str
    ) -> list[tuple[int, float]]:
        """Row ids of a table for a query, best first: dense (FAISS), lexical (BM25) or both fused by reciprocal
        rank; each with its cosine to the query, however it was found."""
        index = self._indexes[table]
        depth = k if mode == "dense" else k * 3
        scores, ids = index.search(vector.reshape(1, -1), depth, only)
        dense = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        if mode == "dense":
            ranked = [i for i, _ in dense][:k]
        else:
            lexical = [i for i, _ in self.lexical(table).search(text, depth, only)]
            ranked = lexical[:k] if mode == "bm25" else [i for i, _ in rrf([[i for i, _ in dense], lexical])][:k]
        cosine = dict(dense)
        missing = [i for i in ranked if i not in cosine]
        if missing:
            found, vectors = index.vectors(missing)
            cosine.update(zip(found, (vectors @ vector).tolist(), strict=True))
        return [(i, cosine[i]) for i in ranked if i in cosine]

    def _hits(self, pairs: list[tuple[int, float]], chunks: dict[int, Chunk]) -> list[Hit]:
        articles: dict[str, Article] = {}
        hits = []
        for chunk_id, score in pairs:
            chunk = chunks[chunk_id]
            if chunk.article_id not in articles:
                found = self.store.article(chunk.article_id)
                if found is None:
                    continue
                articles[chunk.article_id] = found
            hits.append(Hit(chunk_id=chunk_id, score=score, chunk=chunk, article=articles[chunk.article_id]))
        return hits

    def search_quotes(
        self,
        text: str,
        k: int = 8,
        speakers: list[str] | None = None,
        article_ids: list[str] | None = None,
        mode: str = "dense",
    ) -> list[QuoteHit]:
        """The quotes best matching `text` (optionally only those of the given speakers and articles), ranked as
        `search` ranks chunks; each hit's score is its cosine similarity to `text`. Dense by default: on PolNeAR
        who-said questions hybrid named the speaker in 0.898 of them, dense in 0.903."""
        vector = self.query_embedder.encode([text])[0]
        self.sync()
        with self._lock:
            if "quotes" not in self._indexes:
                return []
            only = None
            if speakers is not None or article_ids is not None:
                found = self.store.quotes(speakers=speakers, article_ids=article_ids)
                only = np.array(list(found), dtype=np.int64)
            ranked = self._ranked("quotes", text, vector, k, only, mode)
            quotes = self.store.quotes(ids=[i for i, _ in ranked])
        return [QuoteHit(quote_id=i, score=s, quote=quotes[i]) for i, s in ranked if i in quotes]

    def quotes(self, speakers: list[str] | None = None, article_ids: list[str] | None = None) -> list[Quote]:
        return list(self.store.quotes(speakers=speakers, article_ids=article_ids).values())

    def articles(self) -> list[ArticleInfo]:
        return self.store.articles()

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    @property
    def dim(self) -> int | None:
        return self._meta.dim if self._meta is not None else None

    def __len__(self) -> int:
        return self.store.count("chunks")


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

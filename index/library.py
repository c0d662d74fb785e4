"""A data dir opened for use: SQLite (the truth), FAISS indexes of chunks and quotes kept in step, the models."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from index.embed.base import Embedder
from index.ingest import Ingesting
from index.models import Article, ArticleInfo, Chunk, Hit, Quote, QuoteHit
from index.quotes.pipeline import Extractor
from index.search.lexical import LexicalIndex, rrf
from index.search.meta import IndexMeta, check_meta, read_meta
from index.search.vectors import FlatIndex, VectorIndex
from index.store.sqlite import VECTOR_TABLES, Store

EmbedderSource = Embedder | Callable[[], Embedder]


class QuoteSource(Extractor, Protocol):
    def parse(self, text: str) -> object: ...


class Library(Ingesting):
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
        quote_model: str | None = None,
    ) -> None:
        """`quote_model`: the spaCy model a quote worker process loads (default: the quote source's own `model`),
        so an ingest that parses in the worker never loads spaCy here."""
        self.data_dir = Path(data_dir)
        self.model = model
        self.chunk_tokens = chunk_tokens
        self.chunk_overlap = chunk_overlap
        self.batch_size = batch_size
        self.ann_min = ann_min
        self.ann_recall = ann_recall
        self.save_every = save_every
        self.quote_process = quote_process
        self._quote_model = quote_model
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

    @property
    def quote_model(self) -> str | None:
        """The spaCy model a quote worker loads: the one given, else the quote source's (a factory is loaded for it)."""
        given = self._quote_model or getattr(self._quote_source, "model", None)
        return given or getattr(self.extractor, "model", None)

    @property
    def attributes_quotes(self) -> bool:
        """Whether ingests attribute quotes."""
        return self._quote_source is not None

    def close(self) -> None:
        self.store.close()

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

"""A data dir opened for use: the SQLite store, the FAISS index kept in step with it, and the embedder."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from index.chunk import chunk_article
from index.embed import Embedder
from index.models import Article, ArticleInfo, Chunk, Hit
from index.store import Store
from index.vectors import FlatIndex, IndexMeta, StoreMismatchError, check_meta, read_meta, write_meta

EmbedderSource = Embedder | Callable[[], Embedder]


class IngestResult(BaseModel):
    article_id: str
    title: str
    source: str | None = None
    status: str  # added | replaced | unchanged | duplicate
    chunks: int = 0
    duplicate_of: str | None = None


class Library:
    """Articles, chunks and vectors in one data dir. SQLite is the truth; FAISS is rebuilt from it when behind."""

    def __init__(
        self,
        data_dir: Path,
        model: str,
        embedder: EmbedderSource,
        chunk_tokens: int = 200,
        chunk_overlap: int = 40,
        batch_size: int = 16,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.model = model
        self.chunk_tokens = chunk_tokens
        self.chunk_overlap = chunk_overlap
        self.batch_size = batch_size
        self._embedder_source = embedder
        self._embedder: Embedder | None = embedder if isinstance(embedder, Embedder) else None
        self._lock = threading.RLock()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.meta_path = self.data_dir / "meta.json"
        self.index_path = self.data_dir / "vectors.faiss"
        meta = read_meta(self.meta_path)
        if meta is not None and meta.model != model:
            check_meta(meta, model, meta.dim, self.data_dir)
        self.store = Store(self.data_dir / "store.sqlite")
        self._meta = meta
        self._index: FlatIndex | None = None
        if meta is not None:
            self._index = self._open_index(meta)

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = self._embedder_source()  # type: ignore[operator]
            if self._meta is None:
                self._meta = IndexMeta(model=self.model, dim=self._embedder.dim)
            check_meta(self._meta, self._embedder.name, self._embedder.dim, self.data_dir)
            if self._index is None:
                self._index = FlatIndex(self._embedder.dim)
            return self._embedder

    def _open_index(self, meta: IndexMeta) -> FlatIndex:
        if self.index_path.exists() and meta.revision == self.store.revision:
            index = FlatIndex.load(self.index_path)
            if index.dim != meta.dim:
                raise StoreMismatchError(f"{self.index_path} has dimension {index.dim}, meta.json says {meta.dim}")
            return index
        return self._rebuild(meta.dim)

    def _rebuild(self, dim: int) -> FlatIndex:
        """Rebuild the vector index from the vectors SQLite holds (after a crash between the two writes)."""
        index = FlatIndex(dim)
        for ids, vectors in self.store.iter_vectors(dim):
            index.add(ids, vectors)
        self._index = index
        self._save(IndexMeta(model=self.model, dim=dim))
        return index

    def _save(self, meta: IndexMeta) -> None:
        assert self._index is not None
        self._index.save(self.index_path)
        self._meta = meta.model_copy(update={"count": len(self._index), "revision": self.store.revision})
        write_meta(self.meta_path, self._meta)

    def close(self) -> None:
        self.store.close()

    def chunk(self, article: Article) -> list[Chunk]:
        return chunk_article(article, self.embedder.count_tokens, self.chunk_tokens, self.chunk_overlap)

    def ingest(
        self,
        articles: Iterable[Article],
        on_article: Callable[[IngestResult], None] | None = None,
        batch_articles: int = 32,
    ) -> list[IngestResult]:
        results: list[IngestResult] = []
        batch: list[Article] = []
        for article in articles:
            article = article.with_id()
            if any(a.id == article.id for a in batch):
                results.extend(self._ingest_batch(batch, on_article))
                batch = []
            batch.append(article)
            if len(batch) >= batch_articles:
                results.extend(self._ingest_batch(batch, on_article))
                batch = []
        if batch:
            results.extend(self._ingest_batch(batch, on_article))
        return results

    def _ingest_batch(
        self, batch: list[Article], on_article: Callable[[IngestResult], None] | None
    ) -> list[IngestResult]:
        embedder = self.embedder
        results: list[IngestResult] = []
        pending: list[tuple[Article, list[Chunk], IngestResult]] = []
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
        texts = [c.text for _, chunks, _ in pending for c in chunks]
        vectors = embedder.encode(texts, batch_size=self.batch_size)
        with self._lock:
            removed: list[np.ndarray] = []
            added_ids: list[int] = []
            with self.store.transaction() as db:
                offset = 0
                for article, chunks, result in pending:
                    if result.status == "replaced":
                        removed.append(Store.delete_article(db, article.id))
                    added_ids += Store.insert_article(db, article, chunks, vectors[offset : offset + len(chunks)])
                    offset += len(chunks)
            assert self._index is not None and self._meta is not None
            if removed:
                self._index.remove(np.concatenate(removed))
            self._index.add(np.array(added_ids, dtype=np.int64), vectors)
            self._save(self._meta)
        if on_article:
            for result in results:
                on_article(result)
        return results

    def remove(self, article_id: str) -> bool:
        with self._lock:
            if self.store.digest_of(article_id) is None:
                return False
            with self.store.transaction() as db:
                ids = Store.delete_article(db, article_id)
            if self._index is not None and self._meta is not None:
                self._index.remove(ids)
                self._save(self._meta)
            return True

    def search(self, question: str, k: int = 8, article_ids: list[str] | None = None) -> list[Hit]:
        vector = self.embedder.encode([question])
        return self.search_vector(vector[0], k, article_ids)

    def search_vector(self, vector: np.ndarray, k: int, article_ids: list[str] | None = None) -> list[Hit]:
        """Nearest chunks, optionally only within the given articles."""
        with self._lock:
            if self._index is None:
                return []
            only = None
            if article_ids is not None:
                only = np.concatenate([self.store.chunk_ids(a) for a in article_ids] or [np.zeros(0, np.int64)])
            scores, ids = self._index.search(vector.reshape(1, -1), k, only)
            pairs = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
            chunks = self.store.chunks(i for i, _ in pairs)
        articles: dict[str, Article] = {}
        hits = []
        for chunk_id, score in pairs:
            chunk = chunks.get(chunk_id)
            if chunk is None:
                continue
            if chunk.article_id not in articles:
                found = self.store.article(chunk.article_id)
                if found is None:
                    continue
                articles[chunk.article_id] = found
            hits.append(Hit(chunk_id=chunk_id, score=score, chunk=chunk, article=articles[chunk.article_id]))
        return hits

    def articles(self) -> list[ArticleInfo]:
        return self.store.articles()

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def __len__(self) -> int:
        return self.store.count_chunks()

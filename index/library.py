"""A data dir opened for use: the facade that wires the SQLite store (the truth), the search indexes kept in step
with it, the ingest path and the models, each loaded when first needed."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

from index.embed.base import Embedder
from index.ingest import Chunking, Ingestor
from index.models import (
    EVERYWHERE,
    SHARED,
    Article,
    ArticleInfo,
    Hit,
    IngestResult,
    Mode,
    Quote,
    QuoteHit,
    Scope,
    Scored,
    SpeakerInfo,
    Table,
)
from index.quotes.source import QuoteSource
from index.search.engine import SearchIndexes
from index.search.indexes import Indexes
from index.search.tables import AnnPolicy
from index.store.conversations import Conversations
from index.store.jobs import JobTable
from index.store.protocol import ArticleStore
from index.store.shelves import Shelves
from index.store.sources import Sources
from index.store.sqlite import Store
from index.store.watches import Watches

T = TypeVar("T")
log = logging.getLogger(__name__)
EmbedderSource = Embedder | Callable[[], Embedder]
RECENT_QUERIES = 16
QuoteSourceArg = QuoteSource | Callable[[], QuoteSource]


class Lazy(Generic[T]):
    """A part given loaded, or as a factory run once, by whichever thread needs it first."""

    def __init__(self, source: T | Callable[[], T], kind: type[T]) -> None:
        self._lock = threading.Lock()
        self._value: T | None = source if isinstance(source, kind) else None
        self._factory = None if isinstance(source, kind) else source

    @property
    def loaded(self) -> bool:
        return self._value is not None

    def get(self) -> T:
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._factory()  # type: ignore[misc]
        return self._value


class Library:
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
        quotes: QuoteSourceArg | None = None,
        query_embedder: EmbedderSource | None = None,
        ann_min: int = 50_000,
        ann_recall: float = 0.98,
        save_every: float = 30.0,
        quote_process: bool = False,
        quote_model: str | None = None,
        database_url: str | None = None,
    ) -> None:
        """`quote_model`: the spaCy model a quote worker process loads (default: the quote source's own), so an
        ingest that parses in the worker never loads spaCy here; `quote_process`: use such a worker in ingests
        of more than one batch."""
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.model = model
        ann = AnnPolicy(ann_min, ann_recall)
        self.jobs: JobTable | None = None  # ingest as jobs: PostgreSQL only
        self.store: ArticleStore
        self.indexes: SearchIndexes
        if database_url:
            from index.search.pg import PgSearch
            from index.store.postgres.store import PgStore

            self.store = pg = PgStore(database_url)
            self.indexes = PgSearch(pg, model, ann)
            self.jobs = JobTable(pg)
        else:
            self.store = Store(self.data_dir / "store.sqlite")
            self.indexes = Indexes(self.data_dir, self.store, model, ann, save_every)
        if refreshed := self.store.refresh_confidences():
            log.info("recomputed %d confidences with the current calibration", refreshed)
        self.sources = Sources(self.store)
        self.watches = Watches(self.store)
        self.shelves = Shelves(self.store)
        self.conversations = Conversations(self.store)
        self._embedder = Lazy(embedder, Embedder)
        self._query_embedder = Lazy(query_embedder, Embedder) if query_embedder is not None else None
        self._quotes = Lazy(quotes, QuoteSource) if quotes is not None else None
        self._quote_model = quote_model
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_lock = threading.Lock()
        self.ingestor = Ingestor(
            self.store,
            self.indexes,
            lambda: self.embedder,
            self._extractor if self._quotes is not None else None,
            lambda: self.quote_model if quote_process else None,
            Chunking(chunk_tokens, chunk_overlap),
            batch_size,
        )

    @property
    def embedder(self) -> Embedder:
        """The model that embeds articles and quotes (loaded now if it was not), checked against the store."""
        embedder = self._embedder.get()
        self.indexes.adopt(embedder.name, embedder.dim)
        return embedder

    @property
    def query_embedder(self) -> Embedder:
        """What embeds questions: the same model, possibly through a faster runtime; checked like the other."""
        if self._query_embedder is None:
            return self.embedder
        embedder = self._query_embedder.get()
        self.indexes.adopt(embedder.name, embedder.dim)
        return embedder

    @property
    def fast_queries_only(self) -> bool:
        """Questions have their own embedder, and the ingest model was never loaded in this process."""
        return self._query_embedder is not None and not self._embedder.loaded

    def _extractor(self) -> QuoteSource:
        assert self._quotes is not None
        return self._quotes.get()

    @property
    def extractor(self) -> QuoteSource | None:
        """The quote extractor in this process (spaCy, loaded on first use), if quotes are attributed."""
        return self._extractor() if self._quotes is not None else None

    @property
    def quote_model(self) -> str | None:
        """The spaCy model a quote worker loads: the one given, else the quote source's (loaded to learn it)."""
        return self._quote_model or (self._extractor().model if self._quotes is not None else None)

    @property
    def attributes_quotes(self) -> bool:
        return self._quotes is not None

    def take_lease(self, name: str) -> bool:
        """Whether this process holds the named lease now, taken without waiting: what one of several processes
        sharing the store does at a time (`give_back_lease` ends it)."""
        return self.store.take_lease(name)

    def give_back_lease(self, name: str) -> None:
        self.store.give_back_lease(name)

    def writing(self) -> AbstractContextManager[None]:
        """`with library.writing():` holds the data dir for writing (one writer across processes)."""
        return self.indexes.writer()

    def ingest(
        self,
        articles: Iterable[Article],
        on_article: Callable[[IngestResult], None] | None = None,
        batch_articles: int = 32,
        collection: str = SHARED,
    ) -> list[IngestResult]:
        """Store articles in `collection` (`Article.in_collection`: whatever collection they name themselves)."""
        placed = (a.in_collection(collection) for a in articles)
        return self.ingestor.ingest(placed, on_article, batch_articles)

    def stop_ingests(self) -> None:
        """At shutdown: running ingests stop after the batch they are writing (or mid-embedding, writing nothing
        of it), and later ones store nothing."""
        self.ingestor.stopping.set()

    def finish_ingests(self) -> None:
        """On a first Ctrl-C of a command-line ingest: running ingests stop once the batch they are embedding is
        written (whole articles, committed), and read no more."""
        self.ingestor.finishing.set()

    @property
    def stopped(self) -> bool:
        return self.ingestor.stopped

    def to_attribute(self) -> int:
        """How many articles `reattribute` would attribute again (quotes from an older whosaid or name
        normaliser)."""
        return len(self.store.articles_to_attribute())

    def reattribute(
        self, everything: bool = False, on_article: Callable[[IngestResult], None] | None = None
    ) -> list[IngestResult]:
        """Attribute the quotes of stored articles again, with this version's rules, confidences and context
        vectors: those whose quotes predate them (a store migrated from schema version 2 or 3) or were named by
        another name normaliser, or every article."""
        ids = [a.id for a in self.store.articles()] if everything else self.store.articles_to_attribute()
        articles = (article for i in ids if (article := self.store.article(i)) is not None)
        return self.ingestor.ingest(articles, on_article, again=True)

    def remove(self, article_id: str) -> bool:
        with self.indexes.writer():
            if self.store.digest_of(article_id) is None:
                return False
            self.indexes.track_changes()
            with self.indexes.lock:
                with self.store.transaction() as db:
                    removed = self.store.delete_article(db, article_id)
                if self.indexes.ready:
                    for table, ids in removed.items():
                        self.indexes.removed(table, ids)
            self.indexes.commit()
            return True

    def encode_query(self, text: str) -> np.ndarray:
        """The query vector of a text, as the searches below embed it; the last RECENT_QUERIES are kept, so that one
        answer searching twice for a claim ("Did Y say Z?": Y's statements, then everyone's) embeds it once."""
        with self._recent_lock:
            if (kept := self._recent.get(text)) is not None:
                self._recent.move_to_end(text)
                return kept.copy()
        vector = self.query_embedder.encode([text])[0]
        with self._recent_lock:
            self._recent[text] = vector.copy()
            while len(self._recent) > RECENT_QUERIES:
                self._recent.popitem(last=False)
        return vector

    def search(
        self,
        table: Table,
        text: str,
        k: int = 8,
        scope: Scope = EVERYWHERE,
        mode: Mode = "hybrid",
        vector: np.ndarray | None = None,
    ) -> list[Scored]:
        """The rows of a table inside `scope` best matching `text` (whose query vector is `vector` when already
        encoded), best first, each scored by its cosine similarity to it: one call the engine answers whole."""
        vector = self.encode_query(text) if vector is None else vector
        return self.indexes.search(table, text, vector, k, scope, mode)

    def passages(
        self,
        question: str,
        k: int = 8,
        scope: Scope = EVERYWHERE,
        mode: Mode = "hybrid",
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """The best chunks for a question inside `scope` (`vector`: its query vector, when already encoded),
        with their articles."""
        ranked = self.search("chunks", question, k, scope.of_articles, mode, vector)
        chunks = self.store.chunks(s.id for s in ranked)  # BM25 may name a row removed meanwhile
        articles: dict[str, Article | None] = {}
        hits = []
        for s in ranked:
            chunk = chunks.get(s.id)
            if chunk is None:
                continue
            if chunk.article_id not in articles:
                articles[chunk.article_id] = self.store.article(chunk.article_id)
            article = articles[chunk.article_id]
            if article is not None:
                hits.append(Hit(chunk_id=s.id, score=s.score, chunk=chunk, article=article))
        return hits

    def quote_hits(
        self,
        text: str,
        k: int = 8,
        scope: Scope = EVERYWHERE,
        mode: Mode = "dense",
        vector: np.ndarray | None = None,
    ) -> list[QuoteHit]:
        """The quotes inside `scope` (its speakers included) best matching `text` (whose query vector is `vector`
        when already encoded; dense by default: docs/benchmarks.md, issue 4)."""
        ranked = self.search("quotes", text, k, scope, mode, vector)
        quotes = self.store.quotes(ids=[s.id for s in ranked])
        return [QuoteHit(quote_id=s.id, score=s.score, quote=quotes[s.id]) for s in ranked if s.id in quotes]

    def contexts(self, quote_ids: list[int]) -> dict[int, np.ndarray]:
        """The context vectors of these quotes (their cited passages embedded at ingest), those that have one."""
        return self.store.context_vectors(quote_ids, self.dim) if self.dim is not None else {}

    def rebuild(self) -> None:
        """Every index rebuilt from SQLite (the caller holds `writing()`)."""
        if self.dim is not None:
            self.indexes.rebuild(self.dim)
        self.indexes.refresh_lexical()

    def indexed_ids(self, table: Table) -> tuple[set[int], set[int] | None]:
        """Row ids in the vector index and in the BM25 index of a table (None: no BM25 index yet)."""
        return self.indexes.indexed_ids(table)

    def warm(self) -> None:
        """Load the search indexes that load lazily (the embedded engine's BM25)."""
        self.indexes.warm()

    def quotes(self, scope: Scope = EVERYWHERE) -> list[Quote]:
        """The quotes inside a scope, newest article first."""
        return list(self.store.quotes(scope=scope).values())

    def empty(self) -> bool:
        """No article stored yet."""
        return self.store.empty()

    def speakers_named(
        self,
        words: Sequence[str],
        column: str = "speaker_key",
        needed: float = 0.0,
        collections: Sequence[str] | None = None,
    ) -> list[SpeakerInfo]:
        """Speakers whose name (or role, `column="role_key"`) holds these words (`Store.speakers_named`)."""
        return self.store.speakers_named(words, column, needed, collections)

    def speakers_with_role(
        self, role_key: str, needed: float = 0.0, collections: Sequence[str] | None = None
    ) -> list[SpeakerInfo]:
        return self.store.speakers_with_role(role_key, needed, collections)

    def story_copies(self, article_id: str, collections: Sequence[str] | None = None) -> list[ArticleInfo]:
        """The other articles of an article's story, in these collections."""
        return self.store.story_copies(article_id, collections)

    def articles(self, collections: Sequence[str] | None = None) -> list[ArticleInfo]:
        return self.store.articles(collections)

    def article_ids(self, scope: Scope = EVERYWHERE) -> list[str]:
        """Ids of the articles inside a scope, newest first."""
        return self.store.article_ids(scope)

    def speakers_with_any(
        self, words: list[str], needed: float = 0.0, collections: Sequence[str] | None = None
    ) -> list[str]:
        """The names of people quoted surely (`needed`, in these collections) that hold any of these words."""
        return self.store.speakers_with_any(words, needed, collections)

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    @property
    def dim(self) -> int | None:
        return self.indexes.dim

    def close(self) -> None:
        self.store.close()

    def __len__(self) -> int:
        return self.store.count("chunks")

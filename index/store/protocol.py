"""The interface of the store whosaid keeps everything in (issue 32): what `Library`, the ingest, the search
indexes, the checks and the tables of feeds, watches and chats' collections call. `index.store.sqlite.Store`
(SQLite, with FAISS and bm25s kept beside it) implements it; another engine implements the same, and
`tests/test_store_protocol.py` holds the SQLite one to it, name for name and parameter for parameter.

Writes happen inside `transaction()` (what the search indexes follow: the revision goes up) or `state()` (the
bot's own tables, which no index holds); `insert_*` and `delete_article` take the handle either yields."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from index.models import EVERYWHERE, Article, ArticleInfo, Chunk, Quote, Scope, SpeakerInfo, Table


@runtime_checkable
class ArticleStore(Protocol):
    path: Path

    @property
    def revision(self) -> int: ...

    def close(self) -> None: ...

    def transaction(self) -> AbstractContextManager[Any]: ...

    def state(self) -> AbstractContextManager[Any]: ...

    def select(self, sql: str, params: Sequence[object] = ()) -> list[tuple]: ...

    # articles
    def empty(self) -> bool: ...

    def count(self, table: Table) -> int: ...

    def digest_of(self, article_id: str) -> str | None: ...

    def id_with_digest(self, digest: str, collection: str) -> str | None: ...

    def article(self, article_id: str) -> Article | None: ...

    def articles(self, collections: Sequence[str] | None = None) -> list[ArticleInfo]: ...

    def article_ids(self, scope: Scope = EVERYWHERE) -> list[str]: ...

    def story_copies(self, article_id: str, collections: Sequence[str] | None = None) -> list[ArticleInfo]: ...

    def insert_article(self, db: Any, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray) -> list[int]: ...

    def delete_article(self, db: Any, article_id: str) -> dict[Table, np.ndarray]: ...

    # chunks and quotes, with their vectors
    def row_ids(self, table: Table, scope: Scope = EVERYWHERE) -> np.ndarray: ...

    def chunks(self, ids: Iterable[int]) -> dict[int, Chunk]: ...

    def quotes(self, ids: Iterable[int] | None = None, scope: Scope = EVERYWHERE) -> dict[int, Quote]: ...

    def insert_quotes(
        self, db: Any, quotes: Sequence[Quote], vectors: np.ndarray, contexts: np.ndarray
    ) -> list[int]: ...

    def context_vectors(self, ids: Sequence[int], dim: int) -> dict[int, np.ndarray]: ...

    def texts(self, table: Table, ids: Sequence[int] | None = None) -> Any: ...

    def iter_vectors(self, dim: int, table: Table = "chunks", batch: int = 50_000) -> Iterator[Any]: ...

    # attributions
    def articles_to_attribute(self) -> list[str]: ...

    def refresh_confidences(self) -> int: ...

    def speakers_named(
        self,
        words: Sequence[str],
        column: str = "speaker_key",
        needed: float = 0.0,
        collections: Sequence[str] | None = None,
    ) -> list[SpeakerInfo]: ...

    def speakers_with_any(
        self, words: Sequence[str], needed: float = 0.0, collections: Sequence[str] | None = None
    ) -> list[str]: ...

    def speakers_with_role(
        self, role_key: str, needed: float = 0.0, collections: Sequence[str] | None = None
    ) -> list[SpeakerInfo]: ...

    # checks
    def orphan_chunks(self) -> int: ...

    def articles_without_chunks(self) -> int: ...

"""SQLite storage of articles and chunks (with their vectors): the source of truth of a data dir."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.models import EVERYWHERE, TABLES, Article, ArticleInfo, Chunk, Quote, Scope, Table
from index.store import attributions, scopes, stories
from index.store.attributions import rule_columns, versions
from index.store.schema import connect
from index.store.speakers import SpeakerLookups
from index.text.names import name_key

_QUOTE_COLUMNS = (
    "article_id, quote, kind, cue, speaker, speaker_mention, role, start, end, speaker_start, speaker_end, "
    "reported_by, confidence, resolution, spans"
)

_QUOTE_FIELDS = [c.strip() for c in _QUOTE_COLUMNS.split(",")]

_ARTICLE_COLUMNS = "id, title, url, source, author, published, text, collection"


@dataclass(frozen=True)
class RowTexts:
    ids: np.ndarray
    texts: list[str]


@dataclass(frozen=True)
class VectorBatch:
    ids: np.ndarray
    vectors: np.ndarray


class Store(SpeakerLookups):
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = connect(path)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute(
                    "INSERT INTO meta(key, value) VALUES ('revision', '1') "
                    "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def state(self) -> Iterator[sqlite3.Connection]:
        """A transaction on what the store keeps beside the searched tables (sources, seen entries): the
        revision the search indexes follow stays as it is."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def select(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Rows of a read-only query, for the store's other tables (`index.store.sources`)."""
        return self._query(sql, params)

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    @property
    def revision(self) -> int:
        rows = self._query("SELECT value FROM meta WHERE key = 'revision'")
        return int(rows[0][0]) if rows else 0

    def digest_of(self, article_id: str) -> str | None:
        rows = self._query("SELECT digest FROM articles WHERE id = ?", (article_id,))
        return rows[0][0] if rows else None

    def id_with_digest(self, digest: str, collection: str) -> str | None:
        """An article of this collection with this text."""
        rows = self._query("SELECT id FROM articles WHERE digest = ? AND collection = ? LIMIT 1", (digest, collection))
        return rows[0][0] if rows else None

    def row_ids(self, table: Table, scope: Scope = EVERYWHERE) -> np.ndarray:
        """Ids of the rows of a table inside a scope (its speakers: quotes only)."""
        where = scopes.for_rows(scope, speakers=table == "quotes")
        if where.none:
            return np.zeros(0, dtype=np.int64)
        rows = self._query(f"SELECT id FROM {_table(table)} {where.sql}", where.params)
        return np.array([r[0] for r in rows], dtype=np.int64)

    @staticmethod
    def insert_article(
        db: sqlite3.Connection, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray
    ) -> list[int]:
        db.execute(
            "INSERT INTO articles(id, title, url, source, author, published, text, digest, collection, calibration, "
            "names) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id,
                article.title,
                article.url,
                article.source,
                article.author,
                article.published,
                article.text,
                article.digest,
                article.collection,
                *versions(),
            ),
        )
        stories.place(db, article.id, article.text)
        ids = []
        for chunk, vector in zip(chunks, vectors, strict=True):
            cursor = db.execute(
                "INSERT INTO chunks(article_id, seq, start, end, text, tokens, vector) VALUES (?,?,?,?,?,?,?)",
                (
                    article.id,
                    chunk.seq,
                    chunk.start,
                    chunk.end,
                    chunk.text,
                    chunk.tokens,
                    _blob(vector),
                ),
            )
            ids.append(int(cursor.lastrowid or 0))
        return ids

    @staticmethod
    def insert_quotes(
        db: sqlite3.Connection, quotes: Sequence[Quote], vectors: np.ndarray, contexts: np.ndarray
    ) -> list[int]:
        """Quotes with the vectors of their words and of their contexts."""
        ids = []
        marks = ",".join("?" * (len(_QUOTE_FIELDS) + 7))  # and the keys, the rule's columns and the vectors
        for quote, vector, context in zip(quotes, vectors, contexts, strict=True):
            row = [getattr(quote, c) for c in _QUOTE_FIELDS]
            row[-1] = json.dumps(quote.spans) if quote.spans else None
            keys = (name_key(quote.speaker), name_key(quote.role))
            cursor = db.execute(
                f"INSERT INTO quotes({_QUOTE_COLUMNS}, speaker_key, role_key, rule, reached, flags, vector, "
                f"context_vector) VALUES ({marks})",
                (*row, *keys, *rule_columns(quote.resolution), _blob(vector), _blob(context)),
            )
            ids.append(int(cursor.lastrowid or 0))
        return ids

    @staticmethod
    def delete_article(db: sqlite3.Connection, article_id: str) -> dict[Table, np.ndarray]:
        """Delete an article with its chunks and quotes; the vector ids removed, by table."""
        removed = {}
        for table in TABLES:
            rows = db.execute(f"SELECT id FROM {table} WHERE article_id = ?", (article_id,))
            removed[table] = np.array([r[0] for r in rows], dtype=np.int64)
            db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return removed

    def article(self, article_id: str) -> Article | None:
        rows = self._query(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        return _article(rows[0]) if rows else None

    def chunks(self, ids: Iterable[int]) -> dict[int, Chunk]:
        ids = [int(i) for i in ids]
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._query(
            f"SELECT id, article_id, seq, start, end, text, tokens FROM chunks WHERE id IN ({marks})", ids
        )
        return {r[0]: Chunk(article_id=r[1], seq=r[2], start=r[3], end=r[4], text=r[5], tokens=r[6]) for r in rows}

    def story_copies(self, article_id: str, collections: Sequence[str] | None = None) -> list[ArticleInfo]:
        """The other articles of an article's story (`index.store.stories`) in these collections, earliest
        published first."""
        with self._lock:
            rows = stories.copies(self._db, article_id, collections)
        return [ArticleInfo(id=r[0], title=r[1], source=r[2], published=r[3]) for r in rows]

    def articles(self, collections: Sequence[str] | None = None) -> list[ArticleInfo]:
        """The articles (of these collections only, when given), newest first."""
        where, params = _in_collections(collections, "a.collection")
        rows = self._query(
            "SELECT a.id, a.title, a.source, a.url, a.published, a.author, length(a.text), "
            f"(SELECT count(*) FROM chunks c WHERE c.article_id = a.id), a.collection FROM articles a {where} "
            "ORDER BY a.published IS NULL, a.published DESC, a.added_at DESC, a.id",
            params,
        )
        return [
            ArticleInfo(
                id=r[0],
                title=r[1],
                source=r[2],
                url=r[3],
                published=r[4],
                author=r[5],
                chars=r[6],
                chunks=r[7],
                collection=r[8],
            )
            for r in rows
        ]

    def quotes(self, ids: Iterable[int] | None = None, scope: Scope = EVERYWHERE) -> dict[int, Quote]:
        """Quotes by row id, those of these ids inside a scope; newest article first."""
        where = scopes.for_rows(scope)
        if ids is not None:
            where.among("id", tuple(int(i) for i in ids))
        if where.none:
            return {}
        newest = "(SELECT published FROM articles a WHERE a.id = quotes.article_id)"
        rows = self._query(
            f"SELECT id, {_QUOTE_COLUMNS} FROM quotes {where.sql} "
            f"ORDER BY {newest} IS NULL, {newest} DESC, article_id, start",
            where.params,
        )
        found = {}
        for r in rows:
            fields = dict(zip(_QUOTE_FIELDS, r[1:], strict=True))
            fields["spans"] = json.loads(fields["spans"]) if fields["spans"] else None
            found[r[0]] = Quote(**fields)
        return found

    def context_vectors(self, ids: Sequence[int], dim: int) -> dict[int, np.ndarray]:
        """The context vectors of these quotes, those that have one (quotes stored before schema version 4 have
        none)."""
        wanted = [int(i) for i in ids]
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._query(
            f"SELECT id, context_vector FROM quotes WHERE id IN ({marks}) AND context_vector IS NOT NULL", wanted
        )
        return {r[0]: np.frombuffer(r[1], dtype=np.float32, count=dim) for r in rows}

    def articles_to_attribute(self) -> list[str]:
        """Ids of the articles whose quotes were stored by an older whosaid: before confidences (schema version
        3) or context vectors (version 4) existed, or with another name normaliser (`attributions.stale`)."""
        where = "confidence IS NULL OR context_vector IS NULL"
        older = [r[0] for r in self._query(f"SELECT DISTINCT article_id FROM quotes WHERE {where}", ())]
        with self._lock:
            return list(dict.fromkeys([*older, *attributions.stale(self._db)]))

    def refresh_confidences(self) -> int:
        """Stored confidences recomputed where the calibration changed since (`attributions.refresh`); the
        search indexes hold no confidence, so their revision stays. Nothing to recompute takes no write lock."""
        with self._lock:
            if attributions.current(self._db):
                return 0
        with self.state() as db:
            return attributions.refresh(db)

    def article_ids(self, scope: Scope = EVERYWHERE) -> list[str]:
        """Ids of the articles inside a scope, newest first."""
        where = scopes.for_articles(scope)
        rows = self._query(
            f"SELECT id FROM articles {where.sql} ORDER BY published IS NULL, published DESC, added_at DESC, id",
            where.params,
        )
        return [r[0] for r in rows]

    def texts(self, table: Table, ids: Sequence[int] | None = None) -> RowTexts:
        """Row ids and texts of every chunk or quote (or of those ids), for the lexical index."""
        column = {"chunks": "text", "quotes": "quote"}[table]
        if ids is None:
            rows = self._query(f"SELECT id, {column} FROM {_table(table)} ORDER BY id")
        else:
            wanted = [int(i) for i in ids]
            rows = []
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                marks = ",".join("?" * len(part))
                rows += self._query(f"SELECT id, {column} FROM {_table(table)} WHERE id IN ({marks})", part)
        return RowTexts(np.array([r[0] for r in rows], dtype=np.int64), [r[1] for r in rows])

    def orphan_chunks(self) -> int:
        return int(self._query("SELECT count(*) FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)")[0][0])

    def articles_without_chunks(self) -> int:
        return int(self._query("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM chunks)")[0][0])

    def empty(self) -> bool:
        return not self._query("SELECT 1 FROM chunks LIMIT 1")

    def count(self, table: Table) -> int:
        return int(self._query(f"SELECT count(*) FROM {_table(table)}")[0][0])

    def iter_vectors(self, dim: int, table: Table = "chunks", batch: int = 50_000) -> Iterator[VectorBatch]:
        last = -1
        while True:
            rows = self._query(
                f"SELECT id, vector FROM {_table(table)} WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            )
            if not rows:
                return
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim)
            yield VectorBatch(ids, vectors)
            last = int(ids[-1])


def _blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def _article(row: tuple) -> Article:
    fields = ("id", "title", "url", "source", "author", "published", "text", "collection")
    return Article(**dict(zip(fields, row, strict=True)))


def _in_collections(collections: Sequence[str] | None, column: str) -> tuple[str, list[object]]:
    """A WHERE clause keeping the rows of these collections (all when None; none for an empty list)."""
    if collections is None:
        return "", []
    if not collections:
        return "WHERE 0", []
    return f"WHERE {column} IN ({','.join('?' * len(collections))})", list(collections)


def _table(table: Table) -> str:
    """A table name checked against the known ones before it goes into SQL."""
    if table not in TABLES:
        raise ValueError(f"no table {table!r}")
    return table

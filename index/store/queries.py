"""The store's queries in the SQL both engines run (`index.store.sqlite` runs it as it is, `index.store.postgres`
through its dialect): articles, chunks, quotes and their scopes, speakers (`index.store.speakers`), attributions.
An engine supplies `_query` (rows of a read), `_db` (the handle writes and the helpers of other modules run on)
and the writes whose SQL differs: transactions, rows with vectors, the vectors read back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.models import EVERYWHERE, TABLES, Article, ArticleInfo, Chunk, Quote, Scope, Table
from index.store import attributions, scopes, stories
from index.store.speakers import SpeakerLookups

QUOTE_COLUMNS = (
    "article_id, quote, kind, cue, speaker, speaker_mention, role, start, end, speaker_start, speaker_end, "
    "reported_by, confidence, resolution, spans"
)

QUOTE_FIELDS = [c.strip() for c in QUOTE_COLUMNS.split(",")]

ARTICLE_COLUMNS = "id, title, url, source, author, published, text, collection"


@dataclass(frozen=True)
class RowTexts:
    ids: np.ndarray
    texts: list[str]


class Queries(SpeakerLookups):
    _db: Any

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        raise NotImplementedError

    def state(self) -> Any:
        raise NotImplementedError

    def select(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Rows of a read-only query, for the store's other tables (`index.store.sources`)."""
        return self._query(sql, params)

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
        rows = self._query(f"SELECT id FROM {table_name(table)} {where.sql}", where.params)
        return np.array([r[0] for r in rows], dtype=np.int64)

    def article(self, article_id: str) -> Article | None:
        rows = self._query(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
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
            f"SELECT id, {QUOTE_COLUMNS} FROM quotes {where.sql} "
            f"ORDER BY {newest} IS NULL, {newest} DESC, article_id, start",
            where.params,
        )
        found = {}
        for r in rows:
            fields = dict(zip(QUOTE_FIELDS, r[1:], strict=True))
            fields["spans"] = json.loads(fields["spans"]) if fields["spans"] else None
            found[r[0]] = Quote(**fields)
        return found

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
            rows = self._query(f"SELECT id, {column} FROM {table_name(table)} ORDER BY id")
        else:
            wanted = [int(i) for i in ids]
            rows = []
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                marks = ",".join("?" * len(part))
                rows += self._query(f"SELECT id, {column} FROM {table_name(table)} WHERE id IN ({marks})", part)
        return RowTexts(np.array([r[0] for r in rows], dtype=np.int64), [r[1] for r in rows])

    def orphan_chunks(self) -> int:
        return int(self._query("SELECT count(*) FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)")[0][0])

    def articles_without_chunks(self) -> int:
        return int(self._query("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM chunks)")[0][0])

    def empty(self) -> bool:
        return not self._query("SELECT 1 FROM chunks LIMIT 1")

    def count(self, table: Table) -> int:
        return int(self._query(f"SELECT count(*) FROM {table_name(table)}")[0][0])

    @staticmethod
    def delete_article(db: Any, article_id: str) -> dict[Table, np.ndarray]:
        """Delete an article with its chunks and quotes; the vector ids removed, by table."""
        removed = {}
        for table in TABLES:
            rows = db.execute(f"SELECT id FROM {table} WHERE article_id = ?", (article_id,))
            removed[table] = np.array([r[0] for r in rows], dtype=np.int64)
            db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return removed


def _article(row: tuple) -> Article:
    fields = ("id", "title", "url", "source", "author", "published", "text", "collection")
    return Article(**dict(zip(fields, row, strict=True)))


def _in_collections(collections: Sequence[str] | None, column: str) -> tuple[str, list[object]]:
    """A WHERE clause keeping the rows of these collections (all when None; none for an empty list)."""
    if collections is None:
        return "", []
    if not collections:
        return "WHERE 1 = 0", []
    return f"WHERE {column} IN ({','.join('?' * len(collections))})", list(collections)


def write_article(db: Any, article: Article) -> None:
    """An article's row, with the calibration and name-normaliser versions it is attributed with, and its place
    in a story (`index.store.stories`): the part of `insert_article` both engines share."""
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
            *attributions.versions(),
        ),
    )
    stories.place(db, article.id, article.text)


def table_name(table: Table) -> str:
    """A table name checked against the known ones before it goes into SQL."""
    if table not in TABLES:
        raise ValueError(f"no table {table!r}")
    return table

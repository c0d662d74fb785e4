"""The feeds each collection follows, and the entries seen in them, in the store's SQLite file (schema v8): a
schedule and what was read survive restarts, and a source is removed with its entries."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from index.read.feeds import Entry
from index.read.fetch import Validators
from index.store.protocol import ArticleStore

_COLUMNS = (
    "id, feed_url, given_url, title, collection, chat_id, added_at, etag, last_modified, next_poll, last_poll, "
    "last_error, failures, paused, articles"
)


class Source(BaseModel):
    """A feed followed for a collection: who to tell about it (`chat_id`), and how its polls went."""

    id: int
    feed_url: str
    given_url: str = Field(description="what was asked to be followed: the feed, or the site that names it")
    title: str
    collection: str
    chat_id: int | None = None
    added_at: float
    etag: str | None = None
    last_modified: str | None = None
    next_poll: float
    last_poll: float | None = None
    last_error: str | None = None
    failures: int = Field(0, description="polls failed in a row")
    paused: bool = False
    articles: int = Field(0, description="articles stored from it")

    @property
    def validators(self) -> Validators:
        return Validators(etag=self.etag, last_modified=self.last_modified)


class Sources:
    """The sources table and its entries, read and written through the store (never its search revision)."""

    def __init__(self, store: ArticleStore) -> None:
        self.store = store

    def add(
        self, feed_url: str, given_url: str, title: str, collection: str, chat_id: int | None, now: float
    ) -> Source:
        """Follow a feed for a collection (polled at once); following it again only updates who is told."""
        with self.store.state() as db:
            db.execute(
                "INSERT INTO sources(feed_url, given_url, title, collection, chat_id, added_at, next_poll) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT(feed_url, collection) DO UPDATE SET chat_id = excluded.chat_id, "
                "paused = 0, failures = 0, next_poll = excluded.next_poll",
                (feed_url, given_url, title, collection, chat_id, now, now),
            )
        return self.of(collection, feed_url)

    def of(self, collection: str, feed_url: str) -> Source:
        rows = self.store.select(
            f"SELECT {_COLUMNS} FROM sources WHERE collection = ? AND feed_url = ?", (collection, feed_url)
        )
        return _source(rows[0])

    def get(self, source_id: int) -> Source | None:
        rows = self.store.select(f"SELECT {_COLUMNS} FROM sources WHERE id = ?", (source_id,))
        return _source(rows[0]) if rows else None

    def listed(self, collections: Sequence[str] | None = None) -> list[Source]:
        """The sources of these collections (None: all), in the order they were followed."""
        if collections is None:
            rows = self.store.select(f"SELECT {_COLUMNS} FROM sources ORDER BY id")
        else:
            marks = ",".join("?" * len(collections))
            rows = self.store.select(
                f"SELECT {_COLUMNS} FROM sources WHERE collection IN ({marks}) ORDER BY id", list(collections)
            )
        return [_source(row) for row in rows]

    def due(self, now: float) -> list[Source]:
        """Sources not paused whose next poll has come, the most overdue first."""
        rows = self.store.select(
            f"SELECT {_COLUMNS} FROM sources WHERE paused = 0 AND next_poll <= ? ORDER BY next_poll", (now,)
        )
        return [_source(row) for row in rows]

    def remove(self, source_id: int) -> bool:
        with self.store.state() as db:
            return db.execute("DELETE FROM sources WHERE id = ?", (source_id,)).rowcount > 0

    def polled(self, source: Source, validators: Validators, title: str, stored: int, now: float, after: float) -> None:
        """A poll that worked: the feed's validators and title, the articles it added; next poll `after` s on."""
        with self.store.state() as db:
            db.execute(
                "UPDATE sources SET etag = ?, last_modified = ?, title = ?, articles = articles + ?, last_poll = ?, "
                "next_poll = ?, last_error = NULL, failures = 0 WHERE id = ?",
                (validators.etag, validators.last_modified, title, stored, now, now + after, source.id),
            )

    def failed(self, source: Source, error: str, now: float, after: float, pause: bool) -> None:
        """A poll that failed: tried again `after` s on, or paused (until followed again)."""
        with self.store.state() as db:
            db.execute(
                "UPDATE sources SET last_error = ?, failures = failures + 1, last_poll = ?, next_poll = ?, "
                "paused = ? WHERE id = ?",
                (error, now, now + after, int(pause), source.id),
            )

    def unread(self, source: Source, entries: Sequence[Entry], max_tries: int) -> list[Entry]:
        """The entries not read yet: never seen, or seen and failed fewer than `max_tries` times."""
        if not entries:
            return []
        marks = ",".join("?" * len(entries))
        rows = self.store.select(
            f"SELECT key FROM entries WHERE source_id = ? AND key IN ({marks}) AND (done = 1 OR tries >= ?)",
            [source.id, *(e.key for e in entries), max_tries],
        )
        finished = {row[0] for row in rows}
        return [e for e in entries if e.key not in finished]

    def seen(self, source: Source, entries: Sequence[Entry], errors: dict[str, str], now: float) -> None:
        """Entries read: done, or (`errors`, by link) tried once more and why they failed."""
        with self.store.state() as db:
            for entry in entries:
                error = errors.get(entry.link)
                db.execute(
                    "INSERT INTO entries(source_id, key, link, seen_at, done, tries, error) VALUES (?,?,?,?,?,1,?) "
                    "ON CONFLICT(source_id, key) DO UPDATE SET done = excluded.done, tries = tries + 1, "
                    "error = excluded.error",
                    (source.id, entry.key, entry.link, now, int(error is None), error),
                )


def _source(row: tuple) -> Source:
    return Source(**dict(zip([c.strip() for c in _COLUMNS.split(",")], row, strict=True)))

"""What chats watch, the statements found for each watch, and the chats' daily digests, in the store's SQLite
file (schema v9). New articles are read once for the watches: a cursor (the articles' rowid) in `meta` says how
far; a statement is found for a watch once (its article and start), whatever is read again."""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import BaseModel, Field

from index.store.protocol import ArticleStore

CURSOR = "watch_cursor"


class Watch(BaseModel):
    """A chat's watch: statements by `speaker` (None: anyone), about `topic` (None: anything), in the articles
    of `collections` (what the chat may read)."""

    id: int
    chat_id: int
    speaker: str | None = None
    topic: str | None = None
    collections: list[str]
    created: float
    muted: bool = Field(False, description="no alerts (the digest still lists what it finds)")

    @property
    def label(self) -> str:
        """ "Putin", "Putin on “Donbas”", "“peace plan”" """
        topic = f"“{self.topic}”" if self.topic else ""
        return f"{self.speaker} on {topic}" if self.speaker and topic else self.speaker or topic


class Hit(BaseModel):
    """A statement found for a watch: where it is, who said it."""

    watch_id: int
    article_id: str
    start: int
    end: int
    speaker: str
    found: float


class Digest(BaseModel):
    chat_id: int
    at: str = Field(description="HH:MM, local time in `zone`")
    zone: str
    next_due: float
    last_sent: float | None = None


class NewArticle(BaseModel):
    rowid: int
    id: str
    collection: str


class Watches:
    """The watches, their hits and the digests, read and written through the store (never its search revision)."""

    def __init__(self, store: ArticleStore) -> None:
        self.store = store

    def add(
        self, chat_id: int, speaker: str | None, topic: str | None, collections: Sequence[str], now: float
    ) -> Watch:
        with self.store.state() as db:
            if self.cursor() is None:  # the first watch: what is stored now is not news
                _set_cursor(db, self.latest())
            cursor = db.execute(
                "INSERT INTO watches(chat_id, speaker, topic, collections, created) VALUES (?,?,?,?,?)",
                (chat_id, speaker, topic, json.dumps(list(collections)), now),
            )
            watch_id = cursor.lastrowid
        return self.get(watch_id)  # type: ignore[return-value]

    def get(self, watch_id: int) -> Watch | None:
        rows = self.store.select(f"SELECT {_WATCH} FROM watches WHERE id = ?", (watch_id,))
        return _watch(rows[0]) if rows else None

    def of_chat(self, chat_id: int | None = None) -> list[Watch]:
        """A chat's watches (None: every chat's), in the order they were made."""
        if chat_id is None:
            return [_watch(r) for r in self.store.select(f"SELECT {_WATCH} FROM watches ORDER BY id")]
        rows = self.store.select(f"SELECT {_WATCH} FROM watches WHERE chat_id = ? ORDER BY id", (chat_id,))
        return [_watch(r) for r in rows]

    def read_in(self, chat_id: int, collections: Sequence[str]) -> None:
        """A chat now reads these collections: its watches look there from now on."""
        with self.store.state() as db:
            db.execute("UPDATE watches SET collections = ? WHERE chat_id = ?", (json.dumps(list(collections)), chat_id))

    def remove(self, watch_id: int, chat_id: int) -> bool:
        with self.store.state() as db:
            return db.execute("DELETE FROM watches WHERE id = ? AND chat_id = ?", (watch_id, chat_id)).rowcount > 0

    def mute(self, watch_id: int, chat_id: int, muted: bool = True) -> bool:
        with self.store.state() as db:
            changed = db.execute(
                "UPDATE watches SET muted = ? WHERE id = ? AND chat_id = ?", (int(muted), watch_id, chat_id)
            )
            return changed.rowcount > 0

    def cursor(self) -> int | None:
        rows = self.store.select("SELECT value FROM meta WHERE key = ?", (CURSOR,))
        return int(rows[0][0]) if rows else None

    def latest(self) -> int:
        return int(self.store.select("SELECT coalesce(max(rowid), 0) FROM articles")[0][0])

    def new_articles(self, limit: int = 500) -> list[NewArticle]:
        """Articles stored since the cursor, oldest first, `limit` at most."""
        rows = self.store.select(
            "SELECT rowid, id, collection FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (self.cursor() or 0, limit),
        )
        return [NewArticle(rowid=r[0], id=r[1], collection=r[2]) for r in rows]

    def found(self, hits: Sequence[Hit], cursor: int) -> None:
        """Record statements found (once each) and move the cursor past the articles read."""
        with self.store.state() as db:
            db.executemany(
                "INSERT OR IGNORE INTO watch_hits(watch_id, article_id, start, end, speaker, found) "
                "VALUES (?,?,?,?,?,?)",
                [(h.watch_id, h.article_id, h.start, h.end, h.speaker, h.found) for h in hits],
            )
            _set_cursor(db, cursor)

    def unsent(self) -> list[Hit]:
        """Hits of watches not muted that were not sent yet, oldest first."""
        rows = self.store.select(
            f"SELECT {_HIT} FROM watch_hits h JOIN watches w ON w.id = h.watch_id "
            "WHERE h.sent = 0 AND w.muted = 0 ORDER BY h.found, h.article_id, h.start"
        )
        return [_hit(r) for r in rows]

    def sent(self, hits: Sequence[Hit]) -> None:
        with self.store.state() as db:
            db.executemany(
                "UPDATE watch_hits SET sent = 1 WHERE watch_id = ? AND article_id = ? AND start = ?",
                [(h.watch_id, h.article_id, h.start) for h in hits],
            )

    def since(self, chat_id: int, after: float) -> list[Hit]:
        """A chat's hits found after `after`, newest first (muted watches too)."""
        rows = self.store.select(
            f"SELECT {_HIT} FROM watch_hits h JOIN watches w ON w.id = h.watch_id "
            "WHERE w.chat_id = ? AND h.found > ? ORDER BY h.found DESC, h.article_id, h.start",
            (chat_id, after),
        )
        return [_hit(r) for r in rows]

    def set_digest(self, digest: Digest | None, chat_id: int) -> None:
        with self.store.state() as db:
            db.execute("DELETE FROM digests WHERE chat_id = ?", (chat_id,))
            if digest is not None:
                db.execute(
                    "INSERT INTO digests(chat_id, at, zone, next_due, last_sent) VALUES (?,?,?,?,?)",
                    (digest.chat_id, digest.at, digest.zone, digest.next_due, digest.last_sent),
                )

    def digests(self, due_by: float | None = None, chat_id: int | None = None) -> list[Digest]:
        """The digests due by `due_by`, or a chat's."""
        where, params = ("next_due <= ?", (due_by,)) if due_by is not None else ("chat_id = ?", (chat_id,))
        rows = self.store.select(f"SELECT chat_id, at, zone, next_due, last_sent FROM digests WHERE {where}", params)
        return [Digest(chat_id=r[0], at=r[1], zone=r[2], next_due=r[3], last_sent=r[4]) for r in rows]


_WATCH = "id, chat_id, speaker, topic, collections, created, muted"
_HIT = "h.watch_id, h.article_id, h.start, h.end, h.speaker, h.found"


def _watch(row: tuple) -> Watch:
    return Watch(
        id=row[0],
        chat_id=row[1],
        speaker=row[2],
        topic=row[3],
        collections=json.loads(row[4]),
        created=row[5],
        muted=bool(row[6]),
    )


def _hit(row: tuple) -> Hit:
    return Hit(watch_id=row[0], article_id=row[1], start=row[2], end=row[3], speaker=row[4], found=row[5])


def _set_cursor(db: object, value: int) -> None:
    db.execute(  # type: ignore[attr-defined]
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (CURSOR, str(value)),
    )

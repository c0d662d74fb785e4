"""The SQLite schema as ordered migrations, numbered by `PRAGMA user_version`. A new store runs them all; an
older one is copied aside and migrated when it is opened; a newer one is refused. Each migration runs in the
same transaction as the version bump, so a crash leaves the store at the old version, intact."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from index.text.names import name_key

log = logging.getLogger(__name__)


class SchemaVersionError(RuntimeError):
    """The store was written by a newer whosaid than this one."""


def _v1_tables(db: sqlite3.Connection) -> None:
    """The schema before versions existed (stores at user_version 0 already have it)."""
    for statement in (
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE IF NOT EXISTS articles (
            id TEXT PRIMARY KEY, title TEXT NOT NULL, url TEXT, source TEXT, author TEXT, published TEXT,
            text TEXT NOT NULL, digest TEXT NOT NULL, added_at TEXT NOT NULL DEFAULT (datetime('now')))""",
        "CREATE INDEX IF NOT EXISTS articles_digest ON articles(digest)",
        """CREATE TABLE IF NOT EXISTS chunks (
            id INTEGER PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
            tokens INTEGER NOT NULL, vector BLOB NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id)",
        """CREATE TABLE IF NOT EXISTS quotes (
            id INTEGER PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            quote TEXT NOT NULL, kind TEXT NOT NULL, cue TEXT, speaker TEXT, speaker_mention TEXT, role TEXT,
            start INTEGER NOT NULL, end INTEGER NOT NULL, speaker_start INTEGER, speaker_end INTEGER,
            reported_by TEXT, vector BLOB NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id)",
        "CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker COLLATE NOCASE)",
    ):
        db.execute(statement)


def _v2_lookup_keys(db: sqlite3.Connection) -> None:
    """Speakers and roles by their normalised key (`index.text.names.name_key`), and articles by outlet and
    date, so that speaker and scope lookups are indexed queries."""
    db.execute("ALTER TABLE quotes ADD COLUMN speaker_key TEXT")
    db.execute("ALTER TABLE quotes ADD COLUMN role_key TEXT")
    rows = db.execute("SELECT id, speaker, role FROM quotes").fetchall()
    db.executemany(
        "UPDATE quotes SET speaker_key = ?, role_key = ? WHERE id = ?",
        [(name_key(speaker), name_key(role), row_id) for row_id, speaker, role in rows],
    )
    db.execute("CREATE INDEX quotes_speaker_key ON quotes(speaker_key)")
    db.execute("CREATE INDEX quotes_role_key ON quotes(role_key)")
    db.execute("CREATE INDEX articles_source ON articles(source COLLATE NOCASE)")
    db.execute("CREATE INDEX articles_published ON articles(published)")


def _v3_attribution(db: sqlite3.Connection) -> None:
    """How sure each attribution is (`confidence`, and the rule that resolved it), and the pieces of a quote split
    around its attribution (`spans`, JSON `[[start, end], ...]`). Quotes attributed before this version keep no
    confidence, so answers do not use them until their articles are attributed again (`whosaid reattribute`)."""
    db.execute("ALTER TABLE quotes ADD COLUMN confidence REAL")
    db.execute("ALTER TABLE quotes ADD COLUMN resolution TEXT")
    db.execute("ALTER TABLE quotes ADD COLUMN spans TEXT")


def _v4_contexts(db: sqlite3.Connection) -> None:
    """Each quote's context vector: its cited passage embedded (`index.quotes.passage`), read by the answers'
    statement matcher. Quotes stored before this version have none until their articles are attributed again
    (`whosaid reattribute`); until then the matcher reads their words alone."""
    db.execute("ALTER TABLE quotes ADD COLUMN context_vector BLOB")


def _v5_speaker_index(db: sqlite3.Connection) -> None:
    """An index holding every column the speaker lookups read (`Store.speakers_named`, `speakers_with_role`), in
    their GROUP BY order: a lookup by name words scans it instead of the quotes' rows with their vectors."""
    db.execute(
        "CREATE INDEX quotes_speakers ON quotes(speaker COLLATE NOCASE, speaker, speaker_key, role_key, resolution)"
    )


def _v6_speaker_confidence(db: sqlite3.Connection) -> None:
    """The speaker index with each quote's confidence too: a speaker lookup counts the quotes sure enough to be
    named (a person only mentioned, or quoted only unsurely, never outranks one the articles surely quote)."""
    db.execute("DROP INDEX IF EXISTS quotes_speakers")
    db.execute(
        "CREATE INDEX quotes_speakers ON quotes("
        "speaker COLLATE NOCASE, speaker, speaker_key, role_key, resolution, confidence)"
    )


def _v7_collections(db: sqlite3.Connection) -> None:
    """Every article belongs to a collection (`index.models.SHARED` for those stored before): a chat reads its
    own and the shared one (`index.models.Shelf`)."""
    db.execute("ALTER TABLE articles ADD COLUMN collection TEXT NOT NULL DEFAULT 'shared'")
    db.execute("CREATE INDEX articles_collection ON articles(collection, digest)")


def _v8_sources(db: sqlite3.Connection) -> None:
    """Feeds a collection follows (`index.store.sources`): where each is read from, its validators, when it is
    next polled, how it fails; and each entry seen, so that an entry is read once, across restarts."""
    db.execute(
        """CREATE TABLE sources (
            id INTEGER PRIMARY KEY, feed_url TEXT NOT NULL, given_url TEXT NOT NULL, title TEXT NOT NULL,
            collection TEXT NOT NULL, chat_id INTEGER, added_at REAL NOT NULL, etag TEXT, last_modified TEXT,
            next_poll REAL NOT NULL, last_poll REAL, last_error TEXT, failures INTEGER NOT NULL DEFAULT 0,
            paused INTEGER NOT NULL DEFAULT 0, articles INTEGER NOT NULL DEFAULT 0,
            UNIQUE(feed_url, collection))"""
    )
    db.execute("CREATE INDEX sources_due ON sources(paused, next_poll)")
    db.execute(
        """CREATE TABLE entries (
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE, key TEXT NOT NULL,
            link TEXT NOT NULL, seen_at REAL NOT NULL, done INTEGER NOT NULL DEFAULT 0,
            tries INTEGER NOT NULL DEFAULT 0, error TEXT, PRIMARY KEY(source_id, key))"""
    )


def _v9_watches(db: sqlite3.Connection) -> None:
    """What chats watch (`index.store.watches`: a speaker, a topic or both), the statements found for each watch
    (sent as an alert or not yet, for the digests), and each chat's daily digest."""
    db.execute(
        """CREATE TABLE watches (
            id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, speaker TEXT, topic TEXT, collections TEXT NOT NULL,
            created REAL NOT NULL, muted INTEGER NOT NULL DEFAULT 0)"""
    )
    db.execute("CREATE INDEX watches_chat ON watches(chat_id)")
    db.execute(
        """CREATE TABLE watch_hits (
            watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, start INTEGER NOT NULL,
            end INTEGER NOT NULL, speaker TEXT NOT NULL, found REAL NOT NULL, sent INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY(watch_id, article_id, start))"""
    )
    db.execute("CREATE INDEX watch_hits_unsent ON watch_hits(sent, found)")
    db.execute(
        """CREATE TABLE digests (
            chat_id INTEGER PRIMARY KEY, at TEXT NOT NULL, zone TEXT NOT NULL, next_due REAL NOT NULL,
            last_sent REAL)"""
    )


def _v10_stories(db: sqlite3.Connection) -> None:
    """One story across outlets (`index.store.stories`): each article's story, MinHash signature and LSH band
    buckets; the stored articles are placed in the order they were stored."""
    from index.store.stories import place

    db.execute("ALTER TABLE articles ADD COLUMN story TEXT")
    db.execute("CREATE INDEX articles_story ON articles(story)")
    db.execute(
        """CREATE TABLE story_signatures (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE, minima BLOB NOT NULL,
            size INTEGER NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE story_bands (
            bucket INTEGER NOT NULL, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE)"""
    )
    db.execute("CREATE INDEX story_bands_bucket ON story_bands(bucket)")
    db.execute("CREATE INDEX story_bands_article ON story_bands(article_id)")
    for article_id, text in db.execute("SELECT id, text FROM articles ORDER BY rowid").fetchall():
        place(db, article_id, text)


def _v11_chat_shelves(db: sqlite3.Connection) -> None:
    """Which shared collections each chat reads, when not just the default one, and (a bot admin's private chat)
    which one it adds to (`index.store.shelves`)."""
    db.execute("CREATE TABLE chat_shelves (chat_id INTEGER PRIMARY KEY, reads TEXT NOT NULL, writes TEXT)")


def _v12_attributions(db: sqlite3.Connection) -> None:
    """Each quote's rule in columns, read from its text (`index.store.attributions`), and each article's
    calibration and name-normaliser versions (none recorded for those stored before: their confidences are
    recomputed when the store is opened, their speakers named again by `whosaid reattribute`)."""
    from index.store.attributions import backfill

    for column in ("rule", "reached", "flags"):
        db.execute(f"ALTER TABLE quotes ADD COLUMN {column} TEXT")
    db.execute("ALTER TABLE articles ADD COLUMN calibration TEXT")
    db.execute("ALTER TABLE articles ADD COLUMN names TEXT")
    backfill(db)


def _v13_conversations(db: sqlite3.Connection) -> None:
    """What a bot keeps about its conversations, in the store so that every replica sees it
    (`index.store.conversations`): the data behind buttons (a short key in the button names a row), each chat's
    context (follow-ups, which answer a message was), and the rate limits' recent events."""
    for statement in CONVERSATION_TABLES:
        db.execute(statement)


CONVERSATION_TABLES = (
    """CREATE TABLE buttons (
        key TEXT PRIMARY KEY, chat_id INTEGER, kind TEXT NOT NULL, data TEXT NOT NULL, created REAL NOT NULL)""",
    "CREATE INDEX buttons_created ON buttons(created)",
    """CREATE TABLE chat_state (
        chat_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, updated REAL NOT NULL,
        PRIMARY KEY(chat_id, name))""",
    "CREATE TABLE rate_limits (name TEXT NOT NULL, key INTEGER NOT NULL, events TEXT NOT NULL, PRIMARY KEY(name, key))",
)
"""Portable DDL: the PostgreSQL schema creates the same tables from it."""


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1_tables,
    _v2_lookup_keys,
    _v3_attribution,
    _v4_contexts,
    _v5_speaker_index,
    _v6_speaker_confidence,
    _v7_collections,
    _v8_sources,
    _v9_watches,
    _v10_stories,
    _v11_chat_shelves,
    _v12_attributions,
    _v13_conversations,
]
VERSION = len(MIGRATIONS)


def connect(path: Path) -> sqlite3.Connection:
    """The store at `path`, opened for use from several threads (the caller serialises them), in write-ahead
    logging with full syncs and foreign keys, migrated to this version."""
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    use_wal(db)
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    try:
        migrate(db, path)
    except BaseException:
        db.close()
        raise
    return db


def use_wal(db: sqlite3.Connection, patience: float = 30.0) -> None:
    """Switch a store to write-ahead logging. Two processes creating the same new store at once can see
    "database is locked" here at once, without SQLite's busy timeout, so this waits for its turn itself."""
    deadline = time.monotonic() + patience
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the store at `path` (open as `db`, autocommit) to `VERSION`. One process migrates at a time (the
    others wait on the write lock, then find it done); a store with tables is first copied to
    `<name>.v<old>.bak` beside it."""
    found = version(db)
    if found > VERSION:
        raise SchemaVersionError(
            f"the store {path} has schema version {found}, but this whosaid knows versions up to {VERSION}: "
            "upgrade whosaid (or use another --data-dir)"
        )
    if found == VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        found = version(db)
        if found < VERSION:
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
                backup = _backup(path, found)
                log.warning("migrating %s from schema version %d to %d (a copy is in %s)", path, found, VERSION, backup)
            for step in MIGRATIONS[found:]:
                step(db)
            db.execute(f"PRAGMA user_version = {VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _backup(path: Path, found: int) -> Path:
    """A consistent copy of the store as it is (read by a second connection, which the write lock held by the
    first one allows under write-ahead logging)."""
    target = path.with_name(f"{path.name}.v{found}.bak")
    source, copy = sqlite3.connect(path), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return target

"""One story across outlets, in the store (schema v10): each article's MinHash signature and its LSH band
buckets (`index.text.stories`), and `articles.story`, the id of the first stored article of the same text (a
wire story republished with other boilerplate, trimmed, a word changed). An article is placed as it is written,
in the same transaction; a story is shown only through the articles a chat may read."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence

import numpy as np

from index.text.stories import BANDS, SAME_STORY, Signature, containment, signature


def _bucket(band: int, part: np.ndarray) -> int:
    return int.from_bytes(hashlib.blake2b(bytes([band]) + part.tobytes(), digest_size=8).digest(), "big", signed=True)


def place(db: sqlite3.Connection, article_id: str, text: str) -> str:
    """Store the article's signature and buckets; its story: the earliest stored article (by rowid) it is a copy
    of, that one's story, else its own id."""
    found = signature(text)
    buckets = [_bucket(band, part) for band, part in enumerate(np.array_split(found.minima, BANDS))]
    marks = ",".join("?" * len(buckets))
    rows = db.execute(
        "SELECT DISTINCT s.article_id, s.minima, s.size, coalesce(a.story, a.id), a.rowid FROM story_bands b "
        "JOIN story_signatures s ON s.article_id = b.article_id JOIN articles a ON a.id = b.article_id "
        f"WHERE b.bucket IN ({marks}) AND b.article_id != ? ORDER BY a.rowid",
        [*buckets, article_id],
    ).fetchall()
    story = article_id
    for _, minima, size, their_story, _ in rows:
        if containment(found, Signature(np.frombuffer(minima, dtype=np.uint64), size)) >= SAME_STORY:
            story = their_story
            break
    db.execute(
        "INSERT INTO story_signatures(article_id, minima, size) VALUES (?,?,?) "
        "ON CONFLICT(article_id) DO UPDATE SET minima = excluded.minima, size = excluded.size",
        (article_id, found.minima.astype(np.uint64).tobytes(), found.size),
    )
    db.executemany("INSERT INTO story_bands(bucket, article_id) VALUES (?,?)", [(b, article_id) for b in buckets])
    db.execute("UPDATE articles SET story = ? WHERE id = ?", (story, article_id))
    return story


def copies(db: sqlite3.Connection, article_id: str, collections: Sequence[str] | None) -> list[tuple]:
    """The other articles of an article's story in these collections (None: all): (id, title, source,
    published), earliest published first."""
    where, params = "", []
    if collections is not None:
        where = f" AND b.collection IN ({','.join('?' * len(collections))})"
        params = list(collections)
    return db.execute(
        "SELECT b.id, b.title, b.source, b.published FROM articles a JOIN articles b "
        f"ON b.story = a.story AND b.id != a.id WHERE a.id = ?{where} "
        "ORDER BY b.published IS NULL, b.published, b.rowid",
        [article_id, *params],
    ).fetchall()

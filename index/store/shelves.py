"""Which shared collections a chat reads (every chat starts with the default one, `index.models.SHARED`) and, for
a bot admin's private chat, which one it adds to; in the store's SQLite file (schema v11)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from index.models import SHARED
from index.store.protocol import ArticleStore

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


class ChatShelf(BaseModel):
    """A chat's choice: the shared collections it reads, and the one a bot admin's private chat adds to."""

    model_config = ConfigDict(frozen=True)

    reads: tuple[str, ...] = (SHARED,)
    writes: str = SHARED


def shared_name(name: str) -> str | None:
    """The collection a name given in a chat means ("shared" or "main": the default one; "politics":
    `shared:politics`), None when it is not a name (letters, digits, - and _, 32 at most)."""
    name = name.strip().lower().removeprefix("shared:")
    if name in ("shared", "main", "default"):
        return SHARED
    return f"{SHARED}:{name}" if _NAME.match(name) else None


def shown_name(collection: str) -> str:
    return "shared" if collection == SHARED else collection.removeprefix(f"{SHARED}:")


class Shelves:
    """Every chat's choice, read at start and kept in step as chats change it."""

    def __init__(self, store: ArticleStore) -> None:
        self.store = store

    def load(self) -> dict[int, ChatShelf]:
        rows = self.store.select("SELECT chat_id, reads, writes FROM chat_shelves")
        return {r[0]: ChatShelf(reads=tuple(json.loads(r[1])), writes=r[2] or SHARED) for r in rows}

    def save(self, chat_id: int, shelf: ChatShelf) -> None:
        with self.store.state() as db:
            db.execute(
                "INSERT INTO chat_shelves(chat_id, reads, writes) VALUES (?,?,?) ON CONFLICT(chat_id) DO UPDATE "
                "SET reads = excluded.reads, writes = excluded.writes",
                (chat_id, json.dumps(list(shelf.reads)), shelf.writes),
            )

    def shared(self) -> list[tuple[str, int]]:
        """The shared collections that hold articles or that a chat reads or adds to, with their articles."""
        counts = dict(
            self.store.select(
                "SELECT collection, count(*) FROM articles WHERE collection = ? OR collection LIKE ? GROUP BY 1",
                (SHARED, f"{SHARED}:%"),
            )
        )
        for _, shelf in self.load().items():
            for name in (*shelf.reads, shelf.writes):
                counts.setdefault(name, 0)
        counts.setdefault(SHARED, 0)
        return sorted(counts.items(), key=lambda item: (item[0] != SHARED, item[0]))


def reading(shelf: ChatShelf, collection: str, read: bool) -> ChatShelf:
    """The shelf with `collection` read (or not)."""
    reads: Sequence[str] = [c for c in shelf.reads if c != collection] + ([collection] if read else [])
    return shelf.model_copy(update={"reads": tuple(reads)})

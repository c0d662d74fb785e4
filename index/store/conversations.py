"""What a bot keeps about its conversations, kept in the store (schema v13) and read and written per update, so
that several replicas of the bot behind one webhook share it (issue 32): the data behind buttons (a button
carries a short random key naming a row, never the data), each chat's context as named JSON values, and the
recent events of each rate limit. The SQLite store serialises writers; on PostgreSQL a rate limit's events are
replaced only if no one changed them meanwhile (compare and swap), so two replicas cannot both let one more
through."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from index.store.protocol import ArticleStore

BUTTON_DAYS = 30.0  # a button's data is kept this long; an older button says it has expired
KEY_BYTES = 12  # 16 URL-safe characters: unguessable, and far below Telegram's 64 bytes of callback data
SWAP_TRIES = 20


@dataclass(frozen=True)
class Pressed:
    """A button's row: the chat it was sent to, what kind of button, and its data (JSON)."""

    chat_id: int | None
    kind: str
    data: str


class Conversations:
    def __init__(self, store: ArticleStore) -> None:
        self.store = store

    def keep_buttons(self, chat_id: int | None, buttons: list[tuple[str, str]], now: float) -> list[str]:
        """Rows for these buttons ((kind, data) each); the keys their callback data carries. Buttons older than
        BUTTON_DAYS are forgotten now and then."""
        keys = [secrets.token_urlsafe(KEY_BYTES) for _ in buttons]
        with self.store.state() as db:
            db.executemany(
                "INSERT INTO buttons(key, chat_id, kind, data, created) VALUES (?,?,?,?,?)",
                [(key, chat_id, kind, data, now) for key, (kind, data) in zip(keys, buttons, strict=True)],
            )
            if keys and keys[0][0] == "A":  # about one write in 64
                db.execute("DELETE FROM buttons WHERE created < ?", (now - BUTTON_DAYS * 86400,))
        return keys

    def import_button(self, key: str, chat_id: int | None, kind: str, data: str, now: float) -> None:
        """A button made before buttons lived here (its key as it was sent), kept as any other."""
        with self.store.state() as db:
            db.execute(
                "INSERT OR IGNORE INTO buttons(key, chat_id, kind, data, created) VALUES (?,?,?,?,?)",
                (key, chat_id, kind, data, now),
            )

    def pressed(self, key: str) -> Pressed | None:
        rows = self.store.select("SELECT chat_id, kind, data FROM buttons WHERE key = ?", (key,))
        return Pressed(*rows[0]) if rows else None

    def value(self, chat_id: int, name: str) -> str | None:
        rows = self.store.select("SELECT value FROM chat_state WHERE chat_id = ? AND name = ?", (chat_id, name))
        return rows[0][0] if rows else None

    def set_value(self, chat_id: int, name: str, value: str, now: float, keep: int | None = None) -> None:
        """Set a chat's value; `keep`: of the chat's values named like this one up to its first ':', keep only the
        `keep` newest (message ids remembered, say)."""
        with self.store.state() as db:
            db.execute(
                "INSERT INTO chat_state(chat_id, name, value, updated) VALUES (?,?,?,?) "
                "ON CONFLICT(chat_id, name) DO UPDATE SET value = excluded.value, updated = excluded.updated",
                (chat_id, name, value, now),
            )
            if keep is not None:
                prefix = name.split(":", 1)[0] + ":%"
                db.execute(
                    "DELETE FROM chat_state WHERE chat_id = ? AND name LIKE ? AND name NOT IN (SELECT name FROM "
                    "chat_state WHERE chat_id = ? AND name LIKE ? ORDER BY updated DESC, name DESC LIMIT ?)",
                    (chat_id, prefix, chat_id, prefix, keep),
                )

    def retry_after(self, name: str, key: int, limit: int, window: float, now: float) -> float:
        """0 if one more event of `key` fits `limit` events per `window` seconds (and it is counted), else the
        seconds until it would."""
        for _ in range(SWAP_TRIES):
            rows = self.store.select("SELECT events FROM rate_limits WHERE name = ? AND key = ?", (name, key))
            old = rows[0][0] if rows else None
            events = [t for t in json.loads(old or "[]") if t > now - window]
            if len(events) >= limit:
                return min(events) + window - now
            if self._swap(name, key, old, json.dumps([*events, now])):
                return 0.0
        return 0.0  # a key this contended is let through rather than refused forever

    def _swap(self, name: str, key: int, old: str | None, new: str) -> bool:
        with self.store.state() as db:
            if old is None:
                return (
                    db.execute(
                        "INSERT OR IGNORE INTO rate_limits(name, key, events) VALUES (?,?,?)", (name, key, new)
                    ).rowcount
                    == 1
                )
            changed = db.execute(
                "UPDATE rate_limits SET events = ? WHERE name = ? AND key = ? AND events = ?", (new, name, key, old)
            )
            return changed.rowcount == 1

"""Who may use the bot, who may change its articles, and how often one may ask."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.settings import Settings
from index.models import Shelf
from index.store.conversations import Conversations
from index.store.shelves import ChatShelf

DEFAULT = ChatShelf()


class RateLimiter:
    """At most `limit` events per `window` seconds per key (sliding window), counted in the store, so that every
    replica of the bot counts the same events."""

    def __init__(
        self,
        conversations: Conversations,
        name: str,
        limit: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.conversations = conversations
        self.name = name
        self.limit = limit
        self.window = window
        self.clock = clock

    def retry_after(self, key: int) -> float:
        """0 if the event is allowed (and counts it), else the seconds until it would be."""
        return self.conversations.retry_after(self.name, key, self.limit, self.window, self.clock())


class Access:
    def __init__(self, settings: Settings) -> None:
        self.users = set(settings.telegram.allowed_users)
        self.chats = set(settings.telegram.allowed_chats)
        self.admins = set(settings.telegram.admins)
        self.open_edits = settings.telegram.open_edits

    def may_ask(self, user_id: int | None, chat_id: int | None) -> str | None:
        """None if allowed, else the polite reason."""
        if not self.users and not self.chats:
            return None
        if user_id in self.users or chat_id in self.chats or user_id in self.admins:
            return None
        return "Sorry, this bot is private: ask its owner to add you."

    def shelf(self, chat_id: int, user_id: int | None, private: bool, chosen: ChatShelf = DEFAULT) -> Shelf:
        """What a chat reads (its own collection and the shared ones it chose, the default one unless it chose
        otherwise) and where what it adds goes: a group's and a user's own collection; for the bot's admins in
        their private chats with it, the shared one they chose (the default one unless they chose another)."""
        own = f"chat:{chat_id}"
        admin = private and user_id in self.admins
        return Shelf(reads=(own, *chosen.reads), writes=chosen.writes if admin else own)

    def may_edit(self, user_id: int | None) -> str | None:
        if self.open_edits or user_id in self.admins:
            return None
        return "Sorry, only the bot's admins may add or remove articles."

"""The data behind the bot's buttons, kept in the store (`index.store.conversations`) so that whichever replica
of the bot a press reaches can read it (issue 32): a keyboard is sent with a short random key per button, naming a
row that holds the button's kind and its data as JSON; a press reads that row, and a button whose row is gone
(older than the store keeps them), or was sent to another chat, has expired."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.answer.models import Citation
from index.store.conversations import Conversations

Context = ContextTypes.DEFAULT_TYPE


@dataclass(frozen=True)
class ShowPassage:
    """Button data: show the paragraph behind a citation."""

    citation: Citation


@dataclass(frozen=True)
class ArticlesPage:
    """Button data: show this page of the article list."""

    page: int


@dataclass(frozen=True)
class QuotesPage:
    """Button data: show this page of someone's quotes."""

    speaker: str
    page: int


@dataclass(frozen=True)
class MuteWatch:
    """Button data: stop this watch's alerts."""

    watch_id: int


@dataclass(frozen=True)
class TurnDigest:
    """Button data: show this page of a digest."""

    after: float
    until: float
    page: int


KINDS: dict[str, type] = {
    "passage": ShowPassage,
    "articles": ArticlesPage,
    "quotes": QuotesPage,
    "mute": MuteWatch,
    "digest": TurnDigest,
}
_NAMES = {kind: name for name, kind in KINDS.items()}
_ADAPTERS = {name: TypeAdapter(kind) for name, kind in KINDS.items()}

ButtonHandler = Callable[[Update, Context, Any], Awaitable[None]]


def encoded(data: object) -> tuple[str, str]:
    """A button's data as its kind and JSON."""
    name = _NAMES[type(data)]
    return name, _ADAPTERS[name].dump_json(data).decode()


def decoded(kind: str, data: str) -> object | None:
    """The data a row holds (None: a kind or a shape this version does not know)."""
    if kind not in _ADAPTERS:
        return None
    try:
        return _ADAPTERS[kind].validate_json(data)
    except ValidationError:
        return None


def keep_keyboard(
    conversations: Conversations, chat_id: int | None, markup: InlineKeyboardMarkup | None
) -> InlineKeyboardMarkup | None:
    """The keyboard as it is sent: every button whose data is one of KINDS carries the key of its stored row."""
    if markup is None:
        return None
    kept = [b.callback_data for row in markup.inline_keyboard for b in row if type(b.callback_data) in _NAMES]
    keys = iter(conversations.keep_buttons(chat_id, [encoded(d) for d in kept], time.time()))
    rows = [
        [InlineKeyboardButton(b.text, callback_data=next(keys)) if type(b.callback_data) in _NAMES else b for b in row]
        for row in markup.inline_keyboard
    ]
    return InlineKeyboardMarkup(rows)


async def keyboard(
    conversations: Conversations, chat_id: int | None, markup: InlineKeyboardMarkup | None
) -> InlineKeyboardMarkup | None:
    """`keep_keyboard`, off the event loop."""
    if markup is None:
        return None
    return await asyncio.to_thread(keep_keyboard, conversations, chat_id, markup)


def pressed_data(conversations: Conversations, query: CallbackQuery) -> object | None:
    """What a pressed button stands for; None when it has expired, is unknown, or was sent to another chat."""
    if not isinstance(query.data, str):
        return None
    row = conversations.pressed(query.data)
    if row is None:
        return None
    chat_id = query.message.chat.id if query.message is not None else None
    if row.chat_id is not None and chat_id is not None and row.chat_id != chat_id:
        return None
    return decoded(row.kind, row.data)

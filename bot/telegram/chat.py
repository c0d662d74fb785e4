"""Talking in a Telegram chat: which messages are meant for the bot, replies split under the size limit,
"typing…" while the engine works, and which article a message of the bot's was about."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from telegram import InlineKeyboardMarkup, Message, MessageEntity
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes, filters

from bot.conversation import is_link
from bot.telegram.render import split_html

KEPT_SOURCES = 200
TYPING_REFRESH = 4.0


def addressed_text(message: Message) -> str | None:
    """The text of a message to the bot: all of it in a private chat; in a group, a message that mentions or
    replies to the bot, without the mention; else None."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    bot = message.get_bot()
    mention = f"@{bot.username}".lower()
    mentions = [
        e for e in message.entities if e.type == MessageEntity.MENTION and message.parse_entity(e).lower() == mention
    ]
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == bot.id
    if not mentions and not to_bot:
        return None
    for entity in mentions:  # offsets count UTF-16 units: parse_entity finds the text they mean
        text = text.replace(message.parse_entity(entity), " ")
    return " ".join(text.split()) or None


class Addressed(filters.MessageFilter):
    """A message to the bot (see `addressed_text`) that is (`link=True`) or is not an http(s) link."""

    def __init__(self, link: bool) -> None:
        super().__init__(name=f"Addressed(link={link})")
        self.link = link

    def filter(self, message: Message) -> bool:
        text = addressed_text(message)
        return text is not None and is_link(text) == self.link


async def reply(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> list[Message]:
    """Send HTML as one message or several under the limit; buttons go under the last one."""
    parts = split_html(html)
    return [
        await message.reply_text(part, reply_markup=markup if i == len(parts) - 1 else None)
        for i, part in enumerate(parts)
    ]


def remember_source(context: ContextTypes.DEFAULT_TYPE, messages: list[Message], article_id: str) -> None:
    """A reply to any of these messages asks about this article only."""
    sources: OrderedDict = context.chat_data.setdefault("sources", OrderedDict())
    for message in messages:
        sources[message.message_id] = article_id
    while len(sources) > KEPT_SOURCES:
        sources.popitem(last=False)


def replied_article(context: ContextTypes.DEFAULT_TYPE, message: Message) -> str | None:
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    return context.chat_data.get("sources", {}).get(replied.message_id)


@asynccontextmanager
async def typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" until the work inside is done (Telegram clears it after about 5 s)."""

    async def keep_typing() -> None:
        while True:
            with suppress(TelegramError):
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            await asyncio.sleep(TYPING_REFRESH)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()

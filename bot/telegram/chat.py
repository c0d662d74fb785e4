"""Talking in a Telegram chat: which messages are meant for the bot, replies split under the size limit,
"typing…" while the engine works, and which article a message of the bot's was about."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from telegram import Bot, InlineKeyboardMarkup, Message, MessageEntity
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes, filters

from bot.conversation import is_link
from bot.telegram.buttons import keyboard
from bot.telegram.render import split_html

TYPING_REFRESH = 4.0


def addressed_text(message: Message) -> str | None:
    """The text (or a photo's or file's caption) of a message to the bot: all of it in a private chat; in a
    group, a message that mentions or replies to the bot, without the mention; else None."""
    text = message.text or message.caption or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    if not to_bot(message):
        return None
    for entity in _mentions(message):  # offsets count UTF-16 units: parse_entity finds the text they mean
        text = text.replace(_entity_text(message, entity), " ")
    return " ".join(text.split()) or None


def to_bot(message: Message) -> bool:
    """Whether a message is meant for the bot: private, or mentioning it, replying to it, or a command."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == message.get_bot().id:
        return True
    entities = message.entities or message.caption_entities
    return bool(_mentions(message)) or any(e.type == MessageEntity.BOT_COMMAND and e.offset == 0 for e in entities)


def _mentions(message: Message) -> list[MessageEntity]:
    mention = f"@{message.get_bot().username}".lower()
    entities = message.entities or message.caption_entities
    return [e for e in entities if e.type == MessageEntity.MENTION and _entity_text(message, e).lower() == mention]


def _entity_text(message: Message, entity: MessageEntity) -> str:
    return message.parse_entity(entity) if message.text else message.parse_caption_entity(entity)


class ForTheBot(filters.MessageFilter):
    """A message meant for the bot (see `to_bot`): a file posted in a group for its members is not an upload."""

    def __init__(self) -> None:
        super().__init__(name="ForTheBot")

    def filter(self, message: Message) -> bool:
        return to_bot(message)


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


async def send(bot: Bot, chat_id: int, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """`reply`'s twin for a message no one asked for (an alert, a digest, a paused feed): to a chat, split the
    same way; a chat that blocked the bot or left is skipped."""
    parts = split_html(html)
    with suppress(TelegramError):
        for i, part in enumerate(parts):
            await bot.send_message(chat_id, part, reply_markup=markup if i == len(parts) - 1 else None)


def number_word(argument: str) -> str:
    """The first word of a command's argument without a "#" before or a "." after it: "#3" -> "3"."""
    return argument.split()[0].lstrip("#").rstrip(".") if argument.split() else ""


def numbered(argument: str) -> int | None:
    """The number a command names ("/unwatch 3", "#3", "3."), None when it names none."""
    word = number_word(argument)
    return int(word) if word.isdigit() else None


async def edit(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, message_id: int, html: str, markup: InlineKeyboardMarkup | None
) -> int:
    """Replace the text of a message of the bot's (the same text again is not an error); its id. The buttons'
    data is kept in the store (`bot.telegram.buttons`)."""
    markup = await keyboard(context.bot_data["service"].conversations, chat_id, markup)
    try:
        await context.bot.edit_message_text(html, chat_id, message_id, reply_markup=markup)
    except BadRequest as error:
        if not unchanged(error):
            raise
    return message_id


def unchanged(error: BadRequest) -> bool:
    """Telegram's answer to an edit that changes nothing (a double tap on a page button, say)."""
    return "message is not modified" in error.message.lower()


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

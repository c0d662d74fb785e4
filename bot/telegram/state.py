"""A chat's state, read and written in the store per update (issue 32), so that every replica of the bot sees
it: the follow-up context of the chat's last answer, what each answer or passage the bot sent was about (for
replies to it), and which message answered a question (for edits of it)."""

from __future__ import annotations

import asyncio
import time

from pydantic import TypeAdapter, ValidationError
from telegram import Message
from telegram.ext import ContextTypes

from bot.conversation import ChatContext
from bot.telegram.service import service
from index.store.conversations import Conversations

KEPT = 200  # messages remembered per chat, of each kind
FOLLOW_UP = "follow_up"
CONTEXT = TypeAdapter(ChatContext)  # a chat's context as JSON
Context = ContextTypes.DEFAULT_TYPE


def _conversations(context: Context) -> Conversations:
    return service(context).conversations


async def chat_context(context: Context, chat_id: int) -> ChatContext:
    """The chat's follow-up context (a new one when it has none, or one this version cannot read)."""
    kept = await asyncio.to_thread(_conversations(context).value, chat_id, FOLLOW_UP)
    return _read(kept) or ChatContext()


async def keep_context(context: Context, chat_id: int, chat: ChatContext) -> None:
    value = CONTEXT.dump_json(chat).decode()
    await asyncio.to_thread(_conversations(context).set_value, chat_id, FOLLOW_UP, value, time.time())


async def remember_source(
    context: Context, chat_id: int, message_ids: list[int], article_id: str, speaker: str | None = None
) -> None:
    """A reply to any of these messages is about what they showed: this article, and this speaker if any."""
    value = CONTEXT.dump_json(ChatContext(speaker=speaker, article_id=article_id)).decode()
    store, now = _conversations(context), time.time()
    for message_id in message_ids:
        await asyncio.to_thread(store.set_value, chat_id, f"source:{message_id}", value, now, KEPT)


async def remember_answer(context: Context, chat_id: int, question_id: int, answer_id: int) -> None:
    """Which message answered a question, for when the question is edited."""
    store = _conversations(context)
    await asyncio.to_thread(store.set_value, chat_id, f"answer:{question_id}", str(answer_id), time.time(), KEPT)


async def answered(context: Context, chat_id: int, question_id: int) -> int | None:
    kept = await asyncio.to_thread(_conversations(context).value, chat_id, f"answer:{question_id}")
    return int(kept) if kept is not None and kept.isdigit() else None


async def replied_to(context: Context, message: Message) -> ChatContext | None:
    """What the bot's message this one replies to was about."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    kept = await asyncio.to_thread(_conversations(context).value, message.chat_id, f"source:{replied.message_id}")
    return _read(kept)


def _read(value: str | None) -> ChatContext | None:
    if value is None:
        return None
    try:
        return CONTEXT.validate_json(value)
    except ValidationError:
        return None

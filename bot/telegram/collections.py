"""Shared collections in Telegram: /collections lists them, a chat's admins /subscribe and /unsubscribe it, and a
bot admin chooses with /use which one their private chat adds to. Every chat starts reading the default one."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.answer.compose import counted
from bot.telegram.access import DEFAULT
from bot.telegram.chat import reply
from bot.telegram.render import esc
from bot.telegram.service import service, shelf_of
from index.store.shelves import ChatShelf, reading, shared_name, shown_name

Context = ContextTypes.DEFAULT_TYPE
BAD_NAME = "A collection's name is letters, digits, - and _ (32 at most); /collections lists them."


async def collections_command(update: Update, context: Context, argument: str) -> None:
    svc = service(context)
    shelf = shelf_of(update, context)
    lines = ["Shared collections (✓: this chat reads it):"]
    for name, articles in await svc.run(svc.shelf_store.shared):
        mark = "✓" if shelf.may_read(name) else "·"
        adds = " (what you add here goes there)" if name == shelf.writes else ""
        lines.append(f"{mark} {shown_name(name)}: {counted(articles, 'article')}{adds}")
    lines.append("Admins: /subscribe NAME or /unsubscribe NAME for this chat; /use NAME (private chat) to add to one.")
    await reply(update.effective_message, esc("\n".join(lines)))


async def subscribe_command(update: Update, context: Context, argument: str) -> None:
    await _read(update, context, argument, True)


async def unsubscribe_command(update: Update, context: Context, argument: str) -> None:
    await _read(update, context, argument, False)


async def _read(update: Update, context: Context, argument: str, read: bool) -> None:
    svc = service(context)
    chat_id = update.effective_chat.id
    if (name := shared_name(argument.split()[0])) is None:
        await reply(update.effective_message, esc(BAD_NAME))
        return
    chosen = reading(svc.shelves.get(chat_id, DEFAULT), name, read)
    await _save(update, context, chosen)
    text = (
        f"This chat now reads the shared collection “{shown_name(name)}” too."
        if read
        else f"This chat no longer reads the shared collection “{shown_name(name)}”."
    )
    await reply(update.effective_message, esc(text))


async def use_command(update: Update, context: Context, argument: str) -> None:
    if update.effective_chat.type != ChatType.PRIVATE:
        await reply(update.effective_message, esc("In a group, what is added goes to the group's own collection."))
        return
    if (name := shared_name(argument.split()[0])) is None:
        await reply(update.effective_message, esc(BAD_NAME))
        return
    svc = service(context)
    chosen = reading(svc.shelves.get(update.effective_chat.id, DEFAULT), name, True)
    await _save(update, context, chosen.model_copy(update={"writes": name}))
    text = (
        f"What you add here now goes to the shared collection “{shown_name(name)}”, which every chat that "
        "subscribes to it reads."
    )
    await reply(update.effective_message, esc(text))


async def _save(update: Update, context: Context, chosen: ChatShelf) -> None:
    svc = service(context)
    chat_id = update.effective_chat.id
    await svc.run(svc.shelf_store.save, chat_id, chosen)
    svc.shelves[chat_id] = chosen
    await svc.run(svc.watchers.table.read_in, chat_id, list(shelf_of(update, context).reads or ()))

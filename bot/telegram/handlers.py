"""Telegram handlers: thin adapters from updates to the conversation, registered in one place behind the gate."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import ChatMember, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.answer.models import Answer
from bot.commands import COMMANDS, Command, command_list
from bot.conversation import ChatContext, is_link, report_lines
from bot.telegram.buttons import ArticlesPage, MuteWatch, QuotesPage, ShowPassage, TurnDigest, keyboard, pressed_data
from bot.telegram.chat import Addressed, ForTheBot, addressed_text, edit, reply, typing
from bot.telegram.collections import collections_command, subscribe_command, unsubscribe_command, use_command
from bot.telegram.errors import error_handler
from bot.telegram.feeds import follow_command, sources_command, unfollow_command
from bot.telegram.gate import Gate, Route
from bot.telegram.pages import (
    articles_command,
    articles_page,
    quotes_command,
    quotes_page,
    source_buttons,
)
from bot.telegram.render import answer_html, esc, passage_html, split_html
from bot.telegram.service import service, shelf_of
from bot.telegram.state import answered, chat_context, keep_context, remember_answer, remember_source, replied_to
from bot.telegram.watches import (
    digest_button,
    digest_command,
    mute_button,
    unwatch_command,
    watch_command,
    watches_command,
)

Context = ContextTypes.DEFAULT_TYPE
GROUP_HELLO = (
    "Hello! I answer questions about the news articles I have read, above all who said what, with sources. "
    "Mention me (@{bot}) or reply to me to ask; /help shows what I can do."
)


async def say(update: Update, text: str) -> None:
    """A plain-text reply (the bot's messages are HTML by default)."""
    await update.effective_message.reply_text(esc(text))


async def help_command(update: Update, context: Context, argument: str) -> None:
    """What the bot does; the commands that add and remove articles only for who may use them."""
    svc = service(context)
    user = update.effective_user.id if update.effective_user else None
    edits = svc.access.may_edit(user) is None
    await say(update, await svc.run(svc.conversation.help_text, edits, shelf_of(update, context)))


async def unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not have: the list of those it has (in a group, only one addressed to the bot:
    "/settings" alone may be another bot's)."""
    word = (update.effective_message.text or "").split()[0]
    name, _, to = word[1:].partition("@")
    private = update.effective_chat.type == ChatType.PRIVATE
    if not private and to.lower() != (context.bot.username or "").lower():
        return
    user = update.effective_user.id if update.effective_user else None
    edits = service(context).access.may_edit(user) is None
    await say(update, f"I don't know /{name}. I understand: {command_list(edits)}.")


async def bot_added(update: Update, context: Context) -> None:
    """A hello when someone adds the bot to a group."""
    change = update.my_chat_member
    if change is None or update.effective_chat.type == ChatType.PRIVATE:
        return
    joined = change.new_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
    if joined and change.old_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED):
        await context.bot.send_message(update.effective_chat.id, esc(GROUP_HELLO.format(bot=context.bot.username)))


async def ask_command(update: Update, context: Context, question: str) -> None:
    await answer_question(update, context, question)


async def text_message(update: Update, context: Context) -> None:
    message = update.effective_message
    await answer_question(update, context, addressed_text(message) or "", await replied_to(context, message))


async def answer_question(update: Update, context: Context, question: str, about: ChatContext | None = None) -> None:
    """Answer in the chat's context, or (`about`) in that of the answer it replies to; an edited question updates
    the answer it had (when it fits one message)."""
    svc = service(context)
    message = update.effective_message
    chat = await chat_context(context, message.chat_id)
    async with typing(context, message.chat_id):
        if about is not None:
            answer: Answer = await svc.run(svc.conversation.reply, chat, about, question, shelf_of(update, context))
        else:
            answer = await svc.run(svc.conversation.ask, chat, question, None, shelf_of(update, context))
    await keep_context(context, message.chat_id, chat)
    buttons = source_buttons(answer.citations)
    markup = InlineKeyboardMarkup([buttons]) if buttons else None
    html = answer_html(answer)
    earlier = await answered(context, message.chat_id, message.message_id) if update.edited_message else None
    if earlier is not None and len(split_html(html)) == 1:
        sent = [await edit(context, message.chat_id, earlier, html, markup)]
    else:
        markup = await keyboard(svc.conversations, message.chat_id, markup)
        sent = [m.message_id for m in await reply(message, html, markup)]
    await remember_answer(context, message.chat_id, message.message_id, sent[-1])
    if answer.citations:
        await remember_source(context, message.chat_id, sent, answer.citations[0].article_id, answer.person)


async def citation_button(update: Update, context: Context, shown: ShowPassage) -> None:
    query = update.callback_query
    cited = shown.citation
    await query.answer()
    svc = service(context)
    shelf = shelf_of(update, context)
    found = await svc.run(svc.conversation.passage, cited.article_id, cited.start, cited.end, shelf)
    if found is None:
        await query.message.reply_text("That article is no longer in my library.")
        return
    sent = await reply(query.message, passage_html(cited, *found))
    await remember_source(context, query.message.chat_id, [m.message_id for m in sent], cited.article_id)


BUTTONS: dict[type, Callable[[Update, Context, object], Awaitable[None]]] = {
    ShowPassage: citation_button,  # type: ignore[dict-item]
    ArticlesPage: articles_page,  # type: ignore[dict-item]
    QuotesPage: quotes_page,  # type: ignore[dict-item]
    MuteWatch: mute_button,  # type: ignore[dict-item]
    TurnDigest: digest_button,  # type: ignore[dict-item]
}


async def button_pressed(update: Update, context: Context) -> None:
    """A button: what its stored row stands for, handled by its kind's handler; or that it has expired."""
    data = await asyncio.to_thread(pressed_data, service(context).conversations, update.callback_query)
    if data is None:
        await update.callback_query.answer("That answer is too old; please ask again.", show_alert=True)
        return
    await BUTTONS[type(data)](update, context, data)


async def add_command(update: Update, context: Context, argument: str) -> None:
    links = [word for word in argument.split() if is_link(word)]
    if not links:
        await say(update, next(c.hint for c in COMMANDS if c.name == "add"))
        return
    await add_links(update, context, links)


async def link_message(update: Update, context: Context) -> None:
    await add_links(update, context, [(addressed_text(update.effective_message) or "").strip()])


async def add_links(update: Update, context: Context, links: list[str]) -> None:
    svc = service(context)
    chat_id = update.effective_chat.id
    queued = await svc.run(svc.conversation.queue, links, shelf_of(update, context), chat_id)
    if queued is not None:  # the workers read them, and say when they are done
        await reply(update.effective_message, esc("\n".join(queued)))
        return
    async with typing(context, chat_id):
        report = await svc.run(svc.conversation.add, links, None, None, shelf_of(update, context))
    await reply(update.effective_message, esc("\n".join(report_lines(report))))


async def document(update: Update, context: Context) -> None:
    svc = service(context)
    doc = update.effective_message.document
    name = doc.file_name or "document"
    limit = svc.settings.reading.max_file_bytes
    if doc.file_size and doc.file_size > limit:
        await say(update, f"That file is {doc.file_size:,} bytes; the limit is {limit:,}.")
        return
    async with typing(context, update.effective_chat.id):
        data = bytes(await (await doc.get_file()).download_as_bytearray())
        report = await svc.run(svc.conversation.add_document, data, name, shelf_of(update, context))
    await reply(update.effective_message, esc("\n".join(report_lines(report))))


async def remove_command(update: Update, context: Context, argument: str) -> None:
    svc = service(context)
    article_id = argument.split()[0]
    removed = await svc.run(svc.conversation.remove, article_id, shelf_of(update, context))
    await say(update, f"Removed {article_id}." if removed else f"No article {article_id}.")


CommandCallback = Callable[[Update, Context, str], Awaitable[None]]
COMMAND_CALLBACKS: dict[str, CommandCallback] = {
    "ask": ask_command,
    "articles": articles_command,
    "add": add_command,
    "quotes": quotes_command,
    "remove": remove_command,
    "follow": follow_command,
    "sources": sources_command,
    "unfollow": unfollow_command,
    "watch": watch_command,
    "watches": watches_command,
    "unwatch": unwatch_command,
    "digest": digest_command,
    "collections": collections_command,
    "subscribe": subscribe_command,
    "unsubscribe": unsubscribe_command,
    "use": use_command,
    "help": help_command,
}


def command_handler(command: Command) -> CommandHandler:
    """A command's handler: its hint when the argument it needs is missing, else its callback with the argument."""
    run = COMMAND_CALLBACKS[command.name]

    async def callback(update: Update, context: Context) -> None:
        argument = " ".join(context.args or [])
        if command.argument and not argument:
            await say(update, command.hint)
            return
        await run(update, context, argument)

    callback.__name__ = run.__name__
    return CommandHandler([command.name, *command.aliases], callback)


def routes() -> list[Route]:
    """Every handler, with what it needs; the gate (group -1) applies that before any of them runs."""
    text = (filters.TEXT | (filters.PHOTO & filters.CAPTION)) & ~filters.COMMAND
    return [
        *(Route(command_handler(c), edits=c.edits) for c in COMMANDS),
        Route(CallbackQueryHandler(button_pressed), limit="presses"),
        Route(MessageHandler(filters.Document.ALL & ForTheBot(), document), edits=True),
        Route(MessageHandler(text & Addressed(link=True), link_message), edits=True),
        Route(MessageHandler(text & Addressed(link=False), text_message)),
        Route(MessageHandler(filters.COMMAND, unknown_command)),
        Route(ChatMemberHandler(bot_added, ChatMemberHandler.MY_CHAT_MEMBER)),
    ]


def register(app: Application) -> None:
    table = routes()
    app.add_handler(TypeHandler(Update, Gate(table)), group=-1)
    for route in table:
        app.add_handler(route.handler)
    app.add_error_handler(error_handler)

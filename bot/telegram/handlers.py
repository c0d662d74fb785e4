"""Telegram handlers: thin adapters from updates to the conversation, registered in one place behind the gate."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InvalidCallbackData,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.answer.models import Answer, Citation
from bot.commands import COMMANDS, Command
from bot.conversation import is_link, report_lines
from bot.telegram.chat import Addressed, addressed_text, remember_source, replied_article, reply, typing
from bot.telegram.errors import error_handler
from bot.telegram.gate import Gate, Route
from bot.telegram.render import answer_html, articles_html, esc, passage_html, quotes_html
from bot.telegram.service import Service

Context = ContextTypes.DEFAULT_TYPE


@dataclass(frozen=True)
class ShowPassage:
    """Button data: show the paragraph behind a citation."""

    citation: Citation


@dataclass(frozen=True)
class ArticlesPage:
    """Button data: show this page of the article list."""

    page: int


def service(context: Context) -> Service:
    return context.bot_data["service"]


async def say(update: Update, text: str) -> None:
    """A plain-text reply (the bot's messages are HTML by default)."""
    await update.effective_message.reply_text(esc(text))


async def help_command(update: Update, context: Context, argument: str) -> None:
    svc = service(context)
    await say(update, await svc.run(svc.conversation.help_text))


async def ask_command(update: Update, context: Context, question: str) -> None:
    await answer_question(update, context, question)


async def text_message(update: Update, context: Context) -> None:
    message = update.effective_message
    article = replied_article(context, message)
    await answer_question(update, context, addressed_text(message) or "", [article] if article else None)


async def answer_question(update: Update, context: Context, question: str, scope: list[str] | None = None) -> None:
    svc = service(context)
    message = update.effective_message
    async with typing(context, message.chat_id):
        answer: Answer = await svc.run(svc.conversation.ask, message.chat_id, question, scope)
    buttons = [InlineKeyboardButton(f"[{c.n}]", callback_data=ShowPassage(c)) for c in answer.citations]
    sent = await reply(message, answer_html(answer), InlineKeyboardMarkup([buttons]) if buttons else None)
    if answer.citations:
        remember_source(context, sent, answer.citations[0].article_id)


async def citation_button(update: Update, context: Context) -> None:
    query = update.callback_query
    cited = query.data.citation  # type: ignore[union-attr]
    await query.answer()
    svc = service(context)
    found = await svc.run(svc.conversation.passage, cited.article_id, cited.start, cited.end)
    if found is None:
        await query.message.reply_text("That article has been removed since.")
        return
    remember_source(context, await reply(query.message, passage_html(cited, *found)), cited.article_id)


async def expired_button(update: Update, context: Context) -> None:
    await update.callback_query.answer("That answer is too old; please ask again.", show_alert=True)


async def articles_command(update: Update, context: Context, argument: str) -> None:
    text, markup = await articles_view(context, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def articles_page(update: Update, context: Context) -> None:
    query = update.callback_query
    await query.answer()
    text, markup = await articles_view(context, query.data.page)  # type: ignore[union-attr]
    await query.edit_message_text(text, reply_markup=markup)


async def articles_view(context: Context, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    svc = service(context)
    items, page, pages = await svc.run(svc.conversation.articles_page, page)
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Previous", callback_data=ArticlesPage(page - 1)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("Next ▶", callback_data=ArticlesPage(page + 1)))
    return articles_html(items, page, pages), InlineKeyboardMarkup([nav]) if nav else None


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
    async with typing(context, update.effective_chat.id):
        report = await svc.run(svc.conversation.add, links)
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
        report = await svc.run(svc.conversation.add_document, data, name)
    await reply(update.effective_message, esc("\n".join(report_lines(report))))


async def quotes_command(update: Update, context: Context, speaker: str) -> None:
    svc = service(context)
    found = await svc.run(svc.conversation.quotes_of, speaker)
    await reply(update.effective_message, quotes_html(speaker, found, svc.conversation.confidence_needed))


async def remove_command(update: Update, context: Context, argument: str) -> None:
    svc = service(context)
    article_id = argument.split()[0]
    removed = await svc.run(svc.conversation.remove, article_id)
    await say(update, f"Removed {article_id}." if removed else f"No article {article_id}.")


CommandCallback = Callable[[Update, Context, str], Awaitable[None]]
COMMAND_CALLBACKS: dict[str, CommandCallback] = {
    "ask": ask_command,
    "articles": articles_command,
    "add": add_command,
    "quotes": quotes_command,
    "remove": remove_command,
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
    text = filters.TEXT & ~filters.COMMAND
    return [
        *(Route(command_handler(c), edits=c.edits) for c in COMMANDS),
        Route(CallbackQueryHandler(citation_button, pattern=ShowPassage), limit="presses"),
        Route(CallbackQueryHandler(articles_page, pattern=ArticlesPage), limit="presses"),
        Route(CallbackQueryHandler(expired_button, pattern=InvalidCallbackData), limit="presses"),
        Route(MessageHandler(filters.Document.ALL, document), edits=True),
        Route(MessageHandler(text & Addressed(link=True), link_message), edits=True),
        Route(MessageHandler(text & Addressed(link=False), text_message)),
    ]


def register(app: Application) -> None:
    table = routes()
    app.add_handler(TypeHandler(Update, Gate(table)), group=-1)
    for route in table:
        app.add_handler(route.handler)
    app.add_error_handler(error_handler)

"""Telegram handlers: thin adapters from updates to the conversation, registered in one place."""

from __future__ import annotations

import asyncio
import html
import logging
import traceback
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.answer.models import Answer
from bot.conversation import is_link, report_lines
from bot.telegram.gate import Gate, Route
from bot.telegram.render import answer_html, esc, passage_html, quotes_html, split_html
from bot.telegram.service import Busy, Service

log = logging.getLogger(__name__)
KEPT_ANSWERS = 50
TYPING_REFRESH = 4.0


def service(context: ContextTypes.DEFAULT_TYPE) -> Service:
    return context.bot_data["service"]


async def reply(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> list[Message]:
    parts = split_html(text)
    sent = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        sent.append(
            await message.reply_html(part, reply_markup=markup if last else None, disable_web_page_preview=True)
        )
    return sent


def remember_source(context: ContextTypes.DEFAULT_TYPE, messages: list[Message], article_id: str) -> None:
    """A reply to any of these messages asks about this article only."""
    sources: OrderedDict = context.chat_data.setdefault("sources", OrderedDict())
    for message in messages:
        sources[message.message_id] = article_id
    while len(sources) > KEPT_ANSWERS * 4:
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


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = service(context)
    await update.effective_message.reply_text(await svc.run(svc.conversation.help_text))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = " ".join(context.args or [])
    if not question:
        await update.effective_message.reply_text("Ask like this: /ask Who said the bridge would reopen?")
        return
    await answer_question(update, context, question)


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    text = addressed_text(message) or ""
    article = replied_article(context, message)
    await answer_question(update, context, text, [article] if article else None)


async def link_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await add_links(update, context, [(addressed_text(update.effective_message) or "").strip()])


def addressed_text(message: Message) -> str | None:
    """The text of a message to the bot: all of it in a private chat; in a group, a message that mentions or
    replies to the bot, without the mention; else None."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    bot = message.get_bot()
    username, bot_id = bot.username, bot.id
    mention = f"@{username}".lower()
    mentions = [
        e for e in message.entities if e.type == MessageEntity.MENTION and message.parse_entity(e).lower() == mention
    ]
    replied = (
        message.reply_to_message
        and message.reply_to_message.from_user
        and message.reply_to_message.from_user.id == bot_id
    )
    if not mentions and not replied:
        return None
    for entity in sorted(mentions, key=lambda e: e.offset, reverse=True):
        text = (
            message.parse_entity(entity)
            .join(text.rsplit(message.parse_entity(entity), 1))
            .replace(message.parse_entity(entity), " ")
        )
    return " ".join(text.split()) or None


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, scope: list[str] | None = None
) -> None:
    svc = service(context)
    message = update.effective_message
    async with typing(context, message.chat_id):
        answer: Answer = await svc.run(svc.conversation.ask, message.chat_id, question, scope)
    key = remember(context, answer)
    buttons = [InlineKeyboardButton(f"[{c.n}]", callback_data=f"c|{key}|{c.n}") for c in answer.citations]
    sent = await reply(message, answer_html(answer), InlineKeyboardMarkup([buttons]) if buttons else None)
    if answer.citations:
        remember_source(context, sent, answer.citations[0].article_id)


def remember(context: ContextTypes.DEFAULT_TYPE, answer: Answer) -> str:
    answers: OrderedDict = context.chat_data.setdefault("answers", OrderedDict())
    context.chat_data["counter"] = key = context.chat_data.get("counter", 0) + 1
    answers[str(key)] = answer.citations
    while len(answers) > KEPT_ANSWERS:
        answers.popitem(last=False)
    return str(key)


async def citation_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    _, key, n = (query.data or "").split("|")
    citations = context.chat_data.get("answers", {}).get(key)
    cited = next((c for c in citations or [] if str(c.n) == n), None)
    if cited is None:
        await query.answer("That answer is too old; please ask again.", show_alert=True)
        return
    await query.answer()
    svc = service(context)
    found = await svc.run(svc.conversation.passage, cited.article_id, cited.start, cited.end)
    if found is None:
        await query.message.reply_text("That article has been removed since.")
        return
    remember_source(context, await reply(query.message, passage_html(cited, *found)), cited.article_id)


async def articles(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text, markup = await articles_view(context, 0)
    await update.effective_message.reply_html(text, reply_markup=markup, disable_web_page_preview=True)


async def articles_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    text, markup = await articles_view(context, int((query.data or "p|0").split("|")[1]))
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True)


async def articles_view(context: ContextTypes.DEFAULT_TYPE, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    svc = service(context)
    items, page, pages = await svc.run(svc.conversation.articles_page, page)
    if not items:
        return "No articles yet. Send me a link or a file to add one.", None
    lines = [f"<b>Articles</b> (page {page + 1} of {pages})"]
    for a in items:
        meta = ", ".join(esc(p) for p in (a.source, a.published) if p)
        lines.append(f"• {esc(a.title)}" + (f" — {meta}" if meta else "") + f"\n  <code>{esc(a.id)}</code>")
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Previous", callback_data=f"p|{page - 1}"))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("Next ▶", callback_data=f"p|{page + 1}"))
    return "\n".join(lines), InlineKeyboardMarkup([nav]) if nav else None


async def add(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    links = [a for a in context.args or [] if is_link(a)]
    if not links:
        await update.effective_message.reply_text("Send /add followed by an http(s) link to an article.")
        return
    await add_links(update, context, links)


async def add_links(update: Update, context: ContextTypes.DEFAULT_TYPE, links: list[str]) -> None:
    svc = service(context)
    async with typing(context, update.effective_chat.id):
        report = await svc.run(svc.conversation.add, links)
    await reply(update.effective_message, esc("\n".join(report_lines(report))))


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = service(context)
    doc = update.effective_message.document
    name = doc.file_name or "document"
    if doc.file_size and doc.file_size > svc.settings.max_file_bytes:
        await update.effective_message.reply_text(
            f"That file is {doc.file_size:,} bytes; the limit is {svc.settings.max_file_bytes:,}."
        )
        return
    async with typing(context, update.effective_chat.id):
        data = bytes(await (await doc.get_file()).download_as_bytearray())
        report = await svc.run(svc.conversation.add_document, data, name)
    await reply(update.effective_message, esc("\n".join(report_lines(report))))


async def quotes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    speaker = " ".join(context.args or [])
    if not speaker:
        await update.effective_message.reply_text("Send /quotes followed by a name, e.g. /quotes Putin")
        return
    svc = service(context)
    found = await svc.run(svc.conversation.quotes_of, speaker)
    await reply(update.effective_message, quotes_html(speaker, found))


async def remove(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not context.args:
        await update.effective_message.reply_text("Send /remove followed by an article id (see /articles).")
        return
    svc = service(context)
    article_id = context.args[0]
    removed = await svc.run(svc.conversation.engine.remove, article_id)
    await update.effective_message.reply_text(f"Removed {article_id}." if removed else f"No article {article_id}.")


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    if isinstance(context.error, Busy):
        if isinstance(update, Update) and update.effective_message:
            with suppress(TelegramError):
                await update.effective_message.reply_text(
                    "I'm busy with other questions — please try again in a minute."
                )
        return
    log.error("Exception while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        try:
            await update.effective_message.reply_text("Sorry, something went wrong on my side. Please try again.")
        except Exception:
            log.warning("could not tell the user about the error", exc_info=True)
    admin_chat = service(context).settings.admin_chat_id if "service" in context.bot_data else None
    if admin_chat:
        trace = "".join(traceback.format_exception(None, context.error, context.error.__traceback__))
        text = f"<b>Error</b>\n<pre>{html.escape(trace[-3500:])}</pre>"
        try:
            await context.bot.send_message(admin_chat, text, parse_mode=ParseMode.HTML)
        except Exception:
            log.warning("could not notify the admin chat", exc_info=True)


class Addressed(filters.MessageFilter):
    """A message to the bot (see `addressed_text`); with `link`, only one that is (or is not) an http(s) link."""

    def __init__(self, link: bool | None = None) -> None:
        super().__init__(name=f"Addressed(link={link})")
        self.link = link

    def filter(self, message: Message) -> bool:
        text = addressed_text(message)
        return text is not None and (self.link is None or is_link(text) == self.link)


def routes() -> list[Route]:
    """Every handler, with what it needs; the gate (group -1) applies that before any of them runs."""
    text = filters.TEXT & ~filters.COMMAND
    return [
        Route(CommandHandler(["start", "help"], start)),
        Route(CommandHandler("ask", ask_command)),
        Route(CommandHandler("articles", articles)),
        Route(CommandHandler("add", add), edits=True),
        Route(CommandHandler("remove", remove), edits=True),
        Route(CommandHandler("quotes", quotes)),
        Route(CallbackQueryHandler(citation_button, pattern=r"^c\|"), limit="presses"),
        Route(CallbackQueryHandler(articles_page, pattern=r"^p\|\d+$"), limit="presses"),
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

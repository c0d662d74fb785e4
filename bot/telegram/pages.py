"""Pages a user turns with buttons (the article list, someone's quotes) and the data those buttons carry."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.answer.models import Citation
from bot.telegram.chat import edit, reply
from bot.telegram.render import articles_html, quote_citation, quotes_html
from bot.telegram.service import service

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


async def articles_command(update: Update, context: Context, argument: str) -> None:
    text, markup = await articles_view(context, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def articles_page(update: Update, context: Context) -> None:
    query = update.callback_query
    await query.answer()
    text, markup = await articles_view(context, query.data.page)  # type: ignore[union-attr]
    await edit(context, query.message.chat_id, query.message.message_id, text, markup)


async def articles_view(context: Context, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    svc = service(context)
    items, page, pages = await svc.run(svc.conversation.articles_page, page)
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Previous", callback_data=ArticlesPage(page - 1)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("Next ▶", callback_data=ArticlesPage(page + 1)))
    return articles_html(items, page, pages), InlineKeyboardMarkup([nav]) if nav else None


async def quotes_command(update: Update, context: Context, speaker: str) -> None:
    text, markup = await quotes_view(context, speaker, 0)
    await reply(update.effective_message, text, markup)


async def quotes_page(update: Update, context: Context) -> None:
    query = update.callback_query
    await query.answer()
    shown: QuotesPage = query.data  # type: ignore[assignment]
    text, markup = await quotes_view(context, shown.speaker, shown.page)
    await edit(context, query.message.chat_id, query.message.message_id, text, markup)


async def quotes_view(context: Context, speaker: str, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """A page of someone's quotes, a source button for each, and ◀ ▶ to the pages before and after."""
    svc = service(context)
    found = await svc.run(svc.conversation.quotes_page, speaker, page)
    sources = [
        InlineKeyboardButton(
            f"[{n}]", callback_data=ShowPassage(quote_citation(n, q, found.articles.get(q.article_id)))
        )
        for n, q in enumerate(found.quotes, start=1)
    ]
    nav = []
    if found.page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=QuotesPage(speaker, found.page - 1)))
    if found.page < found.pages - 1:
        nav.append(InlineKeyboardButton("▶", callback_data=QuotesPage(speaker, found.page + 1)))
    rows = [row for row in (sources, nav) if row]
    return quotes_html(found, svc.conversation.confidence_needed), InlineKeyboardMarkup(rows) if rows else None

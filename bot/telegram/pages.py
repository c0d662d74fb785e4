"""Pages a user turns with buttons (the article list, someone's quotes) and the data those buttons carry."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.answer.models import Citation
from bot.telegram.buttons import ArticlesPage, QuotesPage, ShowPassage, keyboard
from bot.telegram.chat import edit, reply
from bot.telegram.render import articles_html, quote_citation, quotes_html
from bot.telegram.service import service, shelf_of
from index.models import Shelf

Context = ContextTypes.DEFAULT_TYPE


def source_buttons(citations: Sequence[Citation]) -> list[InlineKeyboardButton]:
    """A "[n]" button per citation, showing its passage."""
    return [InlineKeyboardButton(f"[{c.n}]", callback_data=ShowPassage(c)) for c in citations]


def turn_buttons(
    page: int, pages: int, data: Callable[[int], object], labels: tuple[str, str]
) -> list[InlineKeyboardButton]:
    """The buttons to the page before and after this one (0-based), those that exist; `data(n)`: page n's data."""
    turns = [(page - 1, labels[0])] if page > 0 else []
    turns += [(page + 1, labels[1])] if page < pages - 1 else []
    return [InlineKeyboardButton(label, callback_data=data(n)) for n, label in turns]


async def articles_command(update: Update, context: Context, argument: str) -> None:
    text, markup = await articles_view(context, 0, shelf_of(update, context))
    message = update.effective_message
    await message.reply_text(text, reply_markup=await keyboard(service(context).conversations, message.chat_id, markup))


async def articles_page(update: Update, context: Context, shown: ArticlesPage) -> None:
    query = update.callback_query
    await query.answer()
    text, markup = await articles_view(context, shown.page, shelf_of(update, context))
    await edit(context, query.message.chat_id, query.message.message_id, text, markup)


async def articles_view(context: Context, page: int, shelf: Shelf) -> tuple[str, InlineKeyboardMarkup | None]:
    svc = service(context)
    items, page, pages = await svc.run(svc.conversation.articles_page, page, shelf)
    nav = turn_buttons(page, pages, ArticlesPage, ("◀ Previous", "Next ▶"))
    return articles_html(items, page, pages), InlineKeyboardMarkup([nav]) if nav else None


async def quotes_command(update: Update, context: Context, speaker: str) -> None:
    text, markup = await quotes_view(context, speaker, 0, shelf_of(update, context))
    message = update.effective_message
    await reply(message, text, await keyboard(service(context).conversations, message.chat_id, markup))


async def quotes_page(update: Update, context: Context, shown: QuotesPage) -> None:
    query = update.callback_query
    await query.answer()
    text, markup = await quotes_view(context, shown.speaker, shown.page, shelf_of(update, context))
    await edit(context, query.message.chat_id, query.message.message_id, text, markup)


async def quotes_view(
    context: Context, speaker: str, page: int, shelf: Shelf
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A page of someone's quotes, a source button for each, and ◀ ▶ to the pages before and after."""
    svc = service(context)
    found = await svc.run(svc.conversation.quotes_page, speaker, page, shelf)
    sources = [
        InlineKeyboardButton(
            f"[{n}]", callback_data=ShowPassage(quote_citation(n, q, found.articles.get(q.article_id)))
        )
        for n, q in enumerate(found.quotes, start=1)
    ]
    nav = turn_buttons(found.page, found.pages, lambda n: QuotesPage(speaker, n), ("◀", "▶"))
    rows = [row for row in (sources, nav) if row]
    return quotes_html(found, svc.conversation.confidence_needed), InlineKeyboardMarkup(rows) if rows else None

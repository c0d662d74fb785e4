"""Watches, alerts and digests in Telegram: /watch, /watches, /unwatch, /digest, the mute and page buttons, and
`deliver`, which the background poller runs after each check: new statements for the watches as one alert per
chat, then the digests due."""

from __future__ import annotations

import logging
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ContextTypes

from bot.digests import DigestPage, digest_page, due_digests, parse_digest
from bot.telegram.buttons import MuteWatch, TurnDigest, keyboard
from bot.telegram.chat import edit, number_word, numbered, reply, send
from bot.telegram.pages import source_buttons, turn_buttons
from bot.telegram.render import answer_html, esc
from bot.telegram.service import Service, service, shelf_of
from bot.watches import Alert
from index.store.watches import Watch

Context = ContextTypes.DEFAULT_TYPE
log = logging.getLogger(__name__)


def watching_text(watch: Watch) -> str:
    if watch.speaker and watch.topic:
        what = f"when {watch.speaker} is newly quoted on “{watch.topic}”"
    elif watch.speaker:
        what = f"when {watch.speaker} is newly quoted"
    else:
        what = f"when anyone is newly quoted on “{watch.topic}”"
    return f"Watching {watch.label}: I'll tell this chat {what}. /watches lists this chat's watches."


async def watch_command(update: Update, context: Context, argument: str) -> None:
    svc = service(context)
    reads = shelf_of(update, context).reads or ()
    made = await svc.run(svc.watchers.watch, update.effective_chat.id, argument, list(reads))
    text = watching_text(made) if isinstance(made, Watch) else f"I can't watch that: {made}."
    await reply(update.effective_message, esc(text))


async def watches_command(update: Update, context: Context, argument: str) -> None:
    svc = service(context)
    chat_id = update.effective_chat.id
    watches = await svc.run(svc.watchers.table.of_chat, chat_id)
    digests = await svc.run(svc.watchers.table.digests, None, chat_id)
    lines = [f"{w.id}. {w.label}" + (" (muted)" if w.muted else "") for w in watches]
    lines = (
        ["This chat's watches:", *lines, "Stop one with /unwatch followed by its number."]
        if lines
        else ['This chat watches no one. Try /watch Putin, /watch Putin Donbas or /watch "peace plan".']
    )
    if digests:
        lines.append(f"A digest comes every day at {digests[0].at} ({digests[0].zone}); /digest off stops it.")
    await reply(update.effective_message, esc("\n".join(lines)))


async def unwatch_command(update: Update, context: Context, argument: str) -> None:
    svc = service(context)
    number = numbered(argument)
    removed = number is not None and await svc.run(svc.watchers.table.remove, number, update.effective_chat.id)
    shown = number_word(argument)
    text = f"Stopped watch {shown}." if removed else f"This chat has no watch number {shown} (see /watches)."
    await reply(update.effective_message, esc(text))


async def digest_command(update: Update, context: Context, argument: str) -> None:
    svc = service(context)
    chat_id = update.effective_chat.id
    if argument.strip().lower() in ("off", "stop", "none"):
        await svc.run(svc.watchers.table.set_digest, None, chat_id)
        await reply(update.effective_message, esc("No more daily digests for this chat."))
        return
    digest = parse_digest(argument, chat_id, time.time())
    if isinstance(digest, str):
        await reply(update.effective_message, esc(f"I can't set that digest: {digest}."))
        return
    await svc.run(svc.watchers.table.set_digest, digest, chat_id)
    text = (
        f"Every day at {digest.at} ({digest.zone}) I'll send who said what for this chat's watches since the "
        "digest before; /digest off stops it."
    )
    await reply(update.effective_message, esc(text))


async def mute_button(update: Update, context: Context, mute: MuteWatch) -> None:
    query = update.callback_query
    svc = service(context)
    watch_id = mute.watch_id
    muted = await svc.run(svc.watchers.table.mute, watch_id, query.message.chat_id)
    await query.answer("Muted: no more alerts from that watch (/watches lists them)." if muted else "No such watch.")


async def digest_button(update: Update, context: Context, turn: TurnDigest) -> None:
    query = update.callback_query
    await query.answer()
    svc = service(context)
    page = await svc.run(digest_page, svc.watchers, query.message.chat_id, turn.after, turn.until, turn.page)
    html, markup = digest_view(page)
    await edit(context, query.message.chat_id, query.message.message_id, html, markup)


def digest_view(page: DigestPage) -> tuple[str, InlineKeyboardMarkup | None]:
    if page.answer is None:
        return esc("Nothing new from your watches since the last digest."), None
    html = answer_html(page.answer)
    if page.pages > 1:
        html += f"\n\nPage {page.page + 1} of {page.pages} ({page.total} statements)"
    rows = [source_buttons(page.answer.citations)]
    rows.append(
        turn_buttons(page.page, page.pages, lambda n: TurnDigest(page.after, page.until, n), ("« Newer", "Older »"))
    )
    return html, InlineKeyboardMarkup([r for r in rows if r])


def alert_view(alert: Alert) -> tuple[str, InlineKeyboardMarkup]:
    html = answer_html(alert.answer)
    if alert.more:
        html += f"\n\n…and {alert.more} more; /digest or /quotes NAME shows them."
    rows = [source_buttons(alert.answer.citations)]
    rows.append([InlineKeyboardButton(f"Mute {w.label}", callback_data=MuteWatch(w.id)) for w in alert.watches])
    return html, InlineKeyboardMarkup(rows)


async def deliver(app: Application) -> None:
    """After a check: read what was stored for the watches, send each chat one alert, then the digests due."""
    svc: Service = app.bot_data["service"]
    await svc.in_background(svc.watchers.scan)
    for alert in await svc.in_background(svc.watchers.alerts):
        html, markup = alert_view(alert)
        await send(app.bot, alert.chat_id, html, await keyboard(svc.conversations, alert.chat_id, markup))
        await svc.in_background(svc.watchers.delivered, alert)
    for page in await svc.in_background(due_digests, svc.watchers, time.time()):
        html, markup = digest_view(page)
        await send(app.bot, page.chat_id, html, await keyboard(svc.conversations, page.chat_id, markup))

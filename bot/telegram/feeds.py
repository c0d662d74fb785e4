"""Feeds in Telegram: /follow, /sources and /unfollow, and the poller that checks the feeds in the background
(a task beside the updates, woken every `check_seconds` or at once after a /follow), tells a chat when a feed
it follows was paused, and then delivers the watches' alerts and the digests due (`bot.telegram.watches`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.feeds import followed_text, paused_text, source_lines
from bot.telegram.chat import numbered, reply, send, typing
from bot.telegram.render import esc
from bot.telegram.service import Service, service, shelf_of
from bot.telegram.watches import deliver

Context = ContextTypes.DEFAULT_TYPE
log = logging.getLogger(__name__)


async def follow_command(update: Update, context: Context, argument: str) -> None:
    svc = service(context)
    shelf = shelf_of(update, context)
    async with typing(context, update.effective_chat.id):
        followed = await svc.run(svc.feeds.follow, argument.split()[0], shelf.writes, update.effective_chat.id)
    if followed.source is not None:
        svc.poll_now.set()
    await reply(update.effective_message, esc(followed_text(followed, svc.settings.feeds)))


async def sources_command(update: Update, context: Context, argument: str) -> None:
    svc = service(context)
    shelf = shelf_of(update, context)
    listed = await svc.run(svc.feeds.listed, None if shelf.reads is None else list(shelf.reads))
    await reply(update.effective_message, esc("\n".join(source_lines(listed, shelf.writes))))


async def unfollow_command(update: Update, context: Context, argument: str) -> None:
    svc = service(context)
    shelf = shelf_of(update, context)
    if (number := numbered(argument)) is None:
        await reply(update.effective_message, esc("Send /unfollow followed by a feed's number (see /sources)."))
        return
    gone = await svc.run(svc.feeds.unfollow, number, None if shelf.reads is None else shelf.writes)
    text = (
        f"I no longer follow “{gone.title}”; the articles it brought stay (remove them with /remove)."
        if gone
        else f"This chat follows no feed number {number} (see /sources)."
    )
    await reply(update.effective_message, esc(text))


async def poll_feeds(app: Application) -> None:
    """Check the feeds due, forever: every `check_seconds`, or at once when /follow asks; a feed paused by this
    check is reported to the chat that followed it; then the watches' alerts and the digests due go out. Of several
    bots sharing one store, the one that leads does this (the others take the lead when it stops). A failing
    round is logged and the next one tried."""
    svc: Service = app.bot_data["service"]
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(svc.poll_now.wait(), svc.settings.feeds.check_seconds)
        svc.poll_now.clear()
        try:
            if not await svc.in_background(svc.conversation.lead):
                continue
            for polled in await svc.in_background(svc.feeds.poll_due):
                if polled.paused and polled.source.chat_id is not None:
                    await send(app.bot, polled.source.chat_id, esc(paused_text(polled)))
            await deliver(app)
        except RuntimeError:  # the background pool is shut down: the bot is stopping
            return
        except Exception:
            log.exception("checking the feeds and watches failed")


async def relay_reports(app: Application) -> None:
    """Send the chats what the ingest workers reported (PostgreSQL's jobs), every REPORT_SECONDS."""
    svc: Service = app.bot_data["service"]
    while True:
        await asyncio.sleep(REPORT_SECONDS)
        try:
            for chat_id, text in await svc.in_background(svc.conversation.job_reports):
                await send(app.bot, chat_id, esc(text))
        except RuntimeError:  # the background pool is shut down: the bot is stopping
            return
        except Exception:
            log.exception("sending the workers' reports failed")


REPORT_SECONDS = 1.0


async def keep_shelves(app: Application) -> None:
    """Read the chats' collection choices again every SHELVES_SECONDS, so that a /subscribe through another bot
    sharing the store reaches this one."""
    svc: Service = app.bot_data["service"]
    while True:
        await asyncio.sleep(SHELVES_SECONDS)
        if svc.shelf_store is None:
            continue
        try:
            svc.shelves = await asyncio.to_thread(svc.shelf_store.load)
        except Exception:
            log.exception("reading the chats' collections failed")


SHELVES_SECONDS = 5.0

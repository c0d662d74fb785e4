"""The bot's service object: the conversation, access rules and a worker pool for engine work."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.conversation import Conversation
from bot.engine import Engine
from bot.feeds import Feeds
from bot.settings import Settings
from bot.telegram.access import DEFAULT, Access, RateLimiter
from bot.watches import Watchers
from index.models import Shelf
from index.store.conversations import Conversations
from index.store.shelves import ChatShelf, Shelves

T = TypeVar("T")
log = logging.getLogger(__name__)


def service(context: ContextTypes.DEFAULT_TYPE) -> Service:
    """The bot's one Service, which the composition root put in `bot_data`."""
    return context.bot_data["service"]


def shelf_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Shelf:
    """What this chat may read, and where what it adds goes (`Access.shelf`)."""
    user = update.effective_user.id if update.effective_user else None
    chat = update.effective_chat
    svc = service(context)
    return svc.access.shelf(chat.id, user, chat.type == ChatType.PRIVATE, svc.shelves.get(chat.id, DEFAULT))


class Busy(Exception):
    """More engine work is waiting than the bot takes on."""


class Service:
    def __init__(self, settings: Settings, make_engine: Callable[[Settings], Engine]) -> None:
        self.settings = settings
        self._make_engine = make_engine
        self.access = Access(settings)
        self.limiters: dict[str, RateLimiter] = {}  # counted in the store, made when it is open
        self.conversations: Conversations | None = None
        self.pending = 0
        self.executor = ThreadPoolExecutor(max_workers=settings.telegram.workers, thread_name_prefix="engine")
        self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feeds")  # polls, one at a time
        self.conversation: Conversation | None = None
        self.feeds: Feeds | None = None
        self.watchers: Watchers | None = None
        self.shelf_store: Shelves | None = None
        self.shelves: dict[int, ChatShelf] = {}  # the chats' choices of shared collections (`index.store.shelves`)
        self.tasks: list[asyncio.Task] = []  # the feeds' poller and the workers' reports, started with the bot
        self.reattributing: asyncio.Task | None = None  # stored quotes named again after an upgrade
        self.poll_now = asyncio.Event()  # set by /follow: poll the new feed without waiting for the next check

    async def start(self) -> None:
        """Open the store and load everything a question needs (the query encoder, spaCy, BM25), off the event
        loop, before the bot takes its first update; the ingest model loads at the first added article."""
        loop = asyncio.get_running_loop()
        engine = await loop.run_in_executor(self.executor, self._make_engine, self.settings)
        await loop.run_in_executor(self.executor, engine.warm)
        self.conversation = Conversation(engine)
        if stale := await loop.run_in_executor(self.executor, self.conversation.to_attribute):
            log.warning("attributing the quotes of %d stored articles again, in the background", stale)
            self.reattributing = asyncio.create_task(self.in_background(self.conversation.reattribute))
            self.reattributing.add_done_callback(_reported)
        self.feeds = Feeds(engine, self.settings.feeds)
        self.watchers = Watchers(engine)
        self.shelf_store = engine.shelves
        self.shelves = await loop.run_in_executor(self.executor, engine.shelves.load)
        self.conversations = conversations = engine.library.conversations
        telegram = self.settings.telegram
        self.limiters = {
            "questions": RateLimiter(conversations, "questions", telegram.rate_limit_per_minute),
            "presses": RateLimiter(conversations, "presses", telegram.press_limit_per_minute),
            "everyone": RateLimiter(conversations, "everyone", telegram.global_rate_per_minute),
        }

    def interrupt(self) -> None:
        """A stop signal: an ingest under way stops soon (its last batch is not written), so shutdown is quick."""
        if self.conversation is not None:
            self.conversation.stop_adding(at_once=True)

    async def stop(self) -> None:
        """Let running engine work (an answer, an ingest) finish, then close the store."""
        await asyncio.to_thread(self.background.shutdown, wait=True, cancel_futures=True)
        await asyncio.to_thread(self.executor.shutdown, wait=True, cancel_futures=True)
        if self.conversation is not None:
            self.conversation.close()

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """Run engine work in the worker pool; refuse (Busy) when `max_pending` jobs already wait or run."""
        if self.pending >= self.settings.telegram.max_pending:
            raise Busy
        self.pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)
        finally:
            self.pending -= 1

    async def in_background(self, fn: Callable[..., T], *args: object) -> T:
        """Run work no one waits for (polling feeds) in its own thread, beside the answers' workers."""
        return await asyncio.get_running_loop().run_in_executor(self.background, fn, *args)


def _reported(task: asyncio.Task) -> None:
    """A background attribution that failed is logged (once; the bot goes on with the quotes as stored)."""
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("attributing the stored quotes again failed: %s", error)

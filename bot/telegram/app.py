"""The composition root: build the Telegram Application around one Service, and run it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Coroutine
from pathlib import Path

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest

from bot.engine import Engine, build_engine
from bot.settings import Settings
from bot.telegram.feeds import keep_shelves, poll_feeds, relay_reports
from bot.telegram.handlers import register
from bot.telegram.legacy import import_state
from bot.telegram.menu import set_menus
from bot.telegram.service import Service

log = logging.getLogger(__name__)
HEARTBEAT_FILE = "heartbeat"  # touched by the running bot
HEARTBEAT_SECONDS = 10.0
HEARTBEAT_LATE = 60.0  # a beat older than this: the bot is not running


def build_application(
    settings: Settings, make_engine: Callable[[Settings], Engine] = build_engine, request: BaseRequest | None = None
) -> Application:
    if settings.telegram.token is None:
        raise ValueError("set WHOSAID_TELEGRAM_TOKEN to the token @BotFather gave you")
    service = Service(settings, make_engine)

    def beat() -> Coroutine[None, None, None]:
        return beat_forever(settings.store.data_dir / HEARTBEAT_FILE)

    async def post_init(app: Application) -> None:
        await service.start()
        assert service.conversations is not None
        await asyncio.to_thread(import_state, settings.store.data_dir, service.conversations)
        await set_menus(app.bot, service.access)
        service.tasks = [asyncio.create_task(poll_feeds(app), name="feeds"), asyncio.create_task(beat(), name="beat")]
        if settings.store.database_url is not None:  # the ingest workers' reports; the other bots' choices
            service.tasks.append(asyncio.create_task(relay_reports(app), name="reports"))
            service.tasks.append(asyncio.create_task(keep_shelves(app), name="shelves"))
        log.warning("whosaid is ready as @%s", app.bot.username)

    async def post_shutdown(app: Application) -> None:
        for task in service.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await service.stop()

    settings.store.data_dir.mkdir(parents=True, exist_ok=True)
    builder = (
        ApplicationBuilder()
        .token(settings.telegram.token.get_secret_value())
        .base_url(settings.telegram.api_url)
        .concurrent_updates(True)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:  # a long poll cancelled at shutdown may hold its connection; PTB's last getUpdates then needs another
        builder = builder.get_updates_connection_pool_size(2)
    if settings.telegram.file_url:
        builder = builder.base_file_url(settings.telegram.file_url)
    app = builder.build()
    app.bot_data["service"] = service
    register(app)
    return app


async def beat_forever(path: Path) -> None:
    """Touch the heartbeat file every HEARTBEAT_SECONDS while the event loop runs (`whosaid health` reads it)."""
    while True:
        await asyncio.to_thread(path.touch)
        await asyncio.sleep(HEARTBEAT_SECONDS)


def serve(settings: Settings) -> None:
    app = build_application(settings)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def on_signal() -> None:
        app.bot_data["service"].interrupt()
        app.stop_running()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)
    telegram = settings.telegram
    if telegram.webhook_url:
        app.run_webhook(
            listen=telegram.webhook_listen,
            port=telegram.webhook_port,
            url_path="telegram",
            webhook_url=telegram.webhook_url.rstrip("/") + "/telegram",
            secret_token=telegram.webhook_secret.get_secret_value() if telegram.webhook_secret else None,
            allowed_updates=Update.ALL_TYPES,
            stop_signals=None,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES, stop_signals=None)

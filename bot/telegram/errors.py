"""The error handler: the user is told, the traceback is logged (and sent to the admin chat, escaped and cut to
fit one message), and the bot goes on."""

from __future__ import annotations

import html
import logging
import traceback
from contextlib import suppress

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.telegram.service import Busy

log = logging.getLogger(__name__)
TRACE_CHARS = 3500  # of the 4,096 a message may hold


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message if isinstance(update, Update) else None
    if isinstance(context.error, Busy):
        if message is not None:
            with suppress(TelegramError):
                await message.reply_text("I'm busy with other questions — please try again in a minute.")
        return
    log.error("Exception while handling an update", exc_info=context.error)
    if message is not None:
        try:
            await message.reply_text("Sorry, something went wrong on my side. Please try again.")
        except Exception:
            log.warning("could not tell the user about the error", exc_info=True)
    service = context.bot_data.get("service")
    admin_chat = service.settings.telegram.admin_chat_id if service is not None else None
    if admin_chat and context.error is not None:
        trace = "".join(traceback.format_exception(None, context.error, context.error.__traceback__))
        try:
            await context.bot.send_message(admin_chat, f"<b>Error</b>\n<pre>{html.escape(trace[-TRACE_CHARS:])}</pre>")
        except Exception:
            log.warning("could not notify the admin chat", exc_info=True)

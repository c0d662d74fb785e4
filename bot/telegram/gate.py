"""The one gate every Telegram update passes before any handler (handler group -1): who may ask, who may add
or remove articles, how often, how long a message may be. A handler cannot forget it: the gate finds the route
that would handle the update and applies that route's rule, and an update no route takes goes no further."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, ContextTypes

from bot.telegram.render import esc


@dataclass(frozen=True)
class Route:
    """A handler and what it needs beyond being allowed to ask: `edits` (it adds or removes articles), and which
    per-user rate limit it counts against (a button press is not a question, but it is limited too)."""

    handler: BaseHandler
    edits: bool = False
    limit: Literal["questions", "presses"] = "questions"


def route_for(routes: Sequence[Route], update: Update) -> Route | None:
    """The route PTB will run for this update: the first whose handler accepts it, as the Application picks."""
    for route in routes:
        check = route.handler.check_update(update)
        if check is not None and check is not False:
            return route
    return None


class Gate:
    """The callback of a TypeHandler over every Update in group -1; raises ApplicationHandlerStop to refuse."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = list(routes)

    async def __call__(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update):
            raise ApplicationHandlerStop
        route = route_for(self.routes, update)
        if route is None:
            raise ApplicationHandlerStop  # nothing would handle it
        refusal = await self.refusal(update, context, route)
        if refusal is None:
            return
        if update.callback_query is not None:
            await update.callback_query.answer(refusal.reason, show_alert=True)
        elif update.effective_message is not None and self.worth_saying(context, update, refusal):
            await update.effective_message.reply_text(esc(refusal.reason))
        raise ApplicationHandlerStop

    @staticmethod
    def worth_saying(context: ContextTypes.DEFAULT_TYPE, update: Update, refusal: Refusal) -> bool:
        """A "please wait" is said once per burst: the messages after it, until the wait is over, get none."""
        if refusal.wait == 0.0 or update.effective_user is None:
            return True
        quiet: dict[int, float] = context.bot_data.setdefault("quiet_until", {})
        now, user = time.monotonic(), update.effective_user.id
        if quiet.get(user, 0.0) > now:
            return False
        quiet[user] = now + refusal.wait
        return True

    @staticmethod
    async def refusal(update: Update, context: ContextTypes.DEFAULT_TYPE, route: Route) -> Refusal | None:
        """Why this update is refused, or None. Access first, then size, then the rate limits (which count it)."""
        svc = context.bot_data["service"]
        user = update.effective_user.id if update.effective_user else None
        chat = update.effective_chat.id if update.effective_chat else None
        reason = svc.access.may_ask(user, chat) or (svc.access.may_edit(user) if route.edits else None)
        message = update.effective_message if update.callback_query is None else None
        text = (message.text or message.caption) if message is not None else None
        limit = svc.settings.telegram.max_message_chars
        if reason is None and text and len(text) > limit:
            reason = f"That message is {len(text):,} characters long; I take up to {limit:,}."
        if reason is not None:
            return Refusal(reason)
        if user is not None and (wait := await asyncio.to_thread(svc.limiters[route.limit].retry_after, user)):
            return Refusal(f"You're asking faster than I can read — please wait {wait:.0f} s and try again.", wait)
        if wait := await asyncio.to_thread(svc.limiters["everyone"].retry_after, 0):
            return Refusal(f"I'm answering a lot of people right now — please try again in {wait:.0f} s.", wait)
        return None


@dataclass(frozen=True)
class Refusal:
    """Why an update is not handled; `wait`: the seconds until a rate limit lets it through (0: not a limit)."""

    reason: str
    wait: float = 0.0

"""Daily digests: `/digest 08:00 Europe/Berlin` sends a chat, once a day at that local time, who said what for
its watches since the last digest, newest first, a page at a time."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel

from bot.answer.models import Answer
from bot.format import when
from bot.watches import Watchers
from index.store.watches import Digest

PAGE = 5
DAY = 86400.0
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


class DigestPage(BaseModel):
    """One page of a digest: the statements found in (after, until], newest first."""

    chat_id: int
    after: float
    until: float
    page: int
    pages: int
    total: int
    answer: Answer | None


def parse_digest(argument: str, chat_id: int, now: float) -> Digest | str:
    """ "08:00" or "08:00 Europe/Berlin" (UTC when no zone is given): the digest, or why it cannot be."""
    parts = argument.split()
    if not parts or not (m := _TIME.match(parts[0])):
        return "give a time as HH:MM, e.g. /digest 08:00 Europe/Berlin"
    zone = parts[1] if len(parts) > 1 else "UTC"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return f"I don't know the time zone {zone!r}; use a name such as Europe/Berlin or America/New_York"
    at = f"{int(m[1]):02d}:{m[2]}"
    return Digest(chat_id=chat_id, at=at, zone=zone, next_due=next_time(at, zone, now))


def next_time(at: str, zone: str, now: float) -> float:
    """The first moment after `now` when the clock in `zone` shows `at`."""
    local = datetime.fromtimestamp(now, ZoneInfo(zone))
    hour, minute = (int(x) for x in at.split(":"))
    due = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if due.timestamp() <= now:
        due = (due + timedelta(days=1)).replace(hour=hour, minute=minute)
    return due.timestamp()


def digest_page(watchers: Watchers, chat_id: int, after: float, until: float, page: int) -> DigestPage:
    """Page `page` of the statements found for the chat's watches in (after, until], newest first."""
    hits = [h for h in watchers.table.since(chat_id, after) if h.found <= until]
    pages = max(1, -(-len(hits) // PAGE))
    page = min(max(page, 0), pages - 1)
    shown = hits[page * PAGE : (page + 1) * PAGE]
    lead = f"Who said what for your watches since {when(after)}: "
    answer, _ = watchers.statements(shown, lead) if shown else (None, 0)
    return DigestPage(chat_id=chat_id, after=after, until=until, page=page, pages=pages, total=len(hits), answer=answer)


def due_digests(watchers: Watchers, now: float) -> list[DigestPage]:
    """The first page of each digest due, each digest moved to its next day (a chat that watches no one gets no
    message)."""
    pages = []
    for digest in watchers.table.digests(due_by=now):
        after = digest.last_sent if digest.last_sent is not None else digest.next_due - DAY
        if watchers.table.of_chat(digest.chat_id):
            pages.append(digest_page(watchers, digest.chat_id, after, now, 0))
        later = digest.model_copy(update={"last_sent": now, "next_due": next_time(digest.at, digest.zone, now)})
        watchers.table.set_digest(later, digest.chat_id)
    return pages

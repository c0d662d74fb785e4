"""Render answers as plain text (CLI, terminal chat); the Telegram HTML renderer lives beside it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.answer.compose import counted, quoted
from bot.answer.models import Answer, Citation, by_article, outlet_date


def markers(cited: Sequence[Citation]) -> str:
    """ "[1]", or "[1, 3]" for an article cited twice."""
    return f"[{', '.join(str(c.n) for c in cited)}]"


ALSO_SHOWN = 3


def when(moment: float) -> str:
    """A moment as the bot writes it: "2026-12-07 21:40 UTC"."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M UTC")


def also_in(places: Sequence[str]) -> str:
    """ "also in 2 other outlets: Daily Echo, 2026-02-03; Valley Gazette" for a source whose story other
    articles also carry (the first ALSO_SHOWN named); "" when none does."""
    if not places:
        return ""
    more = "; …" if len(places) > ALSO_SHOWN else ""
    return f"also in {counted(len(places), 'other outlet')}: {'; '.join(places[:ALSO_SHOWN])}{more}"


def source_line(cited: Sequence[Citation]) -> str:
    """One article's line in a list of sources, with the markers of every passage cited from it."""
    c = cited[0]
    parts = [c.title or c.article_id]
    if meta := outlet_date(c.source, c.published):
        parts.append(f"({meta})")
    line = f"{markers(cited)} " + " ".join(parts)
    line = f"{line} {c.url}" if c.url else line
    return f"{line} ({also_in(c.also_in)})" if c.also_in else line


def render_text(answer: Answer, passages: bool = True) -> str:
    """An answer and its sources, each article once with the passages cited from it (marked when several)."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        for cited in by_article(answer.citations):
            lines.append(source_line(cited))
            for c in cited if passages else ():
                mark = f"[{c.n}] " if len(cited) > 1 else ""
                lines.append(f"    {mark}{quoted(' '.join(c.text.split()))}")
    return "\n".join(lines)

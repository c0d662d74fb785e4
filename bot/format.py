"""Render answers as plain text (CLI, terminal chat); the Telegram HTML renderer lives beside it."""

from __future__ import annotations

from bot.answer.compose import quoted
from bot.answer.models import Answer, Citation


def source_line(c: Citation) -> str:
    parts = [c.title or c.article_id]
    meta = ", ".join(p for p in (c.source, c.published) if p)
    if meta:
        parts.append(f"({meta})")
    line = f"[{c.n}] " + " ".join(parts)
    line = f"{line} {c.url}" if c.url else line
    return f"{line} (also in: {'; '.join(c.also_in)})" if c.also_in else line


def render_text(answer: Answer, passages: bool = True) -> str:
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            lines.append(source_line(c))
            if passages:
                lines.append(f"    {quoted(' '.join(c.text.split()))}")
    return "\n".join(lines)

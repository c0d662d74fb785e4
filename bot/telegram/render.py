"""Telegram HTML: answers, source lists and passages rendered safely, and split under the 4,096 limit."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.answer.compose import counted
from bot.answer.models import Answer, Citation, by_article, outlet_date
from bot.conversation import QuotePage
from bot.format import also_in, markers
from index.models import ArticleInfo, Quote
from index.text.marks import shown

LIMIT = 4096
_TOKEN = re.compile(r"<(/?)([a-z]+)([^>]*)>|&[#\w]+;|[^<&]+|[<&]", re.S)


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=False)


def source_html(c: Citation, cited: Sequence[Citation] = ()) -> str:
    """A source's line: its markers (every passage `cited` from it), linked title, outlet and date."""
    title = esc(c.title or c.article_id)
    if c.url and c.url.startswith(("http://", "https://")):
        title = f'<a href="{html.escape(c.url, quote=True)}">{title}</a>'
    meta = esc(outlet_date(c.source, c.published))
    also = f" ({esc(also_in(c.also_in))})" if c.also_in else ""
    return f"{markers(cited or [c])} {title}" + (f" — {meta}" if meta else "") + also


def answer_html(answer: Answer) -> str:
    """An answer and its sources, each article listed once with the markers of the passages cited from it."""
    lines = [esc(answer.answer)]
    if answer.citations:
        lines += ["", "<b>Sources</b>"] + [source_html(cited[0], cited) for cited in by_article(answer.citations)]
    return "\n".join(lines)


def quote_citation(n: int, quote: Quote, article: ArticleInfo | None) -> Citation:
    """A quote as a numbered source, for its button."""
    return Citation(
        n=n,
        article_id=quote.article_id,
        title=article.title if article else quote.article_id,
        source=article.source if article else None,
        url=article.url if article else None,
        published=article.published if article else None,
        text=quote.quote,
        start=quote.start,
        end=quote.end,
    )


LIKELY = 0.6
"""An attribution below the answers' bar but at least this sure is shown as "likely theirs"; below, "speaker
unsure" (the confidences are calibrated: about that share of such attributions are right)."""


def quotes_html(found: QuotePage, needed: float) -> str:
    """A page of a speaker's quotes, newest first, each with its article, outlet and date, marks shown paired
    (`index.text.marks.shown`); those attributed less surely than answers need are marked in words."""
    if not found.quotes:
        return f"I find no quotes from {esc(found.speaker)} in the articles."
    name = esc(found.name or found.speaker)
    count = counted(found.total, "quote")
    lines = [f"<b>What {name} is quoted as saying</b> ({count}, {found.sure} surely theirs)"]
    if found.pages > 1:
        lines[0] += f", page {found.page + 1} of {found.pages}"
    for n, (q, copies) in enumerate(zip(found.quotes, found.copies or [0] * len(found.quotes), strict=True), start=1):
        text = f"“{esc(shown(q.quote))}”" if q.kind == "direct" else esc(shown(q.quote))
        article = found.articles.get(q.article_id)
        where = esc(outlet_date(article.title, article.source, article.published)) if article else ""
        unsure = "" if q.trusted(needed) else "; likely theirs" if (q.confidence or 0) >= LIKELY else "; speaker unsure"
        also = f"; also in {counted(copies, 'other article')}" if copies else ""
        lines.append(f"[{n}] {text} <i>({where or esc(q.article_id)}{unsure}{also})</i>")
    return "\n".join(lines)


def articles_html(items: list[ArticleInfo], page: int, pages: int) -> str:
    if not items:
        return "No articles yet. Send me a link or a file to add one."
    lines = [f"<b>Articles</b> (page {page + 1} of {pages})"]
    for a in items:
        meta = esc(outlet_date(a.source, a.published))
        lines.append(f"• {esc(a.title)}" + (f" — {meta}" if meta else "") + f"\n  <code>{esc(a.id)}</code>")
    return "\n".join(lines)


def passage_html(c: Citation, context: str, start: int, end: int) -> str:
    """The paragraph around a citation, with the cited words in bold; `start:end` index `context`."""
    body = f"{esc(context[:start])}<b>{esc(context[start:end])}</b>{esc(context[end:])}"
    return f"{source_html(c)}\n\n<blockquote>{body}</blockquote>"


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """Cut HTML into messages of at most `limit` characters, at a line break where one is near,
    else between words; tags open at a cut are closed there and reopened in the next message."""
    messages: list[str] = []
    atoms: list[tuple[str, bool]] = []  # (atom, no tag open after it)
    stack: list[tuple[str, str]] = []  # (tag name, opening tag)
    for atom in _atoms(text):
        closing = "".join(f"</{name}>" for name, _ in reversed(stack))
        size = sum(len(a) for a, _ in atoms)
        if atoms and size + len(atom) + len(closing) > limit:
            cut = _line_cut(atoms)
            if cut is not None:
                messages.append("".join(a for a, _ in atoms[:cut]))
                atoms = atoms[cut + 1 :]
            else:
                messages.append("".join(a for a, _ in atoms) + closing)
                atoms = [(tag, False) for _, tag in stack]
        _track(atom, stack)
        atoms.append((atom, not stack))
    messages.append("".join(a for a, _ in atoms))
    return [m for m in (m.strip("\n") for m in messages) if m.strip()]


_MAX_ATOM = 200


def _atoms(text: str) -> list[str]:
    atoms: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if match.group(2) or token.startswith("&"):
            atoms.append(token)
            continue
        for piece in re.findall(r"\n|[^\S\n]+|[^\s]+[^\S\n]*", token):
            atoms.extend(piece[i : i + _MAX_ATOM] for i in range(0, len(piece), _MAX_ATOM))
    return atoms


def _track(atom: str, stack: list[tuple[str, str]]) -> None:
    match = _TOKEN.fullmatch(atom)
    if not match or not match.group(2):
        return
    name = match.group(2).lower()
    if not match.group(1):
        stack.append((name, atom))
    elif stack and stack[-1][0] == name:
        stack.pop()


def _line_cut(atoms: list[tuple[str, bool]]) -> int | None:
    """The last line break in the second half of the message with no tag open at it."""
    for i in range(len(atoms) - 1, len(atoms) // 2, -1):
        if atoms[i][0] == "\n" and (i == 0 or atoms[i - 1][1]):
            return i
    return None

"""What every interface shares: the commands' logic, follow-up context in a chat, examples, paging."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answer.models import Answer
from bot.commands import command_list
from bot.engine import Engine, IngestReport
from index.check import CheckReport, check
from index.models import ArticleInfo, IngestResult, Quote
from index.read.readers import Refusal

PAGE_SIZE = 8
_FOLLOW_UP = re.compile(r"^\s*(and|also|what about|how about|but)\b|\b(he|she|him|her|his|they|them|their)\b", re.I)
_PRONOUN = re.compile(r"\b(he|she|they)\b", re.I)
_URL = re.compile(r"^https?://\S+$")

HELP = (
    "I answer questions about the news articles I have read — above all who said what — and cite "
    "every claim with its source.\n\n"
    "Ask in plain words, for example:\n{examples}\n\n"
    "Commands: {commands}."
)


@dataclass
class ChatContext:
    """What the last answer in a chat was about, for follow-up questions."""

    speaker: str | None = None
    article_id: str | None = None


@dataclass
class Conversation:
    """Every command of every interface (Telegram, the terminal chat, the command line) goes through here."""

    engine: Engine
    contexts: dict[int, ChatContext] = field(default_factory=dict)

    def answer(self, question: str, article_ids: list[str] | None = None) -> Answer:
        """A question on its own, with no chat context (the command line)."""
        return self.engine.ask(question, article_ids)

    def scope(self, article: str | None, source: str | None, since: str | None) -> list[str] | None:
        return self.engine.scope(article, source, since)

    def ask(self, chat_id: int, question: str, article_ids: list[str] | None = None) -> Answer:
        """Answer in a chat's context: `article_ids` limits it (a reply to a source); otherwise a follow-up
        ("and what did he say…") takes the last answer's speaker or stays with its article."""
        context = self.contexts.setdefault(chat_id, ChatContext())
        question = question.strip()
        scope = article_ids
        if scope is None and _FOLLOW_UP.search(question) and (context.speaker or context.article_id):
            if context.speaker:
                question = _PRONOUN.sub(context.speaker, question, count=1)
            elif context.article_id:
                scope = [context.article_id]
        answer = self.engine.ask(question, article_ids=scope)
        if scope and article_ids is None and not answer.found:
            answer = self.engine.ask(question)
        if answer.found:
            context.speaker, context.article_id = answer.speaker, answer.article_id
        return answer

    def examples(self, count: int = 3) -> list[str]:
        return [f"What does “{a.title}” report?" for a in self.engine.articles()[:count] if a.title]

    def help_text(self) -> str:
        examples = self.examples() or ["(no articles yet: add some with /add URL or by sending a file)"]
        return HELP.format(examples="\n".join(f"• {e}" for e in examples), commands=command_list())

    def articles_page(self, page: int) -> tuple[list[ArticleInfo], int, int]:
        """The articles on `page` (0-based, clamped), the page shown and the number of pages."""
        articles = self.engine.articles()
        pages = max(1, -(-len(articles) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        return articles[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], page, pages

    def articles(self) -> list[ArticleInfo]:
        return self.engine.articles()

    def quotes_of(self, speaker: str | None = None, article_id: str | None = None) -> list[Quote]:
        return self.engine.quotes(speaker=speaker, article_id=article_id)

    def add(
        self,
        sources: list[str],
        on_article: Callable[[IngestResult], None] | None = None,
        on_refusal: Callable[[Refusal], None] | None = None,
    ) -> IngestReport:
        """Add articles from links (and, from the command line, files and folders)."""
        return self.engine.ingest(sources, on_article, on_refusal)

    def remove(self, article_id: str) -> bool:
        return self.engine.remove(article_id)

    @property
    def confidence_needed(self) -> float:
        """The confidence an attribution needs to be given as someone's words."""
        return self.engine.settings.quotes.confidence_needed

    def reattribute(self, everything: bool = False) -> list[IngestResult]:
        return self.engine.library.reattribute(everything)

    def answers_without_torch(self) -> bool:
        return self.engine.answers_without_torch()

    def check(self, repair: bool = False) -> CheckReport:
        return check(self.engine.library, repair=repair)

    def close(self) -> None:
        self.engine.close()

    def add_document(self, data: bytes, name: str) -> IngestReport:
        return self.engine.ingest_document(data, name)

    def passage(self, article_id: str, start: int, end: int) -> tuple[str, int, int] | None:
        """The paragraph holding `[start, end)` of an article, and the span's offsets within it."""
        article = self.engine.article(article_id)
        if article is None:
            return None
        text = article.text
        p_start = text.rfind("\n", 0, start) + 1
        p_end = text.find("\n", end)
        p_end = len(text) if p_end < 0 else p_end
        return text[p_start:p_end], start - p_start, end - p_start


def is_link(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def report_lines(report: IngestReport) -> list[str]:
    lines = []
    for r in report.results:
        where = f" ({r.source})" if r.source else ""
        if r.status in ("added", "replaced"):
            lines.append(f"{r.status.capitalize()}: {r.title}{where}, {r.chunks} passages. Id: {r.article_id}")
        elif r.status == "duplicate":
            lines.append(f"Already have it: {r.title} (same text as {r.duplicate_of})")
        else:
            lines.append(f"Already up to date: {r.title}")
    lines += [f"Refused {x.origin}: {x.reason}" for x in report.refused]
    return lines or ["Nothing was added."]

"""What every interface shares: the commands' logic, follow-up context in a chat, examples, paging."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from bot.answer.compose import counted
from bot.answer.models import Answer
from bot.answer.statements import statements_once
from bot.commands import command_lines
from bot.engine import Engine, IngestReport
from bot.follow_ups import MORE, WHO_IS_MEANT, ChatContext, follow, remember
from index.check import CheckReport, check
from index.models import EVERYTHING, ArticleInfo, IngestResult, Quote, Scope, Shelf
from index.read.readers import Refusal
from index.text.language import language_name

PAGE_SIZE = 8
QUOTES_PER_PAGE = 5
LEAD = "lead"  # the lease of the bot that polls feeds and sends alerts (`Conversation.lead`)
_URL = re.compile(r"^https?://\S+$")
_SMALL_TALK = {
    "thanks": re.compile(r"^\W*(thanks?( you)?( (so|very) much| a lot)?|thx|ty|cheers|much appreciated)\W*$", re.I),
    "farewell": re.compile(r"^\W*(bye|goodbye|good night|see you( later)?|ciao)\W*$", re.I),
    "agreed": re.compile(
        r"^\W*(ok(ay)?|great|cool|nice|got it|i see|sure|perfect|awesome|(that'?s |that is )?(very )?helpful|"
        r"that helps)\W*$",
        re.I,
    ),
    "greeting": re.compile(r"^\W*(hi|hello|hey|hiya|yo|good (morning|afternoon|evening))\W*$", re.I),
}
"""Messages that ask nothing, by what they say: each is answered as a person would answer it."""
REPLIES = {
    "thanks": "You're welcome! Ask me anything else about the articles.",
    "farewell": "Goodbye! I'll be here when you have another question about the articles.",
    "thanks and farewell": "You're welcome, and goodbye! I'll be here when you have another question.",
    "agreed": "Glad to help. Ask me anything else about the articles.",
}
FOREIGN = "It is in {language}: stored and searchable, but I find who said what in English articles only."
INTERRUPTED = "Stopped: I am shutting down. {kept} Please send the rest again later."
_TALK_PARTS = re.compile(r"[,;.!]+|\s+and\s+|\s+(?=(?:thanks?|thank you|thx|bye|goodbye|cheers)\b)", re.I)

HELP = (
    "I answer questions about the news articles I have read — above all who said what — and cite "
    "every claim with its source.\n\n"
    "Ask in plain words, for example:\n{examples}\n\n"
    "Commands:\n{commands}"
)


class QuotePage(BaseModel):
    """A page of someone's quotes: `total` of them, `sure` of which are attributed surely enough for answers."""

    speaker: str
    name: str | None = Field(None, description="the name shown on every page: the one most of their quotes carry")
    quotes: list[Quote]
    copies: list[int] = Field(default_factory=list, description="for each quote, how many other articles have it")
    articles: dict[str, ArticleInfo]
    page: int
    pages: int
    total: int
    sure: int


@dataclass
class Conversation:
    """Every command of every interface (Telegram, the terminal chat, the command line) goes through here; each
    chat's context is kept by its interface (the bot's survives a restart) and handed in."""

    engine: Engine

    def answer(self, question: str, article_ids: list[str] | None = None, shelf: Shelf = EVERYTHING) -> Answer:
        """A question on its own, with no chat context (the command line)."""
        return self.engine.ask(question, article_ids, shelf=shelf)

    def scope(
        self, article: str | None, source: str | None, since: str | None, shelf: Shelf = EVERYTHING
    ) -> list[str] | None:
        return self.engine.scope(article, source, since, shelf.reads)

    def ask(
        self,
        context: ChatContext,
        question: str,
        article_ids: list[str] | None = None,
        shelf: Shelf = EVERYTHING,
    ) -> Answer:
        """Answer in a chat's context (`follow_ups.follow`: who "he" is, which article is searched first):
        `article_ids` limits it (a reply to a source), `shelf` is what the chat may read. Thanks, goodbye and "ok"
        are answered as such; a greeting or a message with no words gets a line on what to ask."""
        question = question.strip()
        if talk := small_talk(question):
            return Answer(question=question, answer=REPLIES.get(talk) or self.nudge(shelf), found=False)
        read = follow(context, question, lambda text: self.engine.shape(text, shelf.reads))
        if read.unclear:
            return Answer(question=question, answer=WHO_IS_MEANT.format(pronoun=read.unclear), found=False)
        seen = context.shown if MORE.search(question) else ()
        answer, asked = None, set()
        for text, in_article in read.tries or ((question, False),):
            scope = article_ids or ([context.article_id] if in_article and context.article_id else None)
            if (text, str(scope)) not in asked:
                asked.add((text, str(scope)))
                answer = self.engine.ask(text, article_ids=scope, seen=seen, shelf=shelf)
            if answer is not None and answer.found:
                break
        answer = answer or self.engine.ask(question, article_ids=article_ids, shelf=shelf)
        remember(context, answer)  # "The closest is Vladimir Putin [1]: …" names him too
        return answer

    def reply(self, chat: ChatContext, about: ChatContext, question: str, shelf: Shelf = EVERYTHING) -> Answer:
        """A reply to an answer is about that answer: its speaker ("Who is he?") and its article, whatever the
        chat asked since; the chat's thread then follows it."""
        context = ChatContext(about.speaker, about.article_id, chat.shown if about.speaker == chat.speaker else ())
        scope = [about.article_id] if about.article_id else None
        answer = self.ask(context, question, scope, shelf)
        if scope and not answer.found:
            answer = self.ask(context, question, shelf=shelf)
        chat.speaker, chat.article_id, chat.shown = context.speaker, context.article_id, context.shown
        return answer

    def examples(self, count: int = 3, shelf: Shelf = EVERYTHING) -> list[str]:
        """Questions the articles `shelf` may read answer: who said a quote of theirs, what its speaker said; else
        what an article reports."""
        articles = self.engine.articles(shelf)[:count]
        found = []
        for quote in self.engine.library.quotes(Scope(articles=tuple(a.id for a in articles))):
            words = quote.quote.split()
            if quote.speaker and quote.kind == "direct" and len(words) >= 5 and (quote.confidence or 0) >= 0.9:
                found = [f"Who said “{' '.join(words[:6]).rstrip(',.;:')} …”?", f"What did {quote.speaker} say?"]
                break
        found += [f"What does “{a.title}” report?" for a in articles if a.title]
        return found[:count]

    def nudge(self, shelf: Shelf = EVERYTHING) -> str:
        """What to say to "hi", "thanks" or "?": what the bot is for, with two questions it can answer."""
        examples = self.examples(2, shelf)
        if not examples:
            return "Hello! I answer questions about news articles; none are added yet (see /help)."
        return "Hello! Ask me about the articles, for example: " + " or ".join(examples) + " (/help for more)"

    def help_text(self, edits: bool = True, shelf: Shelf = EVERYTHING) -> str:
        """What the bot does, example questions and the commands (`edits`: with those that add and remove)."""
        examples = self.examples(shelf=shelf) or ["(no articles yet: add some with /add URL or by sending a file)"]
        commands = "\n".join(command_lines(edits))
        return HELP.format(examples="\n".join(f"• {e}" for e in examples), commands=commands)

    def articles_page(self, page: int, shelf: Shelf = EVERYTHING) -> tuple[list[ArticleInfo], int, int]:
        """The articles on `page` (0-based, clamped), the page shown and the number of pages."""
        articles = self.engine.articles(shelf)
        pages = max(1, -(-len(articles) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        return articles[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], page, pages

    def articles(self, shelf: Shelf = EVERYTHING) -> list[ArticleInfo]:
        return self.engine.articles(shelf)

    def quotes_of(
        self, speaker: str | None = None, article_id: str | None = None, shelf: Shelf = EVERYTHING
    ) -> list[Quote]:
        return self.engine.quotes(speaker=speaker, article_id=article_id, shelf=shelf)

    def quotes_page(self, speaker: str, page: int, shelf: Shelf = EVERYTHING) -> QuotePage:
        """One page (0-based, clamped) of what someone is quoted as saying, newest first, each statement once
        (as the earliest article has it, with how many others do too), with their articles."""
        found = self.quotes_of(speaker, shelf=shelf)
        readable = {a.id: a for a in self.engine.articles(shelf)}
        once = statements_once(found, {a.id: a.published for a in readable.values()})
        pages = max(1, -(-len(once) // QUOTES_PER_PAGE))
        page = min(max(page, 0), pages - 1)
        shown = once[page * QUOTES_PER_PAGE : (page + 1) * QUOTES_PER_PAGE]
        ids = {q.article_id for q, _ in shown}
        names = Counter(q.speaker for q in found if q.speaker)
        return QuotePage(
            speaker=speaker,
            name=names.most_common(1)[0][0] if names else None,
            quotes=[q for q, _ in shown],
            copies=[n for _, n in shown],
            articles={i: a for i, a in readable.items() if i in ids},
            page=page,
            pages=pages,
            total=len(once),
            sure=sum(q.trusted(self.confidence_needed) for q, _ in once),
        )

    def stop_adding(self, at_once: bool) -> None:
        """Stop the articles being added: once those being embedded are stored, or `at_once` (a shutdown)."""
        if at_once:
            self.engine.library.stop_ingests()
        else:
            self.engine.library.finish_ingests()

    def add(
        self,
        sources: list[str],
        on_article: Callable[[IngestResult], None] | None = None,
        on_refusal: Callable[[Refusal], None] | None = None,
        shelf: Shelf = EVERYTHING,
    ) -> IngestReport:
        """Add articles from links (and, from the command line, files and folders) to the collection `shelf`
        writes to."""
        return self.engine.ingest(sources, on_article, on_refusal, shelf.writes)

    def queue(self, links: list[str], shelf: Shelf, chat_id: int | None) -> list[str] | None:
        """Links as ingest jobs for the workers, when the store is shared (PostgreSQL); what to tell the chat. None:
        the embedded store, where links are read here (`add`)."""
        jobs = self.engine.library.jobs
        if jobs is None:
            return None
        queued, waiting = jobs.enqueue_links(links, shelf.writes, chat_id)
        said = [f"Reading {counted(len(queued), 'link')}; I'll say when it's done."] if queued else []
        return said + [f"Already reading {link}" for link in waiting] or ["Nothing was added."]

    def lead(self) -> bool:
        """Whether this bot leads the bots sharing its store (taking the lead if no one holds it): the one that
        polls the feeds and sends the alerts and digests, so that each goes out once. It leads until it stops."""
        return self.engine.library.take_lease(LEAD)

    def job_reports(self) -> list[tuple[int, str]]:
        """What the workers reported for the chats that asked, each once (none with the embedded store)."""
        jobs = self.engine.library.jobs
        return jobs.take_reports() if jobs is not None else []

    def remove(self, article_id: str, shelf: Shelf = EVERYTHING) -> bool:
        """Remove an article: from a chat, only one of the collection it adds to."""
        return self.engine.remove(article_id, None if shelf.reads is None else shelf.writes)

    @property
    def confidence_needed(self) -> float:
        """The confidence an attribution needs to be given as someone's words."""
        return self.engine.settings.quotes.confidence_needed

    def reattribute(self, everything: bool = False) -> list[IngestResult]:
        return self.engine.library.reattribute(everything)

    def to_attribute(self) -> int:
        """Stored articles whose quotes an older whosaid or name normaliser attributed."""
        return self.engine.library.to_attribute()

    def answers_without_torch(self) -> bool:
        return self.engine.answers_without_torch()

    def check(self, repair: bool = False) -> CheckReport:
        return check(self.engine.library, repair=repair)

    def close(self) -> None:
        self.engine.close()

    def add_document(self, data: bytes, name: str, shelf: Shelf = EVERYTHING) -> IngestReport:
        return self.engine.ingest_document(data, name, shelf.writes)

    def passage(self, article_id: str, start: int, end: int, shelf: Shelf = EVERYTHING) -> tuple[str, int, int] | None:
        """The paragraph holding `[start, end)` of an article `shelf` may read, and the span's offsets in it."""
        article = self.engine.article(article_id, shelf)
        if article is None:
            return None
        text = article.text
        p_start = text.rfind("\n", 0, start) + 1
        p_end = text.find("\n", end)
        p_end = len(text) if p_end < 0 else p_end
        return text[p_start:p_end], start - p_start, end - p_start


def small_talk(text: str) -> str | None:
    """What a message that asks nothing says ("thanks", "farewell", "thanks and farewell", "agreed", "greeting";
    "nothing" for one with no letters or digits at all: "?", an emoji), or None for a question."""
    if not any(ch.isalnum() for ch in text):
        return "nothing"
    parts = [p for p in _TALK_PARTS.split(text) if p.strip()]  # "thanks, bye", "ok thanks"
    kinds = [next((kind for kind, said in _SMALL_TALK.items() if said.match(p)), None) for p in parts]
    if not kinds or None in kinds:
        return None
    if "thanks" in kinds and "farewell" in kinds:
        return "thanks and farewell"
    return next(kind for kind in _SMALL_TALK if kind in kinds)


def is_link(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def report_lines(report: IngestReport) -> list[str]:
    lines = []
    for r in report.results:
        where = f" ({r.source})" if r.source else ""
        if r.status in ("added", "replaced"):
            passages = counted(r.chunks, "passage")
            lines.append(f"{r.status.capitalize()}: {r.title}{where}, {passages}. Id: {r.article_id}")
            if r.language:
                lines.append(FOREIGN.format(language=language_name(r.language)))
        elif r.status == "duplicate":
            lines.append(f"Already have it: {r.title} (same text as {r.duplicate_of})")
        else:
            lines.append(f"Already up to date: {r.title}")
    lines += [f"Refused {x.origin}: {x.reason}" for x in report.refused]
    if report.interrupted:
        stored = len(report.stored)
        kept = "Nothing of this was stored."
        if stored:
            kept = f"The {counted(stored, 'article')} listed above {'is' if stored == 1 else 'are'} stored."
        lines.append(INTERRUPTED.format(kept=kept))
    return lines or ["Nothing was added."]

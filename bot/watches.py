"""Watches: a chat asks to hear when someone (`/watch Putin`), someone on a topic (`/watch Putin Donbas`) or
anyone on a topic (`/watch "peace plan"`) is newly quoted. `scan` reads the articles stored since it last looked
(added by hand, by file or by a feed, in any process) for every watch, in the collections the watch's chat may
read: a speaker by `match_speaker` (every name stored for them), a topic as "What did X say about Y?" is answered
(`quoting.statements_about`); only attributions sure enough to be named in answers. `alerts` gives, per chat, one
message of the statements not sent yet."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence

from pydantic import BaseModel

from bot.answer import compose
from bot.answer.models import Answer
from bot.answer.quoting import evidence_for, statements_about
from bot.answer.speakers import match_speaker
from bot.answer.statements import one_per_statement
from bot.engine import Engine
from index.models import Quote, Scope
from index.store.watches import Hit, Watch, Watches
from index.text.marks import QUOTED, direct_spans

MAX_ALERT_STATEMENTS = 6
MAX_WATCHES = 30
_ABOUT = re.compile(r"\s+(?:about|on)\s+", re.I)
_MEANT = re.compile(r"[^\W_]")
MAX_WATCH = 200


class Asked(BaseModel):
    """What a /watch asks for."""

    speaker: str | None = None
    topic: str | None = None


class Alert(BaseModel):
    """One message for a chat: the statements found for its watches, as an answer with citations."""

    chat_id: int
    answer: Answer
    watches: list[Watch]
    hits: list[Hit]
    more: int = 0


def parse_watch(argument: str, known: Callable[[str], bool]) -> Asked | None:
    """`"peace plan"` (quoted) is a topic; "X about Y" (or "X on Y") a speaker and a topic; otherwise the longest
    first words that name someone the articles quote (`known`), else the first capitalised words, are the speaker
    and the rest the topic. None when it names nothing (no letter or digit, or longer than MAX_WATCH)."""
    asked = _parse(" ".join(argument.split()), known)
    if asked is None or len(argument) > MAX_WATCH:
        return None
    speaker, topic = (x if x and _MEANT.search(x) else None for x in (asked.speaker, asked.topic))
    topic = None if topic and topic.lower() in ("about", "on") else topic
    return Asked(speaker=speaker, topic=topic) if speaker or topic else None


def _parse(text: str, known: Callable[[str], bool]) -> Asked | None:
    if spans := direct_spans(text):
        start, end = spans[0]
        speaker = " ".join(QUOTED.sub(" ", f"{text[:start]} {text[end:]}").split()).strip(" ,")
        return Asked(speaker=speaker or None, topic=text[start:end])
    if len(parts := _ABOUT.split(text, maxsplit=1)) == 2:
        return Asked(speaker=parts[0] or None, topic=parts[1] or None)
    words = text.split()
    if not words:
        return None
    cut = next((n for n in range(min(len(words), 4), 0, -1) if known(" ".join(words[:n]))), 0)
    if not cut:
        cut = next((n for n, w in enumerate(words[:3]) if not w[:1].isupper()), min(len(words), 3))
    if not cut:
        return Asked(topic=text)
    return Asked(speaker=" ".join(words[:cut]), topic=" ".join(words[cut:]) or None)


class Watchers:
    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.clock = clock

    @property
    def table(self) -> Watches:
        return self.engine.watches

    @property
    def _needed(self) -> float:
        return self.engine.settings.quotes.confidence_needed

    def watch(self, chat_id: int, argument: str, collections: Sequence[str]) -> Watch | str:
        """A new watch for the chat, or why not."""
        library = self.engine.library

        def known(name: str) -> bool:
            return match_speaker(library, name, self._needed, collections).chosen is not None

        asked = parse_watch(argument, known)
        if asked is None:
            return f"say whom or what to watch, in {MAX_WATCH} characters at most"
        if len(self.table.of_chat(chat_id)) >= MAX_WATCHES:
            return f"this chat already has {MAX_WATCHES} watches, the most it may"
        return self.table.add(chat_id, asked.speaker, asked.topic, collections, self.clock())

    def scan(self) -> int:
        """Read the articles stored since the last scan for every watch; how many statements were found."""
        new = self.table.new_articles()
        if not new:
            return 0
        now = self.clock()
        hits: list[Hit] = []
        for watch in self.table.of_chat(None):
            ids = [a.id for a in new if a.collection in watch.collections]
            for quote in self._statements(watch, ids) if ids else []:
                hit = Hit(
                    watch_id=watch.id,
                    article_id=quote.article_id,
                    start=quote.start,
                    end=quote.end,
                    speaker=quote.speaker or "",
                    found=now,
                )
                hits.append(hit)
        self.table.found(hits, new[-1].rowid)
        return len(hits)

    def _statements(self, watch: Watch, article_ids: list[str]) -> list[Quote]:
        scope = tuple(article_ids)
        library, policy = self.engine.library, self.engine.settings.quotes
        names = None
        if watch.speaker:
            names = match_speaker(library, watch.speaker, self._needed, watch.collections).names
            if not names:
                return []
        if watch.topic:
            return [q for _, q in statements_about(library, watch.topic, names, policy, Scope(articles=scope))[0]]
        chosen = None if names is None else tuple(names)
        return [q for q in library.quotes(Scope(articles=scope, speakers=chosen)) if q.trusted(self._needed)]

    def alerts(self) -> list[Alert]:
        """One alert per chat with statements not sent yet (watches not muted), oldest first."""
        unsent = self.table.unsent()
        watches = {w.id: w for w in self.table.of_chat(None)}
        by_chat: dict[int, list[Hit]] = {}
        for hit in unsent:
            by_chat.setdefault(watches[hit.watch_id].chat_id, []).append(hit)
        found = []
        for chat_id, hits in by_chat.items():
            answer, shown = self.statements(hits[:MAX_ALERT_STATEMENTS], "New for your watches: ")
            involved = sorted({h.watch_id for h in hits})
            if answer is not None:
                alert = Alert(chat_id=chat_id, answer=answer, watches=[watches[i] for i in involved], hits=hits)
                found.append(alert.model_copy(update={"more": len(hits) - shown}))
            else:
                self.table.sent(hits)  # nothing verbatim to show: never retried
        return found

    def statements(self, hits: Sequence[Hit], lead: str) -> tuple[Answer | None, int]:
        """The hits' statements as one answer (each statement once, verbatim), and how many hits it shows."""
        quotes = {
            (q.article_id, q.start): q
            for q in self.engine.library.quotes(Scope(articles=tuple(sorted({h.article_id for h in hits}))))
        }
        items = []
        for hit in hits:
            quote = quotes.get((hit.article_id, hit.start))
            if quote is not None and (evidence := evidence_for(self.engine.library, quote, 1.0)) is not None:
                items.append((quote, evidence))
        return compose.quote_answer("", one_per_statement(items), lead=lead), len(hits)

    def delivered(self, alert: Alert) -> None:
        self.table.sent(alert.hits)

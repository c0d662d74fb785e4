"""Following feeds for a collection: `follow` finds a feed (the link itself, or one its page names) and records
it; `poll_due` asks each feed whose time has come whether it changed (ETag, Last-Modified), reads its new
entries' pages through the same SSRF-safe fetcher as links, and stores them in the feed's collection. A feed
that fails is tried again later and later, and paused after `pause_after` failures in a row."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from pydantic import BaseModel, Field

from bot.engine import Engine, IngestReport
from bot.format import when
from bot.settings import FeedSettings
from index.models import IngestResult
from index.read.feeds import Entry, Feed, feed_links, is_feed, parse_feed
from index.read.fetch import FEED_TYPES, Fetched, Validators, fetch
from index.read.readers import IngestError, Refusal
from index.read.urls import canonical
from index.store.sources import Source, Sources


class Followed(BaseModel):
    """What /follow found: the source (None when refused, with `refusal` saying why) and its entries now."""

    source: Source | None = None
    refusal: str | None = None
    entries: int = 0
    again: bool = Field(False, description="the collection already followed it")


class Polled(BaseModel):
    """One poll of one source."""

    source: Source
    stored: list[IngestResult] = Field(default_factory=list)
    refused: list[Refusal] = Field(default_factory=list)
    not_modified: bool = False
    error: str | None = None
    paused: bool = Field(False, description="this poll's failure paused the source")
    interrupted: bool = Field(False, description="a shutdown stopped it: what is listed was stored, no entry marked")


class _Reading(BaseModel):
    """A source whose feed has entries to read: which, and what to record once they are read."""

    source: Source
    title: str
    validators: Validators
    take: list[Entry]
    more: bool = Field(description="entries left for the next poll")


class Feeds:
    def __init__(self, engine: Engine, settings: FeedSettings, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock

    @property
    def sources(self) -> Sources:
        return self.engine.sources

    def follow(self, url: str, collection: str, chat_id: int | None = None) -> Followed:
        """Follow the feed at `url`, or the first one the page at `url` names, for `collection`."""
        url = url.strip()
        if not url.startswith(("http://", "https://")):
            return Followed(refusal="send the http(s) link of a feed (RSS or Atom) or of a site that has one")
        known = self.sources.listed([collection])
        if len(known) >= self.settings.max_sources and not any(url in (s.given_url, s.feed_url) for s in known):
            return Followed(refusal=f"this chat already follows {len(known)} feeds, the most it may")
        try:
            fetched, feed = self._find(url)
        except IngestError as error:
            return Followed(refusal=str(error))
        address = canonical(fetched.url)
        again = any(s.feed_url == address for s in known)
        source = self.sources.add(address, url, feed.title, collection, chat_id, self.clock())
        return Followed(source=source, entries=len(feed.entries), again=again)

    def _find(self, url: str) -> tuple[Fetched, Feed]:
        fetched = fetch(url, self.engine.link_policy, FEED_TYPES)
        if not is_feed(fetched.data):
            named = feed_links(fetched.data, fetched.url)
            if not named:
                raise IngestError("I find no RSS or Atom feed there: send the feed's own link")
            fetched = fetch(named[0], self.engine.link_policy, FEED_TYPES)
        return fetched, parse_feed(fetched.data, fetched.url)

    def unfollow(self, source_id: int, collection: str | None) -> Source | None:
        """Stop following a source (of `collection` only, when given); what it added stays."""
        source = self.sources.get(source_id)
        if source is None or (collection is not None and source.collection != collection):
            return None
        self.sources.remove(source_id)
        return source

    def listed(self, collections: Sequence[str] | None) -> list[Source]:
        return self.sources.listed(collections)

    def poll_due(self, everything: bool = False) -> list[Polled]:
        """Poll the sources whose time has come (`everything`: every source not paused)."""
        return self.poll(self.sources.due(float("inf") if everything else self.clock()))

    def poll(self, sources: Sequence[Source]) -> list[Polled]:
        """Ask each source for its feed, then read the new entries of all of them together, one ingest per
        collection (one index refresh, and the quote worker beside it when there are several batches)."""
        now = self.clock()
        checked = [self._check(source, now) for source in sources]
        polls = [c for c in checked if isinstance(c, Polled)]
        reading = [c for c in checked if isinstance(c, _Reading)]
        for collection in dict.fromkeys(r.source.collection for r in reading):
            mine = [r for r in reading if r.source.collection == collection]
            report = self.engine.ingest([e.link for r in mine for e in r.take], collection=collection)
            polls += [self._read(r, report, now) for r in mine]
        return polls

    def _check(self, source: Source, now: float) -> Polled | _Reading:
        """The source's feed fetched and parsed, with the entries to read (a Polled when there are none)."""
        try:
            fetched = fetch(source.feed_url, self.engine.link_policy, FEED_TYPES, source.validators)
            feed = None if fetched.not_modified else parse_feed(fetched.data, fetched.url)
        except IngestError as error:
            return self._failed(source, str(error), now)
        validators = Validators(
            etag=fetched.validators.etag or source.etag,
            last_modified=fetched.validators.last_modified or source.last_modified,
        )
        if feed is None:
            self.sources.polled(source, validators, source.title, 0, now, self._interval)
            return Polled(source=source, not_modified=True)
        unread = self.sources.unread(source, feed.entries, self.settings.entry_tries)
        take = unread[: self.settings.entries_per_poll]
        if source.last_poll is None:  # first poll: the newest entries only, the older ones are past news
            self.sources.seen(source, unread[len(take) :], {}, now)
        more = source.last_poll is not None and len(unread) > len(take)
        return _Reading(source=source, title=feed.title, validators=validators, take=take, more=more)

    def _read(self, reading: _Reading, report: IngestReport, now: float) -> Polled:
        """What an ingest stored and refused of one source's entries, recorded as seen (unless a shutdown
        stopped the ingest); with entries left to read, the next poll reads the feed whole."""
        source, links = reading.source, {e.link for e in reading.take}
        stored = [r for r in report.stored if r.origin in links]
        refused = [r for r in report.refused if r.origin in links]
        if report.interrupted:
            return Polled(source=source, stored=stored, refused=refused, interrupted=True)
        self.sources.seen(source, reading.take, {r.origin: r.reason for r in refused}, now)
        kept = Validators() if refused or reading.more else reading.validators
        self.sources.polled(source, kept, reading.title, len(stored), now, self._interval)
        return Polled(source=source, stored=stored, refused=refused)

    def _failed(self, source: Source, error: str, now: float) -> Polled:
        failures = source.failures + 1
        pause = failures >= self.settings.pause_after
        after = min(self._interval * 2 ** (failures - 1), self.settings.max_backoff_minutes * 60)
        self.sources.failed(source, error, now, after, pause)
        return Polled(source=source, error=error, paused=pause)

    @property
    def _interval(self) -> float:
        return self.settings.poll_minutes * 60


def followed_text(followed: Followed, settings: FeedSettings) -> str:
    """The reply to /follow."""
    source = followed.source
    if source is None:
        return f"I can't follow that: {followed.refusal}."
    first = "Already following" if followed.again else "Following"
    return (
        f"{first} “{source.title}” ({source.feed_url}): {followed.entries} entries now. I read the newest "
        f"{min(followed.entries, settings.entries_per_poll)} in the background and check for new ones every "
        f"{settings.poll_minutes:g} minutes; /sources lists what I follow."
    )


def source_lines(sources: Sequence[Source], writes: str | None) -> list[str]:
    """/sources: each feed with its number, last poll, articles and last error; those of the shared collection
    marked as such (`writes` None, as on the command line: each feed's collection named)."""
    if not sources:
        return ["I follow no feeds for this chat. An admin can add one with /follow URL."]
    lines = ["The feeds I follow:"]
    for s in sources:
        if writes is None:
            shared = f" (collection {s.collection})"
        else:
            shared = "" if s.collection == writes else " (shared with every chat)"
        polled = f"last checked {when(s.last_poll)}" if s.last_poll else "not checked yet"
        state = f"{polled}, {s.articles} article{'s' * (s.articles != 1)} so far"
        if s.paused:
            state += f"; paused after {s.failures} failed checks: {s.last_error}"
        elif s.last_error:
            state += f"; the last check failed ({s.last_error}), trying again at {when(s.next_poll)}"
        lines.append(f"{s.id}. {s.title}{shared}: {s.feed_url}\n    {state}")
    lines.append("Stop following one with /unfollow followed by its number.")
    return lines


def paused_text(polled: Polled) -> str:
    """What the chat that followed a source is told when it is paused."""
    s = polled.source
    return (
        f"I stopped checking “{s.title}” ({s.feed_url}): it failed {s.failures + 1} times in a row, last with: "
        f"{polled.error}. Send /follow {s.given_url} to start again."
    )

"""A news site generated at test time: article pages, an RSS or Atom feed of them that answers conditional
requests (ETag, Last-Modified) with 304, a home page naming the feed, and switches to make the feed slow or
broken. Served by `tests.httpserver.serve` from `routes`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

PEOPLE = [
    ("Mara Quint", "the transport councillor", "the ferry will run every twenty minutes from June"),
    ("Jonas Abele", "the harbour master", "the old pier cannot take another winter of storms"),
    ("Priya Ramanathan", "the health minister", "waiting lists for knee surgery will halve by autumn"),
    ("Oskar Lindqvist", "the union leader", "the dockworkers will strike unless the pay offer improves"),
    ("Fatima Haddad", "the school inspector", "three village schools need new roofs before the rains"),
    ("Tobias Wren", "the fire chief", "the wildfire season now starts a month earlier than it did"),
    ("Lucia Ferro", "the museum director", "the stolen tapestry was recovered in a farmhouse attic"),
    ("Henrik Mbeki", "the rail operator's chief", "night trains to the coast will return next spring"),
    ("Ada Kowalczyk", "the water board chair", "the reservoir is fuller than at any time in a decade"),
    ("Samuel Okoro", "the mayor", "the city will plant ten thousand trees along the ring road"),
    ("Ingrid Holm", "the police commissioner", "bicycle thefts fell by a third after the new racks"),
    ("Rafael Duarte", "the airport spokesman", "the second runway will not open before 2030"),
]
DAY0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def conditionally(headers: object, body: bytes, kind: str, delay: float = 0.0) -> tuple:
    """A feed's route answer (`tests.httpserver.Route`) to a conditional request: 304 when the client's ETag is
    that of `body`, else the body with its ETag."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    if headers.get("If-None-Match") == etag:  # type: ignore[attr-defined]
        return (304, {"ETag": etag}, b"", delay)
    return (200, {"Content-Type": kind, "ETag": etag}, body, delay)


@dataclass
class Story:
    n: int
    speaker: str
    role: str
    claim: str

    @property
    def path(self) -> str:
        return f"/news/story-{self.n}.html"

    @property
    def title(self) -> str:
        return f"{self.speaker.split()[-1]}: {self.claim[:40]}"

    @property
    def published(self) -> datetime:
        return DAY0 + timedelta(hours=self.n)

    def page(self) -> bytes:
        words = (
            f"<p>{self.speaker}, {self.role}, spoke to reporters on {self.published:%A} (story {self.n}).</p>"
            f"<p>“I can tell you that {self.claim},” {self.speaker} said. “We have checked the figures twice.”</p>"
            f"<p>Residents gave the announcement a mixed welcome at a meeting in the town hall later that day, "
            f"where several asked how the plan would be paid for and when work would begin.</p>"
        )
        return (
            f"<html><head><title>{escape(self.title)}</title></head><body><article><h1>{escape(self.title)}</h1>"
            f"{words}</article></body></html>"
        ).encode()


@dataclass
class FeedSite:
    """`stories` are published in order; `published` of them are in the feed."""

    atom: bool = False
    published: int = 0
    stories: list[Story] = field(default_factory=list)
    delay: float = 0.0  # seconds the feed takes to answer
    broken: bool = False  # the feed answers HTTP 500
    base: str = ""  # the server's address, set once it is serving
    conditional_hits: int = 0  # requests answered 304

    def __post_init__(self) -> None:
        if not self.stories:
            self.stories = [Story(n, *PEOPLE[n % len(PEOPLE)]) for n in range(len(PEOPLE))]

    def publish(self, count: int = 1) -> list[Story]:
        new = self.stories[self.published : self.published + count]
        self.published += len(new)
        return new

    @property
    def feed_path(self) -> str:
        return "/feed.atom" if self.atom else "/rss.xml"

    def routes(self) -> dict:
        html = {"Content-Type": "text/html; charset=utf-8"}
        routes: dict = {s.path: (200, html, s.page(), 0.0) for s in self.stories}
        routes[self.feed_path] = self._feed_route
        kind = "application/atom+xml" if self.atom else "application/rss+xml"
        home = f'<html><head><link rel="alternate" type="{kind}" href="{self.feed_path}"></head><body>News</body>'
        routes["/"] = (200, html, home.encode(), 0.0)
        return routes

    def _feed_route(self, headers: object) -> tuple:
        if self.broken:
            return (500, {}, b"server error", 0.0)
        kind = "application/atom+xml" if self.atom else "application/rss+xml"
        answer = conditionally(headers, self.feed(), kind, self.delay)
        self.conditional_hits += answer[0] == 304
        return answer

    def feed(self) -> bytes:
        shown = list(reversed(self.stories[: self.published]))
        if self.atom:
            items = "".join(
                f"<entry><id>tag:site,2026:{s.n}</id><title>{escape(s.title)}</title>"
                f'<link href="{self.base}{s.path}"/><updated>{s.published.isoformat()}</updated></entry>'
                for s in shown
            )
            return (
                '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>Harbour Town News</title><id>tag:site,2026</id>{items}</feed>"
            ).encode()
        items = "".join(
            f"<item><title>{escape(s.title)}</title><link>{self.base}{s.path}?utm_source=rss</link>"
            f"<guid>{self.base}{s.path}</guid><pubDate>{format_datetime(s.published)}</pubDate></item>"
            for s in shown
        )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Town Gazette</title>'
            f"<link>{self.base}/</link>{items}</channel></rss>"
        ).encode()

"""Feeds: RSS and Atom read with feedparser, and a site's feeds found from its page's
`<link rel="alternate" type="application/rss+xml" href="…">` tags."""

from __future__ import annotations

from calendar import timegm
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser
from lxml import html as lxml_html
from pydantic import BaseModel

from index.read.readers import IngestError
from index.read.urls import canonical

MAX_ENTRIES = 500
"""Entries read from one feed, newest first: a feed holding more (a whole archive) is read from its newest."""
FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")


class Entry(BaseModel):
    """One item of a feed: what tells it from the others (its id, else its link), its link and what it says of
    itself."""

    key: str
    link: str
    title: str = ""
    published: str | None = None  # ISO 8601, UTC


class Feed(BaseModel):
    title: str
    entries: list[Entry]


def is_feed(data: bytes) -> bool:
    """Whether the bytes read as RSS or Atom (not a web page)."""
    parsed = feedparser.parse(data)
    return bool(parsed.version) and not parsed.version.startswith("html")


def parse_feed(data: bytes, url: str) -> Feed:
    """The feed's title and its entries with links (http(s), absolute, canonical), newest first where dated;
    IngestError when the bytes are not a feed."""
    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if not parsed.version:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")() or "not RSS or Atom"
        raise IngestError(f"that is not a feed I can read ({reason})")
    entries = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = _link(item, url)
        if link is None:
            continue
        key = str(item.get("id") or link)
        if key in seen:
            continue
        seen.add(key)
        entries.append(Entry(key=key, link=link, title=str(item.get("title", "")).strip(), published=_date(item)))
    entries.sort(key=lambda e: e.published or "", reverse=True)
    title = str(parsed.feed.get("title", "")).strip() or url
    return Feed(title=title[:300], entries=entries[:MAX_ENTRIES])


def feed_links(data: bytes, url: str) -> list[str]:
    """The feeds a web page names in its head, absolute, in the page's order."""
    try:
        page = lxml_html.fromstring(data)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    found = []
    for link in page.iterfind(".//link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_LINK_TYPES and href:
            address = urljoin(url, href)
            if address.startswith(("http://", "https://")) and address not in found:
                found.append(address)
    return found


def _link(item: feedparser.FeedParserDict, base: str) -> str | None:
    link = item.get("link") or next((li.get("href") for li in item.get("links", []) if li.get("href")), None)
    if not link:
        return None
    address = urljoin(base, str(link).strip())
    return canonical(address) if address.startswith(("http://", "https://")) else None


def _date(item: feedparser.FeedParserDict) -> str | None:
    when = item.get("published_parsed") or item.get("updated_parsed")
    if not when:
        return None
    return datetime.fromtimestamp(timegm(when), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

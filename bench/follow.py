"""Following the news (issue 31): a store built only through feeds, as the bot builds it, and what that costs.

The 141 web-news pages (HTML as fetched), the PolNeAR articles the who-said benchmark reads and the seed article
(written out as plain news pages with their outlet and date in meta tags), plus 40 wire copies derived from web-news
pages (`bench.stories.derived`), are spread over `--feeds` RSS feeds served by a local HTTP server, a wire copy
never in its original's feed. The bench then runs the bot's own parts in this process (`bot.feeds.Feeds.poll_due`
and `bot.watches.Watchers.scan` in a background thread, as `bot.telegram.feeds.poll_feeds` runs them, on the real
model), in three phases:

1. each feed shows its first 70% of entries; every feed is followed and read;
2. idle: readers' questions (web-news `questions.jsonl`) are answered one after another, nothing ingesting;
3. live: the other 30% of entries appear one at a time, `--gap` s apart, round the feeds, while the same
   questions are answered again, and a watch on each of 10 people quoted in those entries waits for them.

Reported: seconds from an entry appearing to its article being stored, answerable (checked every `--check` s,
every feed due at each check: the bot's poll interval, 30 minutes by default, adds up to that much); seconds from
an entry appearing to the alert for a watched speaker; answer latency while ingesting against idle in the same
run (target: median within 1.5x); duplicate detection on the stored articles (wire copies and their originals,
by the store's `articles.story`); then the who-said benchmark (`bench.whosaid_words`) on this store against a
store of the same pages (wire copies too) each added by its link (`Engine.ingest`, as /add), with the same code.

    python -m bench.follow [--feeds 50] [--stores DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import threading
import time
from email.utils import formatdate
from html import escape
from pathlib import Path

from bench.common import CORPORA, jsonl, save
from bench.stories import derived, pages
from bench.whosaid_words import measure, paraphrased_articles, polnear_dev, table
from tests.feedsite import conditionally
from tests.httpserver import serve

WEB = CORPORA / "web-news" / "html"
SEED = CORPORA / "seed" / "putin-donbas-newsx.jsonl"
FIRST_SHARE = 0.7
WATCHED = 10


class Site:
    """Pages by path, and feeds of paths of which the first `shown[f]` are published (newest first in the RSS)."""

    def __init__(self, pages_by_path: dict[str, bytes], feeds: list[list[str]]) -> None:
        self.pages = pages_by_path
        self.feeds = feeds
        self.shown = [0] * len(feeds)
        self.appeared: dict[str, float] = {}
        self.base = ""
        self.lock = threading.Lock()

    def routes(self) -> dict:
        html = {"Content-Type": "text/html; charset=utf-8"}
        routes: dict = {path: (200, html, body, 0.0) for path, body in self.pages.items()}
        for n in range(len(self.feeds)):
            routes[f"/feed-{n}.xml"] = lambda headers, n=n: self._feed(n, headers)
        return routes

    def publish(self, feed: int) -> str | None:
        with self.lock:
            if self.shown[feed] >= len(self.feeds[feed]):
                return None
            path = self.feeds[feed][self.shown[feed]]
            self.shown[feed] += 1
            self.appeared[path] = time.perf_counter()
            return path

    def _feed(self, n: int, headers: object) -> tuple:
        with self.lock:
            paths = self.feeds[n][: self.shown[n]]
        items = "".join(
            f"<item><title>{escape(p)}</title><link>{self.base}{p}</link><guid>{self.base}{p}</guid>"
            f"<pubDate>{formatdate(1_700_000_000 + i * 3600)}</pubDate></item>"
            for i, p in enumerate(paths)
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>{items}</channel></rss>'
        return conditionally(headers, body.encode(), "application/rss+xml")


def news_page(article: dict) -> bytes:
    """A JSONL article as a plain news page: title, outlet and date in meta tags, one <p> per paragraph."""
    title = escape(article.get("title") or article["text"].split("\n")[0][:80])
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in article["text"].split("\n") if p.strip())
    meta = (
        f'<meta property="og:site_name" content="{escape(article.get("source") or "")}">'
        f'<meta property="article:published_time" content="{escape(str(article.get("date") or ""))}">'
    )
    return page(title, f"<h1>{title}</h1>{paragraphs}", meta)


def page(title: str, body: str, meta: str = "") -> bytes:
    return f"<html><head><title>{title}</title>{meta}</head><body><article>{body}</article></body></html>".encode()


def build_site(feeds: int, seed: int, limit: int | None = None) -> tuple[Site, dict[str, str], dict[str, str]]:
    """The site, each wire copy's path -> its original's path, and each JSONL page's path -> its article id
    (`limit`: that many pages at most, for a quick try)."""
    rng = random.Random(seed)
    by_path = {f"/web/{p.stem}.html": p.read_bytes() for p in sorted(WEB.glob("*.html"))}
    ids = {}
    for article in polnear_dev() + paraphrased_articles() + jsonl(SEED):
        path = f"/polnear/{article['id'].replace('/', '_')}.html"
        by_path[path] = news_page(article)
        ids[path] = article["id"]
    copies = {}
    for key, text in derived(pages(), rng).items():
        path = f"/wire/{key.split('~')[0]}.html"
        body = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n"))
        by_path[path] = (
            f"<html><head><title>Wire: {key}</title></head><body><article>{body}</article></body></html>".encode()
        )
        copies[path] = f"/web/{key.split('~')[0]}.html"
    paths = sorted(by_path)
    rng.shuffle(paths)
    if limit:
        paths = [p for p in paths if p not in copies][:limit]
        paths += [c for c, o in copies.items() if o in paths]
        by_path = {p: by_path[p] for p in paths}
        copies = {c: o for c, o in copies.items() if c in by_path}
    lists: list[list[str]] = [[] for _ in range(feeds)]
    for n, path in enumerate(p for p in paths if p not in copies):
        lists[n % feeds].append(path)
    for path, original in copies.items():  # a copy goes in another feed than its original's
        home = next(i for i, items in enumerate(lists) if original in items)
        lists[(home + 1 + rng.randrange(feeds - 1)) % feeds].append(path)
    for items in lists:
        rng.shuffle(items)
    return Site(by_path, lists), copies, ids


def questions() -> list[str]:
    return [q["q"] for q in jsonl(CORPORA / "web-news" / "questions.jsonl")]


def watched_people(site: Site, live: set[str], ids: dict[str, str]) -> dict[str, str]:
    """Up to WATCHED people, each the most quoted named speaker of a PolNeAR article that appears live: name ->
    the page path."""
    speakers: dict[str, dict[str, int]] = {}
    for q in jsonl(CORPORA / "polnear" / "quotes.jsonl"):
        name = " ".join((q.get("speaker_name") or "").split()[-2:])  # "Sen. Bernie Sanders": Bernie Sanders
        if len(name.split()) == 2 and name.replace(" ", "").replace("-", "").isalpha():
            counts = speakers.setdefault(q["article_id"], {})
            counts[name] = counts.get(name, 0) + 1
    chosen: dict[str, str] = {}
    for path in sorted(live):
        counts = speakers.get(ids.get(path, ""), {})
        if counts and len(chosen) < WATCHED:
            name = max(counts, key=lambda n: counts[n])
            chosen.setdefault(name, path)
    return chosen


class Poller(threading.Thread):
    """The bot's background loop (`bot.telegram.feeds.poll_feeds`) without Telegram: poll the feeds due, read new
    articles for the watches, "send" the alerts; when each article was stored and each watch hit alerted."""

    def __init__(self, feeds, watchers, check: float) -> None:
        super().__init__(daemon=True)
        self.feeds, self.watchers, self.check = feeds, watchers, check
        self.stop = threading.Event()
        self.stored: dict[str, float] = {}
        self.alerted: dict[tuple[int, str], float] = {}
        self.busy = False

    def run(self) -> None:
        while not self.stop.is_set():
            self.busy = True
            for polled in self.feeds.poll_due():
                now = time.perf_counter()
                self.stored.update({r.article_id: now for r in polled.stored})
            self.watchers.scan()
            for alert in self.watchers.alerts():
                now = time.perf_counter()
                self.alerted.update({(h.watch_id, h.article_id): now for h in alert.hits})
                self.watchers.delivered(alert)
            self.busy = False
            self.stop.wait(self.check)


def seen_entries(engine) -> int:
    return int(engine.sources.store.select("SELECT count(*) FROM entries")[0][0])


def timed_answers(conversation, asked: list[str], more=lambda: False, poller=None) -> list[float]:
    """Seconds per answer, one question after another: the list once, then round it again while `more()`; with a
    `poller`, only the answers given while it was ingesting."""
    from bot.follow_ups import ChatContext

    times: list[float] = []
    n = 0
    while n < len(asked) or more():
        busy = poller is None or poller.busy
        start = time.perf_counter()
        conversation.ask(ChatContext(), asked[n % len(asked)])
        if busy and (poller is None or poller.busy):
            times.append(time.perf_counter() - start)
        n += 1
    return times


def build(
    store: Path, feeds: int, gap: float, check: float, seed: int, limit: int | None = None, links: Path | None = None
) -> dict:
    """Phases 1-3 into `store` (and, into `links`, the same pages added by link); the timings."""
    from bot.conversation import Conversation
    from bot.engine import build_engine
    from bot.feeds import Feeds
    from bot.settings import Settings
    from bot.watches import Watchers

    site, copies, ids = build_site(feeds, seed, limit)
    first = [max(1, round(len(items) * FIRST_SHARE)) for items in site.feeds]
    live = {p for items, k in zip(site.feeds, first, strict=True) for p in items[k:]}
    local = {"fetch_allow_loopback": True, "fetch_ports": [], "feed_poll_minutes": 0.001, "feed_entries": 50}
    engine = build_engine(Settings(data_dir=store).changed(**local))
    engine.warm()
    feed_parts, watchers = Feeds(engine, engine.settings.feeds), Watchers(engine)
    conversation = Conversation(engine)
    poller = Poller(feed_parts, watchers, check)
    with serve(site.routes()) as base:
        site.base = base
        for n, k in enumerate(first):
            for _ in range(k):
                site.publish(n)
        started = time.perf_counter()
        for n in range(feeds):
            assert feed_parts.follow(f"{base}/feed-{n}.xml", "shared").source is not None
        poller.start()
        while seen_entries(engine) < sum(first):
            time.sleep(0.5)
        first_phase = time.perf_counter() - started
        asked = questions()
        idle = timed_answers(conversation, asked)
        people = watched_people(site, live, ids)
        watch_ids = {name: watchers.watch(1, name, ["shared"]).id for name in people}
        publisher = threading.Thread(target=_publish_live, args=(site, first, gap), daemon=True)
        publisher.start()
        total = sum(len(items) for items in site.feeds)
        busy = timed_answers(conversation, asked, lambda: seen_entries(engine) < total, poller)
        publisher.join()
        time.sleep(check * 3)
        poller.stop.set()
        poller.join()
        if links is not None:  # the baseline store: the same pages, each added by its link
            by_links = build_engine(Settings(data_dir=links).changed(**local))
            by_links.ingest([f"{base}{p}" for items in site.feeds for p in items])
            by_links.close()
    known = article_ids(site, live | set(copies) | set(copies.values()))
    entry = [poller.stored[known[p]] - site.appeared[p] for p in live if known.get(p) in poller.stored]
    alert = [
        poller.alerted[key] - site.appeared[path]
        for name, path in people.items()
        if (key := (watch_ids[name], known.get(path, ""))) in poller.alerted
    ]
    result = {
        "pages": len(site.pages),
        "feeds": feeds,
        "first_phase_s": round(first_phase, 1),
        "first_phase_articles_per_s": round(sum(first) / first_phase, 2),
        "live_entries": len(live),
        "live_stored": len(entry),
        "entry_to_answerable_s": _spread(entry),
        "watched": len(people),
        "alerted": len(alert),
        "entry_to_alert_s": _spread(alert),
        "answer_idle_s": _spread(idle),
        "answer_ingesting_s": _spread(busy),
        "answer_median_ratio": round(statistics.median(busy) / statistics.median(idle), 2) if busy else None,
        "duplicates": duplicates(engine, copies, known),
    }
    engine.close()
    return result


def _publish_live(site: Site, first: list[int], gap: float) -> None:
    """The live entries, one every `gap` s, round the feeds that have some left."""
    left = [n for n in range(len(site.feeds)) if site.shown[n] < len(site.feeds[n])]
    while left:
        left = [n for n in left if site.publish(n) is not None and not time.sleep(gap)]


def _path(url: str | None) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url or "").path


def article_ids(site: Site, paths: set[str]) -> dict[str, str]:
    """The id each page is stored under, read as the ingest reads it (a page naming its canonical address is
    known by that address, not the one it was served from)."""
    from index.read.readers import IngestError, parse_document, url_id
    from index.read.urls import canonical

    found = {}
    for path in sorted(paths):
        link = f"{site.base}{path}"
        try:
            [article] = parse_document(site.pages[path], path.rsplit("/", 1)[-1], url=link, content_type="text/html")
        except (IngestError, ValueError):
            continue
        found[path] = article.id or url_id(canonical(article.url or link))
    return found


def _spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {
        "n": len(values),
        "median": round(statistics.median(ordered), 3),
        "p90": round(ordered[int(0.9 * (len(ordered) - 1))], 3),
        "max": round(ordered[-1], 3),
    }


def duplicates(engine, copies: dict[str, str], known: dict[str, str]) -> dict:
    """Pairs of stored articles the store holds to be one story (`articles.story`) against gold (each wire copy and
    its original); baseline, the same text (digest), the store's check before stories."""
    import itertools

    rows = engine.sources.store.select("SELECT id, url, digest, story FROM articles ORDER BY rowid")
    path_of = {r[0]: _path(r[1]) for r in rows} | {i: p for p, i in known.items()}
    gold = {frozenset((c, o)) for c, o in copies.items()}
    groups: dict[str, list[str]] = {}
    texts: dict[str, list[str]] = {}
    for article_id, _, digest, story in rows:
        groups.setdefault(story or article_id, []).append(path_of[article_id])
        texts.setdefault(digest, []).append(path_of[article_id])
    found = {frozenset(pair) for group in groups.values() for pair in itertools.combinations(group, 2)}
    same_text = {frozenset(pair) for group in texts.values() for pair in itertools.combinations(group, 2)}
    return {"store": _pr(found, gold), "same_text": _pr(same_text, gold)}


def _pr(found: set, gold: set) -> dict[str, float]:
    right = len(found & gold)
    return {
        "pairs": len(found),
        "precision": round(right / len(found), 3) if found else 1.0,
        "recall": round(right / len(gold), 3) if gold else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between two live entries")
    parser.add_argument("--check", type=float, default=1.0, help="seconds between two checks of the feeds")
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--stores", type=Path, help="keep the stores here (the link-built one is reused)")
    parser.add_argument("--no-words", action="store_true", help="skip the who-said benchmark on the stores")
    parser.add_argument("--pages", type=int, help="that many pages at most (a quick try; not for the docs)")
    args = parser.parse_args()
    root = args.stores or Path(tempfile.mkdtemp(prefix="whosaid-follow-"))
    store = root / "store-feeds"
    links = None if args.no_words else root / "store-links"
    timings = build(store, args.feeds, args.gap, args.check, args.seed, args.pages, links)
    print(json.dumps(timings, indent=1))
    words = None
    if not args.no_words:
        from bench.common import ROOT

        splits: list[str | None] = ["fit", "report"]
        words = {"feeds": measure(ROOT, store, splits, False), "links": measure(ROOT, links, splits, False)}
        print("\n".join(table(words["feeds"], words["links"])))
    save("follow", {"timings": timings, "whosaid_words": words})


if __name__ == "__main__":
    main()

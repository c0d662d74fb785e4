"""Following feeds (`bot.feeds`): RSS and Atom served by a local HTTP server from pages generated at test time;
entries appearing between polls, conditional requests, a feed that times out and recovers, pausing, and a
restart between polls."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine, build_engine
from bot.feeds import Feeds
from bot.settings import Settings
from index.read.feeds import feed_links, parse_feed
from index.read.readers import IngestError
from tests.fakes import HashEmbedder, extractor
from tests.feedsite import FeedSite
from tests.httpserver import serve

LOCAL = {"fetch_allow_loopback": True, "fetch_ports": [], "fetch_timeout": 1.5, "answer_threshold": 0.2}


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def open_engine(data: Path) -> Engine:
    settings = Settings(data_dir=data).changed(model="fake/hash-embedder", **LOCAL)
    return build_engine(settings, embedder=HashEmbedder(), quotes=extractor())


@pytest.fixture
def engine(isolated: Path) -> Engine:
    engine = open_engine(isolated)
    yield engine
    engine.close()


def feeds_of(engine: Engine, clock: Clock, **changes: object) -> Feeds:
    return Feeds(engine, engine.settings.feeds.model_copy(update=changes), clock)


def test_rss_and_atom_entries_read_newest_first_with_canonical_links() -> None:
    for atom in (False, True):
        site = FeedSite(atom=atom, base="http://news.example")
        site.publish(3)
        feed = parse_feed(site.feed(), "http://news.example" + site.feed_path)
        assert [e.link for e in feed.entries] == [f"http://news.example/news/story-{n}.html" for n in (2, 1, 0)]
        assert feed.entries[0].published == "2026-11-01T10:00:00Z"
        assert feed.title in ("Harbour Town News", "Harbour Town Gazette")


def test_a_feed_holding_a_whole_archive_is_read_from_its_newest() -> None:
    items = "".join(f"<item><link>http://x.example/{n}</link><guid>g{n}</guid></item>" for n in range(40_000))
    feed = parse_feed(f'<rss version="2.0"><channel><title>{"T" * 999}</title>{items}</channel></rss>'.encode(), "")
    assert len(feed.entries) == 500 and len(feed.title) == 300


def test_a_page_that_is_not_a_feed_is_refused_and_a_site_names_its_feed() -> None:
    with pytest.raises(IngestError, match="not a feed"):
        parse_feed(b"\x00\x01 binary", "http://x.example/feed")
    page = b'<html><head><link rel="alternate" type="application/atom+xml" href="/a.atom"></head></html>'
    assert feed_links(page, "http://x.example/news/") == ["http://x.example/a.atom"]
    assert feed_links(b"<html><head></head></html>", "http://x.example/") == []


def test_follow_a_site_then_new_entries_come_in_between_polls(engine: Engine) -> None:
    clock = Clock()
    site = FeedSite(atom=True)
    site.publish(2)
    with serve(site.routes()) as base:
        site.base = base
        feeds = feeds_of(engine, clock)
        followed = feeds.follow(base + "/", "chat:1", chat_id=1)  # the home page names the Atom feed
        assert followed.source is not None and followed.source.feed_url == base + "/feed.atom"
        assert followed.entries == 2
        first = feeds.poll_due()
        assert [len(p.stored) for p in first] == [2]
        assert feeds.poll_due() == []  # not due until poll_minutes have passed
        clock.now += feeds.settings.poll_minutes * 60
        unchanged = feeds.poll_due()
        assert unchanged[0].not_modified and site.conditional_hits == 1
        site.publish(1)
        clock.now += feeds.settings.poll_minutes * 60
        assert [r.title for r in feeds.poll_due()[0].stored] == [site.stories[2].title]
    source = feeds.listed(["chat:1"])[0]
    assert source.articles == 3 and source.last_error is None
    assert {a.collection for a in engine.articles()} == {"chat:1"}


def test_a_feed_that_times_out_backs_off_then_recovers(engine: Engine) -> None:
    clock = Clock()
    site = FeedSite()
    site.publish(1)
    with serve(site.routes()) as base:
        site.base = base
        feeds = feeds_of(engine, clock)
        source = feeds.follow(base + site.feed_path, "shared").source
        site.delay = 3.0  # over the 1.5 s fetch timeout
        failed = feeds.poll_due()[0]
        assert "did not answer within" in failed.error and not failed.paused
        waited = feeds.listed(None)[0].next_poll - clock.now
        clock.now += waited - 1
        assert feeds.poll_due() == []
        clock.now += 1
        assert feeds.poll_due()[0].error  # second failure: waits twice as long
        assert feeds.listed(None)[0].next_poll - clock.now == 2 * waited
        site.delay = 0.0
        clock.now += 2 * waited
        recovered = feeds.poll_due()[0]
        assert recovered.error is None and len(recovered.stored) == 1
    after = feeds.sources.get(source.id)
    assert after.failures == 0 and after.last_error is None


def test_a_feed_failing_again_and_again_is_paused(engine: Engine) -> None:
    clock = Clock()
    site = FeedSite()
    with serve(site.routes()) as base:
        site.base = base
        feeds = feeds_of(engine, clock, pause_after=3)
        source = feeds.follow(base + site.feed_path, "shared", chat_id=7).source
        site.broken = True
        polls = []
        for _ in range(3):
            polls += feeds.poll_due(everything=True)
        assert [p.paused for p in polls] == [False, False, True]
        assert "HTTP 500" in polls[-1].error
        assert feeds.poll_due(everything=True) == []  # paused: not polled
        assert "HTTP 500" in feeds.follow(base + site.feed_path, "shared", chat_id=7).refusal
        site.broken = False
        assert feeds.follow(base + site.feed_path, "shared", chat_id=7).source.id == source.id  # following resumes
        assert not feeds.sources.get(source.id).paused


def test_entries_read_once_across_a_restart(isolated: Path) -> None:
    clock = Clock()
    site = FeedSite()
    site.publish(2)
    hits: list[str] = []
    with serve(site.routes(), hits) as base:
        site.base = base
        engine = open_engine(isolated)
        feeds = feeds_of(engine, clock)
        feeds.follow(base + site.feed_path, "shared")
        assert len(feeds.poll_due()[0].stored) == 2
        engine.close()
        site.publish(1)
        engine = open_engine(isolated)  # a restart: schedule, validators and seen entries are in the store
        feeds = feeds_of(engine, clock)
        assert feeds.poll_due() == []
        clock.now += feeds.settings.poll_minutes * 60
        assert len(feeds.poll_due()[0].stored) == 1
        assert sum(path.startswith("/news/") for path in hits) == 3  # each page fetched once
        assert len(engine.articles()) == 3
        engine.close()


def test_first_poll_reads_the_newest_entries_and_a_failing_page_is_tried_again(engine: Engine) -> None:
    clock = Clock()
    site = FeedSite()
    site.publish(6)
    routes = site.routes()
    routes[site.stories[5].path] = (503, {}, b"busy", 0.0)
    with serve(routes) as base:
        site.base = base
        feeds = feeds_of(engine, clock, entries_per_poll=3, entry_tries=2)
        feeds.follow(base + site.feed_path, "shared")
        first = feeds.poll_due()[0]
        assert len(first.stored) == 2 and "HTTP 503" in first.refused[0].reason
        clock.now += 3600
        second = feeds.poll_due()[0]  # the older three were past news when followed; the failed one is retried
        assert second.stored == [] and len(second.refused) == 1
        clock.now += 3600
        assert feeds.poll_due()[0].refused == []  # tried twice: given up
    assert len(engine.articles()) == 2


def test_follow_refuses_what_is_not_a_feed_and_unfollow_keeps_to_its_collection(engine: Engine) -> None:
    site = FeedSite()
    routes = site.routes()
    routes["/plain"] = (200, {"Content-Type": "text/html"}, b"<html><head></head><body>Hi</body></html>", 0.0)
    with serve(routes) as base:
        site.base = base
        feeds = feeds_of(engine, Clock())
        assert "no RSS or Atom feed" in feeds.follow(base + "/plain", "chat:1").refusal
        assert "http(s) link" in feeds.follow("ftp://x/feed", "chat:1").refusal
        source = feeds.follow(base + site.feed_path, "chat:1").source
        assert feeds.unfollow(source.id, "chat:2") is None
        assert feeds.unfollow(source.id, "chat:1").id == source.id
        assert feeds.listed(None) == []


def test_the_command_line_follows_polls_and_lists(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import main

    def make(settings: Settings) -> Engine:
        return build_engine(settings.changed(model="fake/hash-embedder"), embedder=HashEmbedder(), quotes=extractor())

    monkeypatch.setenv("WHOSAID_FETCH_ALLOW_LOOPBACK", "true")
    monkeypatch.setenv("WHOSAID_FETCH_PORTS", "[]")
    site = FeedSite()
    site.publish(2)
    with serve(site.routes()) as base:
        site.base = base
        assert main(["follow", "--collection", "desk", base + "/"], make_engine=make) == 0
        out, err = capsys.readouterr()
        assert "Following “Harbour Town Gazette”" in err and "2 new articles" in err
        assert out.count("added") == 2
        site.publish(1)
        assert main(["poll"], make_engine=make) == 0
        assert "no feed is due" in capsys.readouterr().err
        assert main(["poll", "--all"], make_engine=make) == 0
        out, err = capsys.readouterr()
        assert "1 new articles" in err and site.stories[2].title[:30] in out
        site.broken = True
        assert main(["poll", "--all"], make_engine=make) == 1
        assert "HTTP 500" in capsys.readouterr().err
    assert main(["sources"], make_engine=make) == 0
    out = capsys.readouterr().out
    assert "1. Harbour Town Gazette (collection desk)" in out and "3 articles so far" in out
    assert "the last check failed (the server answered HTTP 500)" in out


def test_feeds_due_together_are_read_in_one_ingest_and_credited_each(engine: Engine) -> None:
    clock = Clock()
    one, two = FeedSite(), FeedSite(atom=True)
    two.stories = two.stories[6:]  # other stories than the first site's
    one.publish(2)
    two.publish(3)
    with serve(one.routes()) as first, serve(two.routes()) as second:
        one.base, two.base = first, second
        feeds = feeds_of(engine, clock)
        feeds.follow(first + one.feed_path, "shared")
        feeds.follow(second + two.feed_path, "chat:9")
        polls = {p.source.feed_url: p for p in feeds.poll_due()}
        assert len(polls[first + one.feed_path].stored) == 2 and len(polls[second + two.feed_path].stored) == 3
    assert {s.feed_url: s.articles for s in feeds.listed(None)} == {
        first + one.feed_path: 2,
        second + two.feed_path: 3,
    }
    assert sum(a.collection == "chat:9" for a in engine.articles()) == 3


def test_last_modified_is_sent_back_and_entries_to_private_addresses_are_refused(engine: Engine) -> None:
    clock = Clock()
    stamp = "Mon, 07 Dec 2026 08:00:00 GMT"
    asked: list[str | None] = []
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Inside</title>'
        b"<item><title>Router</title><link>http://10.1.2.3/admin</link></item></channel></rss>"
    )

    def route(headers) -> tuple:
        asked.append(headers.get("If-Modified-Since"))
        if headers.get("If-Modified-Since") == stamp:
            return (304, {}, b"", 0.0)
        return (200, {"Content-Type": "application/rss+xml", "Last-Modified": stamp}, feed, 0.0)

    with serve({"/rss": route}) as base:
        feeds = feeds_of(engine, clock, entry_tries=1)  # a refused entry is tried once, then given up
        feeds.follow(base + "/rss", "shared")
        [first] = feeds.poll_due()
        assert "private address" in first.refused[0].reason, "entries go through the same SSRF-safe fetcher"
        clock.now += 3600
        feeds.poll_due()
        clock.now += 3600
        feeds.poll_due()
    assert asked == [None, None, None, stamp], "asked whole while an entry was left to read, then conditionally"
    assert len(engine.articles()) == 0

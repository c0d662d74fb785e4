"""The `whosaid` commands for feeds: `follow` (follow a feed and read it now), `poll` (check those due, from
cron when no bot runs) and `sources`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bot.conversation import Conversation
from bot.feeds import Feeds, Polled, followed_text, source_lines
from index.models import SHARED

Parser = Callable[[str, str], argparse.ArgumentParser]


def add_parsers(command: Parser) -> None:
    p = command("follow", "follow a news feed (RSS or Atom, or a site whose page names one) and read it now")
    p.add_argument("--collection", metavar="NAME", help="the collection its articles go to (default: the shared one)")
    p.add_argument("url", metavar="URL")
    p = command("poll", "check the followed feeds that are due and store their new articles")
    p.add_argument("--all", action="store_true", help="every feed not paused, due or not")
    p = command("sources", "list the followed feeds with their last check, articles and last error")
    p.add_argument("--collection", metavar="NAME", help="only this collection's feeds")


def _feeds(conversation: Conversation) -> Feeds:
    engine = conversation.engine
    return Feeds(engine, engine.settings.feeds)


def follow(conversation: Conversation, args: argparse.Namespace) -> int:
    feeds = _feeds(conversation)
    followed = feeds.follow(args.url, args.collection or SHARED)
    print(followed_text(followed, feeds.settings).replace("/sources", "whosaid sources"), file=sys.stderr)
    if followed.source is None:
        return 1
    return _report(feeds.poll([followed.source]))


def poll(conversation: Conversation, args: argparse.Namespace) -> int:
    return _report(_feeds(conversation).poll_due(everything=args.all))


def sources(conversation: Conversation, args: argparse.Namespace) -> int:
    collections = [args.collection] if args.collection else None
    listed = _feeds(conversation).listed(collections)
    lines = source_lines(listed, args.collection)
    print("\n".join(lines[:-1] if listed else lines).replace("/follow URL", "whosaid follow URL"))
    return 0


def _report(polls: list[Polled]) -> int:
    """One line per feed checked, one per article stored or page refused; 1 when a feed failed."""
    for polled in polls:
        title = polled.source.title
        if polled.error:
            paused = " (paused)" if polled.paused else ""
            print(f"{title}: the check failed{paused}: {polled.error}", file=sys.stderr)
            continue
        state = "unchanged" if polled.not_modified else f"{len(polled.stored)} new articles"
        print(f"{title}: {state}", file=sys.stderr)
        for result in polled.stored:
            print(f"{result.status:9} {result.article_id}  {result.title[:70]}")
        for refusal in polled.refused:
            print(f"refused {refusal.origin}: {refusal.reason}", file=sys.stderr)
    if not polls:
        print("no feed is due", file=sys.stderr)
    return 1 if any(p.error for p in polls) else 0


HANDLERS = {"follow": follow, "poll": poll, "sources": sources}

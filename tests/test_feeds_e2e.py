"""Feeds over the local Bot API (issue 31, item 2): the real bot process follows an Atom feed served by a local
HTTP server from pages generated at test time, reads it in the background, takes new entries between polls,
survives a feed that times out and a restart between polls, pauses a feed that keeps failing and tells the chat;
what one group follows is neither listed nor answered in another, and only admins follow."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from telegram import Chat

from bot.settings import Settings
from tests.botapi import BOT, FakeBotAPI
from tests.botproc import BotProcess
from tests.conftest import with_onnx
from tests.feedsite import FeedSite
from tests.httpserver import serve
from tests.test_bot_e2e import ADMIN, GUEST, private, text_to

pytestmark = pytest.mark.model

GROUP_A, GROUP_B = Chat(-100, Chat.GROUP), Chat(-200, Chat.GROUP)
FAST = {
    "fetch_allow_loopback": "true",
    "fetch_ports": "[]",
    "fetch_timeout": "2",
    "feed_check_seconds": "0.3",
    "feed_poll_minutes": "0.02",  # 1.2 s
    "feed_pause_after": "3",
    "rate_limit_per_minute": "60",
}


def stored(data: Path, sql: str) -> tuple:
    with sqlite3.connect(data / "store.sqlite") as db:
        return db.execute(sql).fetchone()


async def until(check, timeout: float = 90.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.2)


def articles_in(data: Path, collection: str) -> int:
    return stored(data, f"SELECT count(*) FROM articles WHERE collection = '{collection}'")[0]


async def ask(api: FakeBotAPI, chat: Chat, text: str, needle: str = "") -> str:
    mark = len(api.sent)
    api.user_message(ADMIN, chat, text)
    return (await api.wait_for(text_to(chat.id, needle), start=mark))["text"]


async def test_a_group_follows_a_feed_through_timeouts_and_a_restart(tmp_path: Path, st_embedder, onnx_model):
    data = with_onnx(tmp_path / "data", onnx_model, Settings().store.model)
    site = FeedSite(atom=True)
    site.publish(2)
    hits: list[str] = []
    api = FakeBotAPI()
    await api.start()
    process = BotProcess(api, data, tmp_path / "bot.log", **FAST)
    with serve(site.routes(), hits) as base:
        site.base = base
        try:
            await process.start()
            mark = len(api.sent)
            api.user_message(GUEST, private(GUEST), f"/follow {base}/")
            refused = await api.wait_for(text_to(GUEST.id), start=mark)
            assert "Following" not in refused["text"], "only admins follow feeds"
            assert "Following “Harbour Town News”" in await ask(api, GROUP_A, f"/follow {base}/")
            await until(lambda: articles_in(data, "chat:-100") == 2)
            first = site.stories[0]
            answer = await ask(api, GROUP_A, f"@{BOT.username} Who said the ferry will run every twenty minutes?")
            assert first.speaker in answer, answer
            assert "no feeds" in await ask(api, GROUP_B, "/sources"), "group B does not see group A's feeds"
            elsewhere = await ask(api, GROUP_B, f"@{BOT.username} Who said the ferry will run every twenty minutes?")
            assert first.speaker not in elsewhere

            site.publish(1)  # a new entry between polls
            await until(lambda: articles_in(data, "chat:-100") == 3)
            site.delay = 3.0  # over the 2 s fetch timeout
            await until(lambda: stored(data, "SELECT last_error FROM sources")[0] is not None)
            site.delay = 0.0
            assert "the last check failed" in await ask(api, GROUP_A, "/sources")
            site.publish(1)
            await until(lambda: articles_in(data, "chat:-100") == 4)
            assert stored(data, "SELECT last_error, failures FROM sources") == (None, 0)

            await process.stop()
            site.publish(1)  # published while the bot is down
            await process.start()
            await until(lambda: articles_in(data, "chat:-100") == 5)
            pages = [path for path in hits if path.startswith("/news/")]
            assert len(pages) == len(set(pages)) == 5, "each entry read once, across the restart"
            newest = site.stories[4]
            answer = await ask(api, GROUP_A, f"@{BOT.username} Who said three village schools need new roofs?")
            assert newest.speaker in answer, answer

            site.broken = True
            told = await api.wait_for(text_to(-100, "I stopped checking"), timeout=60)
            assert "HTTP 500" in told["text"] and f"/follow {base}/" in told["text"]
            assert "follows no feed number 1" in await ask(api, GROUP_B, "/unfollow 1")
            assert "I no longer follow" in await ask(api, GROUP_A, "/unfollow 1")
            assert articles_in(data, "chat:-100") == 5, "what a feed brought stays"
        finally:
            await process.stop()
            await api.stop()

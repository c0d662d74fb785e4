"""Watches, alerts and digests over the local Bot API (issue 31, items 4 and 5): the real bot process reads a
feed served by a local HTTP server, alerts a group once per new statement of the people it watches (several at
once in one message, with a mute button), keeps other chats out, and sends a daily digest with page buttons."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from telegram import Chat

from bot.settings import Settings
from tests.botapi import FakeBotAPI
from tests.botproc import BotProcess
from tests.conftest import with_onnx
from tests.feedsite import FeedSite
from tests.httpserver import serve
from tests.test_bot_e2e import ADMIN, GUEST, private, text_to
from tests.test_feeds_e2e import FAST, ask

pytestmark = pytest.mark.model

GROUP = Chat(-100, Chat.GROUP)


async def test_watches_alert_once_mute_and_digest(tmp_path: Path, st_embedder, onnx_model):
    data = with_onnx(tmp_path / "data", onnx_model, Settings().store.model)
    site = FeedSite()
    api = FakeBotAPI()
    await api.start()
    process = BotProcess(api, data, tmp_path / "bot.log", **FAST)
    with serve(site.routes()) as base:
        site.base = base
        try:
            await process.start()
            assert "Watching Mara Quint" in await ask(api, GROUP, "/watch Mara Quint")
            mark = len(api.sent)
            api.user_message(GUEST, private(GUEST), '/watch "ferry"')
            assert "Watching “ferry”" in (await api.wait_for(text_to(GUEST.id), start=mark))["text"]
            assert "Following" in await ask(api, GROUP, f"/follow {base}{site.feed_path}")

            mark = len(api.sent)
            site.publish(1)  # Mara Quint on the ferry, in the group's own collection
            alert = await api.wait_for(text_to(-100, "New for your watches"), start=mark)
            assert "Mara Quint said" in alert["text"] and "ferry" in alert["text"]
            buttons = [b for row in alert["reply_markup"]["inline_keyboard"] for b in row]
            mute = next(b for b in buttons if b["text"].startswith("Mute"))
            assert not any(m.get("chat_id") == GUEST.id for m in api.sent[mark:]), "the group's feed is not theirs"

            mark = len(api.sent)
            api.press(ADMIN, {**alert["result"], "chat": {"id": -100, "type": "group"}}, mute["callback_data"])
            muted = await api.wait_for(lambda m: m["method"] == "answerCallbackQuery", start=mark)
            assert "Muted" in muted["text"]

            for person in ("Jonas Abele", "Priya Ramanathan", "Oskar Lindqvist", "Fatima Haddad", "Tobias Wren"):
                assert "Watching" in await ask(api, GROUP, f"/watch {person}")
            mark = len(api.sent)
            site.publish(5)
            several = await api.wait_for(text_to(-100, "New for your watches"), start=mark)
            assert sum(name in several["text"] for name in ("Abele", "Ramanathan", "Lindqvist", "Haddad", "Wren")) >= 4
            assert "Mara Quint" not in several["text"]

            assert "Every day at 08:00 (Europe/Berlin)" in await ask(api, GROUP, "/digest 08:00 Europe/Berlin")
            with sqlite3.connect(data / "store.sqlite") as db:  # the morning comes: due now, since yesterday
                db.execute("UPDATE digests SET next_due = 0, last_sent = 0")
            mark = len(api.sent)
            digest = await api.wait_for(text_to(-100, "Who said what for your watches since"), start=mark)
            assert "Page 1 of 2 (6 statements)" in digest["text"]
            older = next(b for row in digest["reply_markup"]["inline_keyboard"] for b in row if b["text"] == "Older »")
            mark = len(api.sent)
            api.press(ADMIN, {**digest["result"], "chat": {"id": -100, "type": "group"}}, older["callback_data"])
            turned = await api.wait_for(lambda m: m["method"] == "editMessageText", start=mark)
            assert "Page 2 of 2" in turned["text"]

            listed = await ask(api, GROUP, "/watches")
            assert "1. Mara Quint (muted)" in listed and "digest comes every day at 08:00" in listed
            assert "Stopped watch 1" in await ask(api, GROUP, "/unwatch 1")
            assert "no watch number 1" in await ask(api, GROUP, "/unwatch 1")
        finally:
            await process.stop()
            await api.stop()

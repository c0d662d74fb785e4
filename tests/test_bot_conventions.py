"""Telegram conventions, end to end: the real bot process over HTTP against a local Bot API; restarted on the
same data dir as after a deploy."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest
from telegram import Chat, User

from bot.engine import build_engine
from bot.settings import Settings
from index.check import check
from index.models import Article
from tests.botapi import BOT, FakeBotAPI
from tests.botproc import BotProcess
from tests.conftest import SAMPLES, with_onnx

pytestmark = pytest.mark.model

ADMIN = User(42, "Ada", False)
GUEST = User(7, "Gus", False)
GROUP = Chat(-100, Chat.GROUP)
COUNCIL = (
    "Council sets a winter budget\n"
    + "\n".join(
        f"“We will {act} before the first snow,” Mayor Ines Varga said on day {n} of the council session."
        for n, act in enumerate(
            [
                "grit every road",
                "open two shelters",
                "fix the tram heaters",
                "hire twelve drivers",
                "clear the harbour steps",
                "light the park paths",
                "publish the plan",
            ],
            start=1,
        )
    )
    + "\n"
)
NOTE = "Harbour notice\nThe harbour office said on Monday that the ferry timetable stays the same.\n"


def private(user: User) -> Chat:
    return Chat(user.id, Chat.PRIVATE)


def sent_to(chat_id: int, needle: str = "", method: str = "sendMessage"):
    return lambda m: m["method"] == method and m.get("chat_id") == chat_id and needle in m.get("text", "")


@pytest.fixture
async def bot(tmp_path: Path, st_embedder, onnx_model):
    """The samples and a dozen notes (the article list has two pages); the bot running; its process handle."""
    data = with_onnx(tmp_path / "data", onnx_model, Settings().store.model)
    engine = build_engine(Settings(data_dir=data), embedder=st_embedder)
    engine.ingest([str(SAMPLES)])
    engine.library.ingest(Article(id=f"n{i:02}", title=f"Note {i}", text=f"Note number {i}.") for i in range(12))
    engine.library.ingest([Article(id="council", title="Council sets a winter budget", text=COUNCIL, source="Gazette")])
    engine.close()
    api = FakeBotAPI()
    await api.start()
    process = BotProcess(api, data, tmp_path / "bot.log")
    try:
        await process.start()
        yield api, process
    finally:
        await process.stop()
        await api.stop()


async def test_a_restart_keeps_old_buttons_and_the_follow_up(bot: tuple[FakeBotAPI, BotProcess]):
    api, process = bot
    api.user_message(ADMIN, private(ADMIN), "Who said the smear had moved?")
    answer = await api.wait_for(sent_to(42, "Peter Hallam"))
    button = answer["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    mark = len(api.sent)
    api.user_message(ADMIN, private(ADMIN), "Who leads the repair crew?")
    await api.wait_for(sent_to(42, "Okafor"), start=mark)

    await process.stop()
    await process.start()

    mark = len(api.sent)
    api.press(ADMIN, answer["result"], button)
    passage = await api.wait_for(sent_to(42, "<blockquote>"), start=mark)
    assert "smear" in passage["text"] and "Okafor" not in passage["text"], "the old button shows its own source"
    mark = len(api.sent)
    api.user_message(ADMIN, private(ADMIN), "Who said the smear had moved?")
    await api.wait_for(sent_to(42, "Peter Hallam"), start=mark)
    mark = len(api.sent)
    api.user_message(ADMIN, private(ADMIN), "What did he say?")
    follow = await api.wait_for(sent_to(42), start=mark)
    assert follow["text"].startswith("Peter Hallam"), [m.get("text", "")[:60] for m in api.sent]


async def test_telegram_conventions(bot: tuple[FakeBotAPI, BotProcess]):
    api, _ = bot
    scopes = {c["scope"]["type"] + str(c["scope"].get("chat_id", "")): c["commands"] for c in api.commands}
    names = {scope: {c["command"] for c in commands} for scope, commands in scopes.items()}
    assert (
        names["all_private_chats"]
        == names["all_group_chats"]
        == {"ask", "articles", "quotes", "sources", "watch", "watches", "unwatch", "digest", "collections", "help"}
    )
    everything = names["all_group_chats"] | {"add", "remove", "follow", "unfollow", "subscribe", "unsubscribe", "use"}
    assert names["chat42"] == everything

    mark = len(api.sent)
    question = api.user_message(ADMIN, private(ADMIN), "Who leads the repair crew?")
    first = await api.wait_for(sent_to(42, "Okafor"), start=mark)
    api.user_edit(question, "Who praised amateur observers?")
    edited = await api.wait_for(sent_to(42, "Fischer", "editMessageText"), start=mark)
    assert edited["message_id"] == first["result"]["message_id"], "the edit updates the answer it had"

    mark = len(api.sent)
    api.user_message(ADMIN, private(ADMIN), "/articles")
    listing = await api.wait_for(sent_to(42, "Articles"), start=mark)
    next_page = listing["reply_markup"]["inline_keyboard"][0][-1]["callback_data"]
    api.press(ADMIN, listing["result"], next_page)
    api.press(ADMIN, listing["result"], next_page)
    api.press(GUEST, {"message_id": 1, "chat": {"id": 7, "type": "private"}}, "c|1")
    await api.wait_for(sent_to(42, "", "editMessageText"), start=mark)
    await api.wait_for(lambda m: m["method"] == "answerCallbackQuery" and "too old" in m.get("text", ""), start=mark)
    mark = len(api.sent)
    api.user_message(GUEST, private(GUEST), "/quotes Varga")
    first_page = await api.wait_for(sent_to(7, "Ines Varga"), start=mark)
    assert "7 quotes" in first_page["text"] and "page 1 of 2" in first_page["text"]
    assert "Council sets a winter budget, Gazette" in first_page["text"]
    sources, nav = first_page["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in sources] == ["[1]", "[2]", "[3]", "[4]", "[5]"] and [b["text"] for b in nav] == ["▶"]
    api.press(GUEST, first_page["result"], nav[0]["callback_data"])
    second = await api.wait_for(sent_to(7, "page 2 of 2", "editMessageText"), start=mark)
    assert second["message_id"] == first_page["result"]["message_id"]
    api.press(GUEST, first_page["result"], sources[0]["callback_data"])
    await api.wait_for(sent_to(7, "<blockquote>"), start=mark)

    mark = len(api.sent)
    api.user_message(ADMIN, private(ADMIN), "/settings")
    unknown = await api.wait_for(sent_to(42, "I don't know /settings"), start=mark)
    assert "/add" in unknown["text"], "an admin is shown the admin commands"
    api.user_message(GUEST, private(GUEST), "/help")
    helped = await api.wait_for(sent_to(7, "Commands"), start=mark)
    assert "/add" not in helped["text"] and "/remove" not in helped["text"]
    api.user_message(GUEST, private(GUEST), "thanks!")
    await api.wait_for(sent_to(7, "You're welcome!"), start=mark)
    assert not [m for m in api.sent if "went wrong" in m.get("text", "")], "double tap and forged data are quiet"


async def test_groups(bot: tuple[FakeBotAPI, BotProcess]):
    api, _ = bot
    api.bot_added(ADMIN, GROUP)
    hello = await api.wait_for(sent_to(-100, "/help"))
    assert f"@{BOT.username}" in hello["text"]

    api.user_document(GUEST, GROUP, "minutes.txt", NOTE.encode())
    api.user_document(ADMIN, GROUP, "timetable.txt", NOTE.encode())
    mark = len(api.sent)
    api.user_document(ADMIN, GROUP, "harbour.txt", NOTE.encode(), caption=f"@{BOT.username} please read")
    added = await api.wait_for(sent_to(-100, "Added: Harbour notice"), start=mark)
    assert "1 passage." in added["text"] or "1 passage," in added["text"], added["text"]
    group_texts = [m["text"] for m in api.sent if m["method"] == "sendMessage" and m["chat_id"] == -100]
    assert not [t for t in group_texts if "only the bot's admins" in t], "a file shared with the group is not an upload"
    assert sum("Added" in t for t in group_texts) == 1

    mark = len(api.sent)
    api.user_message(GUEST, GROUP, f"@{BOT.username} Who said the smear had moved?")
    answer = await api.wait_for(sent_to(-100, "Peter Hallam"), start=mark)
    mark = len(api.sent)
    reply_to = api.user_message(GUEST, GROUP, "x")  # a stand-in for the bot's message the user replies to
    api.updates.pop()
    bot_message = reply_to.__class__(
        message_id=answer["result"]["message_id"], date=reply_to.date, chat=GROUP, from_user=BOT, text="answer"
    )
    api.user_message(GUEST, GROUP, "What did he say?", reply_to=bot_message)
    follow = await api.wait_for(sent_to(-100), start=mark)
    assert follow["text"].startswith("Peter Hallam"), follow["text"]


async def test_a_shutdown_during_an_ingest_is_quick_and_loses_nothing(bot: tuple[FakeBotAPI, BotProcess]):
    """Ctrl-C while a long file is embedded: the admin is told what was stored and to send the rest again; the
    store is whole afterwards (every article it had, indexes matching SQLite)."""
    api, process = bot
    long_text = "Town records\n" + "\n".join(
        f"Item {n}: the council noted that the {n}th lamp on Quay Street was repaired by the night crew."
        for n in range(6000)
    )
    mark = len(api.sent)
    api.user_document(ADMIN, private(ADMIN), "records.txt", long_text.encode())
    await api.wait_for(lambda m: m["method"] == "sendChatAction" and m["chat_id"] == 42, start=mark)
    await asyncio.sleep(1.0)
    await process.stop(signal.SIGINT)
    told = await api.wait_for(sent_to(42, "I am shutting down"), timeout=5, start=mark)
    assert "send the rest again" in told["text"] and "Nothing of this was stored." in told["text"]
    engine = build_engine(Settings(data_dir=process.data))
    assert {"sample-comet", "sample-harbour-bridge", "council"} <= {a.id for a in engine.articles()}
    assert check(engine.library).ok
    engine.close()

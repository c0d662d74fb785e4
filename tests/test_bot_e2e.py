"""The real bot process, over HTTP, against a local Bot API server; a scripted user drives it."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest
from telegram import Chat, User

from bot.engine import build_engine
from bot.settings import Settings
from tests.botapi import BOT, FakeBotAPI
from tests.botproc import BotProcess
from tests.conftest import SAMPLES, with_onnx

pytestmark = pytest.mark.model

ADMIN = User(42, "Ada", False)
GUEST = User(7, "Gus", False)
HASTY = User(8, "Hal", False)
NEW_ARTICLE = (
    "Lighthouse keeper retires after forty years\n"
    "Agnes Moberly, the last keeper of the Cape Sorrel lighthouse, retired on Sunday after forty years. "
    "“The sea was my only neighbour, and a good one,” Moberly said as she handed over the keys.\n"
)


def private(user: User) -> Chat:
    return Chat(user.id, Chat.PRIVATE)


def text_to(chat_id: int, needle: str = ""):
    return lambda m: m["method"] == "sendMessage" and m["chat_id"] == chat_id and needle in m["text"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def webhook_port(request) -> int | None:
    return getattr(request, "param", None)


@pytest.fixture
async def bot(tmp_path: Path, st_embedder, onnx_model, webhook_port: int | None):
    data = with_onnx(tmp_path / "data", onnx_model, Settings().store.model)
    engine = build_engine(Settings(data_dir=data), embedder=st_embedder)
    engine.ingest([str(SAMPLES)])
    engine.close()
    api = FakeBotAPI()
    await api.start()
    process = BotProcess(api, data, tmp_path / "bot.log", webhook_port)
    try:
        await process.start()
        yield api
    finally:
        await process.stop()
        await api.stop()


async def test_conversation_end_to_end(bot: FakeBotAPI):
    api = bot
    api.user_message(ADMIN, private(ADMIN), "/start")
    welcome = await api.wait_for(text_to(42, "who said what"))
    assert "What does “" in welcome["text"]

    mark = len(api.sent)
    api.user_message(ADMIN, private(ADMIN), "Who leads the repair crew?")
    answer = await api.wait_for(text_to(42, "Tomas Okafor"), start=mark)
    assert "[1]" in answer["text"] and answer["parse_mode"] == "HTML"
    assert any(m["method"] == "sendChatAction" and m["action"] == "typing" for m in api.sent[mark:])
    button = answer["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "[1]"

    mark = len(api.sent)
    api.press(ADMIN, answer["result"], button["callback_data"])
    passage = await api.wait_for(text_to(42, "Okafor"), start=mark)
    assert "<b>" in passage["text"] and "<blockquote>" in passage["text"]
    assert any(m["method"] == "answerCallbackQuery" for m in api.sent[mark:])

    mark = len(api.sent)
    api.user_document(ADMIN, private(ADMIN), "lighthouse.txt", NEW_ARTICLE.encode())
    added = await api.wait_for(text_to(42, "Added: Lighthouse keeper retires"), start=mark)
    assert "1 passage." in added["text"]
    mark = len(api.sent)
    api.user_message(ADMIN, private(ADMIN), "Who was the last keeper of the Cape Sorrel lighthouse?")
    await api.wait_for(text_to(42, "Agnes Moberly"), start=mark)

    mark = len(api.sent)
    api.user_message(ADMIN, private(ADMIN), "/articles")
    listing = await api.wait_for(text_to(42, "Articles"), start=mark)
    assert "Lighthouse keeper retires" in listing["text"]


async def test_guest_may_ask_but_not_add(bot: FakeBotAPI):
    api = bot
    api.user_document(GUEST, private(GUEST), "x.txt", NEW_ARTICLE.encode())
    await api.wait_for(text_to(7, "only the bot's admins"))
    api.user_message(GUEST, private(GUEST), "/remove sample-comet")
    await api.wait_for(text_to(7, "only the bot's admins"), start=len(api.sent) - 1)


async def test_rate_limit_answers_politely(bot: FakeBotAPI):
    api = bot
    for i in range(7):
        api.user_message(HASTY, private(HASTY), f"What did Desai say about the strike? ({i})")
    await api.wait_for(text_to(8, "asking faster than I can read"))


async def test_groups_answer_only_when_addressed(bot: FakeBotAPI):
    api = bot
    group = Chat(-100, Chat.GROUP)
    api.user_message(GUEST, group, "Who leads the repair crew?")
    mark = len(api.sent)
    api.user_message(GUEST, group, f"@{BOT.username} Who praised amateur observers?")
    answer = await api.wait_for(text_to(-100, "Fischer"), start=mark)
    assert sum(1 for m in api.sent if m["method"] == "sendMessage" and m["chat_id"] == -100) == 1
    assert "Who praised" not in answer["text"]
    api.user_message(GUEST, group, "/ask How big is the Hallam comet?")
    await api.wait_for(text_to(-100, "comet"), start=len(api.sent))


@pytest.mark.parametrize("webhook_port", [free_port()], indirect=True)
async def test_webhook_mode_checks_the_secret(bot: FakeBotAPI, webhook_port: int):
    api = bot
    assert api.webhook == {"url": f"http://127.0.0.1:{webhook_port}/telegram", "secret_token": "s3cret-hook"}
    api.user_message(ADMIN, private(ADMIN), "Who leads the repair crew?")
    update = api.updates[-1]
    async with aiohttp.ClientSession() as session:
        hook = f"http://127.0.0.1:{webhook_port}/telegram"
        for _ in range(100):  # the webhook server starts right after setWebhook
            try:
                async with session.post(hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}) as r:
                    assert r.status == 403
                break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
        async with session.post(hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-hook"}) as r:
            assert r.status == 200
    await api.wait_for(text_to(42, "Tomas Okafor"))
    assert "getUpdates" not in api.calls


async def test_fifty_users_one_flooding(bot: FakeBotAPI):
    """49 people ask once while one sends 40 messages at once: everyone is answered, the flooder is slowed."""
    api = bot
    flooder = User(500, "Flood", False)
    for i in range(40):
        api.user_message(flooder, private(flooder), f"What did Desai say about the strike? ({i})")
    people = [User(1000 + n, f"u{n}", False) for n in range(49)]
    for person in people:
        api.user_message(person, private(person), "Who leads the repair crew?")
    for person in people:
        await api.wait_for(text_to(person.id, "Okafor"), timeout=120)
    refusals = [
        m
        for m in api.sent
        if m["method"] == "sendMessage" and m["chat_id"] == 500 and "faster than I can read" in m["text"]
    ]
    answers = [m for m in api.sent if m["method"] == "sendMessage" and m["chat_id"] == 500 and "Desai" in m["text"]]
    assert len(answers) == 5 and len(refusals) == 1, "one 'please wait' for the whole burst"
    assert not [m for m in api.sent if m["method"] == "sendMessage" and "busy" in m["text"]]


PRIVATE_WORDS = ("Agnes", "neighbour", "Lighthouse keeper retires", "Cape Sorrel lighthouse, retired")
"""Words of the group's article that no question below holds (a refusal may echo the name asked about)."""


async def test_what_a_group_adds_stays_in_that_group(bot: FakeBotAPI):
    """Issue 31, item 1: group A's article is never retrieved, cited, listed, quoted or opened from group B or a
    private chat, whatever the question or the button pressed; the shared samples are read everywhere."""
    api = bot
    group_a, group_b = Chat(-100, Chat.GROUP), Chat(-200, Chat.GROUP)
    api.user_document(ADMIN, group_a, "lighthouse.txt", NEW_ARTICLE.encode(), caption=f"@{BOT.username}")
    await api.wait_for(text_to(-100, "Added: Lighthouse keeper retires"))
    asked = f"@{BOT.username} Who was the last keeper of the Cape Sorrel lighthouse?"
    mark = len(api.sent)
    api.user_message(ADMIN, group_a, asked)
    answer = await api.wait_for(text_to(-100, "Agnes Moberly"), start=mark)
    button = answer["reply_markup"]["inline_keyboard"][0][0]
    for user, chat in ((GUEST, group_b), (HASTY, private(HASTY))):  # one user each: the rate limit is per user
        for question in (asked, f"@{BOT.username} What did Moberly say?", "/quotes Moberly", "/articles"):
            mark = len(api.sent)
            api.user_message(user, chat, question)
            reply = await api.wait_for(text_to(chat.id), start=mark)
            assert not any(w in reply["text"] for w in PRIVATE_WORDS), (question, reply["text"])
        mark = len(api.sent)
        api.press(user, {**answer["result"], "chat": {"id": chat.id, "type": chat.type}}, button["callback_data"])
        opened = await api.wait_for(lambda m: m["method"] in ("sendMessage", "answerCallbackQuery"), start=mark)
        await asyncio.sleep(1)  # whatever else the press sends
        shown = " ".join(str(m.get("text", "")) for m in api.sent[mark:])
        assert opened and not any(w in shown for w in PRIVATE_WORDS), "a button from group A opens nothing elsewhere"
    mark = len(api.sent)
    api.user_message(GUEST, group_b, f"@{BOT.username} Who leads the repair crew?")
    await api.wait_for(text_to(-200, "Tomas Okafor"), start=mark)

"""Handlers through the real PTB Application (process_update), with an in-process Bot API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from telegram import Chat, Message, PhotoSize, Update, User

from bot.engine import Engine, build_library
from bot.settings import Settings
from bot.telegram.app import build_application
from index.models import Article
from tests.botapi import BOT, TOKEN, FakeBotAPI, LocalRequest
from tests.conftest import SAMPLES
from tests.fakes import HashEmbedder, extractor
from tests.telegram_html import check_html

ADMIN, GUEST = User(42, "Ada", False), User(7, "Gus", False)


class Broken(Engine):
    def ask(self, question, article_ids=None, seen=(), shelf=None):
        raise RuntimeError("index exploded")


def fake(settings: Settings, cls: type[Engine] = Engine, samples: bool = True) -> Engine:
    settings = settings.changed(**{"model": "fake/hash-embedder", "answer_threshold": 0.2})
    engine = cls(build_library(settings, embedder=HashEmbedder(), quotes=extractor()), settings)
    if samples:
        engine.ingest([str(SAMPLES)])
    return engine


async def started(settings: Settings, make_engine=fake):
    api = FakeBotAPI()
    app = build_application(settings.changed(**{"telegram_token": SecretStr(TOKEN)}), make_engine, LocalRequest(api))
    await app.initialize()
    await app.post_init(app)
    return api, app


def latest(api: FakeBotAPI, app) -> Update:
    """The update the user sent last, as the bot receives it from getUpdates."""
    return Update.de_json(api.updates[-1], app.bot)


async def send(api: FakeBotAPI, app, user: User, text: str, chat: Chat | None = None) -> list[dict]:
    mark = len(api.sent)
    api.user_message(user, chat or Chat(user.id, Chat.PRIVATE), text)
    await app.process_update(latest(api, app))
    return api.sent[mark:]


async def stop(app) -> None:
    await app.post_shutdown(app)
    await app.shutdown()


def messages(sent: list[dict]) -> list[str]:
    return [m["text"] for m in sent if m["method"] in ("sendMessage", "editMessageText")]


async def test_answer_has_sources_and_buttons(settings: Settings):
    api, app = await started(settings)
    sent = await send(api, app, ADMIN, "What did Desai say about the strike?")
    [reply] = [m for m in sent if m["method"] == "sendMessage"]
    assert "<b>Sources</b>" in reply["text"] and check_html(reply["text"])[0] is None
    assert reply["reply_markup"]["inline_keyboard"][0][0]["text"] == "[1]"
    await stop(app)


async def test_long_passage_is_split_into_valid_messages(settings: Settings):
    def big(s: Settings) -> Engine:
        engine = fake(s, samples=False)
        text = "The long report said many things. " + " ".join(f"Point {i} <b>&amp; more</b>." for i in range(900))
        engine.library.ingest([Article(id="long", title="A <long> report", text=text)])
        return engine

    api, app = await started(settings, big)
    sent = await send(api, app, ADMIN, "What is Point 12 in the long report?")
    answer = next(m for m in sent if m["method"] == "sendMessage")
    data = next(b["callback_data"] for b in answer["reply_markup"]["inline_keyboard"][0])
    mark = len(api.sent)
    api.press(ADMIN, answer["result"], data)
    await app.process_update(latest(api, app))
    parts = messages(api.sent[mark:])
    assert len(parts) >= 2, "a passage over 4,096 characters is split"
    for part in parts:
        error, shown = check_html(part)
        assert error is None and len(shown) <= 4096
    await stop(app)


async def test_errors_are_reported_and_the_bot_goes_on(settings: Settings):
    api, app = await started(settings.changed(**{"admin_chat_id": 999}), lambda s: fake(s, Broken))
    sent = await send(api, app, ADMIN, "Anything?")
    texts = messages(sent)
    assert any("something went wrong" in t for t in texts)
    admin = [m for m in sent if m["method"] == "sendMessage" and m["chat_id"] == 999]
    assert admin and "index exploded" in admin[0]["text"]
    assert check_html(admin[0]["text"])[0] is None
    await stop(app)


async def test_bot_api_failure_does_not_kill_the_bot(settings: Settings):
    api, app = await started(settings)
    api.fail_next["sendMessage"] = 2
    await send(api, app, ADMIN, "What did Desai say?")
    sent = await send(api, app, ADMIN, "What did Desai say?")
    assert any("Desai" in t for t in messages(sent))
    await stop(app)


async def test_private_bot_refuses_strangers_politely(settings: Settings):
    api, app = await started(settings.changed(**{"allowed_users": [42]}))
    assert "this bot is private" in messages(await send(api, app, GUEST, "What did Desai say?"))[0]
    assert messages(await send(api, app, ADMIN, "What did Desai say?"))
    await stop(app)


async def test_articles_are_paged_with_buttons(settings: Settings):
    def many(s: Settings) -> Engine:
        engine = fake(s)
        engine.library.ingest(
            [Article(id=f"n{i:02}", title=f"Note {i}", text=f"Note number {i} text.") for i in range(12)]
        )
        return engine

    api, app = await started(settings, many)
    [listing] = [m for m in await send(api, app, GUEST, "/articles") if m["method"] == "sendMessage"]
    assert "page 1 of 2" in listing["text"]
    [[button]] = listing["reply_markup"]["inline_keyboard"]
    api.press(GUEST, listing["result"], button["callback_data"])
    await app.process_update(latest(api, app))
    edited = [m for m in api.sent if m["method"] == "editMessageText"]
    assert edited and "page 2 of 2" in edited[-1]["text"]
    await stop(app)


@pytest.mark.parametrize("text", ["/add", "/add not-a-link", "/remove"])
async def test_commands_without_arguments_explain_themselves(settings: Settings, text: str):
    api, app = await started(settings.changed(**{"admins": [42]}))
    [reply] = messages(await send(api, app, ADMIN, text))
    assert reply.startswith("Send /")
    await stop(app)


async def test_admin_adds_a_link_and_others_may_not(settings: Settings):
    from tests.docs import ARTICLE_HTML
    from tests.httpserver import serve

    with serve({"/a": (200, {"Content-Type": "text/html"}, ARTICLE_HTML.encode(), 0.0)}) as site:
        local = {"admins": [42], "fetch_allow_loopback": True, "fetch_ports": []}
        api, app = await started(settings.changed(**local))
        assert "only the bot's admins" in messages(await send(api, app, GUEST, f"{site}/a"))[0]
        [reply] = messages(await send(api, app, ADMIN, f"/add {site}/a"))
        assert reply.startswith("Added: Council approves new library (Valley Gazette)")
        [again] = messages(await send(api, app, ADMIN, f"{site}/a"))
        assert again.startswith("Already up to date")
        await stop(app)


async def test_quotes_command_lists_what_a_speaker_said(settings: Settings):
    api, app = await started(settings)
    [reply] = messages(await send(api, app, GUEST, "/quotes Desai"))
    assert reply.startswith("<b>What Priya Desai is quoted as saying</b> (5 quotes, 3 surely theirs)")
    assert ("likely theirs" in reply or "speaker unsure" in reply) and "not sure: " not in reply
    assert check_html(reply)[0] is None
    [none] = messages(await send(api, app, GUEST, "/quotes Macron"))
    assert none == "I find no quotes from Macron in the articles."
    await stop(app)


async def test_replying_to_a_source_limits_the_next_question_to_its_article(settings: Settings):
    api, app = await started(settings)
    sent = await send(api, app, ADMIN, "What did Desai say about the strike?")
    answer = next(m for m in sent if m["method"] == "sendMessage")
    assert "Coastal Ledger" in answer["text"]
    mark = len(api.sent)
    shown = answer["result"]
    reply_to = Message(
        message_id=shown["message_id"],
        date=shown["date"],
        chat=Chat(42, Chat.PRIVATE),
        from_user=BOT,
        text=shown["text"],
    )
    api.user_message(ADMIN, Chat(42, Chat.PRIVATE), "Who leads the repair crew?", reply_to=reply_to)
    await app.process_update(latest(api, app))
    [scoped] = messages(api.sent[mark:])
    assert "Okafor" not in scoped, "the bridge article is out of scope when replying to the strike answer"
    unscoped = messages(await send(api, app, ADMIN, "Who leads the repair crew?"))
    assert "Okafor" in unscoped[0]
    await stop(app)


async def test_long_messages_and_floods_are_refused_politely(settings: Settings):
    api, app = await started(settings.changed(**{"max_message_chars": 50, "rate_limit_per_minute": 3}))
    [too_long] = messages(await send(api, app, GUEST, "Who said " + "x" * 100 + "?"))
    assert "characters long; I take up to 50" in too_long
    flood = [messages(await send(api, app, User(66, "Flo", False), f"What did Desai say? {i}")) for i in range(8)]
    assert sum("Desai" in r[0] for r in flood if r) == 3
    assert sum("faster than I can read" in m for r in flood for m in r) == 1, "one notice for the burst"
    assert "Desai" in messages(await send(api, app, ADMIN, "What did Desai say?"))[0], "others are still answered"
    await stop(app)


async def test_a_full_queue_answers_busy_instead_of_queueing_forever(settings: Settings):
    api, app = await started(settings.changed(**{"max_pending": 1}))
    app.bot_data["service"].pending = 1  # one job already waiting
    [busy] = messages(await send(api, app, ADMIN, "What did Desai say?"))
    assert busy.startswith("I'm busy")
    app.bot_data["service"].pending = 0
    assert "Desai" in messages(await send(api, app, ADMIN, "What did Desai say?"))[0]
    await stop(app)


async def test_documents_are_judged_by_content_not_name(settings: Settings):
    from tests.docs import ARTICLE_HTML

    api, app = await started(settings.changed(**{"admins": [42], "max_file_bytes": 10_000}))

    async def upload(name: str, data: bytes) -> str:
        mark = len(api.sent)
        api.user_document(ADMIN, Chat(42, Chat.PRIVATE), name, data)
        await app.process_update(latest(api, app))
        return messages(api.sent[mark:])[-1]

    assert (await upload("saved-page", ARTICLE_HTML.encode())).startswith("Added: Council approves new library")
    assert "binary file" in await upload("notes.txt", b"PK\x03\x04" + bytes(range(256)) * 4)
    assert "the file is empty" in await upload("empty.md", b"   ")
    assert "limit is 10,000" in await upload("big.txt", b"Title\n" + b"word " * 5000)
    await stop(app)


async def test_a_forged_or_forgotten_button_is_answered_quietly(settings: Settings):
    api, app = await started(settings)
    mark = len(api.sent)
    api.press(ADMIN, {"message_id": 1, "chat": {"id": ADMIN.id, "type": "private"}}, "c|1")
    await app.process_update(latest(api, app))
    [alert] = [m for m in api.sent[mark:] if m["method"] == "answerCallbackQuery"]
    assert "too old" in alert["text"] and not messages(api.sent[mark:])
    await stop(app)


async def test_a_photo_caption_is_a_question(settings: Settings):
    api, app = await started(settings)
    mark = len(api.sent)
    photo = PhotoSize(file_id="p1", file_unique_id="p1", width=10, height=10)
    api.push(
        message=Message(
            message_id=5000,
            date=datetime.now(UTC),
            chat=Chat(ADMIN.id, Chat.PRIVATE),
            from_user=ADMIN,
            photo=[photo],
            caption="What did Desai say about the strike?",
        )
    )
    await app.process_update(latest(api, app))
    assert "Desai" in messages(api.sent[mark:])[0]
    await stop(app)

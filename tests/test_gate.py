"""The gate in handler group -1: no registered handler runs for someone the rules refuse, whatever the update."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, User
from telegram.ext import CommandHandler

from bot.telegram.buttons import MuteWatch, TurnDigest, keyboard
from bot.telegram.gate import route_for
from index.models import Article
from tests.botapi import BOT, FakeBotAPI
from tests.test_handlers import ADMIN, fake, latest, messages, send, started, stop

STRANGER = User(7, "Gus", False)
MEMBER = User(9, "Mo", False)  # may ask, may not edit
GROUP = Chat(-100, Chat.GROUP)
Push = Callable[[FakeBotAPI, User], None]


def _edited(api: FakeBotAPI, user: User) -> None:
    original = api.user_message(user, Chat(user.id, Chat.PRIVATE), "What did Desai say?")
    api.updates.pop()
    api.user_edit(original, "What did Desai say about pay?")


def candidates(app, buttons: list[str]) -> dict[str, Push]:
    """One update of every kind a user can send, built from what the app registered (every command, every
    button shown) plus messages, links, files and edits, in private chats and groups."""
    pushes: dict[str, Push] = {
        "question": lambda api, u: api.user_message(u, Chat(u.id, Chat.PRIVATE), "What did Desai say?"),
        "group mention": lambda api, u: api.user_message(u, GROUP, f"@{BOT.username} What did Desai say?"),
        "link": lambda api, u: api.user_message(u, Chat(u.id, Chat.PRIVATE), "https://example.com/news"),
        "group link": lambda api, u: api.user_message(u, GROUP, f"@{BOT.username} https://example.com/news"),
        "document": lambda api, u: api.user_document(u, Chat(u.id, Chat.PRIVATE), "x.txt", b"Title\nSome text."),
        "group document": lambda api, u: api.user_document(
            u, GROUP, "x.txt", b"Title\nSome text.", caption=f"@{BOT.username}"
        ),
        "unknown command": lambda api, u: api.user_message(u, Chat(u.id, Chat.PRIVATE), "/settings"),
        "bot added to a group": lambda api, u: api.bot_added(u, GROUP),
        "edited question": _edited,
        "forged button": lambda api, u: api.press(u, {"message_id": 1, "chat": {"id": u.id, "type": "private"}}, "c|1"),
    }
    for handler in app.handlers[0]:
        if isinstance(handler, CommandHandler):
            for command in handler.commands:
                pushes[f"/{command}"] = lambda api, u, c=command: api.user_message(
                    u, Chat(u.id, Chat.PRIVATE), f"/{c} Desai"
                )
                pushes[f"/{command} in a group"] = lambda api, u, c=command: api.user_message(u, GROUP, f"/{c} Desai")
    for n, data in enumerate(buttons):
        pushes[f"button {n}"] = lambda api, u, d=data: api.press(
            u, {"message_id": 1, "chat": {"id": ADMIN.id, "type": "private"}}, d
        )
    return pushes


def with_many_articles(settings):
    """The samples, a dozen notes and seven quotes of one mayor, so that the article list and her quotes have a
    second page (and a Next button)."""
    engine = fake(settings)
    engine.library.ingest([Article(id=f"n{i:02}", title=f"Note {i}", text=f"Note number {i} text.") for i in range(12)])
    said = "\n".join(f"“We will open shelter number {n} tonight,” Mayor Ines Varga said." for n in range(1, 8))
    engine.library.ingest([Article(id="council", title="Council", text=f"Council news\n{said}\n")])
    return engine


async def _answer_buttons(api: FakeBotAPI, app) -> list[str]:
    """The buttons the admin is shown (under an answer, under the article list), which a stranger then presses."""
    buttons = []
    for text in ("What did Desai say about the strike?", "/articles", "/quotes Varga"):
        mark = len(api.sent)
        api.user_message(ADMIN, Chat(ADMIN.id, Chat.PRIVATE), text)
        await app.process_update(latest(api, app))
        shown = next(m for m in api.sent[mark:] if m["method"] == "sendMessage")
        rows = shown.get("reply_markup", {}).get("inline_keyboard", [])
        buttons += [b["callback_data"] for row in rows for b in row]
    mark = len(api.sent)  # an alert's mute button and a digest's page button, as the poller sends them
    pressed = [
        InlineKeyboardButton("Mute", callback_data=MuteWatch(1)),
        InlineKeyboardButton("Older", callback_data=TurnDigest(0, 1, 1)),
    ]
    markup = await keyboard(app.bot_data["service"].conversations, ADMIN.id, InlineKeyboardMarkup([pressed]))
    await app.bot.send_message(ADMIN.id, "New for your watches", reply_markup=markup)
    sent = next(m for m in api.sent[mark:] if m["method"] == "sendMessage")
    return buttons + [b["callback_data"] for row in sent["reply_markup"]["inline_keyboard"] for b in row]


def _spy(app) -> list[str]:
    ran: list[str] = []
    for handler in app.handlers[0]:
        inner = handler.callback

        async def spy(update, context, inner=inner, name=inner.__name__):
            ran.append(name)
            return await inner(update, context)

        handler.callback = spy
    return ran


async def test_every_handler_refuses_a_stranger(settings):
    api, app = await started(settings.changed(**{"allowed_users": [42], "admins": [42]}), with_many_articles)
    pushes = candidates(app, await _answer_buttons(api, app))
    updates = {}
    for name, push in pushes.items():
        push(api, STRANGER)
        updates[name] = latest(api, app)
    [gate] = app.handlers[-1]
    registered = {id(h) for h in app.handlers[0]}
    assert {id(r.handler) for r in gate.callback.routes} == registered, "every handler is registered with a route"
    taken = {id(route.handler) for u in updates.values() if (route := route_for(gate.callback.routes, u))}
    assert taken == registered, "every registered handler is exercised by some stranger's update"
    ran = _spy(app)
    for name, update in updates.items():
        mark = len(api.sent)
        await app.process_update(update)
        assert not ran, f"{name}: {ran} ran for a stranger"
        alerts = [m.get("text", "") for m in api.sent[mark:] if m["method"] == "answerCallbackQuery"]
        said = messages(api.sent[mark:]) + alerts
        if update.my_chat_member is not None:
            assert not said, "being added to a group by a stranger: no message to answer, nothing said"
            continue
        assert any("this bot is private" in s for s in said), f"{name}: no refusal in {said}"
        if update.callback_query is not None:
            assert all(m.get("show_alert") for m in api.sent[mark:] if m["method"] == "answerCallbackQuery")
            assert not messages(api.sent[mark:]), "a refused button press posts nothing into the chat"
    await stop(app)


async def test_members_may_ask_but_only_admins_edit(settings):
    api, app = await started(settings.changed(**{"allowed_users": [42, 9], "admins": [42]}))
    pushes = candidates(app, [])
    ran = _spy(app)
    for name in ("link", "group link", "document", "/add", "/remove"):
        mark = len(api.sent)
        pushes[name](api, MEMBER)
        await app.process_update(latest(api, app))
        assert not ran, f"{name}: {ran} ran for a member who is not an admin"
        assert "only the bot's admins" in messages(api.sent[mark:])[0]
    pushes["question"](api, MEMBER)
    await app.process_update(latest(api, app))
    assert ran == ["text_message"]
    await stop(app)


async def test_button_presses_count_against_the_rate_limit(settings):
    api, app = await started(settings.changed(**{"press_limit_per_minute": 1, "rate_limit_per_minute": 4}))
    [data, *_] = await _answer_buttons(api, app)
    alerts = []
    for _ in range(3):
        mark = len(api.sent)
        api.press(ADMIN, {"message_id": 1, "chat": {"id": ADMIN.id, "type": "private"}}, data)
        await app.process_update(latest(api, app))
        alerts += [m for m in api.sent[mark:] if m["method"] == "answerCallbackQuery" and m.get("show_alert")]
    assert len(alerts) == 2 and all("faster than I can read" in a["text"] for a in alerts)
    assert "Desai" in messages(await send(api, app, ADMIN, "What did Desai say?"))[0], "questions have their own limit"
    await stop(app)


async def test_unaddressed_group_chatter_reaches_no_handler(settings):
    api, app = await started(settings.changed(**{"allowed_users": [42]}))
    ran = _spy(app)
    mark = len(api.sent)
    api.user_message(STRANGER, GROUP, "Who leads the repair crew?")
    await app.process_update(latest(api, app))
    assert not ran and not api.sent[mark:], "no refusal is posted for messages not meant for the bot"
    await stop(app)

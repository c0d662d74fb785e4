"""Shared collections (issue 31, item 1): a bot admin adds to a named shared collection (/use); a group reads it
only once subscribed (/subscribe), and not after /unsubscribe; the choice survives a restart. Through the real
Application with an in-process Bot API."""

from __future__ import annotations

from telegram import Chat

from bot.settings import Settings
from index.store.shelves import ChatShelf, reading, shared_name
from tests.botapi import BOT
from tests.test_handlers import ADMIN, latest, messages, send, started, stop

GROUP = Chat(-100, Chat.GROUP)
MEMO = (
    "Senate memo on the water bill\n"
    "Senator Odile Brandt said: “The water bill will cap household charges at two hundred crowns a year.” "
    "The committee meets again on Monday.\n"
)
ASKED = f"@{BOT.username} What did Odile Brandt say about the water bill?"


def test_names_of_shared_collections():
    assert shared_name("Politics") == "shared:politics" and shared_name("shared") == "shared"
    assert shared_name("../etc") is None and shared_name("x" * 40) is None
    assert reading(ChatShelf(), "shared:politics", True).reads == ("shared", "shared:politics")
    assert reading(ChatShelf(), "shared", False).reads == ()


async def test_a_group_reads_a_shared_collection_once_subscribed(settings: Settings):
    settings = settings.changed(admins=[42])
    api, app = await started(settings)
    assert "now goes to the shared collection “politics”" in messages(await send(api, app, ADMIN, "/use politics"))[0]
    mark = len(api.sent)
    api.user_document(ADMIN, Chat(42, Chat.PRIVATE), "memo.txt", MEMO.encode())
    await app.process_update(latest(api, app))
    assert messages(api.sent[mark:])[-1].startswith("Added: Senate memo")
    assert "two hundred crowns" not in messages(await send(api, app, ADMIN, ASKED, GROUP))[0]
    assert "Watching Odile Brandt" in messages(await send(api, app, ADMIN, "/watch Odile Brandt", GROUP))[0]
    assert (
        "reads the shared collection “politics” too"
        in messages(await send(api, app, ADMIN, "/subscribe politics", GROUP))[0]
    )
    assert "two hundred crowns" in messages(await send(api, app, ADMIN, ASKED, GROUP))[0]
    [watch] = app.bot_data["service"].watchers.table.of_chat(-100)
    assert "shared:politics" in watch.collections, "the group's watches look where it reads"
    listed = messages(await send(api, app, ADMIN, "/collections", GROUP))[0]
    assert "✓ politics: 1 article" in listed and "✓ shared:" in listed
    await stop(app)

    api, app = await started(settings)  # a restart: the group's choice is kept in the store
    assert "two hundred crowns" in messages(await send(api, app, ADMIN, ASKED, GROUP))[0]
    assert "no longer reads" in messages(await send(api, app, ADMIN, "/unsubscribe politics", GROUP))[0]
    assert "two hundred crowns" not in messages(await send(api, app, ADMIN, ASKED, GROUP))[0]
    assert "letters, digits" in messages(await send(api, app, ADMIN, "/subscribe ../x", GROUP))[0]
    assert "group's own collection" in messages(await send(api, app, ADMIN, "/use politics", GROUP))[0]
    await stop(app)

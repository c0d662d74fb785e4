"""Conversation state in the store (issue 32), on both engines: buttons as rows named by short keys, chats'
values, rate limits counted across processes; and the pickle of older versions read in once."""

from __future__ import annotations

import pickle
from collections import OrderedDict
from pathlib import Path

import pytest
from telegram import CallbackQuery, Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, User

import bot.telegram.pages
import bot.telegram.watches
from bot.answer.models import Citation
from bot.conversation import ChatContext
from bot.telegram.buttons import MuteWatch, ShowPassage, keep_keyboard, pressed_data
from bot.telegram.legacy import STATE_FILE, import_state
from bot.telegram.state import FOLLOW_UP
from index.library import Library
from tests.fakes import HashEmbedder

CITED = Citation(n=1, article_id="a1", title="T", source="S", start=0, end=10, text="Some text.")


@pytest.fixture(params=["sqlite", "postgresql"])
def library(request, isolated: Path) -> Library:
    url = request.getfixturevalue("database_url") if request.param == "postgresql" else None
    return Library(isolated, "fake/hash-embedder", HashEmbedder(), database_url=url)


def query(chat_id: int, data: str) -> CallbackQuery:
    shown = Message(1, None, Chat(chat_id, Chat.PRIVATE))  # type: ignore[arg-type]
    return CallbackQuery("1", User(7, "Gus", False), f"ci-{chat_id}", data=data, message=shown)


def test_buttons_carry_keys_naming_their_rows(library: Library):
    store = library.conversations
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("[1]", callback_data=ShowPassage(CITED))]])
    sent = keep_keyboard(store, 5, markup)
    assert sent is not None
    key = sent.inline_keyboard[0][0].callback_data
    assert isinstance(key, str) and len(key.encode()) <= 64
    assert pressed_data(store, query(5, key)) == ShowPassage(CITED)
    assert pressed_data(store, query(6, key)) is None, "a button sent to another chat"
    assert pressed_data(store, query(5, "no-such-key")) is None


def test_chat_values_keep_the_newest(library: Library):
    store = library.conversations
    for n in range(5):
        store.set_value(9, f"source:{n}", str(n), float(n), keep=3)
    assert [store.value(9, f"source:{n}") for n in range(5)] == [None, None, "2", "3", "4"]
    store.set_value(9, "follow_up", "{}", 9.0)
    assert store.value(9, "follow_up") == "{}" and store.value(10, "follow_up") is None


def test_rate_limits_count_across_instances(library: Library):
    first = library.conversations
    second = Library(library.data_dir, library.model, HashEmbedder(), database_url=library_url(library)).conversations
    assert [first.retry_after("q", 8, 3, 60.0, 100.0 + n) for n in range(2)] == [0.0, 0.0]
    assert second.retry_after("q", 8, 3, 60.0, 102.0) == 0.0
    assert second.retry_after("q", 8, 3, 60.0, 103.0) == pytest.approx(57.0), "waits for the oldest to age out"
    assert first.retry_after("q", 9, 3, 60.0, 103.0) == 0.0, "another user"
    assert first.retry_after("q", 8, 3, 60.0, 161.0) == 0.0, "a minute later"


def library_url(library: Library) -> str | None:
    return getattr(library.store, "url", None)


def test_the_old_pickle_is_read_in_once(isolated: Path, library: Library):
    old = {
        "chat_data": {
            5: {
                FOLLOW_UP: ChatContext(speaker="Peter Hallam", article_id="a1"),
                "sources": OrderedDict([(11, "a1"), (12, ChatContext(speaker="Hana Sato", article_id="a2"))]),
                "answers": OrderedDict([(10, 11)]),
            }
        },
        "callback_data": ([("k" * 32, 1.0, {"b" * 32: ShowPassage(CITED), "c" * 32: MuteWatch(3)})], {}),
    }
    (isolated / STATE_FILE).write_bytes(as_before(old))
    assert import_state(isolated, library.conversations) == 6
    store = library.conversations
    assert store.value(5, FOLLOW_UP) is not None and "Peter Hallam" in store.value(5, FOLLOW_UP)
    assert '"a1"' in store.value(5, "source:11") and "Hana Sato" in store.value(5, "source:12")
    assert store.value(5, "answer:10") == "11"
    assert pressed_data(store, query(5, "k" * 32 + "b" * 32)) == ShowPassage(CITED)
    assert pressed_data(store, query(5, "k" * 32 + "c" * 32)) == MuteWatch(3)
    assert not (isolated / STATE_FILE).exists() and (isolated / f"{STATE_FILE}.imported").exists()
    assert import_state(isolated, library.conversations) == 0, "once"


def as_before(state: dict) -> bytes:
    """The state pickled as whosaid wrote it before, when the button data classes lived in pages and watches."""
    moved = {ShowPassage: bot.telegram.pages, MuteWatch: bot.telegram.watches}
    for kind, module in moved.items():
        kind.__module__ = module.__name__
        setattr(module, kind.__name__, kind)
    try:
        return pickle.dumps(state)
    finally:
        for kind in moved:
            kind.__module__ = "bot.telegram.buttons"


def test_one_holder_of_a_lease_at_a_time(library: Library):
    other = Library(library.data_dir, library.model, HashEmbedder(), database_url=library_url(library))
    assert library.take_lease("lead") and library.take_lease("lead"), "taken, and still held"
    assert not other.take_lease("lead"), "another process (connection) leads"
    library.give_back_lease("lead")
    assert other.take_lease("lead") and not library.take_lease("lead")
    other.close()
    assert library.take_lease("lead"), "a closed store's lease is free"

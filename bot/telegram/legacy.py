"""The state whosaid kept before issue 32 in `telegram-state.pickle` (PTB's PicklePersistence: each chat's
follow-up context, reply sources and answers, and the data behind buttons), read once into the store when the bot
starts, so that nothing a chat had is lost; the file is then renamed `*.imported`."""

from __future__ import annotations

import logging
import pickle
import time
from pathlib import Path

from bot.conversation import ChatContext
from bot.telegram import buttons
from bot.telegram.state import CONTEXT, FOLLOW_UP, KEPT
from index.store.conversations import Conversations

STATE_FILE = "telegram-state.pickle"
log = logging.getLogger(__name__)
_MOVED = {kind.__name__: kind for kind in buttons.KINDS.values()}


class _Reader(pickle.Unpickler):
    """Button data classes were in `bot.telegram.pages` and `bot.telegram.watches`; they are in
    `bot.telegram.buttons` now."""

    def find_class(self, module: str, name: str) -> object:
        if module.startswith("bot.telegram.") and name in _MOVED:
            return _MOVED[name]
        return super().find_class(module, name)


def import_state(data_dir: Path, conversations: Conversations) -> int:
    """Read the old state file of this data dir, if any, into the store; how many values and buttons it held."""
    path = data_dir / STATE_FILE
    if not path.exists():
        return 0
    with path.open("rb") as file:
        state = _Reader(file).load()
    now, count = time.time(), 0
    for chat_id, data in (state.get("chat_data") or {}).items():
        count += _chat(conversations, int(chat_id), data, now)
    keyboards = (state.get("callback_data") or ([], {}))[0]
    for keyboard_id, _, kept in keyboards:
        for button_id, data in kept.items():
            if type(data) in buttons.KINDS.values():
                kind, value = buttons.encoded(data)
                conversations.import_button(f"{keyboard_id}{button_id}", None, kind, value, now)
                count += 1
    path.rename(path.with_name(path.name + ".imported"))
    log.warning("read %d values and buttons of %s into the store", count, path)
    return count


def _chat(conversations: Conversations, chat_id: int, data: dict, now: float) -> int:
    count = 0
    if isinstance(follow_up := data.get(FOLLOW_UP), ChatContext):
        conversations.set_value(chat_id, FOLLOW_UP, CONTEXT.dump_json(follow_up).decode(), now)
        count += 1
    for message_id, about in list((data.get("sources") or {}).items())[-KEPT:]:
        about = ChatContext(article_id=about) if isinstance(about, str) else about
        if isinstance(about, ChatContext):
            conversations.set_value(chat_id, f"source:{message_id}", CONTEXT.dump_json(about).decode(), now)
            count += 1
    for question_id, answer_id in list((data.get("answers") or {}).items())[-KEPT:]:
        conversations.set_value(chat_id, f"answer:{question_id}", str(answer_id), now)
        count += 1
    return count

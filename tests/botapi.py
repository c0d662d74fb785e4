"""A local Telegram Bot API for tests: real HTTP on 127.0.0.1, results built from PTB's own classes.

It long-polls getUpdates properly, validates Telegram HTML and the 4,096 limit like the real API,
serves files, and records everything the bot sends so a scripted user can wait for replies.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web
from telegram import (
    CallbackQuery,
    Chat,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberUpdated,
    Document,
    File,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.request import BaseRequest

from tests.telegram_html import check_html

TOKEN = "123456:TEST-token-for-local-api-only"
BOT = User(
    id=123456,
    is_bot=True,
    first_name="whosaid",
    username="whosaid_test_bot",
    can_join_groups=True,
    can_read_all_group_messages=False,
    supports_inline_queries=False,
)
JSON_FIELDS = {
    "reply_markup",
    "entities",
    "allowed_updates",
    "reply_parameters",
    "link_preview_options",
    "commands",
    "scope",
}
INT_FIELDS = {"chat_id", "offset", "limit", "timeout", "message_id", "reply_to_message_id"}


class FakeBotAPI:
    def __init__(self) -> None:
        self.updates: list[dict] = []
        self.sent: list[dict] = []  # every call the bot made that produces output, in order
        self.calls: list[str] = []
        self.files: dict[str, bytes] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Event()
        self._new_output = asyncio.Event()
        self.fail_next: dict[str, int] = {}
        self.base_url = ""
        self.webhook: dict[str, Any] | None = None
        self.confirmed = 0  # the highest offset the bot has asked getUpdates for
        self.commands: list[dict] = []  # every setMyCommands call's parameters
        self.shown: dict[tuple[int, int], tuple[str, Any]] = {}  # (chat, message) -> the bot's text and markup

    # ---- the scripted user's side
    def push(self, **update_fields: Any) -> int:
        update = Update(update_id=next(self._update_ids), **update_fields)
        self.updates.append(update.to_dict())
        self._new_update.set()
        return update.update_id

    def user_message(self, user: User, chat: Chat, text: str, reply_to: Message | None = None) -> Message:
        entities = []
        if text.startswith("/"):
            entities.append(MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0])))
        mention = f"@{BOT.username}"
        if mention in text:
            entities.append(MessageEntity(MessageEntity.MENTION, text.index(mention), len(mention)))
        message = Message(
            message_id=next(self._message_ids),
            date=_now(),
            chat=chat,
            from_user=user,
            text=text,
            entities=entities or None,
            reply_to_message=reply_to,
        )
        self.push(message=message)
        return message

    def user_edit(self, message: Message, text: str) -> None:
        """The user edits a message they sent: Telegram sends it again, same id, as `edited_message`."""
        edited = Message(
            message_id=message.message_id,
            date=message.date,
            chat=message.chat,
            from_user=message.from_user,
            text=text,
            edit_date=_now(),
            reply_to_message=message.reply_to_message,
        )
        self.push(edited_message=edited)

    def user_document(
        self,
        user: User,
        chat: Chat,
        name: str,
        data: bytes,
        mime: str = "text/plain",
        caption: str | None = None,
        reply_to: Message | None = None,
    ) -> None:
        file_id = f"file-{len(self.files)}"
        self.files[file_id] = data
        document = Document(
            file_id=file_id, file_unique_id=file_id, file_name=name, mime_type=mime, file_size=len(data)
        )
        entities = []
        if caption and (mention := f"@{BOT.username}") in caption:
            entities.append(MessageEntity(MessageEntity.MENTION, caption.index(mention), len(mention)))
        if caption and caption.startswith("/"):
            entities.append(MessageEntity(MessageEntity.BOT_COMMAND, 0, len(caption.split()[0])))
        self.push(
            message=Message(
                message_id=next(self._message_ids),
                date=_now(),
                chat=chat,
                from_user=user,
                document=document,
                caption=caption,
                caption_entities=entities or None,
                reply_to_message=reply_to,
            )
        )

    def bot_added(self, user: User, chat: Chat) -> None:
        """`user` adds the bot to a group."""
        self.push(
            my_chat_member=ChatMemberUpdated(
                chat=chat,
                from_user=user,
                date=_now(),
                old_chat_member=ChatMemberLeft(BOT),
                new_chat_member=ChatMemberMember(BOT),
            )
        )

    def press(self, user: User, message: dict, data: str) -> None:
        chat = Chat(message["chat"]["id"], message["chat"]["type"])
        shown = Message(
            message_id=message["message_id"], date=_now(), chat=chat, from_user=BOT, text=message.get("text", "")
        )
        self.push(
            callback_query=CallbackQuery(
                id=str(next(self._message_ids)), from_user=user, chat_instance=f"ci-{chat.id}", data=data, message=shown
            )
        )

    async def wait_for(self, predicate: Callable[[dict], bool], timeout: float = 60.0, start: int = 0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for item in self.sent[start:]:
                if predicate(item):
                    return item
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no matching bot output within {timeout} s; sent: {self.sent[start:][-5:]}")
            self._new_output.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_output.wait(), min(remaining, 1.0))

    # ---- the Bot API's side
    async def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict]:
        self.calls.append(method)
        if self.fail_next.get(method):
            self.fail_next[method] -= 1
            return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        handler = getattr(self, f"api_{method.lower()}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        try:
            result = await handler(params)
        except BadRequest as error:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {error}"}
        return 200, {"ok": True, "result": result}

    async def api_getme(self, params):
        return BOT.to_dict()

    async def api_deletewebhook(self, params):
        return True

    async def api_setmycommands(self, params):
        self.commands.append(params)
        return True

    async def api_setwebhook(self, params):
        self.webhook = {"url": params.get("url"), "secret_token": params.get("secret_token")}
        return True

    async def api_getupdates(self, params):
        """Updates from `offset` on; as Telegram does, those below an offset once asked for are gone for good
        (a restarted bot does not see them again)."""
        self.confirmed = max(self.confirmed, int(params.get("offset") or 0))
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            ready = [u for u in self.updates if u["update_id"] >= self.confirmed]
            if ready or time.monotonic() >= deadline:
                return ready[: int(params.get("limit") or 100)]
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())

    async def api_sendchataction(self, params):
        self._record("sendChatAction", params)
        return True

    async def api_answercallbackquery(self, params):
        self._record("answerCallbackQuery", params)
        return True

    async def api_sendmessage(self, params):
        return self._bot_message("sendMessage", params, next(self._message_ids))

    async def api_editmessagetext(self, params):
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.shown:
            raise BadRequest("message to edit not found")
        if self.shown[key] == (self._check_text(params), params.get("reply_markup")):
            raise BadRequest(
                "message is not modified: specified new message content and reply markup are exactly the same as "
                "a current content and reply markup of the message"
            )
        return self._bot_message("editMessageText", params, int(params["message_id"]), edit_date=_now())

    def _bot_message(self, method: str, params: dict, message_id: int, **extra: Any) -> dict:
        shown = self._check_text(params)
        chat_id = int(params["chat_id"])
        chat = Chat(chat_id, Chat.PRIVATE if chat_id > 0 else Chat.GROUP)
        message = Message(message_id=message_id, date=_now(), chat=chat, from_user=BOT, text=shown, **extra)
        result = message.to_dict()
        if params.get("reply_markup"):
            result["reply_markup"] = params["reply_markup"]
        self.shown[(chat_id, message_id)] = (shown, params.get("reply_markup"))
        self._record(method, params, result)
        return result

    async def api_getfile(self, params):
        file_id = params["file_id"]
        if file_id not in self.files:
            raise BadRequest("invalid file_id")
        return File(
            file_id=file_id,
            file_unique_id=file_id,
            file_size=len(self.files[file_id]),
            file_path=f"documents/{file_id}",
        ).to_dict()

    def _check_text(self, params) -> str:
        text = params.get("text", "")
        shown = text
        if params.get("parse_mode") == "HTML":
            error, shown = check_html(text)
            if error:
                raise BadRequest(error)
        if not shown.strip():
            raise BadRequest("message text is empty")
        if len(shown) > 4096:
            raise BadRequest("message is too long")
        return shown

    def _record(self, method: str, params: dict, result: Any = None) -> None:
        self.sent.append({"method": method, **params, "result": result})
        self._new_output.set()

    # ---- HTTP
    def app(self) -> web.Application:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._http_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._http_file)
        return app

    async def _http_method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        status, payload = await self.call(request.match_info["method"], decode_params(params))
        return web.json_response(payload, status=status)

    async def _http_file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if request.match_info["token"] != TOKEN or file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id])

    async def start(self) -> str:
        self._runner = web.AppRunner(self.app())
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def stop(self) -> None:
        await self._runner.cleanup()


class BadRequest(Exception):
    pass


def decode_params(params: dict[str, Any]) -> dict[str, Any]:
    """PTB sends strings as they are and everything else JSON-encoded; undo that as the Bot API does."""
    for key in list(params):
        if key in JSON_FIELDS and isinstance(params[key], str):
            params[key] = json.loads(params[key])
        elif key in INT_FIELDS and isinstance(params[key], str):
            params[key] = int(params[key])
    return params


class LocalRequest(BaseRequest):
    """PTB's request interface answered in-process by a FakeBotAPI: handler tests with no sockets."""

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def do_request(
        self,
        url,
        method,
        request_data=None,
        read_timeout=None,
        write_timeout=None,
        connect_timeout=None,
        pool_timeout=None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            data = self.api.files.get(url.rsplit("/", 1)[-1])
            return (200, data) if data is not None else (404, b"")
        params = dict(request_data.json_parameters) if request_data else {}
        status, payload = await self.api.call(url.rsplit("/", 1)[-1], decode_params(params))
        return status, json.dumps(payload, default=str).encode()


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(microsecond=0)

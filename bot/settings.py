"""The one configuration object, in groups, read from WHOSAID_* environment variables and `.env`.

Each setting keeps its one flat name (WHOSAID_TOP_K, WHOSAID_ADMINS, WHOSAID_TELEGRAM_TOKEN...) whatever group it
sits in, so deployments configured before the groups existed read the same; lists are JSON (`[42, 7]`)."""

from __future__ import annotations

import json
import os
import typing
from typing import Any

from dotenv import dotenv_values
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from index.config import Group, QuoteSettings, ReadSettings, StoreSettings
from index.models import Mode

PREFIX = "WHOSAID_"


class RetrievalSettings(Group):
    """How passages are found for a question, and when the articles are taken not to answer it."""

    top_k: int = Field(8, ge=1, le=100, description="passages retrieved per question")
    mode: Mode = Field("hybrid", alias="retrieval", description="dense (FAISS), bm25, or hybrid (both, fused)")
    answer_threshold: float = Field(
        0.51, description="best evidence score below which the answer is not found; fitted by bench/calibrate.py"
    )
    short_threshold: float = Field(
        0.9, description="how well a phrase must fill the question's slot to be given as the short answer (bench/qa.py)"
    )


class TelegramSettings(Group):
    """The bot: its token and Bot API, webhook, who may use it, and its limits."""

    token: SecretStr | None = Field(None, alias="telegram_token", description="from @BotFather; never logged")
    api_url: str = Field("https://api.telegram.org/bot", alias="telegram_api_url", description="Bot API base URL")
    file_url: str | None = Field(None, alias="telegram_file_url", description="Bot API file URL (default: PTB's)")
    webhook_url: str | None = Field(None, description="public URL for a webhook (else long polling)")
    webhook_listen: str = Field("0.0.0.0", description="address the webhook server listens on")
    webhook_port: int = Field(8443, description="port the webhook server listens on")
    webhook_secret: SecretStr | None = Field(None, description="secret token Telegram sends with each update")
    allowed_users: list[int] = Field(default_factory=list, description="user ids who may ask ([] and no chats: all)")
    allowed_chats: list[int] = Field(default_factory=list, description="chat ids whose members may ask")
    admins: list[int] = Field(default_factory=list, description="user ids who may add and remove articles")
    open_edits: bool = Field(False, description="let everyone allowed to ask also add and remove articles")
    admin_chat_id: int | None = Field(None, description="a chat that is sent the traceback of any error")
    rate_limit_per_minute: int = Field(12, ge=1, description="questions, commands, links and files per user per minute")
    press_limit_per_minute: int = Field(60, ge=1, description="button presses per user per minute")
    global_rate_per_minute: int = Field(600, ge=1, description="questions per minute for everyone together")
    max_message_chars: int = Field(1000, ge=10, description="characters a message may have")
    max_pending: int = Field(128, ge=1, description="engine jobs waiting at most; more are refused as busy")
    workers: int = Field(2, ge=1, description="engine threads")

    @field_validator("token", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        """An empty WHOSAID_TELEGRAM_TOKEN (a container started without one) is no token."""
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        return None if isinstance(value, str) and not value.strip() else value


class FeedSettings(Group):
    """Feeds the chats follow (/follow): how often they are polled, how much is read, when one is given up."""

    poll_minutes: float = Field(30.0, gt=0, alias="feed_poll_minutes", description="minutes between polls of a feed")
    check_seconds: float = Field(
        30.0, gt=0, alias="feed_check_seconds", description="how often the bot looks for feeds due to be polled"
    )
    entries_per_poll: int = Field(20, ge=1, alias="feed_entries", description="entries read per poll, newest first")
    pause_after: int = Field(5, ge=1, alias="feed_pause_after", description="failed polls in a row that pause a feed")
    max_backoff_minutes: float = Field(
        360.0, gt=0, alias="feed_max_backoff_minutes", description="longest wait after failures"
    )
    entry_tries: int = Field(3, ge=1, alias="feed_entry_tries", description="polls that try an entry's page at most")
    max_sources: int = Field(50, ge=1, alias="feed_max_sources", description="feeds one collection may follow")


GROUPS: dict[str, type[Group]] = {
    "store": StoreSettings,
    "retrieval": RetrievalSettings,
    "quotes": QuoteSettings,
    "reading": ReadSettings,
    "telegram": TelegramSettings,
    "feeds": FeedSettings,
}


def _flat_names() -> dict[str, tuple[str, FieldInfo]]:
    """Every setting's flat name (its alias, else its name, lower case) -> its group and field."""
    names = {}
    for group, model in GROUPS.items():
        for name, field in model.model_fields.items():
            names[(field.alias or name).lower()] = (group, field)
    return names


FLAT = _flat_names()


class FlatEnvironment(PydanticBaseSettingsSource):
    """WHOSAID_<flat name> from the environment, else from `.env`; lists as JSON."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        env_file = self.config.get("env_file")
        found: dict[str, Any] = {}
        files = {k.lower(): v for k, v in dotenv_values(env_file).items()} if env_file else {}
        environ = {k.lower(): v for k, v in os.environ.items()}
        for flat, (_, field) in FLAT.items():
            key = (PREFIX + flat).lower()
            raw = environ.get(key, files.get(key))
            if raw is None:
                continue
            complex_value = typing.get_origin(field.annotation) in (list, dict)
            found[flat] = json.loads(raw) if complex_value else raw
        return found


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, env_file=".env", extra="ignore")

    store: StoreSettings = Field(default_factory=StoreSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    quotes: QuoteSettings = Field(default_factory=QuoteSettings)
    reading: ReadSettings = Field(default_factory=ReadSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    feeds: FeedSettings = Field(default_factory=FeedSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, FlatEnvironment(settings_cls)

    @model_validator(mode="before")
    @classmethod
    def _nest(cls, data: Any) -> Any:
        """Flat names (`Settings(data_dir=..., admins=[42])`, the environment) go into their groups."""
        if not isinstance(data, dict):
            return data
        nested: dict[str, Any] = {}
        for key, value in data.items():
            if key in GROUPS and isinstance(value, Group | dict):  # "retrieval" is also a flat name (its mode)
                given = value.model_dump(by_alias=True) if isinstance(value, Group) else dict(value)
                nested[key] = {**nested.get(key, {}), **given}
            elif key.lower() in FLAT:
                group, _ = FLAT[key.lower()]
                nested.setdefault(group, {})[key.lower()] = value
        return nested

    def changed(self, **flat: Any) -> Settings:
        """A copy with some settings changed, by flat name: `settings.changed(admins=[42], top_k=3)`."""
        current = {group: getattr(self, group) for group in GROUPS}
        return Settings(**self._nest({**current, **flat}))

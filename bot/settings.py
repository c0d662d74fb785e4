"""The one configuration object, read from WHOSAID_* environment variables and `.env`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.config import DEFAULT_MODEL, Precision


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "whosaid"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WHOSAID_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    model: str = DEFAULT_MODEL
    chunk_tokens: int = Field(200, ge=16, le=254, description="word pieces per chunk at most")
    chunk_overlap: int = Field(40, ge=0, description="word pieces of trailing sentences repeated")
    top_k: int = Field(8, ge=1, le=100, description="passages retrieved per question")
    retrieval: Literal["dense", "bm25", "hybrid"] = "hybrid"
    answer_threshold: float = Field(
        0.55, description="best evidence score below which the answer is not found; fitted by bench/calibrate.py"
    )
    batch_size: int = Field(16, ge=1)
    encode_precision: Precision = Field(
        "auto", description="ingest encoding: bfloat16 autocast (auto: where the CPU has it in hardware) or float32"
    )
    ann_min_vectors: int = Field(
        50_000, ge=100, description="vectors in a table from which search is approximate (IVF) instead of exact"
    )
    ann_recall: float = Field(0.98, gt=0, le=1, description="recall@10 against exact search the IVF index is tuned to")
    fast_queries: bool = Field(True, description="embed questions with the model exported to ONNX (no torch)")
    int8_queries: bool = Field(
        False, description="embed questions with an int8-quantised copy of the ONNX model: faster, slightly less exact"
    )
    extract_quotes: bool = Field(True, description="find quotes and their speakers at ingest (spaCy)")
    quote_process: bool = Field(
        True, description="in ingests of several batches, parse and embed quotes in a second process"
    )
    fetch_timeout: float = Field(15.0, gt=0)
    max_fetch_bytes: int = Field(5_000_000, gt=0)
    fetch_ports: list[int] = Field(default_factory=lambda: [80, 443], description="ports links may use; [] = any")
    fetch_allow_loopback: bool = Field(False, description="let links reach 127.0.0.0/8 and ::1 (tests only)")
    max_file_bytes: int = Field(20_000_000, gt=0)

    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str | None = None
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None
    allowed_users: list[int] = Field(default_factory=list)
    allowed_chats: list[int] = Field(default_factory=list)
    admins: list[int] = Field(default_factory=list)
    open_edits: bool = Field(False, description="let everyone allowed to ask also add and remove articles")
    admin_chat_id: int | None = None
    rate_limit_per_minute: int = Field(12, ge=1, description="questions, commands, links and files per user per minute")
    press_limit_per_minute: int = Field(60, ge=1, description="button presses per user per minute")
    global_rate_per_minute: int = Field(600, ge=1, description="questions per minute for everyone together")
    max_message_chars: int = Field(1000, ge=10)
    max_pending: int = Field(128, ge=1, description="engine jobs waiting at most; more are refused as busy")
    workers: int = Field(2, ge=1)

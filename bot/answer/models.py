"""Answers and citations as they leave the engine (CLI JSON, terminal chat, Telegram)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Citation(BaseModel):
    n: int
    article_id: str
    title: str
    source: str | None = None
    url: str | None = None
    published: str | None = None
    text: str
    start: int
    end: int
    also_in: list[str] = Field(default_factory=list, exclude=True)


class Answer(BaseModel):
    question: str
    answer: str
    found: bool
    short: str | None = Field(None, description="the phrase that answers a who/when/where/how-many question")
    citations: list[Citation] = Field(default_factory=list)
    speaker: str | None = Field(None, exclude=True)
    article_id: str | None = Field(None, exclude=True)

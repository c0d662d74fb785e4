"""Answers and citations as they leave the engine (CLI JSON, terminal chat, Telegram)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

Span = tuple[str, int, int]
"""A passage of an article: (article id, start, end)."""


def outlet_date(*parts: str | None) -> str:
    """ "nyt, 2016-09-08": the parts an article is placed by (outlet, date; a title first where asked), those it
    has, in order. The one way every answer, page and listing writes them."""
    return ", ".join(p for p in parts if p)


def by_article(citations: Sequence[Citation]) -> list[list[Citation]]:
    """Citations grouped by their article, in the order each article is first cited: a source is listed once
    with every passage cited from it."""
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.article_id, []).append(c)
    return list(groups.values())


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


class Which(BaseModel):
    """A question back: which of these people the name `asked` (as the question worded it) means."""

    asked: str
    people: list[str]


class Answer(BaseModel):
    question: str
    answer: str
    found: bool
    short: str | None = Field(None, description="the phrase that answers a who/when/where/how-many question")
    citations: list[Citation] = Field(default_factory=list)
    speaker: str | None = Field(None, exclude=True)
    article_id: str | None = Field(None, exclude=True)
    which: Which | None = Field(None, exclude=True)
    mentioned: str | None = Field(
        None, exclude=True, description="the one person the cited passages quote surely, when not the `speaker`"
    )

    @property
    def person(self) -> str | None:
        """Whom the answer is about: its speaker, else the one person its passages quote."""
        return self.speaker or self.mentioned

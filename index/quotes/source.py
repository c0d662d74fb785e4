"""What quote attribution offers the rest of the library, without loading spaCy to say so."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.embed.base import split_rows
from index.models import Quote
from index.quotes.passage import contexts


@dataclass(frozen=True)
class ArticleText:
    """An article's id and text, as sent to be parsed (possibly to another process)."""

    id: str
    text: str


@dataclass(frozen=True)
class Found:
    """The quotes found in one article, and when the process that parsed them embedded them, the vectors of their
    words and of their contexts (`index.quotes.passage`), a row per quote each."""

    quotes: list[Quote]
    vectors: np.ndarray | None = None
    contexts: np.ndarray | None = None


@dataclass(frozen=True)
class Reply:
    """A quote worker's answer to one batch: the quotes by article id, or why it failed. Defined here, not in
    the worker's own module, which runs as __main__ there: pickles name the class by its module."""

    parsed: dict[str, Found] | None = None
    error: str | None = None


class QuoteSource(ABC):
    """Finds quotes and their speakers in articles; `model` names the spaCy model, so another process can load
    the same one."""

    model: str

    @abstractmethod
    def extract_many(self, items: list[ArticleText], batch_size: int = 8) -> list[list[Quote]]: ...

    @abstractmethod
    def parse(self, text: str, entities: bool = True) -> object:
        """The linguistic analysis of a short text (a question, a sentence): a spaCy Doc; `entities=False`: without
        named entities."""


def without_vectors(items: list[ArticleText], found: list[list[Quote]]) -> dict[str, Found]:
    return {item.id: Found(quotes) for item, quotes in zip(items, found, strict=True)}


def with_vectors(
    items: list[ArticleText], found: list[list[Quote]], encode: Callable[[list[str]], np.ndarray]
) -> list[Found]:
    """The quotes of each article with the vectors of their words and contexts, all encoded in one call."""
    texts = [t for item, quotes in zip(items, found, strict=True) for t in _statement_texts(item.text, quotes)]
    parts = split_rows(encode(texts), [2 * len(quotes) for quotes in found])
    return [Found(quotes, part[: len(quotes)], part[len(quotes) :]) for quotes, part in zip(found, parts, strict=True)]


def _statement_texts(text: str, quotes: list[Quote]) -> list[str]:
    return [q.quote for q in quotes] + contexts(text, quotes)

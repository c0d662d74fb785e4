"""Data that crosses module boundaries: articles, chunks and retrieved passages."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

SHARED = "shared"
"""The collection every chat reads, which the bot's admins add to."""


def content_hash(text: str) -> str:
    normalized = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


class Article(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: str = ""
    title: str = ""
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published: str | None = Field(None, validation_alias=AliasChoices("published", "date"))
    text: str
    collection: str = Field(SHARED, description="the collection it belongs to: who may read it")
    link: str | None = Field(None, exclude=True, description="the link it was fetched from, as given")

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the article has no text")
        return value.replace("\r\n", "\n").replace("\r", "\n")

    @field_validator("id", "title", "url", "source", "author", "published", mode="before")
    @classmethod
    def _stringify(cls, value: object) -> object:
        if value is None or isinstance(value, str):
            return value.strip() if isinstance(value, str) else value
        return str(value)

    @property
    def digest(self) -> str:
        return content_hash(self.text)

    def with_id(self) -> Article:
        """The article with its id filled in: the given one, else a hash of its content."""
        if self.id:
            return self
        return self.model_copy(update={"id": self.digest[:16]})

    def in_collection(self, collection: str) -> Article:
        """The article (its id filled in) as a member of `collection`: outside the shared one its id is its own
        ("the same page" added by two chats is two articles, and no chat learns what another holds)."""
        article = self.with_id()
        if collection == SHARED:
            return article.model_copy(update={"collection": SHARED})
        scoped = hashlib.sha256(f"{collection}\n{article.id}".encode()).hexdigest()[:16]
        return article.model_copy(update={"id": scoped, "collection": collection})


class Shelf(BaseModel):
    """What a chat may read (the collections; None: every one, as on the command line) and where what it adds
    goes."""

    model_config = ConfigDict(frozen=True)

    reads: tuple[str, ...] | None = None
    writes: str = SHARED

    def may_read(self, collection: str) -> bool:
        return self.reads is None or collection in self.reads


EVERYTHING = Shelf()
"""Every collection, added to the shared one: the command line without `--collection`."""


@dataclass(frozen=True)
class Scope:
    """What a search or a lookup is limited to, as one value an engine answers whole (issue 32): the articles of
    these collections, these articles, from this outlet (any case), published on or after this ISO date
    (undated articles are left out then), and (quotes) of these speakers, exact names in any case. None is not
    limited by that; an empty tuple matches nothing."""

    collections: tuple[str, ...] | None = None
    articles: tuple[str, ...] | None = None
    source: str | None = None
    since: str | None = None
    speakers: tuple[str, ...] | None = None

    @property
    def everything(self) -> bool:
        return self == EVERYWHERE

    @property
    def of_articles(self) -> Scope:
        """The same limits on articles, of any speaker."""
        return Scope(self.collections, self.articles, self.source, self.since)

    def within(self, articles: Sequence[str] | None = None, speakers: Sequence[str] | None = None) -> Scope:
        """Narrowed to these articles too (those of both lists), and to these speakers (replacing any)."""
        kept = self.articles
        if articles is not None:
            kept = tuple(articles) if kept is None else tuple(a for a in articles if a in set(kept))
        chosen = self.speakers if speakers is None else tuple(speakers)
        return Scope(self.collections, kept, self.source, self.since, chosen)


EVERYWHERE = Scope()
"""No limit: every article, every speaker."""


MAX_CITED = 600  # characters a cited passage may have
Kind = Literal["direct", "indirect", "mixed"]
Table = Literal["chunks", "quotes"]
TABLES: tuple[Table, ...] = ("chunks", "quotes")
Mode = Literal["dense", "bm25", "hybrid"]
IngestStatus = Literal["added", "replaced", "unchanged", "duplicate"]


PIECE_JOINER = " … "


class Quote(BaseModel):
    article_id: str
    quote: str
    kind: Kind
    cue: str | None = None
    speaker: str | None = None
    speaker_mention: str | None = None
    role: str | None = None
    start: int
    end: int
    speaker_start: int | None = None
    speaker_end: int | None = None
    reported_by: str | None = None
    confidence: float | None = None
    resolution: str | None = None
    spans: list[tuple[int, int]] | None = None

    def pieces(self) -> list[tuple[int, int]]:
        """The quote's pieces, `[start, end)` each: one, or several for a quote split around its attribution
        (`“…,” he said. “…”`), whose `quote` is then the pieces joined with PIECE_JOINER."""
        return [(int(s), int(e)) for s, e in self.spans] if self.spans else [(self.start, self.end)]

    def verbatim_in(self, text: str) -> bool:
        """Every piece is a slice of `text`, and `quote` is exactly those slices joined."""
        return PIECE_JOINER.join(text[s:e] for s, e in self.pieces()) == self.quote

    def trusted(self, threshold: float) -> bool:
        """Sure enough of its speaker to be shown as that speaker's words (an attribution stored before
        confidences, None, is not)."""
        return self.speaker is not None and self.confidence is not None and self.confidence >= threshold


class Chunk(BaseModel):
    article_id: str
    seq: int
    start: int
    end: int
    text: str
    tokens: int


class Hit(BaseModel):
    """A retrieved chunk with its article and similarity score."""

    chunk_id: int
    score: float
    chunk: Chunk
    article: Article


SpeakerKind = Literal["person", "organisation"]


class SpeakerInfo(BaseModel):
    """A speaker as the store knows them: the canonical name, how many quotes, and what they are."""

    name: str
    quotes: int
    kind: SpeakerKind = "person"
    sure: int = Field(0, description="quotes sure enough of their speaker to be named (at the bar asked for)")


class ArticleInfo(BaseModel):
    id: str
    title: str
    collection: str = SHARED
    source: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    chunks: int = 0
    chars: int = 0


class IngestResult(BaseModel):
    article_id: str
    title: str
    origin: str | None = Field(None, description="the link the article was fetched from, as given")
    source: str | None = None
    status: IngestStatus
    chunks: int = 0
    quotes: int = 0
    duplicate_of: str | None = None
    language: str | None = Field(None, description="not English (ISO 639-1): stored, its quotes not attributed")


@dataclass(frozen=True, slots=True)
class Scored:
    """A row of a table found for a query: its id and its score (cosine similarity, or BM25 inside lexical)."""

    id: int
    score: float


class QuoteHit(BaseModel):
    quote_id: int
    score: float
    quote: Quote

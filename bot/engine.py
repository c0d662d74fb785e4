"""The one engine behind the CLI, the terminal chat and the Telegram bot, and `build_engine`, the one place that
builds it (and its library) from the settings."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from pydantic import BaseModel, Field

from bot.answer import compose
from bot.answer.answerers import ORDER, Answerer, Question
from bot.answer.casing import recase
from bot.answer.languages import english_only
from bot.answer.models import Answer, Span
from bot.answer.questions import parse
from bot.answer.shapes import Shape
from bot.answer.speakers import match_speaker
from bot.answer.statements import with_copies
from bot.settings import Settings
from index.config import SPACY_MODEL
from index.embed.base import Embedder
from index.embed.onnx import INT8_FILE, OnnxEmbedder, export_onnx, exported, onnx_dir, quantize_onnx
from index.embed.transformer import SentenceTransformerEmbedder
from index.library import EmbedderSource, Library, QuoteSourceArg
from index.models import (
    EVERYTHING,
    EVERYWHERE,
    SHARED,
    Article,
    ArticleInfo,
    IngestResult,
    Quote,
    Scope,
    Shelf,
)
from index.quotes.source import QuoteSource
from index.read.fetch import LinkPolicy, fetch
from index.read.readers import IngestError, Refusal, parse_document, read_sources
from index.store.shelves import Shelves
from index.store.sources import Sources
from index.store.watches import Watches
from index.text.language import foreign

MAX_QUESTION_CHARS = 1000
RETRIEVAL_THREADS = 4


class IngestReport(BaseModel):
    results: list[IngestResult] = Field(default_factory=list)
    refused: list[Refusal] = Field(default_factory=list)
    interrupted: bool = Field(False, description="stopped by a shutdown: what is listed was stored, the rest not")

    @property
    def stored(self) -> list[IngestResult]:
        return [r for r in self.results if r.status in ("added", "replaced")]


class Engine:
    """Answers questions by trying `answerers` in order, and adds and removes articles."""

    def __init__(self, library: Library, settings: Settings) -> None:
        self.library = library
        self.settings = settings
        self.answerers: list[Answerer] = [kind(library, settings.retrieval, settings.quotes) for kind in ORDER]
        self._retrieval = ThreadPoolExecutor(max_workers=RETRIEVAL_THREADS, thread_name_prefix="retrieval")

    def ask(
        self,
        question: str,
        article_ids: list[str] | None = None,
        seen: Sequence[Span] = (),
        shelf: Shelf = EVERYTHING,
    ) -> Answer:
        """An answer with citations, from what `shelf` may read (of `article_ids` only, when given). `seen`:
        passages a chat was already shown (a "what else" question skips statements in them)."""
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if self.library.empty():
            return compose.not_found(question, [], empty=True)
        if (language := foreign(question)) is not None:
            return english_only(question, language)
        scope = Scope(collections=shelf.reads, articles=None if article_ids is None else tuple(article_ids))
        asked = self.question(question, scope, seen)
        for answerer in self.answerers:
            if (answer := answerer.answer(asked)) is not None:
                return with_copies(self.library, self.about(asked, answer), shelf.reads, asked.shape.kind != "articles")
        raise AssertionError("the last answerer always answers")

    def about(self, asked: Question, answer: Answer) -> Answer:
        """A found answer is about the person it quotes or, to "Who is X?", X (under the name the articles quote X
        by), whatever answered it; a passage that quotes one person surely mentions that person. That person is
        who a follow-up's "he" or "she" is."""
        shape = asked.shape
        if answer.speaker or not answer.found or shape.kind == "articles":  # an article's author, date, outlet
            return answer
        needed = self.settings.quotes.confidence_needed
        if shape.kind == "who_is" and shape.subject:
            match = match_speaker(self.library, shape.subject, needed, asked.collections)
            return answer.model_copy(update={"speaker": match.chosen.name if match.chosen else shape.subject})
        cited = {c.article_id for c in answer.citations}
        quotes = self.library.quotes(Scope(articles=tuple(sorted(cited)))) if cited else []
        quoted = {
            q.speaker
            for c in answer.citations
            for q in quotes
            if q.article_id == c.article_id and q.speaker and q.trusted(needed) and q.start < c.end and c.start < q.end
        }
        return answer.model_copy(update={"mentioned": quoted.pop()}) if len(quoted) == 1 else answer

    def question(self, text: str, scope: Scope = EVERYWHERE, seen: Sequence[Span] = ()) -> Question:
        """A question as the answerers see it: its shape parsed while its query vector is encoded in a thread (the
        embedding runtime releases the GIL; the search after it is Python, and would only wait on the parse's
        Python for the GIL), its passages retrieved when first needed."""
        retrieval = self.settings.retrieval
        if self.library.extractor is None:
            return Question(text, Shape(kind="general"), scope, self.library, retrieval, seen=seen)
        encoded = self._retrieval.submit(self.library.encode_query, text)
        shape = self.shape(text, scope.collections)
        return Question(text, shape, scope, self.library, retrieval, encoded, seen)

    def shape(self, text: str, collections: Sequence[str] | None = None) -> Shape:
        """What a question asks, from its parse (no passages retrieved); "general" without spaCy. A question that
        reads as no quote or who-is question is read again with the names of people it holds in lower case
        written as the articles write them ("who is steve witkoff"), and taken so when that reads as one."""
        extractor = self.library.extractor
        if extractor is None:
            return Shape(kind="general")
        shape = parse(text, extractor.parse)
        if shape.kind not in ("wh", "general"):
            return shape
        needed = self.settings.quotes.confidence_needed
        cased = recase(text, lambda words: self.library.speakers_with_any(words, needed, collections))
        again = parse(cased, extractor.parse) if cased != text else shape
        return again if again.kind not in ("wh", "general") else shape

    @property
    def embedder(self) -> Embedder:
        return self.library.embedder

    def ingest(
        self,
        sources: Iterable[str],
        on_article: Callable[[IngestResult], None] | None = None,
        on_refusal: Callable[[Refusal], None] | None = None,
        collection: str = SHARED,
    ) -> IngestReport:
        """Read files, folders, JSONL and links into `collection`; what cannot be read is refused, one reason
        each."""
        report = IngestReport()
        policy = self.link_policy

        def articles() -> Iterable[Article]:
            for item in read_sources(sources, self.settings.reading.max_file_bytes, partial(fetch, policy=policy)):
                if isinstance(item, Refusal):
                    report.refused.append(item)
                    if on_refusal:
                        on_refusal(item)
                elif not self.library.stopped:  # a stopped ingest reads no further
                    yield item
                else:
                    return

        report.results = self.library.ingest(articles(), on_article, collection=collection)
        report.interrupted = self.library.stopped
        if report.stored:
            self.prepare_fast_queries()
        return report

    @property
    def link_policy(self) -> LinkPolicy:
        """How links from strangers are fetched (articles and feeds alike)."""
        reading = self.settings.reading
        return LinkPolicy(
            timeout=reading.fetch_timeout,
            max_bytes=reading.max_fetch_bytes,
            ports=reading.fetch_ports,
            allow_loopback=reading.fetch_allow_loopback,
        )

    @property
    def sources(self) -> Sources:
        """The feeds the collections follow, and the entries read from them."""
        return self.library.sources

    @property
    def shelves(self) -> Shelves:
        """Which shared collections each chat reads, and where a bot admin's private chat adds."""
        return self.library.shelves

    @property
    def watches(self) -> Watches:
        """What the chats watch, the statements found for them, and their digests."""
        return self.library.watches

    def ingest_document(self, data: bytes, name: str, collection: str = SHARED) -> IngestReport:
        try:
            articles = parse_document(data, name)
        except IngestError as error:
            return IngestReport(refused=[Refusal(origin=name, reason=str(error))])
        stored = self.library.ingest(articles, collection=collection)
        report = IngestReport(results=stored, interrupted=self.library.stopped)
        if report.stored:
            self.prepare_fast_queries()
        return report

    def remove(self, article_id: str, collection: str | None = None) -> bool:
        """Remove an article (of `collection` only, when given: a chat removes only what it added)."""
        mine = Scope(collections=(collection,), articles=(article_id,))
        if collection is not None and self.library.article_ids(mine) != [article_id]:
            return False
        return self.library.remove(article_id)

    def scope(
        self,
        article: str | None = None,
        source: str | None = None,
        since: str | None = None,
        collections: Sequence[str] | None = None,
    ) -> list[str] | None:
        """Article ids a question is limited to (None: all). Outlet matches in any case; `since` is an ISO date
        compared with each article's published date (articles without one are left out)."""
        if not (article or source or since or collections is not None):
            return None
        chosen = None if collections is None else tuple(collections)
        return self.library.article_ids(Scope(chosen, (article,) if article else None, source, since))

    def quotes(
        self, speaker: str | None = None, article_id: str | None = None, shelf: Shelf = EVERYTHING
    ) -> list[Quote]:
        """The stored quotes `shelf` may read, optionally of one speaker (name, surname or role) or one article."""
        needed = self.settings.quotes.confidence_needed
        match = match_speaker(self.library, speaker, needed, shelf.reads) if speaker else None
        names = (match.names or [p.name for p in match.people]) if match else None
        articles = (article_id,) if article_id else None
        return self.library.quotes(Scope(shelf.reads, articles, speakers=None if names is None else tuple(names)))

    def articles(self, shelf: Shelf = EVERYTHING) -> list[ArticleInfo]:
        return self.library.articles(shelf.reads)

    def article(self, article_id: str, shelf: Shelf = EVERYTHING) -> Article | None:
        """The article, when `shelf` may read it (a forged source button opens nothing)."""
        found = self.library.article(article_id)
        return found if found is not None and shelf.may_read(found.collection) else None

    def load_query_path(self) -> None:
        """Load what embeds questions (the ONNX model, or sentence-transformers), so the first one is quick."""
        _ = self.library.query_embedder

    def warm(self) -> None:
        """Load what some questions need only later (BM25 indexes, the spaCy model for short answers), so the
        first such question does not pay for it."""
        _ = self.library.query_embedder, self.library.extractor
        self.library.warm()

    def answers_without_torch(self) -> bool:
        """Questions are embedded by the ONNX model and sentence-transformers is not loaded in this process."""
        return self.library.fast_queries_only and "torch" not in sys.modules

    def prepare_fast_queries(self) -> None:
        """Export the model to ONNX once (from the local weights) so later processes answer without torch."""
        folder = onnx_dir(self.settings.store.data_dir, self.settings.store.model)
        if (
            self.settings.store.fast_queries
            and not exported(folder)
            and isinstance(self.library.embedder, SentenceTransformerEmbedder)
        ):
            export_onnx(self.settings.store.model, folder)

    def close(self) -> None:
        self._retrieval.shutdown(wait=True)
        self.library.close()


def _quote_extractor() -> QuoteSource:
    from index.quotes.extract import QuoteExtractor

    return QuoteExtractor()


def _onnx_embedder(folder: Path, int8: bool) -> OnnxEmbedder:
    if int8 and not (folder / INT8_FILE).exists():
        quantize_onnx(folder)
    return OnnxEmbedder(folder, int8=int8)


def build_library(
    settings: Settings,
    embedder: EmbedderSource | None = None,
    quotes: QuoteSourceArg | None = None,
    query_embedder: EmbedderSource | None = None,
) -> Library:
    """The library the settings describe. `embedder` (default: the sentence-transformers model, loaded when
    first needed), `quotes` (default: spaCy's extractor when quotes are attributed) and `query_embedder`
    (default: the ONNX export once there is one, when fast queries are on) replace the defaults."""
    store = settings.store
    folder = onnx_dir(store.data_dir, store.model)
    if query_embedder is None and embedder is None and store.fast_queries and exported(folder):
        query_embedder = partial(_onnx_embedder, folder, store.int8_queries)
    source = embedder or partial(SentenceTransformerEmbedder, store.model, precision=store.encode_precision)
    quote_source = quotes if quotes is not None else (_quote_extractor if settings.quotes.extract_quotes else None)
    return Library(
        store.data_dir,
        store.model,
        source,
        chunk_tokens=store.chunk_tokens,
        chunk_overlap=store.chunk_overlap,
        batch_size=store.batch_size,
        quotes=quote_source,
        query_embedder=query_embedder,
        ann_min=store.ann_min_vectors,
        ann_recall=store.ann_recall,
        quote_process=settings.quotes.quote_process,
        quote_model=SPACY_MODEL if quotes is None else None,
        database_url=store.database_url.get_secret_value() if store.database_url else None,
    )


def build_engine(
    settings: Settings,
    embedder: EmbedderSource | None = None,
    quotes: QuoteSourceArg | None = None,
    query_embedder: EmbedderSource | None = None,
) -> Engine:
    return Engine(build_library(settings, embedder, quotes, query_embedder), settings)

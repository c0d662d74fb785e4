"""The one engine behind the CLI, the terminal chat and the Telegram bot."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from pydantic import BaseModel, Field

from bot.answer import compose, quoting
from bot.answer.entities import missing_names
from bot.answer.evidence import Evidence, select_evidence
from bot.answer.models import Answer
from bot.answer.questions import parse
from bot.answer.short import question_kind, short_answer
from bot.settings import Settings
from index.config import SPACY_MODEL
from index.embed.base import Embedder
from index.embed.onnx import INT8_FILE, OnnxEmbedder, export_onnx, exported, onnx_dir, quantize_onnx
from index.embed.transformer import SentenceTransformerEmbedder
from index.library import EmbedderSource, Library, QuoteSource
from index.models import TABLES, ArticleInfo, IngestResult, Quote
from index.read.fetch import LinkPolicy, fetch
from index.read.readers import IngestError, Refusal, parse_document, read_sources

MAX_QUESTION_CHARS = 1000
SECOND_SOURCE_RATIO = 0.9


def _quote_extractor() -> QuoteSource:
    from index.quotes.extract import QuoteExtractor

    return QuoteExtractor()


class IngestReport(BaseModel):
    results: list[IngestResult] = Field(default_factory=list)
    refused: list[Refusal] = Field(default_factory=list)

    @property
    def stored(self) -> list[IngestResult]:
        return [r for r in self.results if r.status in ("added", "replaced")]


class Engine:
    def __init__(
        self,
        settings: Settings,
        embedder: EmbedderSource | None = None,
        quotes: QuoteSource | None = None,
        query_embedder: EmbedderSource | None = None,
    ) -> None:
        self.settings = settings
        self.onnx_folder = onnx_dir(settings.data_dir, settings.model)
        source: EmbedderSource = embedder or partial(
            SentenceTransformerEmbedder, settings.model, precision=settings.encode_precision
        )
        if query_embedder is None and embedder is None and settings.fast_queries and exported(self.onnx_folder):
            query_embedder = partial(self._onnx_embedder, self.onnx_folder, settings.int8_queries)
        quote_source = quotes if quotes is not None else (_quote_extractor if settings.extract_quotes else None)
        self.library = Library(
            settings.data_dir,
            settings.model,
            source,
            chunk_tokens=settings.chunk_tokens,
            chunk_overlap=settings.chunk_overlap,
            batch_size=settings.batch_size,
            quotes=quote_source,
            query_embedder=query_embedder,
            ann_min=settings.ann_min_vectors,
            ann_recall=settings.ann_recall,
            quote_process=settings.quote_process,
            quote_model=SPACY_MODEL if quotes is None else None,
        )

    @property
    def embedder(self) -> Embedder:
        return self.library.embedder

    def close(self) -> None:
        self.library.close()

    def ask(self, question: str, article_ids: list[str] | None = None) -> Answer:
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if self.library.store.empty():
            return compose.not_found(question, [], empty=True)
        shape = parse(question)
        threshold = self.settings.answer_threshold
        assessed = None
        if shape.kind in ("what_said", "did_say") and shape.speaker:
            if names := quoting.match_speakers(self.library, shape.speaker):
                if shape.kind == "what_said":
                    return quoting.what_said(self.library, question, names, shape.content, threshold, article_ids)
                if shape.content:
                    return quoting.did_say(self.library, question, names, shape.content, threshold, article_ids)
            assessed = self.assess(question, article_ids)
            if not assessed[0] or not quoting.names_in(shape.speaker, assessed[0][0].text):
                return compose.no_quotes(question, shape.speaker)
        if shape.kind == "who_said" and shape.content:
            answer = quoting.who_said(self.library, question, shape.content, threshold, article_ids)
            if answer is not None:
                return answer
        evidence, unnamed = assessed or self.assess(question, article_ids)
        if not evidence or unnamed or evidence[0].score < threshold:
            return compose.not_found(question, evidence)
        best = evidence[0]
        chosen = [best] + [e for e in evidence[1:] if e.score >= best.score * SECOND_SOURCE_RATIO and e.overlap > 0]
        extractor = self.library.extractor if question_kind(question) else None
        short = short_answer(question, best.text, extractor.parse) if extractor else None
        return compose.extractive(question, chosen, short)

    def assess(self, question: str, article_ids: list[str] | None = None) -> tuple[list[Evidence], list[str]]:
        """The best passages for a question (best first: the first one's score decides whether it is answered)
        and the names in the question that no retrieved passage mentions (any means it is not)."""
        hits = self.library.passages(question, self.settings.top_k, article_ids, mode=self.settings.retrieval)
        return select_evidence(question, hits, limit=2), missing_names(question, [h.chunk.text for h in hits])

    def ingest(
        self,
        sources: Iterable[str],
        on_article: Callable[[IngestResult], None] | None = None,
        on_refusal: Callable[[Refusal], None] | None = None,
    ) -> IngestReport:
        report = IngestReport()
        policy = LinkPolicy(
            timeout=self.settings.fetch_timeout,
            max_bytes=self.settings.max_fetch_bytes,
            ports=self.settings.fetch_ports,
            allow_loopback=self.settings.fetch_allow_loopback,
        )
        fetcher = partial(fetch, policy=policy)

        def articles() -> Iterable:
            for item in read_sources(sources, self.settings.max_file_bytes, fetcher):
                if isinstance(item, Refusal):
                    report.refused.append(item)
                    if on_refusal:
                        on_refusal(item)
                else:
                    yield item

        report.results = self.library.ingest(articles(), on_article)
        if report.stored:
            self.prepare_fast_queries()
        return report

    @staticmethod
    def _onnx_embedder(folder: Path, int8: bool) -> OnnxEmbedder:
        if int8 and not (folder / INT8_FILE).exists():
            quantize_onnx(folder)
        return OnnxEmbedder(folder, int8=int8)

    def warm(self) -> None:
        """Load what some questions need only later (BM25 indexes, the spaCy model for short answers), so the
        first such question does not pay for it."""
        _ = self.library.query_embedder, self.library.extractor
        if self.library.dim is not None:
            for table in TABLES:
                self.library.lexical(table)

    def answers_without_torch(self) -> bool:
        """Questions are embedded by the ONNX model and sentence-transformers is not loaded in this process."""
        return self.library.fast_queries_only and "torch" not in sys.modules

    def prepare_fast_queries(self) -> None:
        """Export the model to ONNX once (from the local weights) so later processes answer without torch."""
        if (
            self.settings.fast_queries
            and not exported(self.onnx_folder)
            and isinstance(self.library.embedder, SentenceTransformerEmbedder)
        ):
            export_onnx(self.settings.model, self.onnx_folder)

    def ingest_document(self, data: bytes, name: str) -> IngestReport:
        try:
            articles = parse_document(data, name)
        except IngestError as error:
            return IngestReport(refused=[Refusal(origin=name, reason=str(error))])
        report = IngestReport(results=self.library.ingest(articles))
        if report.stored:
            self.prepare_fast_queries()
        return report

    def remove(self, article_id: str) -> bool:
        return self.library.remove(article_id)

    def scope(
        self, article: str | None = None, source: str | None = None, since: str | None = None
    ) -> list[str] | None:
        """Article ids a question is limited to (None: all). Outlet matches in any case; `since` is an ISO date
        compared with each article's published date (articles without one are left out)."""
        if not (article or source or since):
            return None
        return self.library.store.article_ids(article, source, since)

    def quotes(self, speaker: str | None = None, article_id: str | None = None) -> list[Quote]:
        """The stored quotes, optionally of one speaker (name, surname or role) or one article."""
        names = quoting.match_speakers(self.library, speaker) if speaker else None
        return self.library.quotes(speakers=names, article_ids=[article_id] if article_id else None)

    def articles(self) -> list[ArticleInfo]:
        return self.library.articles()

"""The ways a question can be answered, tried in order by the engine; each answers, or passes (None) to the next.
The last one, extractive, always answers (or says the articles do not hold it)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import cached_property

from bot.answer import compose, quoting
from bot.answer.entities import missing_names
from bot.answer.evidence import Evidence, select_evidence
from bot.answer.models import Answer
from bot.answer.questions import Shape
from bot.answer.short import question_kind, short_answer
from bot.answer.speakers import match_speaker
from bot.settings import RetrievalSettings
from index.config import QuoteSettings
from index.library import Library

SECOND_SOURCE_RATIO = 0.9


class Question:
    """A question as the answerers see it: its text, its shape, what it is limited to, and the passages
    retrieved for it (looked up once, by the first answerer that needs them)."""

    def __init__(
        self, text: str, shape: Shape, scope: list[str] | None, library: Library, retrieval: RetrievalSettings
    ) -> None:
        self.text = text
        self.shape = shape
        self.scope = scope
        self._library = library
        self._retrieval = retrieval

    @cached_property
    def evidence(self) -> list[Evidence]:
        """The best passages, best first: the first one's score decides whether the question is answered."""
        return select_evidence(self.text, self._hits, limit=2)

    @cached_property
    def unnamed(self) -> list[str]:
        """The names in the question that no retrieved passage mentions (any means it is not answered)."""
        return missing_names(self.text, [h.chunk.text for h in self._hits])

    @cached_property
    def _hits(self) -> list:
        r = self._retrieval
        return self._library.passages(self.text, r.top_k, self.scope, mode=r.mode)


class Answerer(ABC):
    def __init__(self, library: Library, retrieval: RetrievalSettings, quotes: QuoteSettings) -> None:
        self.library = library
        self.retrieval = retrieval
        self.quotes = quotes

    @abstractmethod
    def answer(self, question: Question) -> Answer | None: ...


class WhatSaid(Answerer):
    """ "What did Y say (about Z)?" for a speaker the store knows."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        if shape.kind != "what_said" or not shape.speaker:
            return None
        match = match_speaker(self.library, shape.speaker)
        if match.ambiguous:
            return compose.which_speaker(question.text, match.people)
        if not match.names:
            return None
        answer = quoting.what_said(self.library, question.text, match.names, shape.content, self.quotes, question.scope)
        return compose.also_quoted(answer, match.others)


class DidSay(Answerer):
    """ "Did Y say X?" for a speaker the store knows."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        if shape.kind != "did_say" or not shape.speaker or not shape.content:
            return None
        match = match_speaker(self.library, shape.speaker)
        if match.ambiguous:
            return compose.which_speaker(question.text, match.people)
        if not match.names:
            return None
        answer = quoting.did_say(self.library, question.text, match.names, shape.content, self.quotes, question.scope)
        return compose.also_quoted(answer, match.others)


class UnknownSpeaker(Answerer):
    """A what-said or did-say question about someone with no quotes: "no quote from Y", never another passage
    shown as Y's words; the best passage that names Y is cited as the closest, for the reader to judge."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        if shape.kind not in ("what_said", "did_say") or not shape.speaker:
            return None
        naming = [e for e in question.evidence[:1] if quoting.names_in(shape.speaker, e.text)]
        return compose.no_quotes(question.text, shape.speaker, closest=naming)


class WhoSaid(Answerer):
    """ "Who said X?" from the quote index, when a quote is close enough."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        if shape.kind != "who_said" or not shape.content:
            return None
        return quoting.who_said(self.library, question.text, shape.content, self.quotes, question.scope)


class Extractive(Answerer):
    """The best sentences of the best passages, with a short answer first for who / when / where / how-many
    questions; or that the articles do not hold it (with the nearest passages)."""

    def answer(self, question: Question) -> Answer:
        evidence = question.evidence
        if not evidence or question.unnamed or evidence[0].score < self.retrieval.answer_threshold:
            return compose.not_found(question.text, evidence)
        best = evidence[0]
        chosen = [best] + [e for e in evidence[1:] if e.score >= best.score * SECOND_SOURCE_RATIO and e.overlap > 0]
        extractor = self.library.extractor if question_kind(question.text) else None
        short = short_answer(question.text, best.text, extractor.parse) if extractor else None
        return compose.extractive(question.text, chosen, short)


ORDER: tuple[type[Answerer], ...] = (WhatSaid, DidSay, UnknownSpeaker, WhoSaid, Extractive)

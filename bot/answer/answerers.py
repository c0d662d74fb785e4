"""The ways a question can be answered, tried in order by the engine; each answers, or passes (None) to the next.
The last one, extractive, always answers (or says the articles do not hold it)."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from concurrent.futures import Future
from functools import cached_property

import numpy as np

from bot.answer import articles, compose, describe, holders, quoting
from bot.answer.attributes import unstated
from bot.answer.entities import missing_names
from bot.answer.evidence import Evidence, select_evidence
from bot.answer.models import Answer, Span
from bot.answer.shapes import Shape
from bot.answer.short import short_answer
from bot.answer.speakers import match_speaker
from bot.settings import RetrievalSettings
from index.config import QuoteSettings
from index.library import Library
from index.models import Hit, Scope

SECOND_SOURCE_RATIO = 0.9
NAMING_PASSAGES = 20
SOURCE = re.compile(r"\baccording to\b", re.IGNORECASE)


class Question:
    """A question as the answerers see it: its text, its shape, what it is limited to, and the passages
    retrieved for it (looked up once, by the first answerer that needs them)."""

    def __init__(
        self,
        text: str,
        shape: Shape,
        scope: Scope,
        library: Library,
        retrieval: RetrievalSettings,
        encoded: Future[np.ndarray] | None = None,
        seen: Sequence[Span] = (),
    ) -> None:
        """`scope`: what it may read (its collections: whose people alone a name in it can mean) and is limited
        to; `encoded`: the question's query vector, being encoded beside its parse; `seen`: passages the chat was
        shown already (a "what else" question)."""
        self.seen = tuple(seen)
        self.collections = scope.collections
        self.text = text
        self.shape = shape
        self.scope = scope
        self._library = library
        self._retrieval = retrieval
        self._encoded = encoded
        self._hits: list[Hit] | None = None

    @cached_property
    def evidence(self) -> list[Evidence]:
        """The best passages, best first: the first one's score decides whether the question is answered."""
        wanted = SOURCE if self.shape.relation == "according to" else None
        return select_evidence(self.text, self.hits, wanted=wanted)

    @cached_property
    def unnamed(self) -> list[str]:
        """The names in the question that no retrieved passage mentions (any means it is not answered)."""
        return missing_names(self.text, [h.chunk.text for h in self.hits], self.shape.whole_names)

    @property
    def answerable(self) -> bool:
        """Whether the best passage is close enough, and every name of the question is in some passage."""
        evidence = self.evidence
        return bool(evidence) and not self.unnamed and evidence[0].score >= self._retrieval.answer_threshold

    @property
    def hits(self) -> list[Hit]:
        if self._hits is None:
            vector = self._encoded.result() if self._encoded is not None else None
            r = self._retrieval
            self._hits = self._library.passages(self.text, r.top_k, self.scope, mode=r.mode, vector=vector)
        return self._hits


class Answerer(ABC):
    def __init__(self, library: Library, retrieval: RetrievalSettings, quotes: QuoteSettings) -> None:
        self.library = library
        self.retrieval = retrieval
        self.quotes = quotes

    @abstractmethod
    def answer(self, question: Question) -> Answer | None: ...


class OutletSays(Answerer):
    """ "What does NewsX say about Witkoff?": an outlet the store has articles from is not a speaker; the question
    is answered from that outlet's articles."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        if shape.kind != "what_said" or not shape.speaker:
            return None
        outlet = self.library.article_ids(
            Scope(question.collections, source=shape.speaker.removeprefix("the ").strip())
        )
        if not outlet:
            return None
        scope = question.scope.within(articles=outlet)
        topic = shape.content or question.text
        narrowed = Question(topic, Shape(kind="general"), scope, self.library, self.retrieval)
        if not scope.articles or not narrowed.answerable:
            return compose.not_found(question.text, narrowed.evidence if scope.articles else [])
        return compose.extractive(question.text, supporting(narrowed.evidence))


class WhatSaid(Answerer):
    """ "What did Y say (about Z)?" for a speaker the store knows; "What did Y say happened?" with no statement
    of Y's found is left to the general answer (a sentence may report it)."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        if shape.kind != "what_said" or not shape.speaker:
            return None
        match = match_speaker(self.library, shape.speaker, self.quotes.confidence_needed, question.collections)
        if match.ambiguous:
            return compose.which_speaker(question.text, shape.speaker, match.people)
        if not match.names:
            return None
        answer = quoting.what_said(
            self.library, question.text, match.names, shape.content, self.quotes, question.scope, question.seen
        )
        return None if shape.act and not answer.found else compose.also_quoted(answer, match.others)


class DidSay(Answerer):
    """ "Did Y say X?" for a speaker the store knows."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        if shape.kind != "did_say" or not shape.speaker or not shape.content:
            return None
        match = match_speaker(self.library, shape.speaker, self.quotes.confidence_needed, question.collections)
        if match.ambiguous:
            return compose.which_speaker(question.text, shape.speaker, match.people)
        if not match.names:
            return None
        answer = quoting.did_say(self.library, question.text, match.names, shape.content, self.quotes, question.scope)
        return compose.also_quoted(answer, match.others)


class UnknownSpeaker(Answerer):
    """A what-said or did-say question about someone named with no quotes: "no quote from Y", never another
    passage shown as Y's words; the best passage that names Y is cited as the closest, for the reader to judge.
    A did-say claim someone else is sure to have made is answered "No — W made that statement". A speaker not named
    ("What does the word prime suggest?"), or a question that asks what someone said happened ("What did Mourinho
    say drew him to Tottenham?", which a sentence may report), is left to the general answer."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        if shape.kind not in ("what_said", "did_say") or not shape.speaker:
            return None
        if shape.act or not any(w[:1].isupper() and w != "I" for w in shape.speaker.split()):
            return None
        if shape.kind == "did_say" and shape.content:
            lead = f"No, I find no quote from {shape.speaker} in the articles; {{}} made that statement. "
            scope = question.scope
            found = quoting.someone_else(self.library, question.text, [], lead, shape.content, self.quotes, scope)
            if found is not None:
                return found
        naming = [e for e in question.evidence[:1] if quoting.names_in(shape.speaker, e.text)]
        return compose.no_quotes(question.text, shape.speaker, closest=naming)


class WhoSaid(Answerer):
    """ "Who said X?" from the quote index, when a quote is close enough; a question about an act ("Who praised
    amateur observers?") that no statement answers is left to the passages."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        if shape.kind != "who_said" or not shape.content:
            return None
        answer = quoting.who_said(
            self.library, question.text, shape.content, self.quotes, question.scope, shape.described
        )
        return None if shape.act and not answer.found else answer  # "Who praised …?": the passages may say


class AboutArticles(Answerer):
    """Who wrote an article, when and where it was published, which articles there are about something."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        if shape.kind != "articles" or shape.wants is None:
            return None
        if shape.wants == "summary":
            return articles.summary(question.text, shape.subject, question.hits)
        if not question.answerable:
            return articles.none_about(question.text, shape.subject if shape.wants == "articles" else None)
        if shape.wants == "articles":
            return articles.listing(
                question.text, shape.subject, select_evidence(question.text, question.hits, 8, per_passage=1)
            )
        return articles.fact(question.text, shape.wants, question.evidence)


class WhoIs(Answerer):
    """ "Who is X?": the description the articles give X, cited; else the general answer."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        extractor = self.library.extractor
        if shape.kind != "who_is" or not shape.subject or extractor is None or question.unnamed:
            return None
        hits = question.hits + self.naming(shape.subject, question)
        found = describe.describe(shape.subject, hits, extractor.parse) or self.by_role(shape.subject, question)
        return describe.answer(question.text, shape.subject, found) if found else None

    def naming(self, name: str, question: Question) -> list[Hit]:
        """The passages that name X by its words, after those the question found (which a description further
        down an article, "former special envoy to Ukraine Kurt Volker", may not be among)."""
        seen = {h.chunk_id for h in question.hits}
        more = self.library.passages(name, NAMING_PASSAGES, question.scope, mode="bm25")
        return [h for h in more if h.chunk_id not in seen]

    def by_role(self, name: str, question: Question) -> describe.Description | None:
        """The role the articles gave a speaker where they quote them ("Cmdr. Sean Robertson, a spokesperson for
        Inherent Resolve, told …"), cited to that passage, when their passages describe them nowhere else."""
        match = match_speaker(self.library, name, self.quotes.confidence_needed, question.collections)
        quotes = self.library.quotes(question.scope.within(speakers=match.names)) if match.names else []
        for quote in quotes:
            if quote.role and quote.trusted(self.quotes.confidence_needed):
                evidence = quoting.evidence_for(self.library, quote, 1.0)
                if evidence is not None and quote.role in evidence.text:
                    return describe.Description(role=quote.role, evidence=evidence)
        return None


class OfficeHolder(Answerer):
    """ "Who heads X?", "Who is the chairman of X?": the person the articles give that office of that body, cited;
    else the general answer. The question's passages are joined by those found for the office itself ("head of
    X"), which a question with a verb ("heads") may not find."""

    def answer(self, question: Question) -> Answer | None:
        shape = question.shape
        extractor = self.library.extractor
        if not shape.role or not shape.subject or extractor is None or question.unnamed:
            return None
        office = f"{shape.role} of {shape.subject}"
        r = self.retrieval
        more = self.library.passages(office, r.top_k, question.scope, mode=r.mode)
        seen = {h.chunk_id for h in question.hits}
        hits = question.hits + [h for h in more if h.chunk_id not in seen]
        found = holders.find(shape.role, shape.subject, hits, extractor.parse)
        return holders.answer(question.text, found) if found is not None else None


class Extractive(Answerer):
    """The best sentences of the best passages, with a short answer first when a phrase of the best one fills the
    question's missing slot well enough; or that the articles do not hold it (with the nearest passages)."""

    def answer(self, question: Question) -> Answer:
        evidence = question.evidence
        if not question.answerable:
            return compose.not_found(question.text, evidence)
        if (missing := unstated(question.shape, supporting(evidence))) is not None:
            return compose.nothing_on(question.text, missing, evidence[:1])
        return compose.extractive(question.text, supporting(evidence), self.short(question, evidence[0]))

    def short(self, question: Question, best: Evidence) -> str | None:
        """The phrase of the sentence the best passage was chosen for (not the neighbour added to read it with:
        fewer wrong phrases, and half the parse) that fills the question's slot well enough."""
        shape, extractor = question.shape, self.library.extractor
        if shape.kind != "wh" or shape.role or extractor is None:  # an office no sentence gives: no nearest name
            return None
        found = short_answer(shape, question.text, best.focus or best.text, extractor.parse)
        return found.text if found is not None and found.score >= self.retrieval.short_threshold else None


def supporting(evidence: list[Evidence]) -> list[Evidence]:
    """The best passage, and the others nearly as good that share words with the question."""
    best = evidence[0]
    return [best] + [e for e in evidence[1:] if e.score >= best.score * SECOND_SOURCE_RATIO and e.overlap > 0]


ORDER: tuple[type[Answerer], ...] = (
    AboutArticles,
    OutletSays,
    WhatSaid,
    DidSay,
    UnknownSpeaker,
    WhoSaid,
    WhoIs,
    OfficeHolder,
    Extractive,
)

"""Answer who-said questions from the quote index: who said X, what did Y say (about Z), did Y say X."""

from __future__ import annotations

import re

from bot.answer import compose
from bot.answer.evidence import Evidence, overlap, question_weights
from bot.answer.models import Answer
from index.library import Library
from index.models import MAX_CITED, Article, Quote, QuoteHit
from index.text.names import name_words
from index.text.sentences import sentences

LEXICAL_WEIGHT = 0.5
MAX_QUOTES = 3
TOPIC_MARGIN = 0.15


def match_speakers(library: Library, query: str) -> list[str]:
    """Speakers in the store that `query` names: the full name, a part of it ("Putin"), or a role the articles
    gave them ("the Russian president"); matched on whole words of the normalised name."""
    words = name_words(query)
    if not words:
        return []
    return library.store.speakers_named(words) or library.store.speakers_with_role(" ".join(words))


def names_in(speaker: str, passage: str) -> bool:
    """Every salient word of a speaker phrase ("the union" -> "union") stands in the passage."""
    words = [w for w in name_words(speaker) if len(w) > 2]
    found = set(re.findall(r"\w+", passage.lower()))
    return bool(words) and all(w in found or w.rstrip("s") in found for w in words)


def score(hit: QuoteHit, text: str) -> float:
    return hit.score + LEXICAL_WEIGHT * overlap(question_weights(text), hit.quote.quote)


def evidence_for(library: Library, quote: Quote, value: float) -> Evidence | None:
    """The sentence(s) of the article that hold the quote, as the passage to cite."""
    article = library.article(quote.article_id)
    if article is None or article.text[quote.start : quote.end] != quote.quote:
        return None
    start, end = _sentence_bounds(article, quote)
    return Evidence(
        article=article,
        start=start,
        end=end,
        text=article.text[start:end],
        score=value,
        chunk_score=value,
        overlap=0.0,
        chunk_id=-1,
    )


def _sentence_bounds(article: Article, quote: Quote) -> tuple[int, int]:
    spans = sentences(article.text)
    inside = [(s, e) for s, e in spans if s < quote.end and quote.start < e]
    if quote.speaker_start is not None and quote.speaker_end is not None:
        inside += [(s, e) for s, e in spans if s < quote.speaker_end and quote.speaker_start < e]
    if not inside:
        return quote.start, quote.end
    start, end = min(s for s, _ in inside), max(e for _, e in inside)
    if end - start > MAX_CITED:
        return quote.start, quote.end
    return start, end


def who_said(
    library: Library, question: str, content: str, threshold: float, scope: list[str] | None = None
) -> Answer | None:
    hits = [(score(h, content), h) for h in library.quote_hits(content, k=8, article_ids=scope) if h.quote.speaker]
    if not hits:
        return None
    value, best = max(hits, key=lambda pair: pair[0])
    if value < threshold:
        return None
    evidence = evidence_for(library, best.quote, value)
    if evidence is None:
        return None
    return compose.quote_answer(question, [(best.quote, evidence)])


def what_said(
    library: Library,
    question: str,
    names: list[str],
    topic: str | None,
    threshold: float,
    scope: list[str] | None = None,
) -> Answer:
    """The quotes of these speakers (names as stored), ranked by `topic` when there is one."""
    if topic:
        hits = sorted(
            ((score(h, topic), h) for h in library.quote_hits(topic, k=20, speakers=names, article_ids=scope)),
            key=lambda pair: pair[0],
            reverse=True,
        )
        floor = max(threshold * 0.75, hits[0][0] - TOPIC_MARGIN) if hits else threshold
        chosen = [(v, h.quote) for v, h in hits if v >= floor][:MAX_QUOTES]
        if not chosen:
            return compose.no_quotes(question, names[0], topic)
    else:
        quotes = library.quotes(speakers=names, article_ids=scope)
        quotes.sort(key=lambda q: (q.kind == "indirect", q.article_id, q.start))
        chosen = [(1.0, q) for q in quotes[:MAX_QUOTES]]
    items = [(q, e) for v, q in chosen if (e := evidence_for(library, q, v)) is not None]
    return compose.quote_answer(question, items) or compose.no_quotes(question, names[0], topic)


def did_say(
    library: Library,
    question: str,
    names: list[str],
    content: str,
    threshold: float,
    scope: list[str] | None = None,
) -> Answer:
    """Yes with the closest quote of these speakers when it is close enough, else that there is no such one."""
    hits = [(score(h, content), h) for h in library.quote_hits(content, k=5, speakers=names, article_ids=scope)]
    if hits:
        value, best = max(hits, key=lambda pair: pair[0])
        if value >= threshold and (evidence := evidence_for(library, best.quote, value)) is not None:
            answer = compose.quote_answer(question, [(best.quote, evidence)], lead="Yes. ")
            if answer is not None:
                return answer
    return compose.no_such_statement(question, names[0])

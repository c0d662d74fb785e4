"""A statement in its context: the passage an answer cites for a quote (the sentences holding the quote and its
speaker), and the part of it embedded at ingest beside the quote, so that answers read statements in context
without embedding anything at question time."""

from __future__ import annotations

from index.models import MAX_CITED, Quote
from index.text.sentences import sentences

CONTEXT_CHARS = 320
"""How much of the cited passage, from where the quote starts, the context vector reads (the model's window)."""

Spans = list[tuple[int, int]]


def cited_bounds(text: str, quote: Quote, spans: Spans | None = None) -> tuple[int, int]:
    """The sentences of `text` holding the quote and its speaker (`spans`: the text's sentences, when already
    split), or the quote alone when they are over MAX_CITED."""
    spans = sentences(text) if spans is None else spans
    inside = [(s, e) for s, e in spans if s < quote.end and quote.start < e]
    if quote.speaker_start is not None and quote.speaker_end is not None:
        inside += [(s, e) for s, e in spans if s < quote.speaker_end and quote.speaker_start < e]
    if not inside:
        return quote.start, quote.end
    start, end = min(s for s, _ in inside), max(e for _, e in inside)
    if end - start > MAX_CITED:
        return quote.start, quote.end
    return start, end


def context(text: str, quote: Quote, spans: Spans | None = None) -> str:
    """What the context vector embeds: the cited passage, cut to CONTEXT_CHARS from where the quote starts."""
    start, end = cited_bounds(text, quote, spans)
    start = max(start, min(quote.start, end - CONTEXT_CHARS))
    return text[start : min(end, start + CONTEXT_CHARS)]


def contexts(text: str, quotes: list[Quote]) -> list[str]:
    """The context of each quote of one article (its sentences split once)."""
    spans = sentences(text) if quotes else []
    return [context(text, q, spans) for q in quotes]

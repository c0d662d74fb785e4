"""Sentence-aware chunking: chunks never cut a sentence, prefer paragraph ends, fit the model window."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.models import Article, Chunk
from index.text.sentences import paragraphs, sentences

TokenCounter = Callable[[Sequence[str]], list[int]]


@dataclass(frozen=True)
class Unit:
    """What chunks are made of: a sentence (or a piece of an over-long one), its word pieces, its paragraph."""

    start: int
    end: int
    tokens: int
    paragraph: int


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    tokens: int


def approx_tokens(texts: Sequence[str]) -> list[int]:
    """A word-piece estimate for when no tokenizer is at hand: 4/3 pieces a word, rounded up."""
    return [-(-len(t.split()) * 4 // 3) for t in texts]


def chunk_article(
    article: Article, count_tokens: TokenCounter, max_tokens: int = 200, overlap: int = 40
) -> list[Chunk]:
    text = article.text
    units = _units(text, count_tokens, max_tokens)
    paragraph_tokens: dict[int, int] = {}
    for unit in units:
        paragraph_tokens[unit.paragraph] = paragraph_tokens.get(unit.paragraph, 0) + unit.tokens
    chunks: list[Chunk] = []
    current: list[Unit] = []
    used = 0
    for unit in units:
        tokens, para = unit.tokens, unit.paragraph
        new_paragraph = bool(current) and para != current[-1].paragraph
        paragraph_overflows = new_paragraph and used + paragraph_tokens[para] > max_tokens
        if current and (used + tokens > max_tokens or (paragraph_overflows and used >= max_tokens // 4)):
            chunks.append(_make(article.id, len(chunks), text, current))
            current = [] if new_paragraph else _overlap_tail(current, overlap, max_tokens - tokens)
            used = sum(u.tokens for u in current)
        current.append(unit)
        used += tokens
    if current:
        chunks.append(_make(article.id, len(chunks), text, current))
    return chunks


def _units(text: str, count_tokens: TokenCounter, max_tokens: int) -> list[Unit]:
    """Sentences with their token counts and paragraph number; an over-long sentence is cut at words."""
    spans: list[tuple[int, int, int]] = []
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        spans.extend((s, e, number) for s, e in sentences(text, p_start, p_end))
    counts = count_tokens([text[s:e] for s, e, _ in spans]) if spans else []
    units = []
    for (start, end, para), tokens in zip(spans, counts, strict=True):
        if tokens <= max_tokens:
            units.append(Unit(start, end, tokens, para))
        else:
            pieces = _split_words(text, start, end, count_tokens, max_tokens)
            units.extend(Unit(p.start, p.end, p.tokens, para) for p in pieces)
    return units


def _split_words(text: str, start: int, end: int, count_tokens: TokenCounter, max_tokens: int) -> list[Piece]:
    words = []
    position = start
    for word in text[start:end].split():
        position = text.index(word, position)
        words.append((position, position + len(word)))
        position += len(word)
    counts = count_tokens([text[s:e] for s, e in words])
    pieces: list[Piece] = []
    piece_start, used = words[0][0], 0
    last_end = words[0][1]
    for (s, e), tokens in zip(words, counts, strict=True):
        if used and used + tokens > max_tokens:
            pieces.append(Piece(piece_start, last_end, used))
            piece_start, used = s, 0
        used += min(tokens, max_tokens)
        last_end = e
    pieces.append(Piece(piece_start, last_end, used))
    return pieces


def _overlap_tail(units: list[Unit], overlap: int, room: int) -> list[Unit]:
    budget = min(overlap, room)
    tail: list[Unit] = []
    for unit in reversed(units[1:]):
        if unit.tokens > budget:
            break
        tail.insert(0, unit)
        budget -= unit.tokens
    return tail


def _make(article_id: str, seq: int, text: str, units: list[Unit]) -> Chunk:
    start, end = units[0].start, units[-1].end
    return Chunk(
        article_id=article_id, seq=seq, start=start, end=end, text=text[start:end], tokens=sum(u.tokens for u in units)
    )

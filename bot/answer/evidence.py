"""Pick the sentences of retrieved chunks that best support an answer to the question."""

from __future__ import annotations

import re

from pydantic import BaseModel

from index.models import MAX_CITED, Article, Hit
from index.text.sentences import sentences
from index.text.terms import WORD, term, terms

HEADING_FACTOR = 0.3
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


class Evidence(BaseModel):
    """A passage of an article (a sentence or two) with exact offsets, and why it was chosen."""

    article: Article
    start: int
    end: int
    text: str
    score: float
    chunk_score: float
    overlap: float
    chunk_id: int
    also_in: list[Article] = []


def question_weights(question: str) -> dict[str, float]:
    """The question's terms, names and numbers (a capital letter after its first word, a digit) counting twice."""
    weights: dict[str, float] = {}
    for match in WORD.finditer(question):
        word = match.group()
        if (stem := term(word)) is None:
            continue
        salient = (word[0].isupper() and match.start() > 0) or any(ch.isdigit() for ch in word)
        weights[stem] = max(weights.get(stem, 0.0), 2.0 if salient else 1.0)
    return weights


def overlap(question_weights: dict[str, float], text: str) -> float:
    total = sum(question_weights.values())
    if not total:
        return 0.0
    present = set(terms(text))
    return sum(w for t, w in question_weights.items() if t in present) / total


def select_evidence(question: str, hits: list[Hit], limit: int = 2, lexical_weight: float = 0.5) -> list[Evidence]:
    """The best passage of each of the strongest hits, best first, at most one per chunk."""
    weights = question_weights(question)
    candidates: list[Evidence] = []
    for hit in hits:
        text = hit.article.text
        spans = sentences(text, hit.chunk.start, hit.chunk.end)
        scored = [
            (overlap(weights, text[s:e]) * (HEADING_FACTOR if _is_heading(text[s:e]) else 1.0), s, e) for s, e in spans
        ]
        if not scored:
            continue
        best_index = max(range(len(scored)), key=lambda i: (scored[i][0], -i))
        lex, start, end = scored[best_index]
        start, end = _extend(text, spans, scored, best_index, start, end)
        candidates.append(
            Evidence(
                article=hit.article,
                start=start,
                end=end,
                text=text[start:end],
                chunk_id=hit.chunk_id,
                chunk_score=hit.score,
                overlap=lex,
                score=hit.score + lexical_weight * lex,
            )
        )
    candidates.sort(key=lambda e: e.score, reverse=True)
    candidates = collapse_duplicates(candidates)
    chosen: list[Evidence] = []
    for candidate in candidates:
        if any(
            c.article.id == candidate.article.id and c.start < candidate.end and candidate.start < c.end for c in chosen
        ):
            continue
        chosen.append(candidate)
        if len(chosen) == limit:
            break
    return chosen


def _is_heading(sentence: str) -> bool:
    """A subheading line inside the article: short, with no closing punctuation. It states no claim."""
    return not _SENTENCE_END.search(sentence) and len(sentence.split()) < 15


def _extend(
    text: str, spans: list[tuple[int, int]], scored: list[tuple[float, int, int]], index: int, start: int, end: int
) -> tuple[int, int]:
    """Add the neighbouring sentence that also matches the question, or that the chosen one leans on."""
    best_lex = scored[index][0]
    options = []
    if index + 1 < len(spans):
        options.append((scored[index + 1][0], start, spans[index + 1][1]))
    if index > 0:
        leans = bool(re.match(r"[\"“‘']?\s*(He|She|They|It|This|That|The \w+ said)\b", text[start:end]))
        options.append((scored[index - 1][0] + (0.5 if leans else 0.0), spans[index - 1][0], end))
    for lex, s, e in sorted(options, reverse=True):
        if lex > 0 and lex >= best_lex * 0.5 and e - s <= MAX_CITED and "\n" not in text[s:e]:
            return s, e
    if end - start > MAX_CITED:
        cut = text.rfind(" ", start, start + MAX_CITED)
        end = cut if cut > start else start + MAX_CITED
    return start, end


DUPLICATE_JACCARD = 0.6


def shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = [w.lower() for w in WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def collapse_duplicates(candidates: list[Evidence]) -> list[Evidence]:
    """Near-identical passages from different articles (a wire story rerun by several outlets) become one:
    the earliest published (else the first retrieved) is kept, with the others listed in `also_in`."""
    kept: list[tuple[Evidence, set, list[Evidence]]] = []
    for candidate in candidates:
        grams = shingles(candidate.text)
        for i, (other, other_grams, twins) in enumerate(kept):
            if other.article.id == candidate.article.id:
                continue
            union = len(grams | other_grams)
            if union and len(grams & other_grams) / union >= DUPLICATE_JACCARD:
                twins.append(candidate)
                if _earlier(candidate.article, other.article):
                    kept[i] = (candidate.model_copy(update={"score": max(candidate.score, other.score)}), grams, twins)
                    twins[-1] = other
                break
        else:
            kept.append((candidate, grams, []))
    return [e.model_copy(update={"also_in": [t.article for t in twins]}) for e, _, twins in kept]


def _earlier(a: Article, b: Article) -> bool:
    return bool(a.published) and (not b.published or a.published < b.published)

"""Compose short answers with [n] markers from evidence; numbering is pure code and never invents a source."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import Answer, Citation
from index.evidence import Evidence

NOT_FOUND = "I don't find that in the articles."
EMPTY = "There are no articles yet. Add some first."
_MARKER = re.compile(r"\[(\d+)\]")


def citation(n: int, evidence: Evidence) -> Citation:
    article = evidence.article
    return Citation(
        n=n,
        article_id=article.id,
        title=article.title,
        source=article.source,
        url=article.url,
        published=article.published,
        text=evidence.text,
        start=evidence.start,
        end=evidence.end,
    )


def number_citations(text: str, evidence: Sequence[Evidence]) -> tuple[str, list[Citation]]:
    """Renumber [k] markers (k = 1-based position in `evidence`) by first appearance.

    A marker that points at nothing retrieved is dropped from the text; retrieved evidence that the
    text never cites is not listed.
    """
    numbers: dict[int, int] = {}
    citations: list[Citation] = []

    def replace(match: re.Match[str]) -> str:
        k = int(match.group(1))
        if not 1 <= k <= len(evidence):
            return ""
        if k not in numbers:
            numbers[k] = len(numbers) + 1
            citations.append(citation(numbers[k], evidence[k - 1]))
        return f"[{numbers[k]}]"

    renumbered = _MARKER.sub(replace, text)
    renumbered = re.sub(r"\s+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", renumbered)).strip()
    return renumbered, citations


def extractive(question: str, evidence: Sequence[Evidence]) -> Answer:
    """The supporting sentences themselves, each followed by its marker."""
    text = " ".join(f"{_sentence(e.text)} [{k}]" for k, e in enumerate(evidence, start=1))
    answer, citations = number_citations(text, evidence)
    return Answer(
        question=question,
        answer=answer,
        found=True,
        citations=citations,
        article_id=evidence[0].article.id if evidence else None,
    )


def not_found(question: str, nearest: Sequence[Evidence], empty: bool = False) -> Answer:
    if empty:
        return Answer(question=question, answer=EMPTY, found=False)
    if not nearest:
        return Answer(question=question, answer=NOT_FOUND, found=False)
    markers = " and ".join(f"[{k}]" for k in range(1, len(nearest) + 1))
    answer, citations = number_citations(f"{NOT_FOUND} The closest passages are in {markers}.", nearest)
    return Answer(question=question, answer=answer, found=False, citations=citations)


def _sentence(text: str) -> str:
    return " ".join(text.split())

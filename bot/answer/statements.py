"""One statement however many articles carry it: two records are one statement when the shorter's words are
nearly all in the other and both give the same numbers (two outlets quoting one speech, copies of one story)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.answer.evidence import Evidence
from index.models import Quote
from index.text.terms import terms

MIN_STATEMENT_TERMS = 4
SAME_STATEMENT = 0.8
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def same_statement(a: Quote, b: Quote) -> bool:
    """Two records of one statement: the words of the shorter (as terms) are nearly all in the longer, as when
    two outlets report one quote ("… in the air? I mean, this is just unbearable" / "… in the air. This is just
    unbearable"), and they give the same numbers ("shelter number 3" is not "shelter number 4")."""
    return _Said.of(a).same(_Said.of(b))


@dataclass(frozen=True)
class _Said:
    """A statement's words as `same_statement` compares them, read once."""

    quote: Quote
    terms: tuple[str, ...]
    words: frozenset[str]
    numbers: frozenset[str]

    @classmethod
    def of(cls, quote: Quote) -> _Said:
        listed = tuple(terms(quote.quote))
        return cls(quote, listed, frozenset(listed), frozenset(_NUMBER.findall(quote.quote)))

    def same(self, other: _Said) -> bool:
        shorter = min(len(self.words), len(other.words))
        near = shorter >= MIN_STATEMENT_TERMS and len(self.words & other.words) >= SAME_STATEMENT * shorter
        return self.numbers == other.numbers and (self.terms == other.terms or near)


def statements_once(quotes: Sequence[Quote], published: Mapping[str, str | None]) -> list[tuple[Quote, int]]:
    """Each statement once, in the order first met, as the earliest published article has it (`published`: each
    article's ISO date; unknown last), with how many other records of it there are (copies of one story, outlets
    quoting one speech). The statements' words are read once each."""
    kept: list[tuple[_Said, int]] = []  # the statement, how many other records of it
    for quote in quotes:
        said = _Said.of(quote)
        at = next((n for n, (k, _) in enumerate(kept) if k.quote.speaker == quote.speaker and k.same(said)), None)
        if at is None:
            kept.append((said, 0))
            continue
        first, others = kept[at]
        earlier = (published.get(quote.article_id) or "9999") < (published.get(first.quote.article_id) or "9999")
        kept[at] = (said if earlier else first, others + 1)
    return [(said.quote, others) for said, others in kept]


def one_per_statement(items: list[tuple[Quote, Evidence]]) -> list[tuple[Quote, Evidence]]:
    """The same statement reported by several articles (a wire story, one article stored twice, two outlets
    quoting one speech) is one, cited to the earliest published of them and listing the others ("also in: …")."""
    kept: list[tuple[Quote, Evidence]] = []
    for quote, evidence in items:
        at = next((n for n, (q, _) in enumerate(kept) if q.speaker == quote.speaker and same_statement(q, quote)), None)
        if at is None:
            kept.append((quote, evidence))
            continue
        first = kept[at]
        both = sorted([first, (quote, evidence)], key=lambda item: item[1].article.published or "9999")
        (cited_quote, cited), (_, other) = both
        others = [*first[1].also_in, other.article]
        kept[at] = (cited_quote, cited.model_copy(update={"also_in": others}))
    return kept

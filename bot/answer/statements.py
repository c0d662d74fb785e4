"""One statement however many articles carry it: two records are one statement when the shorter's words are
nearly all in the other and both give the same numbers (two outlets quoting one speech, copies of one story);
one story however many outlets carry it (`with_copies`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bot.answer.evidence import Evidence
from bot.answer.models import Answer, Citation, outlet_date
from index.library import Library
from index.models import ArticleInfo, Quote
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
    quoting one speech)."""
    groups = _one_each(quotes, lambda n: published.get(quotes[n].article_id))
    return [(quotes[cited], len(others)) for cited, others in groups]


def one_per_statement(items: list[tuple[Quote, Evidence]]) -> list[tuple[Quote, Evidence]]:
    """The same statement reported by several articles (a wire story, one article stored twice, two outlets
    quoting one speech) is one, cited to the earliest published of them and listing the others ("also in: …")."""
    kept = []
    for cited, others in _one_each([q for q, _ in items], lambda n: items[n][1].article.published):
        quote, evidence = items[cited]
        if others:
            also = [*evidence.also_in, *(items[n][1].article for n in others)]
            evidence = evidence.model_copy(update={"also_in": also})
        kept.append((quote, evidence))
    return kept


def _one_each(quotes: Sequence[Quote], published: Callable[[int], str | None]) -> list[tuple[int, list[int]]]:
    """The records of each statement (by speaker and `_Said.same`), in the order first met: the index of the one
    from the earliest published article (`published` of an index; unknown last; the first met of equals), which
    later records are compared with, and the indexes of the others in the order they lost to it. Each statement's
    words are read once."""
    kept: list[tuple[_Said, int, list[int]]] = []
    for n, quote in enumerate(quotes):
        said = _Said.of(quote)
        at = next((k for k, (s, _, _) in enumerate(kept) if s.quote.speaker == quote.speaker and s.same(said)), None)
        if at is None:
            kept.append((said, n, []))
            continue
        first, cited, others = kept[at]
        if (published(n) or "9999") < (published(cited) or "9999"):
            kept[at] = (said, n, [*others, cited])
        else:
            kept[at] = (first, cited, [*others, n])
    return [(cited, others) for _, cited, others in kept]


def with_copies(library: Library, answer: Answer, collections: Sequence[str] | None, earliest: bool = True) -> Answer:
    """Each cited article's story as other outlets carry it (among the articles of `collections`), listed with
    it ("also in 2 other outlets: …"): one story, not several confirmations. With `earliest`, a passage that an
    earlier published copy holds word for word is cited from that copy, the later ones listed."""
    cited = {c.article_id for c in answer.citations}
    citations = []
    for c in answer.citations:
        copies = [a for a in library.story_copies(c.article_id, collections) if a.id not in cited]
        if earliest:
            c, copies = _from_earliest(library, c, copies)
        places = [outlet_date(a.source or a.title, a.published) for a in copies]
        citations.append(c.model_copy(update={"also_in": list(dict.fromkeys([*c.also_in, *places]))}))
    return answer.model_copy(update={"citations": citations})


def _from_earliest(library: Library, c: Citation, copies: list[ArticleInfo]) -> tuple[Citation, list[ArticleInfo]]:
    """The citation moved to the earliest published copy holding its passage word for word (the copies are
    earliest first), and the other copies with the article it was cited from."""
    for info in copies:
        if not info.published or (c.published and info.published >= c.published):
            break
        article = library.article(info.id)
        if article is None or (at := article.text.find(c.text)) < 0:
            continue
        moved = c.model_copy(
            update={
                "article_id": info.id,
                "title": info.title,
                "source": info.source,
                "url": article.url,
                "published": info.published,
                "start": at,
                "end": at + len(c.text),
            }
        )
        was = ArticleInfo(id=c.article_id, title=c.title, source=c.source, published=c.published)
        return moved, [was, *(a for a in copies if a.id != info.id)]
    return c, copies

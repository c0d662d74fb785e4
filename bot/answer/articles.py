"""Answers about the articles themselves: who wrote one, when and where it was published, which articles there
are about something. Read from the stored fields (author, published, source, title), and for the author also from
a byline or an author note in the text; each answer cites the passage that found the article."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answer.compose import number_citations
from bot.answer.evidence import Evidence
from bot.answer.models import Answer, outlet_date
from index.models import Article

MAX_ARTICLES = 5
_NAME = r"[A-Z][\w.'’-]+(?: (?:[A-Z][\w.'’-]+|de|van|von|bin))*(?: [A-Z][\w.'’-]+)"
_BY = re.compile(r"^\s*by:?\s+", re.I)
_BYLINE = re.compile(rf"^\s*By:? (?P<name>{_NAME})\b", re.M)
_AUTHOR_NOTE = re.compile(
    rf"(?:^|\n)\s*(?P<name>{_NAME}) is an? (?:[\w-]+ ){{0,5}}?"
    r"(?:journalist|reporter|correspondent|writer|editor|columnist|contributor|analyst|author)\b"
)


def author_of(article: Article) -> str | None:
    """The stored author, else a byline in the first lines ("By Jane Doe") or an author note in the last ones
    ("Jane Doe is a Senior Journalist at …")."""
    if article.author:
        return _BY.sub("", article.author).strip() or None
    if match := _BYLINE.search(article.text[:400]):
        return match["name"]
    if match := _AUTHOR_NOTE.search(article.text[-800:]):
        return match["name"]
    return None


def described(article: Article) -> str:
    """ "“Title” (Outlet, 2016-09-20)"."""
    details = outlet_date(article.source, article.published)
    return f"“{article.title}”" + (f" ({details})" if details else "")


def fact(question: str, wants: str, evidence: Sequence[Evidence]) -> Answer:
    """Who wrote, when or where the article best matching the question was published, cited to the passage
    that matched; when the article does not give it, that it does not."""
    best = evidence[0]
    article = best.article
    title = described(article)
    if wants == "author":
        author = author_of(article)
        text = f"{title} was written by {author} [1]." if author else f"{title} does not name its author [1]."
        found = author is not None
    elif wants == "published":
        found = article.published is not None
        when = f"was published on {article.published}" if found else "does not give its publication date"
        text = f"“{article.title}” {when}" + (f" by {article.source}" if article.source else "") + " [1]."
    else:
        found = article.source is not None
        text = (
            f"{article.source} published it: {title} [1]."
            if found
            else f"“{article.title}” does not name its outlet [1]."
        )
    answer, citations = number_citations(text, [best])
    return Answer(question=question, answer=answer, found=found, citations=citations, article_id=article.id)


def listing(question: str, topic: str | None, evidence: Sequence[Evidence]) -> Answer:
    """The articles whose passages match, one line each with the matching passage cited."""
    first = {}
    for item in evidence:
        first.setdefault(item.article.id, item)
    chosen = list(first.values())[:MAX_ARTICLES]
    about = f" about {topic}" if topic else ""
    noun = "article" if len(chosen) == 1 else "articles"
    lines = "; ".join(f"{described(e.article)} [{k}]" for k, e in enumerate(chosen, start=1))
    answer, citations = number_citations(f"I have {len(chosen)} {noun}{about}: {lines}.", chosen)
    return Answer(question=question, answer=answer, found=True, citations=citations, article_id=chosen[0].article.id)


def none_about(question: str, topic: str | None) -> Answer:
    about = f" about {topic}" if topic else " that answers this"
    return Answer(question=question, answer=f"I find no article{about}.", found=False)

"""Answers about the articles themselves: who wrote one, when and where it was published, which articles there
are about something. Read from the stored fields (author, published, source, title), and for the author also from
a byline or an author note in the text; each answer cites the passage that found the article."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answer.compose import number_citations
from bot.answer.evidence import Evidence, hit_sentences, is_heading
from bot.answer.matching import names_held, salient
from bot.answer.models import Answer, outlet_date
from index.models import Article, Hit
from index.text.terms import roots

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
    author = author_of(article) if wants == "author" else None
    if wants == "author":
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
    return Answer(
        question=question, answer=answer, found=found, citations=citations, article_id=article.id, speaker=author
    )


SUMMARY_SENTENCES = 2


def summary(question: str, title: str | None, hits: Sequence[Hit]) -> Answer:
    """What the article of this title reports: its first sentences (a news story's lead, one paragraph), cited;
    the title must be one of the stored articles' (in any case, its punctuation aside)."""
    wanted = _title_key(title or "")
    theirs = sorted((h for h in hits if _title_key(h.article.title) == wanted), key=lambda h: h.chunk.seq)
    if not wanted or not theirs:
        return Answer(question=question, answer=f"I have no article titled “{title}”.", found=False)
    first, text = theirs[0], theirs[0].article.text
    spans = [(s, e) for s, e in hit_sentences(first) if _title_key(text[s:e]) != wanted and _states(text[s:e])]
    if not spans:
        return Answer(
            question=question, answer=f"“{first.article.title}” states nothing beyond its title.", found=False
        )
    start = spans[0][0]
    paragraph = text.find("\n", start)
    end = max(e for s, e in spans[:SUMMARY_SENTENCES] if paragraph < 0 or e <= paragraph or s == start)
    lead = Evidence.of(first, start, end, overlap=0.0, score=first.score)
    answer, citations = number_citations(f"{described(first.article)} reports: {lead.text} [1]", [lead])
    return Answer(question=question, answer=answer, found=True, citations=citations, article_id=first.article.id)


def _states(sentence: str) -> bool:
    """A sentence of the story, not a heading or a label ("ABSTRACT.")."""
    return not is_heading(sentence) and len(sentence.split()) >= 5


def _title_key(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.lower()))


def is_about(article: Article, topic: str | None) -> bool:
    """The article is about the topic: its title or text names every name the topic gives ("Wells Fargo"), and
    holds at least half of a topic's words when it gives none ("climate change")."""
    if not topic:
        return True
    held = names_held(f"{article.title}\n{article.text}")
    if names := salient(topic):
        return names <= held
    words = set(roots(topic))
    return 2 * len(words & held) >= len(words)


def listing(question: str, topic: str | None, evidence: Sequence[Evidence]) -> Answer:
    """The articles about the topic whose passages match, one line each with the matching passage cited; none
    about it, a refusal."""
    first = {}
    for item in evidence:
        if is_about(item.article, topic):
            first.setdefault(item.article.id, item)
    if not first:
        return none_about(question, topic)
    chosen = list(first.values())[:MAX_ARTICLES]
    about = f" about {topic}" if topic else ""
    noun = "article" if len(chosen) == 1 else "articles"
    lines = "; ".join(f"{described(e.article)} [{k}]" for k, e in enumerate(chosen, start=1))
    answer, citations = number_citations(f"I have {len(chosen)} {noun}{about}: {lines}.", chosen)
    return Answer(question=question, answer=answer, found=True, citations=citations, article_id=chosen[0].article.id)


def none_about(question: str, topic: str | None) -> Answer:
    about = f" about {topic}" if topic else " that answers this"
    return Answer(question=question, answer=f"I find no article{about}.", found=False)

"""Compose short answers with [n] markers from evidence; numbering is pure code and never invents a source."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answer.evidence import Evidence
from bot.answer.models import Answer, Citation
from index.models import Quote
from index.text.lexicon import REPORTING_VERBS, past_tense

NOT_FOUND = "I don't find that in the articles."
_QUOTED = re.compile(r"“(.+?)”(?= \[\d+\]|$)", re.S)
REPORTING_PAST = frozenset(past_tense(lemma) for lemma in REPORTING_VERBS)
EMPTY = "There are no articles yet. Add some first."
_MARKER = re.compile(r"( ?)\[(\d+)\]")


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
        also_in=[", ".join(p for p in (a.source or a.title, a.published) if p) for a in evidence.also_in],
    )


def number_citations(text: str, evidence: Sequence[Evidence]) -> tuple[str, list[Citation]]:
    """Renumber [k] markers (k = 1-based position in `evidence`) by first appearance.

    A marker that points at nothing retrieved is dropped from the text; retrieved evidence that the
    text never cites is not listed.
    """
    numbers: dict[int, int] = {}
    citations: list[Citation] = []

    def replace(match: re.Match[str]) -> str:
        k = int(match.group(2))
        if not 1 <= k <= len(evidence):
            return ""
        if k not in numbers:
            numbers[k] = len(numbers) + 1
            citations.append(citation(numbers[k], evidence[k - 1]))
        return f"{match.group(1)}[{numbers[k]}]"

    return _MARKER.sub(replace, text).strip(), citations


def extractive(question: str, evidence: Sequence[Evidence], short: str | None = None) -> Answer:
    """The short answer first when there is one ("Donald Trump [1]."), then the supporting sentences
    themselves, each followed by its marker."""
    text = " ".join(f"{e.text} [{k}]" for k, e in enumerate(evidence, start=1))
    if short:
        text = f"{short} [1]. {text}"
    answer, citations = number_citations(text, evidence)
    _check_verbatim(answer, evidence)
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


def quote_answer(question: str, items: Sequence[tuple[Quote, Evidence]], lead: str = "") -> Answer:
    """ "Vladimir Putin said: “…” [1]" for each quote, in the speaker's own words; checked verbatim."""
    parts = []
    for k, (quote, _) in enumerate(items, start=1):
        who = quote.speaker or quote.speaker_mention or "Someone"
        if k > 1 and quote.speaker == items[0][0].speaker:
            who = f"{who} also"
        words = quote.quote
        if quote.kind == "direct":
            stop = "" if words.endswith((".", "!", "?", "…")) else "."
            parts.append(f"{who} said: “{words}” [{k}]{stop}")
        else:
            verb = quote.cue.lower() if quote.cue and quote.cue.lower() in REPORTING_PAST else "said"
            parts.append(f"{who} {verb} that {words.rstrip('.')} [{k}].")
    evidence = [e for _, e in items]
    text, citations = number_citations(lead + " ".join(parts), evidence)
    _check_verbatim(text, evidence)
    first = items[0][0]
    return Answer(
        question=question,
        answer=text,
        found=True,
        citations=citations,
        speaker=first.speaker,
        article_id=first.article_id,
    )


def _check_verbatim(answer: str, evidence: Sequence[Evidence]) -> None:
    if not verbatim(answer, [e.article.text for e in evidence]):
        raise ValueError("a quoted string is not verbatim in the cited articles")


def verbatim(answer: str, texts: Sequence[str]) -> bool:
    """Every “quoted” string in the answer stands, letter for letter, in one of the cited texts."""
    return all(any(q in t for t in texts) for q in _QUOTED.findall(answer))


def no_quotes(question: str, speaker: str, topic: str | None = None) -> Answer:
    about = f" about {topic}" if topic else ""
    return Answer(question=question, answer=f"I find no quotes from {speaker}{about} in the articles.", found=False)


def no_such_statement(question: str, speaker: str) -> Answer:
    return Answer(question=question, answer=f"I find no such statement by {speaker} in the articles.", found=False)

"""Compose short answers with [n] markers from evidence; numbering is pure code and never invents a source."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Literal

from bot.answer.evidence import Evidence
from bot.answer.models import Answer, Citation, Which, outlet_date
from index.models import Quote, SpeakerInfo
from index.text.lexicon import NAME_SUFFIXES
from index.text.marks import OPENING_MARKS, nested
from index.text.names import given_gender, named_in

log = logging.getLogger(__name__)
Placed = Literal["first", "again", "reported again", "same article", "another article"]
REPORTS: dict[Placed, str] = {
    "first": "the article reports",
    "again": "the article also reports",
    "reported again": "it also reports",
    "same article": "the article also reports",
    "another article": "another article reports",
}
"""How a reported statement is introduced, by where it stands in the answer."""
NOT_FOUND = "I don't find that in the articles."
EMPTY = "There are no articles yet. Add some first."
MAX_LISTED = 4
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
        also_in=[outlet_date(a.source or a.title, a.published) for a in evidence.also_in],
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
    themselves (slices of their articles, so verbatim), each followed by its marker."""
    text = " ".join(f"{e.text} [{k}]" for k, e in enumerate(evidence, start=1))
    if short:
        text = f"{short[:1].upper()}{short[1:]} [1]. {text}"  # "by police": "Police [1]."
    answer, citations = number_citations(text, evidence)
    return Answer(
        question=question,
        answer=answer,
        found=True,
        short=short,
        citations=citations,
        article_id=evidence[0].article.id if evidence else None,
    )


def not_found(question: str, nearest: Sequence[Evidence], empty: bool = False) -> Answer:
    if empty:
        return Answer(question=question, answer=EMPTY, found=False)
    if not nearest:
        return Answer(question=question, answer=NOT_FOUND, found=False)
    closest = _listed([f"[{k}]" for k in range(1, len(nearest) + 1)])
    lead = "The closest passage is" if len(nearest) == 1 else "The closest passages are"
    answer, citations = number_citations(f"{NOT_FOUND} {lead} {closest}.", nearest)
    return Answer(question=question, answer=answer, found=False, citations=citations)


def nothing_more(question: str, speaker: str) -> Answer:
    """ "What else did he say?" when every statement of theirs was shown."""
    return Answer(question=question, answer=f"That is all I find from {speaker} in the articles.", found=False)


def nothing_on(question: str, missing: str, nearest: Sequence[Evidence]) -> Answer:
    """What a question asks that no passage states, said in one line, with the closest passage cited."""
    closest = "; the closest passage is [1]" if nearest else ""
    answer, citations = number_citations(f"I find nothing on {missing} in the articles{closest}.", nearest)
    return Answer(question=question, answer=answer, found=False, citations=citations)


def quoted(text: str) -> str:
    """A passage in quotation marks, unless it opens with a quotation of its own (no “““): how a source list shows
    the passage it cites."""
    return text if text.startswith(tuple(OPENING_MARKS)) else f"“{text}”"


def statement(k: int, quote: Quote, evidence: Evidence, placed: Placed = "first", verb: str = "said") -> str | None:
    """One statement with its marker [k]: a direct quote as the speaker's words ("Vladimir Putin said: “…” [1].";
    "He also said: …" after one of theirs, `placed` "again"), reported speech as the article's own sentence, not in
    quotation marks, which are for someone's words ("The article reports [2]: House Speaker Paul Ryan declared
    …"; "About Paul Ryan, it also reports [3]: He declared …" where it does not name them), never re-glued into "X
    said that …". None (logged) when the words shown are not verbatim in the article: such a statement is
    dropped, never shown."""
    who = quote.speaker or quote.speaker_mention or "Someone"
    article = evidence.article.text
    if quote.kind == "direct":
        words = quote.quote
        stop = "" if words.endswith((".", "!", "?", "…")) else "."
        said = f"{_again(who)} also {verb}" if placed == "again" else f"{who} {verb}"
        text = f"{said}: “{nested(words)}” [{k}]{stop}"
        verbatim = quote.verbatim_in(article)
    else:
        words = evidence.text
        reports = REPORTS[placed]
        if verb == "said" and named_in(words, quote.speaker):  # "Russian President Vladimir Putin reiterated …"
            text = f"{reports[:1].upper()}{reports[1:]} [{k}]: {words}"
        elif verb == "said":
            text = f"About {who}, {reports} [{k}]: {words}"
        else:
            text = f"{who} {verb}, as {reports} [{k}]: {words}"
        verbatim = bool(words) and words in article
    if not verbatim:
        log.warning("dropped a statement not verbatim in article %s: %r", evidence.article.id, words[:80])
        return None
    return text


def _again(name: str) -> str:
    """How a second statement of the same person names them: "He", "She", else by surname."""
    gender = given_gender(name)
    if gender is not None:
        return "He" if gender == "m" else "She"
    words = [w for w in name.split() if w.lower().rstrip(".") not in NAME_SUFFIXES]
    return words[-1] if words else name


def quote_answer(
    question: str, items: Sequence[tuple[Quote, Evidence]], lead: str = "", verb: str = "said"
) -> Answer | None:
    """The statements of these quotes, each checked verbatim; None when none of them is."""
    kept: list[tuple[Quote, Evidence, str]] = []
    for quote, evidence in items:
        if (text := statement(len(kept) + 1, quote, evidence, _placed(quote, kept), verb)) is not None:
            kept.append((quote, evidence, text))
    if not kept:
        return None
    text, citations = number_citations(lead + " ".join(t for _, _, t in kept), [e for _, e, _ in kept])
    first = kept[0][0]
    return Answer(
        question=question,
        answer=text,
        found=True,
        citations=citations,
        speaker=first.speaker,
        article_id=first.article_id,
    )


def _placed(quote: Quote, kept: Sequence[tuple[Quote, Evidence, str]]) -> Placed:
    """Where a statement stands among those before it in an answer."""
    if not kept:
        return "first"
    if quote.kind == "direct" and quote.speaker == kept[0][0].speaker:
        return "again"
    if quote.article_id != kept[-1][0].article_id:
        return "another article"
    return "same article" if kept[-1][0].kind == "direct" else "reported again"  # "It" is the article named last


def no_quotes(
    question: str,
    speaker: str,
    topic: str | None = None,
    quoted_on: Sequence[str] = (),
    closest: Sequence[Evidence] = (),
) -> Answer:
    """ "I find no quote from X about Y in the articles.", with the topics X is quoted on when there are any, and
    the closest passage that names X when there is one."""
    about = f" about {topic.rstrip('?.! ')}" if topic else ""
    text = f"I find no quote from {speaker}{about} in the articles."
    if quoted_on:
        text += f" {speaker} is quoted on {_listed(list(quoted_on))}."
    if closest:
        text += " The closest passage that names them is in [1]."
    text, citations = number_citations(text, closest)
    return Answer(question=question, answer=text, found=False, citations=citations)


def speaker_unsure(question: str, evidence: Evidence, speaker: str | None = None) -> Answer:
    """A statement close to the question that cannot be given as an answer, its speaker not sure enough to be
    named: its sentence is shown (verbatim, cited) and the reader judges."""
    if speaker:
        lead = f"The closest passage may hold {speaker}’s words, but the article does not make clear who is speaking"
    else:
        lead = "I am not sure who said that: the article does not make clear who is speaking"
    text, citations = number_citations(f"{lead} [1]: {evidence.text}", [evidence])
    return Answer(question=question, answer=text, found=False, citations=citations, speaker=speaker)


def closest_statement(question: str, quote: Quote, evidence: Evidence, asked: Sequence[str] = ()) -> Answer:
    """A statement near the claim that the matcher is not sure says it: shown with its speaker as the closest, not
    as an answer (`found` false). `asked`: the names of the person a did-say question names ("Did X say …?": not
    that I can find)."""
    who = quote.speaker or "Someone"
    if asked:
        lead = f"Not that I can find: no statement of {asked[0]}’s says exactly that. The closest is"
    else:
        lead = "No statement I find says exactly that. The closest is"
    whose = " this" if who in evidence.text or who in asked else f" {who}’s"  # "Dr. Lena Fischer, who …": once
    text, citations = number_citations(f"{lead}{whose} [1]: {evidence.text}", [evidence])
    return Answer(question=question, answer=text, found=False, citations=citations, speaker=quote.speaker)


def which_speaker(question: str, asked: str, people: Sequence[SpeakerInfo]) -> Answer:
    """Several people fit the name asked about (`asked`, as the question words it), none clearly the one meant:
    the chat may answer with one of them ("Teresa")."""
    shown = people[:MAX_LISTED]
    listed = _listed([f"{p.name} ({counted(p.quotes, 'quote')})" for p in shown], "or")
    text = f"Which one do you mean: {listed}? Ask with the full name, or just tell me which."
    which = Which(asked=asked, people=[p.name for p in shown])
    return Answer(question=question, answer=text, found=False, which=which)


def also_quoted(answer: Answer, others: Sequence[SpeakerInfo]) -> Answer:
    """An answer about the most quoted of several people of one name, naming the others."""
    if not others:
        return answer
    names = _listed([p.name for p in others[:MAX_LISTED]])
    also = f"(The articles also quote {names}; ask by full name for those quotes.)"
    return answer.model_copy(update={"answer": f"{answer.answer} {also}"})


def counted(n: int, noun: str) -> str:
    """ "1 quote", "3 quotes"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def nobody_quoted(question: str) -> Answer:
    return Answer(question=question, answer="I find no one quoted saying that in the articles.", found=False)


def _listed(words: list[str], conjunction: str = "and") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def no_such_statement(question: str, speaker: str) -> Answer:
    text = f"Not that I can find: no statement of {speaker}’s in the articles says that."
    return Answer(question=question, answer=text, found=False)

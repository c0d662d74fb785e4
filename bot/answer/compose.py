"""Compose short answers with [n] markers from evidence; numbering is pure code and never invents a source."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from bot.answer.evidence import Evidence
from bot.answer.models import Answer, Citation, outlet_date
from index.models import Quote, SpeakerInfo
from index.text.marks import OPENING_MARKS

log = logging.getLogger(__name__)
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
    """A passage in quotation marks, unless it opens with a quotation of its own (no “““)."""
    return text if text.startswith(tuple(OPENING_MARKS)) else f"“{text}”"


def statement(k: int, quote: Quote, evidence: Evidence, again: bool = False, verb: str = "said") -> str | None:
    """One statement with its marker [k]: a direct quote as the speaker's words ("Vladimir Putin said: “…” [1]."),
    reported speech as the article's own sentence, marked so ("Paul Ryan, as reported [2]: “He declared that …”";
    "As reported [2]: “House Speaker Paul Ryan declared …”" when it names them), never re-glued into "X said
    that …". None (logged) when the words shown are not
    verbatim in the article: such a statement is dropped, never shown."""
    who = quote.speaker or quote.speaker_mention or "Someone"
    article = evidence.article.text
    if quote.kind == "direct":
        words = quote.quote
        stop = "" if words.endswith((".", "!", "?", "…")) else "."
        text = f"{who} {'also ' if again else ''}{verb}: “{words}” [{k}]{stop}"
        verbatim = quote.verbatim_in(article)
    else:
        words = evidence.text
        reported = "also as reported" if again else "as reported"
        if verb == "said" and _names(words, quote.speaker):  # "Russian President Vladimir Putin reiterated …"
            text = f"{reported.capitalize()} [{k}]: {quoted(words)}"
        else:
            text = f"{who if verb == 'said' else f'{who} {verb}'}, {reported} [{k}]: {quoted(words)}"
        verbatim = bool(words) and words in article
    if not verbatim:
        log.warning("dropped a statement not verbatim in article %s: %r", evidence.article.id, words[:80])
        return None
    return text


def _names(text: str, speaker: str | None) -> bool:
    """The passage names the speaker (by their last name), so the answer need not name them again before it."""
    last = speaker.split()[-1] if speaker else ""
    return bool(last) and re.search(rf"\b{re.escape(last)}\b", text) is not None


def quote_answer(
    question: str, items: Sequence[tuple[Quote, Evidence]], lead: str = "", verb: str = "said"
) -> Answer | None:
    """The statements of these quotes, each checked verbatim; None when none of them is."""
    kept: list[tuple[Quote, Evidence, str]] = []
    for quote, evidence in items:
        again = bool(kept) and quote.speaker == kept[0][0].speaker
        if (text := statement(len(kept) + 1, quote, evidence, again, verb)) is not None:
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
        lead = f"The articles may quote {speaker} on this, but I am not sure who spoke these words:"
    else:
        lead = "I am not sure who said that. The article's words are:"
    text, citations = number_citations(f"{lead} {quoted(evidence.text)} [1]", [evidence])
    return Answer(question=question, answer=text, found=False, citations=citations, speaker=speaker)


def closest_statement(question: str, quote: Quote, evidence: Evidence) -> Answer:
    """A statement near the claim that the matcher is not sure says it: shown with its speaker as the closest, not
    as an answer (`found` false)."""
    who = quote.speaker or "Someone"
    lead = f"I find no one quoted saying exactly that. The closest is {who}"
    text, citations = number_citations(f"{lead} [1]: {quoted(evidence.text)}", [evidence])
    return Answer(question=question, answer=text, found=False, citations=citations, speaker=quote.speaker)


def which_speaker(question: str, people: Sequence[SpeakerInfo]) -> Answer:
    """Several people fit the name asked about, none clearly the one meant."""
    listed = _listed([f"{p.name} ({counted(p.quotes, 'quote')})" for p in people[:MAX_LISTED]], "or")
    return Answer(question=question, answer=f"Which one do you mean: {listed}? Ask with the full name.", found=False)


def also_quoted(answer: Answer, others: Sequence[SpeakerInfo]) -> Answer:
    """An answer about the most quoted of several people of one name, naming the others."""
    if not others:
        return answer
    names = _listed([p.name for p in others[:MAX_LISTED]])
    return answer.model_copy(update={"answer": f"{answer.answer} (Also quoted: {names}; ask with the full name.)"})


def counted(n: int, noun: str) -> str:
    """ "1 quote", "3 quotes"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def nobody_quoted(question: str) -> Answer:
    return Answer(question=question, answer="I find no one quoted saying that in the articles.", found=False)


def _listed(words: list[str], conjunction: str = "and") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def no_such_statement(question: str, speaker: str) -> Answer:
    return Answer(question=question, answer=f"I find no such statement by {speaker} in the articles.", found=False)

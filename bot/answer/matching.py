"""Whether a stored statement says what a question claims someone said, by meaning: one small logistic model over
the statement's similarity to the claim, its words and its paragraph's, the claim's names and numbers, and how the
question describes the speaker ("Which Goddard scientist …"). Its weights and the bars an answer needs (sure: name
the speaker; theirs: give a verdict on a named speaker's own statement; close: show the statement as the nearest,
not as an answer) are fitted on the `fit` half of the readers' questions by `python -m bench.fit_matcher` and
shipped in matcher.json (a few hundred bytes). Nothing is embedded at question time but the claim: each
statement's context (its cited passage) was embedded at ingest."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from bot.answer.evidence import overlap, question_weights
from index.library import Library
from index.models import EVERYWHERE, Article, Quote, QuoteHit, Scope
from index.text.lexicon import CALENDAR, SEATS
from index.text.names import name_words
from index.text.terms import WORD, WRITTEN, numbers, root, roots, term

MODEL = Path(__file__).with_name("matcher.json")
CANDIDATES = 30
FEATURES = (
    "dense",
    "margin",
    "lead",
    "context",
    "quote_words",
    "paragraph_words",
    "names",
    "described",
    "numbers_differ",
)
NEAR = 120
AROUND = 200
MAX_MENTIONS = 8
SECOND_SHARE = 0.5
VERBATIM_RUN = 5
MIN_VERBATIM = 3


class MatcherModel(BaseModel):
    """Logistic weights over FEATURES, and the probabilities a statement needs to be named as the answer to who said
    it (sure), to give a verdict on the named speaker's own statement (theirs), or to be shown as the closest
    (close)."""

    features: list[str]
    weights: list[float]
    bias: float
    sure: float
    close: float
    theirs: float

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(w * values[f] for f, w in zip(self.features, self.weights, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def model() -> MatcherModel:
    return MatcherModel.model_validate(json.loads(MODEL.read_text("utf-8")))


@dataclass
class Match:
    """A candidate statement with what the matcher read in it, and its probability of saying the claim."""

    hit: QuoteHit
    article: Article
    features: dict[str, float]
    probability: float = 0.0
    verbatim: bool = False

    def sure(self, bar: float) -> bool:
        """Probable enough to name, or holding the question's own words verbatim."""
        return self.verbatim or self.probability >= bar


def verbatim(claim: str, quote: str) -> bool:
    """The claim repeats VERBATIM_RUN or more consecutive words of the quote (all of them, when it is shorter): the
    asker quoted the statement ("Who said “This is what I know …”?"), whatever the model makes of it."""
    asked = [w.lower() for w in WRITTEN.findall(claim)]
    said = [w.lower() for w in WRITTEN.findall(quote)]
    run = min(VERBATIM_RUN, len(asked))
    if run < MIN_VERBATIM:
        return False
    grams = {tuple(said[i : i + run]) for i in range(len(said) - run + 1)}
    return any(tuple(asked[i : i + run]) in grams for i in range(len(asked) - run + 1))


def paragraph(text: str, start: int, end: int) -> str:
    """The paragraph (newline to newline) holding text[start:end]."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return text[first : last if last >= 0 else len(text)]


def salient(text: str) -> set[str]:
    """The names of a text by root: its capitalised words ("Zaporizhzhia"), not months or weekdays; the U.S. as
    America (`_US`)."""
    text = _US.sub(" America ", text)
    return {root(t) for w in WORD.findall(text) if w[0].isupper() and w.lower() not in CALENDAR and (t := term(w))}


def details(text: str, speakers: list[str]) -> tuple[set[str], set[str]]:
    """The names (`salient`, the speakers' own words aside) and numbers a claim or topic gives: the details a
    statement must mention to be about it."""
    own = {root(w) for name in speakers for w in name_words(name)}
    return salient(text) - own, numbers(text)


def mentioned(article: Article | None, quote: Quote, names: set[str], figures: set[str]) -> bool:
    """The statement, the AROUND characters on each side of it or its article's title hold every one of these names
    (by root; a country by its seat or people too: `same_place`) and numbers (`numbers`): a topic naming a place,
    a person or a figure ("about pulling troops out of Zaporizhzhia", "about the $8.8 billion debt") is not met by a
    statement on another one."""
    if not names and not figures:
        return True
    if article is None:
        return False
    around = f"{article.title}\n{article.text[max(0, quote.start - AROUND) : quote.end + AROUND]}"
    held = names_held(around)
    return all(name in held or held & same_place(name) for name in names) and figures <= numbers(around)


_US = re.compile(r"\bU\.S\.(?:A\.)?|\bUSA?\b|\bUnited States\b")
"""The United States as written in capitals: by root "U.S." is the pronoun "us", which names no country."""


def names_held(text: str) -> set[str]:
    """The words of a text by root, read as `salient` reads a claim's names (the U.S. as America): what a
    statement's, a passage's or an article's surroundings hold of the names asked about."""
    return set(roots(_US.sub(" America ", text)))


@cache
def _places() -> dict[str, frozenset[str]]:
    return {r: group for words in SEATS if (group := frozenset(roots(words))) for r in group}


def same_place(name: str) -> frozenset[str]:
    """The words (by root) naming the same country as this one (`SEATS`): "kyiv" for "ukraine" and the other way."""
    return _places().get(name, frozenset())


def described_near(described: str | None, hit: QuoteHit, article: Article) -> float:
    """The share of the words describing the speaker in the question ("Stratfor analyst") that the article gives
    them: in their role, or within NEAR characters of a mention of their last name; 1.0 with no description."""
    wanted = {root(t) for w in WORD.findall(described or "") if (t := term(w))}
    if not wanted:
        return 1.0
    last = (hit.quote.speaker or "").split()[-1:]
    text = article.text
    around = [hit.quote.role or "", hit.quote.speaker or ""]
    for name in last:
        at = text.find(name)
        while at >= 0 and len(around) < MAX_MENTIONS:
            around.append(text[max(0, at - NEAR) : at + len(name) + NEAR])
            at = text.find(name, at + len(name))
    return len(wanted & set(roots(" ".join(around)))) / len(wanted)


def differ(claimed: set[str], stated: set[str]) -> bool:
    """The claim states numbers and the paragraph others, none of the claim's ("16 million Sentras" against "more
    than 6 million Sentra vehicles sold"): a detail the reader remembers differently, or another statement."""
    return bool(claimed) and bool(stated) and not claimed & stated


def features(
    claim: str,
    asked: dict[str, float],
    hit: QuoteHit,
    article: Article,
    best: tuple[float, float],
    described: str | None,
    context: float,
) -> dict[str, float]:
    """What the matcher reads in one candidate, given the claim's words by root (`question_weights`: its names and
    numbers weigh 2), the two best similarities among the candidates (`margin` behind the best, `lead` over the
    runner-up, 0 unless it is the best) and the claim's similarity to the statement in context (its cited
    passage, embedded at ingest; a quote stored without one is read by its words alone)."""
    around = paragraph(article.text, hit.quote.start, hit.quote.end)
    names = {r for r, weight in asked.items() if weight > 1}
    held = set(roots(around))
    return {
        "dense": hit.score,
        "margin": hit.score - best[0],
        "lead": max(0.0, hit.score - best[1]) if hit.score >= best[0] else 0.0,
        "context": context,
        "quote_words": overlap(asked, hit.quote.quote, roots),
        "paragraph_words": overlap(asked, around, roots),
        "names": len(names & held) / len(names) if names else 1.0,
        "described": described_near(described, hit, article),
        "numbers_differ": float(differ(numbers(claim), numbers(around))),
    }


def candidates(
    library: Library,
    claim: str,
    described: str | None = None,
    speakers: list[str] | None = None,
    scope: Scope = EVERYWHERE,
    k: int = CANDIDATES,
    matcher: MatcherModel | None = None,
) -> list[Match]:
    """The statements nearest the claim (hybrid search), each scored by the matcher, most probable first (a
    statement holding the asker's words verbatim before all)."""
    vector = library.encode_query(claim)
    hits = library.quote_hits(claim, k, scope.within(speakers=speakers), "hybrid", vector)
    hits = [h for h in hits if h.quote.speaker]
    if not hits:
        return []
    scores = sorted((h.score for h in hits), reverse=True)
    best = (scores[0], scores[1] if len(scores) > 1 else 0.0)
    asked = question_weights(claim, root)
    contexts = library.contexts([h.quote_id for h in hits])
    articles: dict[str, Article | None] = {}
    found = []
    matcher = matcher or model()
    for hit in hits:
        if hit.quote.article_id not in articles:
            articles[hit.quote.article_id] = library.article(hit.quote.article_id)
        if (article := articles[hit.quote.article_id]) is not None:
            context = contexts.get(hit.quote_id)
            read = float(context @ vector) if context is not None else hit.score
            found.append(Match(hit, article, features(claim, asked, hit, article, best, described, read)))
    for match in found:
        match.probability = matcher.probability(match.features)
        match.verbatim = verbatim(claim, match.hit.quote.quote)
    return sorted(found, key=lambda m: (m.verbatim, m.probability), reverse=True)


def seconding(found: list[Match], first: Match, same: Callable[[Quote, Quote], bool]) -> Match | None:
    """The first statement's speaker's next most probable statement that is another (`same` tells), when it is at
    least SECOND_SHARE as probable: a claim a reader remembers is often told over two sentences of one speaker."""
    for match in found:
        quote = match.hit.quote
        if match is first or quote.speaker != first.hit.quote.speaker or same(quote, first.hit.quote):
            continue
        return match if match.probability >= SECOND_SHARE * first.probability else None
    return None

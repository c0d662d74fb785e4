"""Whether a stored statement says what a question claims someone said, by meaning: one small logistic model over
the statement's similarity to the claim, its words and its paragraph's, the claim's names and numbers, and how the
question describes the speaker ("Which Goddard scientist …"). Its weights and the bars an answer needs (sure: name
the speaker; theirs: give a verdict on a named speaker's own statement; close: show the statement as the nearest,
not as an answer) are fitted on the `fit` half of the readers' questions by `python -m bench.fit_matcher` and
shipped in matcher.json (a few hundred bytes). The one cost at question time beyond the search: the READ most
probable statements' cited passages are embedded, in one batch."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from bot.answer.evidence import overlap, question_weights
from index.library import Library
from index.models import MAX_CITED, Article, Quote, QuoteHit
from index.text.sentences import sentences
from index.text.terms import WORD, WRITTEN, root, roots, term

MODEL = Path(__file__).with_name("matcher.json")
CANDIDATES = 30
FEATURES = ("dense", "margin", "lead", "context", "quote_words", "paragraph_words", "names", "described")
READ = 4
READ_CHARS = 320
NEAR = 120
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


def features(
    asked: dict[str, float], hit: QuoteHit, article: Article, best: tuple[float, float], described: str | None
) -> dict[str, float]:
    """What the matcher reads in one candidate, given the claim's words by root (`question_weights`: its names and
    numbers weigh 2) and the two best similarities among the candidates: `margin` behind the best, `lead` over the
    runner-up (0 unless it is the best); `context` is its similarity until the cited passage is read."""
    around = paragraph(article.text, hit.quote.start, hit.quote.end)
    names = {r for r, weight in asked.items() if weight > 1}
    held = set(roots(around))
    return {
        "dense": hit.score,
        "margin": hit.score - best[0],
        "lead": max(0.0, hit.score - best[1]) if hit.score >= best[0] else 0.0,
        "context": hit.score,
        "quote_words": overlap(asked, hit.quote.quote, roots),
        "paragraph_words": overlap(asked, around, roots),
        "names": len(names & held) / len(names) if names else 1.0,
        "described": described_near(described, hit, article),
    }


def candidates(
    library: Library,
    claim: str,
    described: str | None = None,
    speakers: list[str] | None = None,
    scope: list[str] | None = None,
    k: int = CANDIDATES,
    matcher: MatcherModel | None = None,
    read: int = READ,
) -> list[Match]:
    """The statements nearest the claim (hybrid search), each scored by the matcher, most probable first; the
    READ most probable are read again in their cited passages (the sentence with the quote and its speaker),
    embedded beside the claim."""
    vector = library.encode_query(claim)
    hits = library.quote_hits(claim, k=k, speakers=speakers, article_ids=scope, mode="hybrid", vector=vector)
    hits = [h for h in hits if h.quote.speaker]
    if not hits:
        return []
    scores = sorted((h.score for h in hits), reverse=True)
    best = (scores[0], scores[1] if len(scores) > 1 else 0.0)
    asked = question_weights(claim, root)
    articles: dict[str, Article | None] = {}
    found = []
    matcher = matcher or model()
    for hit in hits:
        if hit.quote.article_id not in articles:
            articles[hit.quote.article_id] = library.article(hit.quote.article_id)
        if (article := articles[hit.quote.article_id]) is not None:
            found.append(Match(hit, article, features(asked, hit, article, best, described)))
    for match in found:
        match.probability = matcher.probability(match.features)
    found.sort(key=lambda m: m.probability, reverse=True)
    passages = [cited_passage(m) for m in found[:read]]
    vectors = library.query_embedder.encode(passages)
    for match, passage_vector in zip(found, vectors, strict=False):
        match.features["context"] = float(passage_vector @ vector)
        match.probability = matcher.probability(match.features)
    for match in found:
        match.verbatim = verbatim(claim, match.hit.quote.quote)
    return sorted(found, key=lambda m: (m.verbatim, m.probability), reverse=True)


def sentence_bounds(article: Article, quote: Quote) -> tuple[int, int]:
    """The sentences holding the quote and its speaker, or the quote alone when they are over MAX_CITED."""
    spans = sentences(article.text)
    inside = [(s, e) for s, e in spans if s < quote.end and quote.start < e]
    if quote.speaker_start is not None and quote.speaker_end is not None:
        inside += [(s, e) for s, e in spans if s < quote.speaker_end and quote.speaker_start < e]
    if not inside:
        return quote.start, quote.end
    start, end = min(s for s, _ in inside), max(e for _, e in inside)
    if end - start > MAX_CITED:
        return quote.start, quote.end
    return start, end


def cited_passage(match: Match) -> str:
    """The sentences holding the quote and its speaker, as an answer cites them, cut to READ_CHARS from where the
    quote starts (embedding them is most of a who-said answer's time)."""
    start, end = sentence_bounds(match.article, match.hit.quote)
    start = max(start, min(match.hit.quote.start, end - READ_CHARS))
    return match.article.text[start : min(end, start + READ_CHARS)]


def seconding(found: list[Match], first: Match, same: Callable[[Quote, Quote], bool]) -> Match | None:
    """The first statement's speaker's next most probable statement that is another (`same` tells), when it is at
    least SECOND_SHARE as probable: a claim a reader remembers is often told over two sentences of one speaker."""
    for match in found:
        quote = match.hit.quote
        if match is first or quote.speaker != first.hit.quote.speaker or same(quote, first.hit.quote):
            continue
        return match if match.probability >= SECOND_SHARE * first.probability else None
    return None

"""Fit the statement matcher (bot/answer/matching.py) on the `fit` half of the readers' questions: the web-news
questions and ours (bench/data/whosaid_words.jsonl), never `report`. Each who-said, did-say and unanswerable
question's candidate statements are read on the benchmark store (bench/whosaid_words.py builds it); a candidate
says the claim when its cited passage holds the question's evidence. A logistic model (L2, Newton's method) is
fitted on them. The bars are chosen on the answers the fitted model would give (the most probable statement, with
its speaker's second one when `matching.seconding` cites it), counted only where its speaker is sure (else the
answer is "I am not sure who said that"), right when the speaker is one the question expects and a cited statement holds
the evidence: `sure` (name the speaker; who-said and unanswerable questions) and `theirs` (a verdict on the named
speaker's own statement; did-say questions with verdict yes or opposite, right when the parse's verdict is the
expected one on the statement holding the evidence, unclear verdicts left out), each where a wrong answer costs
WRONG_COST right ones; `close` (show the statement as the nearest) the lowest bar above which the answers are still
right CLOSE_SHARE of the time.
Writes bot/answer/matcher.json.

    python -m bench.fit_matcher [--stores DIR]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.common import jsonl
from bench.whosaid_words import ROOT, SETS, build_store
from bot.answer.matching import FEATURES, MODEL, Match, MatcherModel, candidates, mentioned, seconding
from bot.answer.matching import details as details_of
from bot.answer.quoting import evidence_for
from bot.answer.shapes import Parse
from bot.answer.speakers import match_speaker
from bot.answer.statements import same_statement
from bot.answer.verdict import verdict
from bot.engine import Engine, build_engine
from bot.settings import Settings

WRONG_COST = 3.0
CLOSE_SHARE = 0.5
BARS_ON = ("who_said", "unanswerable")
L2 = 1.0


@dataclass
class Candidate:
    """One candidate statement of a question: what the matcher reads, whether it says the claim (its cited passage
    holds the evidence), whether naming it would be right (it says it, by a sure speaker the question expects), and
    whether it mentions the claim's names and numbers (`matching.mentioned`: answers name no one, and say no "yes",
    over a statement that does not)."""

    says: bool
    named: bool
    speaker_right: bool
    match: Match
    mentions: bool = True

    @property
    def features(self) -> list[float]:
        return [self.match.features[f] for f in FEATURES]


def examples(engine: Engine, question: dict, blank: MatcherModel) -> list[Candidate]:
    """The candidate statements of a question, best-ranked first."""
    shape = engine.shape(question["q"])
    if shape.kind not in ("who_said", "did_say") or not shape.content:
        return []
    library = engine.library
    speakers = None
    if shape.kind == "did_say" and shape.speaker and question.get("verdict") != "other":
        speakers = match_speaker(library, shape.speaker).names or None
    found = candidates(library, shape.content, shape.described, speakers, matcher=blank)
    wanted = question.get("evidence_any") or ([question["evidence"]] if question.get("evidence") else [])
    needed = engine.settings.quotes.confidence_needed
    details = details_of(shape.content, speakers or [])
    rows = []
    for match in found:
        quote = match.hit.quote
        evidence = evidence_for(library, quote, match.hit.score)
        says = evidence is not None and any(w in evidence.text for w in wanted)
        named = quote.trusted(needed)
        speaker_right = any(n.lower() in (quote.speaker or "").lower() for n in question["expect_any"])
        mentions = mentioned(match.article, quote, *details)
        rows.append(Candidate(says, named, speaker_right, match, mentions))
    return rows


def rescored(fitted: MatcherModel, rows: list[Candidate]) -> list[Candidate]:
    """The candidates scored by the fitted model, most probable first."""
    for c in rows:
        c.match.probability = fitted.probability(c.match.features)
    return sorted(rows, key=lambda c: c.match.probability, reverse=True)


def answered(fitted: MatcherModel, question: dict, rows: list[Candidate]) -> tuple[float, bool] | None:
    """The probability of the statement an answer would name first, and whether the answer would be right (the
    statement, or the speaker's second one it cites beside it, holds the evidence); None when its speaker is not
    sure (answered "I am not sure who said that", whatever its probability) or it does not mention the claim's
    names and numbers (answered as the closest)."""
    rows = rescored(fitted, rows)
    first = rows[0]
    if not first.named or not first.mentions:
        return None
    second = seconding([c.match for c in rows], first.match, same_statement)
    cited = [first] + [c for c in rows if second is not None and c.match is second]
    return first.match.probability, first.speaker_right and any(c.says for c in cited)


def judged(
    fitted: MatcherModel, question: dict, rows: list[Candidate], claim: str, parse: Parse
) -> tuple[float, bool] | None:
    """The probability of the speaker's own statement a did-say answer would judge (the most probable one sure to be
    theirs), and whether its verdict would be right (it holds the evidence, and the parse reads yes or the opposite
    as the question expects); None when the verdict is unclear (answered with the closest statement instead)."""
    first = next((c for c in rescored(fitted, rows) if c.named), None)
    if first is None:
        return None
    read = verdict(claim, first.match.hit.quote.quote, parse)
    read = "unclear" if read == "yes" and not first.mentions else read
    return None if read == "unclear" else (first.match.probability, first.says and read == question["verdict"])


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Logistic regression with an L2 penalty on the weights (not the bias), by Newton's method."""
    a = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(a.shape[1])
    penalty = np.eye(a.shape[1]) * L2
    penalty[-1, -1] = 0
    for _ in range(50):
        p = 1 / (1 + np.exp(-a @ w))
        gradient = a.T @ (p - y) + penalty @ w
        hessian = (a * (p * (1 - p))[:, None]).T @ a + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def bars(best: list[tuple[float, bool]]) -> tuple[float, float]:
    """`sure`: the bar maximising right - WRONG_COST * wrong over each question's best candidate; `close`: the
    lowest bar under it above which the best candidates are still right CLOSE_SHARE of the time."""
    ps = sorted({p for p, _ in best})
    gain = [(sum(ok for p, ok in best if p >= t) - WRONG_COST * sum(not ok for p, ok in best if p >= t), t) for t in ps]
    sure = max(gain, key=lambda g: (g[0], -g[1]))[1] if gain else 0.5  # a tie: the lower bar (fewer refusals)
    precise = [t for t in ps if t < sure and sum(ok for p, ok in best if p >= t) >= CLOSE_SHARE * _count(best, t)]
    return sure, min(precise, default=sure)


def _count(best: list[tuple[float, bool]], low: float) -> int:
    return sum(p >= low for p, _ in best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stores", type=Path, default=Path("/tmp/whosaid-words"))
    args = parser.parse_args()
    store = args.stores / "store"
    build_store(ROOT, store)
    settings = Settings()
    settings.store.data_dir = store
    engine = build_engine(settings)
    blank = MatcherModel(
        features=list(FEATURES), weights=[0.0] * len(FEATURES), bias=0.0, sure=1.0, close=1.0, theirs=1.0
    )
    questions = [q for path in SETS.values() for q in jsonl(path) if q["split"] == "fit"]
    per_question = [(q, rows) for q in questions if (rows := examples(engine, q, blank))]
    x = np.array([c.features for _, rows in per_question for c in rows])
    y = np.array([c.says for _, rows in per_question for c in rows], dtype=float)
    weights, bias = fit(x, y)
    fitted = MatcherModel(
        features=list(FEATURES), weights=weights.round(4).tolist(), bias=round(bias, 4), sure=1, close=1, theirs=1
    )
    best: dict[str, list[tuple[float, bool]]] = {"who": [], "theirs": []}
    parse = engine.library.extractor.parse
    for q, rows in per_question:
        if q["kind"] in BARS_ON and (outcome := answered(fitted, q, rows)) is not None:
            best["who"].append(outcome)
        elif q.get("verdict") in ("yes", "opposite"):
            claim = engine.shape(q["q"]).content or ""
            if (outcome := judged(fitted, q, rows, claim, parse)) is not None:
                best["theirs"].append(outcome)
    sure, close = bars(best["who"])
    theirs, _ = bars(best["theirs"])
    update = {"sure": round(sure, 4), "close": round(close, 4), "theirs": round(theirs, 4)}
    fitted = fitted.model_copy(update=update)
    MODEL.write_text(json.dumps(fitted.model_dump(), indent=2) + "\n", "utf-8")
    print(f"{len(per_question)} questions, {len(y)} candidates ({int(y.sum())} saying the claim)")
    print(json.dumps(fitted.model_dump()))
    engine.close()


if __name__ == "__main__":
    main()

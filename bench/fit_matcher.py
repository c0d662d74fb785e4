"""Fit the statement matcher (bot/answer/matching.py) on the `fit` half of the readers' questions: the web-news
questions and ours (bench/data/whosaid_words.jsonl), never `report`. Each who-said, did-say and unanswerable
question's candidate statements are read on the benchmark store (bench/whosaid_words.py builds it); a candidate
says the claim when its cited passage holds the question's evidence. A logistic model (L2, Newton's method) is
fitted on them, and the bars are chosen on the questions' best candidates: `sure` (name the speaker, on the who-said
and unanswerable questions) and `theirs` (a verdict on the named speaker's own statement, on the did-say questions
with verdict yes or opposite), each where a wrong statement costs WRONG_COST right ones; `close` (show it as the
nearest) where the best candidates between it and `sure` are right CLOSE_SHARE of the time.
Writes bot/answer/matcher.json.

    python -m bench.fit_matcher [--stores DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from bench.common import jsonl
from bench.whosaid_words import ROOT, SETS, build_store
from bot.answer.matching import CANDIDATES, FEATURES, MODEL, MatcherModel, candidates
from bot.answer.quoting import evidence_for
from bot.answer.speakers import match_speaker
from bot.engine import Engine, build_engine
from bot.settings import Settings

WRONG_COST = 3.0
CLOSE_SHARE = 0.6
BARS_ON = ("who_said", "unanswerable")
L2 = 1.0


def examples(engine: Engine, question: dict, blank: MatcherModel) -> list[tuple[list[float], bool]]:
    """(features, says the claim) for each candidate statement of a question, best-ranked first."""
    shape = engine.shape(question["q"])
    if shape.kind not in ("who_said", "did_say") or not shape.content:
        return []
    library = engine.library
    speakers = None
    if shape.kind == "did_say" and shape.speaker and question.get("verdict") != "other":
        speakers = match_speaker(library, shape.speaker).names or None
    found = candidates(library, shape.content, shape.described, speakers, matcher=blank, read=CANDIDATES)
    wanted = question.get("evidence_any") or ([question["evidence"]] if question.get("evidence") else [])
    rows = []
    for match in found:
        evidence = evidence_for(library, match.hit.quote, match.hit.score)
        says = evidence is not None and any(w in evidence.text for w in wanted)
        rows.append(([match.features[f] for f in FEATURES], says))
    return rows


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
    lowest bar under it from which the best candidates below `sure` are right CLOSE_SHARE of the time."""
    ps = sorted({p for p, _ in best})
    gain = [(sum(ok for p, ok in best if p >= t) - WRONG_COST * sum(not ok for p, ok in best if p >= t), t) for t in ps]
    sure = max(gain)[1] if gain else 0.5
    below = [
        t for t in ps if t < sure and sum(ok for p, ok in best if t <= p < sure) >= CLOSE_SHARE * _count(best, t, sure)
    ]
    close = min(below, default=sure)
    return sure, close


def _count(best: list[tuple[float, bool]], low: float, high: float) -> int:
    return sum(low <= p < high for p, _ in best)


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
    x = np.array([f for _, rows in per_question for f, _ in rows])
    y = np.array([ok for _, rows in per_question for _, ok in rows], dtype=float)
    weights, bias = fit(x, y)
    fitted = MatcherModel(
        features=list(FEATURES), weights=weights.round(4).tolist(), bias=round(bias, 4), sure=1, close=1, theirs=1
    )
    best: dict[str, list[tuple[float, bool]]] = {"who": [], "theirs": []}
    for q, rows in per_question:
        scored = [(fitted.probability(dict(zip(FEATURES, f, strict=True))), ok) for f, ok in rows]
        if q["kind"] in BARS_ON:
            best["who"].append(max(scored))
        elif q.get("verdict") in ("yes", "opposite"):
            best["theirs"].append(max(scored))
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

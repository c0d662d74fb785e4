"""Fit the 'not found' threshold on answerable (XQuAD) vs unanswerable questions; report held-out P/R.

python -m bench.calibrate
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from bench.common import CORPORA, DATA, jsonl, lines, save
from bot.engine import Engine, build_engine
from bot.settings import Settings
from index.embed.transformer import SentenceTransformerEmbedder


def best_scores(engine: Engine, questions: list[str]) -> np.ndarray:
    """The score the engine decides on: its best passage's evidence score (similarity + word overlap), or
    -inf where the question names something no retrieved passage mentions (refused whatever the score)."""
    scores = []
    for question in questions:
        asked = engine.question(question)
        scores.append(-np.inf if asked.unnamed or not asked.evidence else asked.evidence[0].score)
    return np.array(scores)


def fit(answerable: np.ndarray, unanswerable: np.ndarray) -> float:
    """The threshold with the best balanced accuracy (Youden's J) between the two score sets."""
    candidates = np.unique(np.concatenate([answerable, unanswerable]))
    candidates = candidates[np.isfinite(candidates)]
    j = [(answerable >= t).mean() - (unanswerable >= t).mean() for t in candidates]
    return float(candidates[int(np.argmax(j))])


def report(threshold: float, answerable: np.ndarray, unanswerable: np.ndarray) -> dict[str, float]:
    refused_u = int((unanswerable < threshold).sum())
    refused_a = int((answerable < threshold).sum())
    refused = refused_u + refused_a
    return {
        "answered_answerable": float((answerable >= threshold).mean()),
        "refusal_recall": refused_u / len(unanswerable),
        "refusal_precision": refused_u / refused if refused else 1.0,
    }


def main() -> None:
    embedder = SentenceTransformerEmbedder()
    with tempfile.TemporaryDirectory() as tmp:
        engine = build_engine(Settings(data_dir=Path(tmp)), embedder=embedder)
        engine.ingest(
            [str(CORPORA / "xquad_en" / "articles.jsonl"), str(CORPORA / "seed" / "putin-donbas-newsx.jsonl")]
        )
        answerable = best_scores(engine, [q["question"] for q in jsonl(CORPORA / "xquad_en" / "qa.jsonl")])
        unanswerable = best_scores(engine, lines(DATA / "unanswerable_xquad.txt"))
    fit_a, held_a = answerable[0::2], answerable[1::2]
    fit_u, held_u = unanswerable[0::2], unanswerable[1::2]
    threshold = round(fit(fit_a, fit_u), 2)
    result = {
        "threshold": threshold,
        "fit": report(threshold, fit_a, fit_u),
        "held_out": report(threshold, held_a, held_u),
        "answerable_score_median": float(np.median(answerable)),
        "unanswerable_score_median": float(np.median(unanswerable)),
        "refused_by_name_check": {
            "answerable": int(np.isinf(answerable).sum()),
            "unanswerable": int(np.isinf(unanswerable).sum()),
        },
        "questions": {"answerable": len(answerable), "unanswerable": len(unanswerable)},
    }
    print(result)
    save("calibrate", result)


if __name__ == "__main__":
    main()

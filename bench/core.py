"""Core engine benchmark: XQuAD retrieval recall@k and answer accuracy, warm query latency (ingest speed is in
bench/ingest.py).

    python -m bench.core
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from bench.common import CORPORA, jsonl, percentiles, save
from bot.engine import Engine, build_engine
from bot.settings import Settings
from index.embed.transformer import SentenceTransformerEmbedder


def holds_answer(hit, q: dict) -> bool:
    c = hit.chunk
    return hit.article.id == q["article_id"] and c.start <= q["answer_start"] < c.end


def retrieval(engine: Engine, questions: list[dict]) -> dict:
    ks = (1, 5, 10)
    found = dict.fromkeys(ks, 0)
    correct = answered = 0
    latencies = []
    for q in questions:
        hits = engine.library.passages(q["question"], max(ks))
        for k in ks:
            found[k] += any(holds_answer(h, q) for h in hits[:k])
        start = time.perf_counter()
        answer = engine.ask(q["question"])
        json.dumps(answer.model_dump())
        latencies.append((time.perf_counter() - start) * 1000)
        answered += answer.found
        correct += answer.found and any(q["answer"] in c.text for c in answer.citations)
    n = len(questions)
    return {
        **{f"recall@{k}": found[k] / n for k in ks},
        "answer_accuracy": correct / n,
        "answered": answered / n,
        "latency_ms": percentiles(latencies, (50, 95)),
        "questions": n,
    }


def main() -> None:
    embedder = SentenceTransformerEmbedder()
    sources = [str(CORPORA / "xquad_en" / "articles.jsonl"), str(CORPORA / "seed" / "putin-donbas-newsx.jsonl")]
    with tempfile.TemporaryDirectory() as tmp:
        engine = build_engine(Settings(data_dir=Path(tmp)), embedder=embedder)
        engine.ingest(sources)
        engine.ask("warm up")
        quality = retrieval(engine, jsonl(CORPORA / "xquad_en" / "qa.jsonl"))
        engine.close()
    print("xquad", quality)
    save("core", {"xquad": quality})


if __name__ == "__main__":
    main()

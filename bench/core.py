"""Core engine benchmark: XQuAD retrieval recall@k and answer accuracy, warm query latency,
and ingest throughput against raw `model.encode` on the same chunks, in the same run.

    python -m bench.core
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from bench.common import CORPORA, jsonl, percentiles, save
from bot.engine import Engine
from index.embed import SentenceTransformerEmbedder
from index.settings import Settings


def holds_answer(hit, q: dict) -> bool:
    c = hit.chunk
    return hit.article.id == q["article_id"] and c.start <= q["answer_start"] < c.end


def retrieval(engine: Engine, questions: list[dict]) -> dict:
    ks = (1, 5, 10)
    found = dict.fromkeys(ks, 0)
    correct = answered = 0
    latencies = []
    for q in questions:
        hits = engine.library.search(q["question"], max(ks))
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


def timed_ingest(embedder: SentenceTransformerEmbedder, sources: list[str], batch_size: int, quotes) -> tuple:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), batch_size=batch_size, extract_quotes=quotes is not None)
        engine = Engine(settings, embedder=embedder, quotes=quotes)
        start = time.perf_counter()
        engine.ingest(sources)
        seconds = time.perf_counter() - start
        texts = [row[0] for row in engine.library.store._query("SELECT text FROM chunks ORDER BY id")]
        n_quotes = engine.library.store.count("quotes")
        engine.close()
    return seconds, texts, n_quotes


def ingest_speed(embedder: SentenceTransformerEmbedder, sources: list[str], batch_size: int) -> dict:
    """Ingest with and without quote attribution, against raw encode of the same chunks, in one run."""
    from index.quotes import QuoteExtractor

    extractor = QuoteExtractor()
    extractor.extract("warm", "He said it was fine.")
    embedder.encode(["warm up the model"] * 32, batch_size=batch_size)
    plain_s, texts, _ = timed_ingest(embedder, sources, batch_size, None)
    full_s, _, n_quotes = timed_ingest(embedder, sources, batch_size, extractor)
    start = time.perf_counter()
    embedder.model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
    raw_s = time.perf_counter() - start
    return {
        "chunks": len(texts),
        "quotes": n_quotes,
        "raw_encode_chunks_per_s": len(texts) / raw_s,
        "ingest_without_quotes_chunks_per_s": len(texts) / plain_s,
        "ratio_without_quotes": raw_s / plain_s,
        "ingest_with_quotes_chunks_per_s": len(texts) / full_s,
        "ratio_with_quotes": raw_s / full_s,
        "quote_share_of_ingest_time": (full_s - plain_s) / full_s,
    }


DEV_NEWS = Path(tempfile.gettempdir()) / "whosaid-bench-polnear-dev.jsonl"


def write_dev_news() -> None:
    """The 84 PolNeAR dev articles as a JSONL source (news, rich in quotes: what ingest really sees)."""
    rows = [a for a in jsonl(CORPORA / "polnear" / "articles.jsonl") if a["split"] == "dev"]
    DEV_NEWS.write_text(
        "".join(json.dumps({k: a[k] for k in ("id", "title", "source", "date", "text")}) + "\n" for a in rows)
    )


def main() -> None:
    embedder = SentenceTransformerEmbedder()
    sources = [str(CORPORA / "xquad_en" / "articles.jsonl"), str(CORPORA / "seed" / "putin-donbas-newsx.jsonl")]
    news = [str(CORPORA / "seed" / "putin-donbas-newsx.jsonl"), str(DEV_NEWS)]
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine(Settings(data_dir=Path(tmp)), embedder=embedder)
        engine.ingest(sources)
        engine.ask("warm up")
        quality = retrieval(engine, jsonl(CORPORA / "xquad_en" / "qa.jsonl"))
        engine.close()
    print("xquad", quality)
    write_dev_news()
    speed = ingest_speed(embedder, news, Settings().batch_size)
    print("ingest", speed)
    save("core", {"xquad": quality, "ingest": speed})


if __name__ == "__main__":
    main()

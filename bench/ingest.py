"""Ingest: chunks/s against raw `model.encode` of the same chunks (same run), with and without quote attribution
and its worker process; and resident memory along a 10,000-article ingest streamed from one JSONL file.

    python -m bench.ingest [--articles 300] [--rounds 3] [--memory-articles 10000]   (0 skips a part)

The default configuration is measured in `rounds` rounds, each an ingest then the raw encode it is compared with,
and its ratio is the median of the rounds' ratios: on a noisy machine the baseline drifts by 10-15% within minutes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import CORPORA, RESULTS, jsonl, save
from bot.engine import build_engine
from bot.settings import Settings
from index.embed.transformer import SentenceTransformerEmbedder
from tests.fakes import HashEmbedder


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def news(target: Path, count: int, per_file: int = 1000) -> Path:
    """A folder of JSONL files holding `count` PolNeAR articles, dev first; past the 928 real ones, copies marked
    "(copy n)" so every article is new to the store. Files of 1,000 articles stay under the 20 MB file limit."""
    rows = sorted(jsonl(CORPORA / "polnear" / "articles.jsonl"), key=lambda a: a["split"] != "dev")
    target.mkdir()
    for first in range(0, count, per_file):
        lines = []
        for n in range(first, min(count, first + per_file)):
            a, copy = rows[n % len(rows)], n // len(rows)
            suffix = f" (copy {copy})" if copy else ""
            lines.append(json.dumps({"id": a["id"] + suffix, "title": a["title"] + suffix, "text": a["text"] + suffix}))
        (target / f"news-{first:06d}.jsonl").write_text("\n".join(lines) + "\n")
    return target


def timed_ingest(source: Path, embedder, **settings) -> tuple[float, list[str], int]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = build_engine(Settings(data_dir=Path(tmp), fast_queries=False, **settings), embedder=embedder)
        start = time.perf_counter()
        engine.ingest([str(source)])
        seconds = time.perf_counter() - start
        texts = [row[0] for row in engine.library.store._query("SELECT text FROM chunks ORDER BY id")]
        quotes = engine.library.store.count("quotes")
        engine.close()
    return seconds, texts, quotes


def raw_encode(embedder: SentenceTransformerEmbedder, texts: list[str], precision: str) -> float:
    """Seconds for `model.encode` of the texts as sentence-transformers runs it, at a precision."""
    usual, embedder.precision = embedder.precision, precision
    start = time.perf_counter()
    with embedder.autocast():
        embedder.model.encode(texts, batch_size=Settings().store.batch_size, normalize_embeddings=True)
    embedder.precision = usual
    return time.perf_counter() - start


def speed(source: Path, rounds: int) -> dict:
    """Ingest runs encode at the default precision (bfloat16 autocast where the CPU has it); the baseline is raw
    float32 `model.encode`, as sentence-transformers runs it out of the box, with raw bfloat16 encode beside it."""
    embedder = SentenceTransformerEmbedder(precision=Settings().store.encode_precision)
    embedder.encode(["warm up the model"] * 32)
    default = []  # (ingest seconds, raw float32 seconds) per round
    for _ in range(rounds):
        worker_s, texts, quotes = timed_ingest(source, embedder)
        default.append((worker_s, raw_encode(embedder, texts, "float32")))
    plain_s, _, _ = timed_ingest(source, embedder, extract_quotes=False)
    local_s, _, _ = timed_ingest(source, embedder, quote_process=False)
    precision, embedder.precision = embedder.precision, "float32"
    float32_s, _, _ = timed_ingest(source, embedder, quote_process=True)
    embedder.precision = precision
    raw = {"float32": statistics.median(r for _, r in default), "bfloat16": raw_encode(embedder, texts, "bfloat16")}
    rows = {
        "without quote attribution": plain_s,
        "quotes, one process": local_s,
        "quotes, worker process, float32 encoding": float32_s,
    }
    chunks = len(texts)
    return {
        "chunks": chunks,
        "quotes": quotes,
        "encode_precision": precision,
        "raw_encode_chunks_per_s": chunks / raw["float32"],
        "raw_bf16_encode_chunks_per_s": chunks / raw["bfloat16"],
        "quotes, worker process (default)": {
            "chunks_per_s": chunks / statistics.median(s for s, _ in default),
            "ratio_to_raw_encode": statistics.median(r / s for s, r in default),
            "rounds": [
                {"chunks_per_s": chunks / s, "raw_encode_chunks_per_s": chunks / r, "ratio_to_raw_encode": r / s}
                for s, r in default
            ],
        },
        **{
            name: {
                "chunks_per_s": chunks / s,
                "ratio_to_raw_encode": raw["float32"] / s,
                "ratio_to_raw_bf16_encode": raw["bfloat16"] / s,
            }
            for name, s in rows.items()
        },
    }


def memory(source: Path, count: int) -> dict:
    """RSS every 500 articles. The embedder is a hashing stand-in (the model's memory does not grow with the
    number of articles, and 65k chunks through the real model take half an hour); no quote attribution."""
    samples = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = build_engine(
            Settings(data_dir=Path(tmp), model="bench/hash-384", extract_quotes=False),
            embedder=HashEmbedder("bench/hash-384", dim=384),
        )
        done = 0

        def on_article(_) -> None:
            nonlocal done
            done += 1
            if done % 500 == 0:
                samples.append({"articles": done, "chunks": engine.library.store.count("chunks"), "rss_mb": rss_mb()})

        start = time.perf_counter()
        engine.ingest([str(source)], on_article=on_article)
        seconds = time.perf_counter() - start
        chunks = engine.library.store.count("chunks")
        after = rss_mb()
        engine.close()
    first, last = samples[0], samples[-1]
    return {
        "articles": count,
        "chunks": chunks,
        "seconds": seconds,
        "rss_mb_every_500_articles": samples,
        "rss_growth_kb_per_chunk": (last["rss_mb"] - first["rss_mb"]) * 1024 / (last["chunks"] - first["chunks"]),
        "rss_after_index_refresh_mb": after,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-articles", type=int, default=10_000)
    args = parser.parse_args()
    previous = RESULTS / "ingest.json"
    result = json.loads(previous.read_text()) if previous.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.articles:
            result["speed"] = speed(news(Path(tmp) / "news", args.articles), args.rounds)
            print(result["speed"], flush=True)
        if args.memory_articles:
            result["memory"] = memory(news(Path(tmp) / "many", args.memory_articles), args.memory_articles)
            print(result["memory"], flush=True)
    result.pop("machine", None)
    save("ingest", result)


if __name__ == "__main__":
    main()

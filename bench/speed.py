"""Speed: cold start of `whosaid ask` and `whosaid serve`; warm latency at 10k / 100k / 1M chunks; vector search
alone against exact search, txtai and HNSW on the same vectors.

Large stores are real chunks (XQuAD, PolNeAR dev, the seed) replicated with perturbed vectors (Gaussian noise,
renormalised) written straight to the store, so the benchmark fits in minutes.

    python -m bench.speed [--sizes 10000 100000 1000000] [--skip-cold]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

from bench.common import CORPORA, ROOT, jsonl, percentiles, save
from bot.engine import Engine, build_engine
from bot.settings import Settings
from index.embed.transformer import SentenceTransformerEmbedder
from index.models import Article
from index.search.vectors import FlatIndex, IVFIndex
from index.store.sqlite import Store
from index.system import usable_cores

QUESTIONS = ["What did Desai say about the strike?", "Who leads the repair crew?", "How big is the comet?"]


def cold_start(data: Path, fast: bool, runs: int = 3) -> dict[str, float]:
    env = {**os.environ, "WHOSAID_DATA_DIR": str(data), "WHOSAID_FAST_QUERIES": str(fast).lower()}
    result = {}
    for question in QUESTIONS:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "bot", "ask", question],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                timeout=300,
            )
            times.append(time.perf_counter() - start)
        result[question] = float(np.median(times))
    return result


async def serve_ready(data: Path) -> float:
    from tests.botapi import TOKEN, FakeBotAPI

    api = FakeBotAPI()
    url = await api.start()
    env = {
        **os.environ,
        "WHOSAID_DATA_DIR": str(data),
        "WHOSAID_TELEGRAM_TOKEN": TOKEN,
        "WHOSAID_TELEGRAM_API_URL": f"{url}/bot",
    }
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", env=env, cwd=ROOT, stderr=asyncio.subprocess.DEVNULL
    )
    while "getUpdates" not in api.calls:
        await asyncio.sleep(0.05)
    ready = time.perf_counter() - start
    proc.terminate()
    await proc.wait()
    await api.stop()
    return ready


def grow(source: Path, target: Path, size: int, seed: int = 0) -> None:
    """Copy `source`'s store and add replicas of its articles until it holds `size` chunks."""
    shutil.copytree(source, target)
    store = Store(target / "store.sqlite")
    articles = [store.article(a.id) for a in store.articles()]
    base = {
        a.id: store._query(
            "SELECT seq, start, end, text, tokens, vector FROM chunks WHERE article_id = ? ORDER BY seq", (a.id,)
        )
        for a in articles
    }
    rng = np.random.default_rng(seed)
    count, copy = store.count("chunks"), 0
    from index.models import Chunk

    while count < size:
        copy += 1
        with store.transaction() as db:
            for article in articles:
                rows = base[article.id]
                clone = article.model_copy(update={"id": f"{article.id}~{copy}", "text": article.text + f"\n[{copy}]"})
                vectors = np.frombuffer(b"".join(r[5] for r in rows), dtype=np.float32).reshape(len(rows), -1)
                noisy = vectors + rng.normal(0, 0.03, vectors.shape).astype(np.float32)
                noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
                chunks = [
                    Chunk(article_id=clone.id, seq=r[0], start=r[1], end=r[2], text=r[3], tokens=r[4]) for r in rows
                ]
                db.execute(
                    "INSERT INTO articles(id, title, url, source, author, published, text, digest) "
                    "VALUES (?,?,?,?,?,?,?,?)",
                    (
                        clone.id,
                        clone.title,
                        clone.url,
                        clone.source,
                        clone.author,
                        clone.published,
                        clone.text,
                        f"{article.digest}~{copy}",
                    ),
                )
                for chunk, vector in zip(chunks, noisy, strict=True):
                    db.execute(
                        "INSERT INTO chunks(article_id, seq, start, end, text, tokens, vector) VALUES (?,?,?,?,?,?,?)",
                        (clone.id, chunk.seq, chunk.start, chunk.end, chunk.text, chunk.tokens, vector.tobytes()),
                    )
                count += len(rows)
                if count >= size:
                    break
    store.close()
    (target / "meta.json").unlink()  # the vector and lexical indexes are rebuilt from SQLite on open


def warm(data: Path, questions: list[str], embedder) -> dict:
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    engine = build_engine(Settings(data_dir=data), embedder=embedder)
    engine.warm()
    engine.ask("warm up")
    open_s = time.perf_counter() - start
    latencies = []
    for question in questions:
        t = time.perf_counter()
        json.dumps(engine.ask(question).model_dump())
        latencies.append((time.perf_counter() - t) * 1000)
    chunks = len(engine.library)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file() and "onnx" not in p.parts)
    index = engine.library.indexes.tables["chunks"].vectors
    adds = add_articles(engine)
    result = {
        "chunks": chunks,
        "latency_ms": percentiles(latencies),
        "index": index.kind,
        "nlist_nprobe": [index.index.nlist, index.index.nprobe] if isinstance(index, IVFIndex) else None,
        "faiss_bytes_per_chunk": index.memory_bytes() / len(index),
        "open_and_rebuild_s": open_s,
        "add_one_article_s": adds,
        "peak_rss_mb": rss / 1024,
        "rss_growth_kb_per_chunk": (rss - rss_before) / max(chunks, 1),
        "disk_mb_per_1k_chunks": size / 1e6 / chunks * 1000,
    }
    engine.close()
    return result


def add_articles(engine: Engine, count: int = 3) -> list[float]:
    """Seconds to ingest one new article into the grown store, `count` times in a row (the first may rebuild
    BM25 in full; later ones add to its delta)."""
    seconds = []
    for n in range(count):
        article = Article(id=f"added-{n}", title=f"Added {n}", text=f"Report {n}. " + " ".join(QUESTIONS * 20))
        start = time.perf_counter()
        engine.library.ingest([article])
        seconds.append(time.perf_counter() - start)
    return seconds


def vector_search(data: Path, questions: list[str], embedder, hnsw: bool) -> dict:
    """Chunk vector search alone, on the same question vectors: the store's index against exact search
    (recall@10), txtai 9 with its default FAISS index over the same vectors, and (optionally) HNSW."""
    from txtai import Embeddings

    store = Store(data / "store.sqlite")
    batches = list(store.iter_vectors(384))
    store.close()
    ids = np.concatenate([b.ids for b in batches])
    vectors = np.vstack([b.vectors for b in batches])
    del batches
    queries = embedder.encode(questions)
    exact = FlatIndex(384)
    exact.add(ids, vectors)
    truth = exact.search(queries, 10)[1]
    rows = {"exact (FAISS flat)": _timed(lambda q: exact.search(q, 10)[1][0], queries, truth)}
    start = time.perf_counter()
    ivf = IVFIndex.build(ids, vectors)
    rows["whosaid IVF"] = {
        **_timed(lambda q: ivf.search(q, 10)[1][0], queries, truth),
        "build_s": time.perf_counter() - start,
        "nlist_nprobe": [ivf.index.nlist, ivf.index.nprobe],
    }
    tuned = ivf.index.nprobe
    for nprobe in (2 * tuned, 4 * tuned, 8 * tuned):
        ivf.index.nprobe = nprobe
        rows[f"whosaid IVF, nprobe {nprobe}"] = _timed(lambda q: ivf.search(q, 10)[1][0], queries, truth)
    ivf.index.nprobe = tuned
    start = time.perf_counter()
    # txtai's default trains its IVF cells on every vector (~25 min at 1M on 2 cores); past 200k, its `sample` option
    faiss_config = {"sample": 0.1} if len(ids) > 200_000 else {}
    peer = Embeddings(
        method="external", transform=_encoder(embedder), backend="faiss", content=False, faiss=faiss_config
    )
    peer.index((int(i), v, None) for i, v in zip(ids, vectors, strict=True))
    built = time.perf_counter() - start
    search = lambda q: np.array([int(r[0]) for r in peer.search(q, 10)])  # noqa: E731
    rows["txtai (default FAISS index)"] = {
        **_timed(lambda q: search(q[0]), queries, truth),
        "build_s": built,
        "nlist_nprobe": [getattr(peer.ann.backend, "nlist", None), peer.ann.nprobe()],
        "question_to_ids_ms": _timed(search, questions, truth)["latency_ms"],
    }
    if hnsw:
        start = time.perf_counter()
        graph = faiss.IndexHNSWFlat(384, 32, faiss.METRIC_INNER_PRODUCT)
        faiss.omp_set_num_threads(usable_cores())
        graph.add(vectors)
        faiss.omp_set_num_threads(1)
        graph.hnsw.efSearch = 128
        rows["HNSW M=32, efSearch 128 (not chosen)"] = {
            **_timed(lambda q: ids[graph.search(q, 10)[1][0]], queries, truth),
            "build_s": time.perf_counter() - start,
        }
    return rows


def _encoder(embedder):
    def transform(texts: list[str]) -> np.ndarray:
        return embedder.encode(texts)

    return transform


def _timed(search, queries, truth: np.ndarray) -> dict:
    latencies, found = [], 0
    for n, query in enumerate(queries):
        start = time.perf_counter()
        got = search(query.reshape(1, -1) if isinstance(query, np.ndarray) else query)
        latencies.append((time.perf_counter() - start) * 1000)
        found += len(set(got.tolist()) & set(truth[n].tolist()))
    return {"latency_ms": percentiles(latencies), "recall@10_vs_exact": found / (10 * len(queries))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--skip-cold", action="store_true")
    args = parser.parse_args()
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        embedder = SentenceTransformerEmbedder()
        engine = build_engine(Settings(data_dir=base), embedder=embedder)
        dev = [a for a in jsonl(CORPORA / "polnear" / "articles.jsonl") if a["split"] == "dev"]
        engine.library.ingest(Article.model_validate(a) for a in dev)
        engine.ingest([str(CORPORA / "xquad_en" / "articles.jsonl"), str(ROOT / "bot" / "samples")])
        engine.close()
        if not args.skip_cold:
            result["cold_start_s"] = {"onnx": cold_start(base, True), "sentence_transformers": cold_start(base, False)}
            result["serve_ready_s"] = asyncio.run(serve_ready(base))
            print(result, flush=True)
        questions = [q["question"] for q in jsonl(CORPORA / "xquad_en" / "qa.jsonl")][::6]
        from index.embed.onnx import OnnxEmbedder, onnx_dir

        onnx = OnnxEmbedder(onnx_dir(base, Settings().store.model))
        result["warm"], result["vector_search"] = {}, {}
        for size in args.sizes:
            target = Path(tmp) / f"s{size}"
            grow(base, target, size)
            result["warm"][size] = warm(target, questions, onnx)
            print(size, result["warm"][size], flush=True)
            result["vector_search"][size] = vector_search(target, questions, onnx, hnsw=size <= 100_000)
            print(size, result["vector_search"][size], flush=True)
            shutil.rmtree(target)
    save("speed", result)


if __name__ == "__main__":
    main()

"""One store at scale, on both engines in the same run (issue 32): the embedded one (SQLite, FAISS IVF, bm25s) and
PostgreSQL (pgvector HNSW, BM25 in SQL). XQuAD's 48 articles are ingested with the real model, the store is
filled to N chunks with filler chunks (words drawn from XQuAD's own, vectors near real ones: distractors for
every question), and `whosaid migrate` copies it into PostgreSQL, so that both hold the very same rows and
vectors. Then, per engine: question latency p50/p95 (dense and hybrid, the question already embedded), recall@10
of its approximate dense search against exact search over the same vectors, and XQuAD recall@5 (a chunk holding
the answer among the first five, hybrid). Ingest through jobs: articles/s with 1 and 2 `whosaid worker`
processes against the in-process ingest of the embedded store. Answers: questions/s with 1 and 2 processes
answering against the shared store.

    python -m bench.scale [--chunks 100000] [--questions 300] [--articles 40]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

from bench.common import CORPORA, ROOT, jsonl, percentiles, save
from bot.engine import build_engine
from bot.settings import Settings
from index.library import Library
from index.models import Article, Chunk
from tests.feedsite import PEOPLE, Story
from tests.httpserver import serve
from tests.postgres import Server

FILLER_CHUNKS = 10  # per filler article
HTML = {"Content-Type": "text/html; charset=utf-8"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--articles", type=int, default=40, help="articles read through the job queue")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    server = Server(folder / "postgres")
    try:
        results = run(folder, server, args)
        print(save("scale", results))
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, server: Server, args: argparse.Namespace) -> dict:
    data = folder / "embedded"
    settings = Settings(data_dir=data)
    engine = build_engine(settings)
    path = CORPORA / "xquad_en" / "articles.jsonl"
    engine.ingest([str(path)])
    started = time.perf_counter()
    fill(engine.library, args.chunks)
    print(f"filled to {len(engine.library)} chunks in {time.perf_counter() - started:.0f} s", flush=True)
    engine.close()
    url = server.database()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", "migrate", "--to", url, "--data-dir", str(data)], check=True)
    migrated = time.perf_counter() - started
    print(f"migrated in {migrated:.0f} s", flush=True)
    every = jsonl(CORPORA / "xquad_en" / "qa.jsonl")
    step = max(2, 1190 // args.questions)
    questions, held_out = every[::step], every[step // 2 :: step]
    engines = {"embedded (SQLite, FAISS, bm25s)": None, "PostgreSQL (pgvector, BM25 in SQL)": url}
    rows = {name: search_rows(data, db, questions, held_out) for name, db in engines.items()}
    for name, row in rows.items():
        print(name, row, flush=True)
    ingest = ingest_rows(folder, url, args.articles)
    answers = answer_rows(data, url, [q["question"] for q in questions][:60])
    return {"chunks": args.chunks, "migrate_s": migrated, "search": rows, "ingest": ingest, "answers": answers}


def fill(library: Library, total: int) -> None:
    """Filler articles up to `total` chunks: XQuAD's words in their frequencies, vectors near a real chunk's."""
    rng = np.random.default_rng(0)
    texts = library.store.texts("chunks")
    words = np.array(" ".join(texts.texts).split())
    dim = library.dim
    assert dim is not None
    real = np.vstack([b.vectors for b in library.store.iter_vectors(dim)])
    missing, n = total - len(library), 0
    with library.writing():
        library.indexes.track_changes()
        while missing > 0:
            batch = min(missing, 20_000)
            vectors = real[rng.integers(0, len(real), batch)] + rng.normal(0, 0.045, (batch, dim)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            with library.store.transaction() as db:
                for start in range(0, batch, FILLER_CHUNKS):
                    chunks = [filler_chunk(words, rng, seq) for seq in range(min(FILLER_CHUNKS, batch - start))]
                    text = "\n".join(c.text for c in chunks)
                    article = Article(id=f"filler-{n}", title=f"Filler {n}", source="Filler", text=text)
                    library.store.insert_article(db, article, chunks, vectors[start : start + len(chunks)])
                    n += 1
            missing -= batch
        library.rebuild()


def filler_chunk(words: np.ndarray, rng: np.random.Generator, seq: int) -> Chunk:
    text = " ".join(words[rng.integers(0, len(words), 150)])
    return Chunk(article_id="", seq=seq, start=0, end=len(text), text=text, tokens=180)


def search_rows(data: Path, url: str | None, questions: list[dict], held_out: list[dict]) -> dict:
    library = build_engine(Settings(data_dir=data, database_url=url)).library
    vectors = library.query_embedder.encode([q["question"] for q in questions])
    exact = exact_index(library)
    rows: dict = {}
    for mode in ("dense", "hybrid"):
        times, found = [], 0
        for q, vector in zip(questions, vectors, strict=True):
            start = time.perf_counter()
            ranked = library.search("chunks", q["question"], 10, mode=mode, vector=vector)
            times.append(1000 * (time.perf_counter() - start))
            if mode == "hybrid":
                chunks = library.store.chunks(s.id for s in ranked[:5])
                found += any(holds(c, q) for c in chunks.values())
            else:
                truth = set(exact.search(vector.reshape(1, -1), 10)[1][0].tolist())
                found += len(truth & {s.id for s in ranked})
        ms = percentiles(times, (50, 95))
        rows[mode] = {"p50_ms": ms["p50"], "p95_ms": ms["p95"]}
        key = "xquad_recall@5" if mode == "hybrid" else "recall@10_vs_exact"
        rows[mode][key] = found / len(questions) / (1 if mode == "hybrid" else 10)
    if url is not None:
        rows["dense by ef_search"] = ef_sweep(library, questions, vectors, exact)
    rows["held-out questions"] = on_questions(library, held_out, exact, tune=url is not None)
    library.close()
    return rows


def ef_sweep(library: Library, questions: list[dict], vectors: np.ndarray, exact: faiss.IndexIDMap2) -> dict:
    """PostgreSQL's dense recall@10 and p50 at other ef_search values than the tuned one."""
    rows = {}
    for ef in (200, 400, 1000):
        with library.store.state() as db:
            db.execute("UPDATE meta SET value = ? WHERE key = 'ef_search:chunks'", (f"{ef} {len(library)}",))
        times, found = [], 0
        for q, vector in zip(questions, vectors, strict=True):
            start = time.perf_counter()
            ranked = library.search("chunks", q["question"], 10, mode="dense", vector=vector)
            times.append(1000 * (time.perf_counter() - start))
            found += len(set(exact.search(vector.reshape(1, -1), 10)[1][0].tolist()) & {s.id for s in ranked})
        rows[ef] = {"recall@10_vs_exact": found / len(questions) / 10, "p50_ms": percentiles(times, (50,))["p50"]}
    return rows


def on_questions(library: Library, held_out: list[dict], exact: faiss.IndexIDMap2, tune: bool) -> dict:
    """Dense recall@10 and XQuAD recall@5 on other questions (`tune`: after PostgreSQL's ef_search is tuned on the
    vectors of the questions just asked)."""
    ef = library.indexes.tune()["chunks"] if tune else None  # type: ignore[attr-defined]
    vectors = library.query_embedder.encode([q["question"] for q in held_out])
    found = gold = 0
    times = []
    for q, vector in zip(held_out, vectors, strict=True):
        start = time.perf_counter()
        ranked = library.search("chunks", q["question"], 10, mode="dense", vector=vector)
        times.append(1000 * (time.perf_counter() - start))
        found += len(set(exact.search(vector.reshape(1, -1), 10)[1][0].tolist()) & {s.id for s in ranked})
        hybrid = library.search("chunks", q["question"], 5, mode="hybrid", vector=vector)
        gold += any(holds(c, q) for c in library.store.chunks(s.id for s in hybrid).values())
    return {
        "ef_search": ef,
        "recall@10_vs_exact": found / len(held_out) / 10,
        "dense_p50_ms": percentiles(times, (50,))["p50"],
        "xquad_recall@5": gold / len(held_out),
    }


def exact_index(library: Library) -> faiss.IndexIDMap2:
    dim = library.dim
    assert dim is not None
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    for batch in library.store.iter_vectors(dim):
        index.add_with_ids(np.ascontiguousarray(batch.vectors), batch.ids)
    return index


def holds(chunk: Chunk, q: dict) -> bool:
    return chunk.article_id == q["article_id"] and q["answer"].lower() in chunk.text.lower()


def ingest_rows(folder: Path, url: str, count: int) -> dict:
    """Articles/s read from local pages: in process (embedded store), and through jobs with 1 and 2 workers."""
    stories = [Story(n, *PEOPLE[n % len(PEOPLE)]) for n in range(count * 3)]
    routes = {s.path: (200, HTML, s.page(), 0.0) for s in stories}
    env = {**os.environ, "WHOSAID_FETCH_ALLOW_LOOPBACK": "true", "WHOSAID_FETCH_PORTS": "[]"}
    rows = {}
    with serve(routes) as base:
        links = [base + s.path for s in stories]
        local = Settings(data_dir=folder / "ingest", fetch_allow_loopback=True, fetch_ports=[])
        engine = build_engine(local)
        engine.ingest([links[0]])  # models loaded
        start = time.perf_counter()
        engine.ingest(links[1:count])
        rows["in process, embedded"] = (count - 1) / (time.perf_counter() - start)
        engine.close()
        for workers, part in ((1, links[count : 2 * count]), (2, links[2 * count :])):
            rows[f"{workers} worker(s), PostgreSQL"] = through_jobs(folder, url, env, part, workers)
    return rows


def through_jobs(folder: Path, url: str, env: dict, links: list[str], workers: int) -> float:
    engine = build_engine(Settings(data_dir=folder / "jobs", database_url=url))
    jobs = engine.library.jobs
    assert jobs is not None
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "worker"],
            env={**env, "WHOSAID_DATA_DIR": str(folder / f"worker-{n}"), "WHOSAID_DATABASE_URL": url},
            cwd=ROOT,
            stderr=subprocess.DEVNULL,
        )
        for n in range(workers)
    ]
    while jobs.workers() < workers:  # they load their models first
        time.sleep(0.5)
    done_before = jobs.counts().get("succeeded", 0)
    start = time.perf_counter()
    jobs.enqueue_links(links, "shared", None)
    while jobs.counts().get("succeeded", 0) < done_before + len(links):
        time.sleep(0.2)
    elapsed = time.perf_counter() - start
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    engine.close()
    return len(links) / elapsed


def answer_rows(data: Path, url: str, questions: list[str]) -> dict:
    """Questions/s answered by 1 and 2 processes sharing the PostgreSQL store (each its own engine, warmed)."""
    context = multiprocessing.get_context("spawn")
    rows = {}
    for processes in (1, 2):
        barrier = context.Barrier(processes + 1)
        queue = context.Queue()
        shares = [questions[n::processes] for n in range(processes)]
        procs = [context.Process(target=answer, args=(data, url, s, barrier, queue)) for s in shares]
        for proc in procs:
            proc.start()
        barrier.wait()
        start = time.perf_counter()
        for _ in procs:
            queue.get()
        rows[f"{processes} process(es)"] = len(questions) / (time.perf_counter() - start)
        for proc in procs:
            proc.join()
    return rows


def answer(data: Path, url: str, questions: list[str], barrier, queue) -> None:  # type: ignore[no-untyped-def]
    engine = build_engine(Settings(data_dir=data, database_url=url))
    engine.warm()
    engine.ask("warm up")
    barrier.wait()
    for question in questions:
        engine.ask(question)
    queue.put(len(questions))


if __name__ == "__main__":
    main()

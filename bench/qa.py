"""Answer-quality harness: retrieval recall@1/5/10 of the supporting passage, a gold answer in the first three
citations, short answers (SQuAD exact match and token F1, with the share of questions given one), refusal
precision/recall on unanswerable questions, latency; dense vs BM25 vs hybrid, and txtai as a peer. `--parts own`:
our own questions (`bench/own.py`). `--parts speed`: whole answers through `whosaid ask` in stdin mode against raw
sentence-transformers encoding of the same questions. `--stores DIR` keeps the built stores there for the next run.

    python -m bench.qa [--quick] [--parts xquad polnear own speed] [--stores DIR] [--precision auto|float32|bfloat16]
"""

from __future__ import annotations

import argparse
import json
import re
import string
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.answer_speed import speed_rows
from bench.common import CORPORA, DATA, RESULTS, jsonl, lines, percentiles, save
from bench.own import own_rows
from bot.engine import Engine, build_engine
from bot.settings import Settings
from index.embed.onnx import OnnxEmbedder, onnx_dir, quantize_onnx
from index.embed.transformer import SentenceTransformerEmbedder, resolve_model_path
from index.models import Article

KS = (1, 5, 10)
SEED = "putin-donbas-newsx.jsonl"


def supports(hit, q: dict) -> bool:
    c = hit.chunk
    return (
        hit.article.id == q["article_id"]
        and c.start < q["evidence_end"]
        and q["evidence_start"] < c.end
        and c.start <= q["answer_start"] < c.end
    )


def run_questions(engine: Engine, answerable: list[dict], unanswerable: list[str], mode: str, gold_in_answer) -> dict:
    engine.settings.retrieval.mode = mode
    found = dict.fromkeys(KS, 0)
    correct = answered = cited = 0
    shorts: list[tuple[float, float]] = []
    latencies = []
    for q in answerable:
        hits = engine.library.passages(q["question"], max(KS), mode=mode)
        for k in KS:
            found[k] += any(supports(h, q) for h in hits[:k])
        start = time.perf_counter()
        answer = engine.ask(q["question"])
        latencies.append((time.perf_counter() - start) * 1000)
        answered += answer.found
        correct += answer.found and gold_in_answer(answer, q)
        cited += gold_cited(answer, q)
        if answer.short and "answers" in q:
            shorts.append(short_scores(answer.short, [a["text"] for a in q["answers"]]))
    refused = sum(not engine.ask(u).found for u in unanswerable)
    n = len(answerable)
    refused_answerable = n - answered
    return {
        **{f"recall@{k}": found[k] / n for k in KS},
        "answer_accuracy": correct / n,
        "gold_in_first_3_citations": cited / n,
        "short_answers": {
            "share": len(shorts) / n,
            "exact_match": sum(e for e, _ in shorts) / len(shorts) if shorts else None,
            "f1": sum(f for _, f in shorts) / len(shorts) if shorts else None,
        },
        "answered_answerable": answered / n,
        "refusal_recall": refused / len(unanswerable) if unanswerable else None,
        "refusal_precision": refused / (refused + refused_answerable) if refused + refused_answerable else None,
        "latency_ms": percentiles(latencies, (50, 95)),
        "questions": n,
        "unanswerable": len(unanswerable),
    }


def gold_cited(answer, q: dict) -> bool:
    """A gold answer is inside one of the answer's first three cited passages (found or not)."""
    golds = {a["text"].lower() for a in q.get("answers", [])} | {q["answer"].lower()}
    cited = " ".join(c.text for c in answer.citations[:3]).lower()
    return any(g in cited for g in golds)


def _normalise(text: str) -> list[str]:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles."""
    text = "".join(ch for ch in text.lower() if ch not in string.punctuation)
    return re.sub(r"\b(a|an|the)\b", " ", text).split()


def short_scores(short: str, golds: list[str]) -> tuple[float, float]:
    """SQuAD exact match and token F1 of a short answer, the best over the gold answers."""
    best_em = best_f1 = 0.0
    for gold in golds:
        p, g = _normalise(short), _normalise(gold)
        best_em = max(best_em, float(p == g))
        common = sum((Counter(p) & Counter(g)).values())
        if common:
            precision, recall = common / len(p), common / len(g)
            best_f1 = max(best_f1, 2 * precision * recall / (precision + recall))
    return best_em, best_f1


def xquad_gold(answer, q: dict) -> bool:
    return q["answer"].lower() in (answer.answer + " " + " ".join(c.text for c in answer.citations)).lower()


HONORIFICS = re.compile(r"\b(mr|mrs|ms|dr|rep|sen|rev|gov|gen|democratic|republican|president|former)\.?\s+", re.I)


def speaker_named(answer, q: dict) -> bool:
    """The gold speaker's surname (honorifics and "(D-Mo.)" removed) is in the part of the answer that names
    the speaker: "Lamar Alexander said: …" names gold "Mr. Alexander"."""
    said = re.split(r"\b(said|claimed|argued|warned|insisted|reiterated|noted|added)\b", answer.answer)[0].lower()
    for alias in q["answer_aliases"] + [q["answer"]]:
        words = re.sub(r"\(.*?\)", "", HONORIFICS.sub("", alias)).split()
        if words and words[-1].strip(",.").lower() in said:
            return True
    return False


def txtai_recall(engine: Engine, questions: list[dict]) -> dict:
    """txtai with the same model and FAISS over the very same chunks: recall@k and search latency."""
    from txtai import Embeddings

    rows = engine.library.store._query("SELECT id, text FROM chunks ORDER BY id")
    embeddings = Embeddings(path=resolve_model_path(engine.settings.store.model), backend="faiss", content=False)
    embeddings.index([(row_id, text, None) for row_id, text in rows])
    chunks = engine.library.store.chunks(r[0] for r in rows)
    found = dict.fromkeys(KS, 0)
    latencies = []
    for q in questions:
        start = time.perf_counter()
        result = embeddings.search(q["question"], max(KS))
        latencies.append((time.perf_counter() - start) * 1000)
        ids = [int(r[0]) for r in result]
        for k in KS:
            found[k] += any(
                chunks[i].article_id == q["article_id"] and chunks[i].start <= q["answer_start"] < chunks[i].end
                for i in ids[:k]
            )
    n = len(questions)
    return {**{f"recall@{k}": found[k] / n for k in KS}, "search_latency_ms": percentiles(latencies, (50, 95))}


def onnx_rows(engine: Engine, questions: list[dict], unanswerable: list[str]) -> dict:
    """The same questions embedded by the ONNX export (the default query path) and by its int8 copy (opt-in)."""
    folder = onnx_dir(engine.settings.store.data_dir, engine.settings.store.model)
    quantize_onnx(folder)
    rows = {}
    for label, int8 in (("onnx", False), ("onnx int8", True)):
        query = OnnxEmbedder(folder, int8=int8)
        fast = build_engine(engine.settings, embedder=engine.embedder, query_embedder=query)
        for mode in ("dense", "hybrid"):
            rows[f"{mode}, {label} queries"] = run_questions(fast, questions, unanswerable, mode, xquad_gold)
            print("xquad", mode, label, rows[f"{mode}, {label} queries"], flush=True)
        latencies = []
        for q in questions[:300]:
            start = time.perf_counter()
            query.encode([q["question"]])
            latencies.append((time.perf_counter() - start) * 1000)
        rows[f"{label} query embedding"] = {"latency_ms": percentiles(latencies, (50, 95))}
        fast.close()
    return rows


def xquad_engine(embedder: SentenceTransformerEmbedder, data: Path) -> Engine:
    """The XQuAD articles and the seed article in one store (built on first use)."""
    engine = build_engine(Settings(data_dir=data), embedder=embedder)
    if engine.library.store.empty():
        engine.ingest([str(CORPORA / "xquad_en" / "articles.jsonl"), str(CORPORA / "seed" / SEED)])
    return engine


def xquad_rows(embedder: SentenceTransformerEmbedder, data: Path, step: int) -> dict:
    rows = {}
    engine = xquad_engine(embedder, data)
    questions = jsonl(CORPORA / "xquad_en" / "qa.jsonl")[::step]
    unanswerable = lines(DATA / "unanswerable_xquad.txt")
    for mode in ("dense", "bm25", "hybrid"):
        rows[mode] = run_questions(engine, questions, unanswerable, mode, xquad_gold)
        print("xquad", mode, rows[mode], flush=True)
    rows["txtai"] = txtai_recall(engine, questions)
    print("xquad txtai", rows["txtai"], flush=True)
    rows.update(onnx_rows(engine, questions, unanswerable))
    engine.close()
    return rows


def polnear_engine(embedder: SentenceTransformerEmbedder, data: Path) -> Engine:
    """The PolNeAR dev articles in one store (built on first use)."""
    engine = build_engine(Settings(data_dir=data), embedder=embedder)
    if engine.library.store.empty():
        dev = [a for a in jsonl(CORPORA / "polnear" / "articles.jsonl") if a["split"] == "dev"]
        engine.library.ingest(Article.model_validate(a) for a in dev)
    return engine


def polnear_rows(embedder: SentenceTransformerEmbedder, data: Path, step: int) -> dict:
    engine = polnear_engine(embedder, data)
    who = [q for q in jsonl(CORPORA / "polnear" / "qa_who_said.jsonl") if q["split"] == "dev"][::step]
    unanswerable = lines(DATA / "unanswerable_polnear.txt")
    rows = {"hybrid": run_questions(engine, who, unanswerable, "hybrid", speaker_named)}
    print("polnear who-said", rows["hybrid"], flush=True)
    engine.settings.quotes.min_confidence = 0.0
    rows["hybrid, every attribution"] = run_questions(engine, who, unanswerable, "hybrid", speaker_named)
    print("polnear who-said, every attribution", rows["hybrid, every attribution"], flush=True)
    engine.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="every 5th question only")
    parser.add_argument("--parts", nargs="*", default=["xquad", "polnear", "own"], help="xquad, polnear, own, speed")
    parser.add_argument(
        "--precision",
        default=Settings().store.encode_precision,
        help="ingest encoding: auto (the default), float32, bfloat16",
    )
    parser.add_argument("--stores", type=Path, help="build the stores here (and reuse them) instead of a temp dir")
    args = parser.parse_args()
    step = 5 if args.quick else 1
    embedder = SentenceTransformerEmbedder(precision=args.precision)
    suffix = "" if embedder.precision == "float32" else f"_{embedder.precision}"
    previous = RESULTS / "qa.json"
    result: dict = json.loads(previous.read_text()) if previous.exists() else {}
    result.pop("machine", None)
    with tempfile.TemporaryDirectory() as scratch:
        stores = args.stores or Path(scratch)
        if "xquad" in args.parts:
            result["xquad" + suffix] = xquad_rows(embedder, stores / "xquad", step)
        if "polnear" in args.parts:
            result["polnear_who_said" + suffix] = polnear_rows(embedder, stores / "polnear", step)
        if "own" in args.parts:
            engines = {"seed": xquad_engine(embedder, stores / "xquad")}
            engines["polnear_dev"] = polnear_engine(embedder, stores / "polnear")
            result["own_questions"] = own_rows(engines)
            print("own questions", {k: v for k, v in result["own_questions"].items() if k != "misses"}, flush=True)
            for engine in engines.values():
                engine.close()
        if "speed" in args.parts:
            xquad_engine(embedder, stores / "xquad").close()
            questions = [q["question"] for q in jsonl(CORPORA / "xquad_en" / "qa.jsonl")][:: 4 * step]
            result["answer_speed"] = speed_rows(embedder, stores / "xquad", questions)
            print("answer speed", result["answer_speed"]["all"], flush=True)
    save("qa", result)


if __name__ == "__main__":
    main()

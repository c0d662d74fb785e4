"""BM25 quality on PostgreSQL (issue 32): PostgreSQL's own ranking (`ts_rank_cd`, which has no IDF) and whosaid's
BM25 in SQL (term statistics kept in the ingest transaction) against bm25s, the embedded engine's, on XQuAD's
1,190 human-written questions over the same chunks. Recall@k: a chunk of the question's article holding its
answer is among the first k. Needs a PostgreSQL server: `WHOSAID_TEST_DATABASE_URL`, else the embedded one.

    python -m bench.pg_lexical
"""

from __future__ import annotations

import json
import re
import statistics
import tempfile
import time
from pathlib import Path

from index.library import Library
from index.models import Article
from index.read.readers import read_jsonl
from index.search.lexical import LexicalIndex
from tests.fakes import HashEmbedder
from tests.postgres import Server

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "xquad_en"
KS = (1, 5, 10)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="pg-lexical-"))
    server = Server(folder / "postgres")
    url = server.database()
    library = Library(folder / "data", "fake/hash-embedder", HashEmbedder(), database_url=url)
    articles = [json.loads(line) for line in (CORPUS / "articles.jsonl").open()]
    path = CORPUS / "articles.jsonl"
    library.ingest(a for a in read_jsonl(path.read_bytes(), str(path)) if isinstance(a, Article))
    questions = [json.loads(line) for line in (CORPUS / "qa.jsonl").open()]
    texts = library.store.texts("chunks")
    chunks = library.store.chunks(texts.ids.tolist())
    reference = LexicalIndex.build(texts.ids, texts.texts)
    rankers = {
        "bm25s (embedded engine)": lambda q: [s.id for s in reference.search(q, max(KS))],
        "PostgreSQL BM25 in SQL": lambda q: [s.id for s in library.search("chunks", q, max(KS), mode="bm25")],
        "PostgreSQL ts_rank_cd": lambda q: ts_rank_cd(library, q),
    }
    rows = {name: run(ranker, questions, chunks) for name, ranker in rankers.items()}
    base = rows["bm25s (embedded engine)"]
    print(f"XQuAD: {len(questions)} questions, {len(texts.ids)} chunks of {len(articles)} articles")
    print("| ranking | " + " | ".join(f"recall@{k}" for k in KS) + " | p50 ms | recall@5 vs bm25s |")
    print("| --- |" + " --- |" * (len(KS) + 2))
    for name, row in rows.items():
        recalls = " | ".join(f"{row[k]:.3f}" for k in KS)
        print(f"| {name} | {recalls} | {row['p50']:.2f} | {row[5] / base[5]:.3f}x |")
    server.drop(url)


def run(ranker, questions: list[dict], chunks: dict) -> dict:
    hits = {k: 0 for k in KS}
    times = []
    for q in questions:
        start = time.perf_counter()
        found = ranker(q["question"])
        times.append(time.perf_counter() - start)
        gold = [n for n, i in enumerate(found) if i in chunks and holds(chunks[i], q)]
        for k in KS:
            hits[k] += bool(gold and gold[0] < k)
    return {**{k: hits[k] / len(questions) for k in KS}, "p50": 1000 * statistics.median(times)}


def holds(chunk, q: dict) -> bool:
    return chunk.article_id == q["article_id"] and q["answer"].lower() in chunk.text.lower()


def ts_rank_cd(library: Library, question: str) -> list[int]:
    """PostgreSQL's full text as it comes: the english configuration, the question's words OR'd, ts_rank_cd."""
    words = " | ".join(re.findall(r"\w+", question.lower())) or "nothing"
    rows = library.store.read(
        "SELECT id FROM chunks, to_tsquery('english', %s) q WHERE to_tsvector('english', text) @@ q "
        "ORDER BY ts_rank_cd(to_tsvector('english', text), q) DESC, id LIMIT %s",
        [words, max(KS)],
    )
    return [r[0] for r in rows]


if __name__ == "__main__":
    main()

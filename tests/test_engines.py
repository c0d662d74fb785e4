"""The contract both engines keep (issue 32): the embedded one (SQLite, FAISS, bm25s) and PostgreSQL (pgvector,
BM25 in SQL) store the same, search the same and fail the same way. Every test runs on both, on a real
PostgreSQL server (`tests/postgres.py`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.library import Library
from index.models import Article, Scope
from index.search import pg_tuning
from index.search.lexical import LexicalIndex, rrf
from tests.fakes import HashEmbedder, extractor

TOPICS = ["bridge cables river", "strike union pay", "harvest rain grain", "election ballot count", "comet orbit sky"]


def articles(n: int = 40) -> list[Article]:
    """Articles of five topics, three sentences each, with a speaker quoted in each; of different lengths, so that
    no two score the same for a topic's words."""
    people = ["Helena Marsh", "Tomas Okafor", "Priya Desai", "Hana Sato"]
    found = []
    for i in range(n):
        words = TOPICS[i % len(TOPICS)].split()
        who = people[i % len(people)]
        text = (
            f"Report {i} on the {words[0]}. “The {words[1]} will matter in week {i},” {who} said on Monday. "
            f"Officials counted {i * 7} {words[2]} notes and more {words[0]} news. {' '.join(['Update.'] * (i % 9))}"
        )
        found.append(
            Article(
                id=f"a{i:03d}",
                title=f"{words[0].title()} {i}",
                source=["Courier", "Ledger"][i % 2],
                published=f"2026-03-{1 + i % 28:02d}",
                text=text,
            )
        )
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_url(request) -> str | None:
    return request.getfixturevalue("database_url") if request.param == "postgresql" else None


def library(folder: Path, url: str | None, ann_min: int = 50_000) -> Library:
    return Library(
        folder, "fake/hash-embedder", HashEmbedder(), 40, 0, quotes=extractor, database_url=url, ann_min=ann_min
    )


def test_same_ingest_counts(isolated: Path, database_url: str):
    embedded, shared = library(isolated / "e", None), library(isolated / "p", database_url)
    given = articles(20)
    first, second = embedded.ingest(given), shared.ingest(given)
    assert [(r.status, r.chunks, r.quotes) for r in first] == [(r.status, r.chunks, r.quotes) for r in second]
    for table in ("chunks", "quotes"):
        assert embedded.store.count(table) == shared.store.count(table) > 0
    assert [r.status for r in shared.ingest(given)] == ["unchanged"] * 20
    assert embedded.quotes() == shared.quotes()


def test_fault_mid_article_leaves_nothing(isolated: Path, engine_url, monkeypatch: pytest.MonkeyPatch):
    lib = library(isolated, engine_url)
    lib.ingest(articles(2))
    store = type(lib.store)
    real = store.insert_quotes

    def failing(db, quotes, vectors, contexts):  # the second article's quotes fail after its chunks are written
        real(db, quotes, vectors, contexts)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "insert_quotes", staticmethod(failing))
    with pytest.raises(RuntimeError):
        lib.ingest(articles(4)[2:3])
    monkeypatch.setattr(store, "insert_quotes", staticmethod(real))
    assert lib.article("a002") is None and lib.article_ids() == ["a001", "a000"]
    assert lib.passages("Report 2 harvest", 10, Scope(articles=("a002",))) == []
    assert [r.status for r in lib.ingest(articles(4)[2:3])] == ["added"], "the store is usable after the fault"


def test_exact_search_equals_flat(isolated: Path, database_url: str):
    """The same top 10 with the same cosines (rows of equal score may come in either order)."""
    embedded, shared = library(isolated / "e", None), library(isolated / "p", database_url)
    for lib in (embedded, shared):
        lib.ingest(articles(40))
    for question in ["bridge cables in week 3", "union pay strike", "grain notes counted"]:
        ours, theirs = (
            {(h.article.id, h.chunk.seq): h.score for h in top(lib, question)} for lib in (embedded, shared)
        )
        assert np.allclose(sorted(ours.values()), sorted(theirs.values()), atol=1e-5)
        last = min(ours.values())
        assert {k for k, v in ours.items() if v > last + 1e-5} <= set(theirs)


def top(lib: Library, question: str) -> list:
    return lib.passages(question, 10, mode="dense")


def test_bm25_scores_as_bm25s_does(isolated: Path, database_url: str):
    shared = library(isolated, database_url)
    shared.ingest(articles(40))
    texts = shared.store.texts("chunks")
    reference = LexicalIndex.build(texts.ids, texts.texts)
    for question in ["bridge cables week", "Priya Desai harvest", "ballot count notes 21"]:
        scores = {s.id: s.score for s in reference.search(question, len(texts.ids))}
        expected = [s.score for s in reference.search(question, 10)]
        found = [scores.get(s.id, 0.0) for s in shared.search("chunks", question, 10, mode="bm25")]
        assert np.allclose(found, expected, rtol=1e-4), "the same scores, best first (equal ones in either order)"


def test_hybrid_is_rrf_over_the_two_legs(isolated: Path, engine_url):
    lib = library(isolated, engine_url)
    lib.ingest(articles(40))
    for question in ["bridge cables week 12", "union strike pay", "comet orbit notes"]:
        dense = [s.id for s in lib.search("chunks", question, 15, mode="dense")]
        lexical = [s.id for s in lib.search("chunks", question, 15, mode="bm25")]
        assert [s.id for s in lib.search("chunks", question, 5, mode="hybrid")] == [
            s.id for s in rrf([dense, lexical])
        ][:5]


@pytest.mark.parametrize("ann_min", [50_000, 100])
def test_scoped_searches_return_k_rows_in_scope(isolated: Path, engine_url, ann_min: int):
    lib = library(isolated, engine_url, ann_min)
    given = articles(200)
    lib.ingest(given[::2])
    lib.ingest(given[1::2], collection="chat:7")
    scopes = {
        "collection": Scope(collections=("chat:7",)),
        "article": Scope(articles=tuple(sorted(lib.article_ids())[:30])),
        "outlet": Scope(source="courier"),
        "date": Scope(since="2026-03-20"),
        "speaker": Scope(speakers=("hana sato",)),
    }
    for name, scope in scopes.items():
        for mode in ("dense", "hybrid"):
            hits = lib.quote_hits("the harvest will matter", 8, scope, mode) if name == "speaker" else None
            if hits is not None:
                assert len(hits) == 8 and {h.quote.speaker for h in hits} == {"Hana Sato"}, (name, mode)
                continue
            found = lib.passages("bridge cables river report", 8, scope, mode)
            assert len(found) == 8, (name, mode)
            allowed = set(lib.article_ids(scope))
            assert all(h.article.id in allowed for h in found), (name, mode)


def test_removed_article_is_gone_at_once(isolated: Path, engine_url):
    lib = library(isolated, engine_url)
    lib.ingest(articles(10))
    assert lib.remove("a003")
    assert "a003" not in {h.article.id for h in lib.passages("Report 3 election ballot", 10)}
    assert "a003" not in {h.article.id for h in lib.passages("Report 3 election ballot", 10, mode="bm25")}
    assert lib.article("a003") is None and not lib.remove("a003")


def test_a_second_process_sees_the_writers_article(isolated: Path, engine_url):
    lib = library(isolated, engine_url)
    lib.ingest(articles(3))
    reader = (
        "import sys; from pathlib import Path; from tests.test_engines import library; "
        "lib = library(Path(sys.argv[1]), sys.argv[2] or None); "
        "print(','.join(h.article.id for h in lib.passages('Report 2 harvest grain', 1)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", reader, str(isolated), engine_url or ""],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parent.parent,
    )
    assert run.stdout.strip() == "a002", run.stderr[-2000:]


def test_hnsw_recall_against_faiss(isolated: Path, database_url: str):
    """20k clustered vectors: pgvector's HNSW, its ef_search tuned on the data, finds at least 98% of FAISS's exact
    top 10."""
    import faiss

    from index.search.pg import PgSearch
    from index.search.tables import AnnPolicy
    from index.store.postgres.store import PgStore

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(200, 64)).astype(np.float32)
    vectors = centres[rng.integers(0, 200, 20_000)] + 0.35 * rng.normal(size=(20_000, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = PgStore(database_url)
    search = PgSearch(store, "random", AnnPolicy(min_vectors=1000))
    search.adopt("random", 64)
    bulk_vectors(store, vectors)
    assert search.tune()["chunks"] in pg_tuning.EFS, "ef_search tuned to the data"
    exact = faiss.IndexFlatIP(64)
    exact.add(vectors)
    queries = vectors[rng.integers(0, 20_000, 100)] + 0.1 * rng.normal(size=(100, 64)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    _, truth = exact.search(queries, 10)
    for query in queries:  # questions asked, then the tuning done on them
        search.search("chunks", "", query, 10, Scope(), "dense")
    search.commit()
    found = 0
    for query, want in zip(queries, truth, strict=True):
        got = {s.id - 1 for s in search.search("chunks", "", query, 10, Scope(), "dense")}
        found += len(got & set(want.tolist()))
    assert found / 1000 >= 0.98
    assert pg_tuning.tuned(store, "chunks")[2] == "questions", "tuned again on the questions searched"


def test_ef_search_is_tuned_on_the_questions_once_they_come(isolated: Path, database_url: str):
    from index.search.pg import PgSearch
    from index.search.tables import AnnPolicy
    from index.store.postgres.store import PgStore

    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(3000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = PgStore(database_url)
    search = PgSearch(store, "random", AnnPolicy(min_vectors=1000))
    search.adopt("random", 16)
    bulk_vectors(store, vectors)
    search.commit()
    assert pg_tuning.tuned(store, "chunks")[2] == "drawn", "no question yet: probes drawn from the vectors"
    for query in vectors[:150]:
        search.search("chunks", "", query, 10, Scope(), "dense")
    assert pg_tuning.due(store, "chunks", 3000)
    search.commit()
    assert pg_tuning.tuned(store, "chunks")[2] == "questions"


def bulk_vectors(store, vectors: np.ndarray) -> None:
    """Rows of one article with these vectors (ids 1…n), written with COPY, counted as the ingest counts them."""
    with store.transaction() as db:
        db.sql("INSERT INTO articles(id, title, text, digest) VALUES ('bulk', 'Bulk', 'x', 'x')")
        with db.connection.cursor().copy(
            'COPY chunks(article_id, seq, start, "end", text, tokens, vector, length) FROM STDIN'
        ) as copy:
            for n, vector in enumerate(vectors):
                copy.write_row(("bulk", n, 0, 1, "x", 1, "[" + ",".join(f"{x:.7g}" for x in vector) + "]", 0))
        db.sql("UPDATE lexicon_totals SET rows = rows + %s WHERE tbl = 'chunks'", (len(vectors),))

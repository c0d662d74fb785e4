"""The approximate (IVF) index: recall against exact search, scoped search, deletions, persistence, and the
library switching to it past a size without blocking queries."""

import itertools
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from index.library import Library
from index.models import Article, Scope
from index.search.vectors import FlatIndex, IVFIndex, cells, load_index
from tests.fakes import HashEmbedder


def clustered(n: int, dim: int = 64, clusters: int = 40, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    vectors = centres[rng.integers(0, clusters, n)] + 0.6 * rng.normal(size=(n, dim))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def recall_at_10(approx: IVFIndex, exact: FlatIndex, queries: np.ndarray) -> float:
    _, want = exact.search(queries, 10)
    _, got = approx.search(queries, 10)
    return float(np.mean([len(set(w) & set(g)) / 10 for w, g in zip(want, got, strict=True)]))


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    vectors = clustered(6200)
    ids = np.arange(1000, 7000, dtype=np.int64)
    return ids, vectors[:6000], vectors[6000:]


def test_ivf_reaches_the_recall_it_was_tuned_for(data):
    ids, vectors, queries = data
    exact = FlatIndex(64)
    exact.add(ids, vectors)
    approx = IVFIndex.build(ids, vectors, recall=0.98)
    assert approx.index.nlist > 1 and approx.index.nprobe < approx.index.nlist
    assert recall_at_10(approx, exact, queries) >= 0.98
    assert len(approx) == len(ids) and sorted(approx.ids().tolist()) == ids.tolist()


def test_ivf_scoped_search_is_exact(data):
    ids, vectors, queries = data
    exact = FlatIndex(64)
    exact.add(ids, vectors)
    approx = IVFIndex.build(ids, vectors)
    only = ids[::97]
    want_scores, want = exact.search(queries[:20], 5, only)
    got_scores, got = approx.search(queries[:20], 5, only)
    assert (want == got).all()
    assert np.allclose(want_scores, got_scores, atol=1e-5)


def test_ivf_deletions_and_additions_after_training(data):
    ids, vectors, queries = data
    approx = IVFIndex.build(ids, vectors)
    gone = ids[:3000]
    assert approx.remove(gone) == 3000
    _, found = approx.search(queries, 10)
    assert not set(found.ravel().tolist()) & set(gone.tolist())
    approx.add(np.array([99_999]), vectors[:1])
    scores, found = approx.search(vectors[:1], 1)
    assert found[0, 0] == 99_999 and scores[0, 0] == pytest.approx(1.0, abs=1e-5)
    assert approx.vectors([99_999, 1000])[0] == [99_999]


def test_ivf_survives_save_and_load(data, tmp_path: Path):
    ids, vectors, queries = data
    approx = IVFIndex.build(ids, vectors)
    approx.save(tmp_path / "v.faiss")
    loaded = load_index(tmp_path / "v.faiss")
    assert isinstance(loaded, IVFIndex) and loaded.index.nprobe == approx.index.nprobe
    assert (loaded.search(queries, 10)[1] == approx.search(queries, 10)[1]).all()
    assert loaded.vectors([int(ids[5])])[0] == [int(ids[5])]  # the id -> vector map came back too
    assert loaded.remove(ids[:10]) == 10
    assert 64 * 4 + 8 < loaded.memory_bytes() / len(loaded) < 400  # floats, id, hash entry, share of centroids


def articles(n: int, prefix: str = "a") -> list[Article]:
    topics = ["river flood", "bridge cables", "water strike", "comet orbit", "court ruling", "grain prices"]
    return [
        Article(
            id=f"{prefix}{i}",
            title=f"Report {i}",
            text=f"Report {i} on the {topics[i % 6]}. "
            + " ".join(f"Officials in district {i} discussed the {topics[(i + j) % 6]} on day {j}." for j in range(6)),
        )
        for i in range(n)
    ]


def library(path: Path, ann_min: int = 300) -> Library:
    return Library(path, "fake/hash-embedder", HashEmbedder(), chunk_tokens=40, chunk_overlap=0, ann_min=ann_min)


def test_library_switches_to_ivf_past_the_size_and_back(isolated: Path):
    lib = library(isolated)
    lib.ingest(articles(20))
    assert isinstance(lib.indexes.tables["chunks"].vectors, FlatIndex)
    lib.ingest(articles(200, prefix="b"))
    assert len(lib) >= 300 and isinstance(lib.indexes.tables["chunks"].vectors, IVFIndex)
    chunk_id = int(lib.store.row_ids("chunks", Scope(articles=("b42",)))[1])
    text = lib.store.chunks([chunk_id])[chunk_id].text
    assert lib.passages(text, k=3, mode="dense")[0].chunk_id == chunk_id
    assert lib.passages("x", k=3, scope=Scope(articles=("a7",)), mode="dense")[0].article.id == "a7"
    reopened = library(isolated)
    assert isinstance(reopened.indexes.tables["chunks"].vectors, IVFIndex)
    assert reopened.passages(text, k=1, mode="dense")[0].chunk_id == chunk_id
    reopened.close()
    for i in range(200):
        lib.remove(f"b{i}")
    assert isinstance(lib.indexes.tables["chunks"].vectors, FlatIndex)
    assert lib.indexed_ids("chunks")[0] == set(lib.store.texts("chunks").ids.tolist())
    lib.close()


def test_lowering_the_size_setting_switches_on_open(isolated: Path):
    library(isolated, ann_min=100_000).ingest(articles(100))
    lib = library(isolated, ann_min=200)
    assert isinstance(lib.indexes.tables["chunks"].vectors, IVFIndex)
    lib.close()


def test_queries_are_answered_while_the_ivf_index_is_built(isolated: Path, monkeypatch: pytest.MonkeyPatch):
    lib = library(isolated)
    lib.ingest(articles(60))
    answered = threading.Event()
    build = IVFIndex.build

    def slow_build(*args, **kwargs):
        query = threading.Thread(target=lambda: lib.passages("grain prices", k=1) and answered.set())
        query.start()
        query.join(timeout=30)
        return build(*args, **kwargs)

    monkeypatch.setattr(IVFIndex, "build", slow_build)
    lib.ingest(articles(200, prefix="b"))
    assert answered.is_set() and isinstance(lib.indexes.tables["chunks"].vectors, IVFIndex)
    lib.close()


@pytest.mark.model
def test_real_model_ivf_matches_exact_search(xquad_dir: Path, tmp_path: Path, st_embedder):
    from bench.common import jsonl
    from tests.conftest import corpus

    data = tmp_path / "ivf"
    shutil.copytree(xquad_dir, data)
    exact = Library(xquad_dir, st_embedder.name, st_embedder)
    approx = Library(data, st_embedder.name, st_embedder, ann_min=200)
    assert isinstance(approx.indexes.tables["chunks"].vectors, IVFIndex)
    questions = [q["question"] for q in jsonl(corpus("xquad_en", "qa.jsonl"))][::10]

    def top(lib: Library, question: str) -> set[int]:
        return {h.chunk_id for h in lib.passages(question, 10, mode="dense")}

    overlap = [len(top(exact, q) & top(approx, q)) / 10 for q in questions]
    assert np.mean(overlap) >= 0.98
    exact.close()
    approx.close()


def test_cells_are_four_root_n_up_to_250k_then_held_then_two_root_n():
    sizes = (100_000, 250_000, 250_001, 1_000_000, 4_000_000)
    assert [cells(n) for n in sizes] == [1265, 2000, 2000, 2000, 4000]
    for n in (30_000, 50_000, 1_000_000):  # a fourfold change doubles them, so _fits retrains then
        assert abs(cells(4 * n) - 2 * cells(n)) <= 1
    assert cells(1_000) == 25  # at least 40 training vectors a cell


def test_cells_never_jump_so_a_table_hovering_at_one_size_is_not_retrained():
    sizes = sorted([*range(2_000, 3_000_000, 997), 249_999, 250_000, 250_001, 999_999, 1_000_000, 1_000_001])
    assert all(cells(b) >= cells(a) for a, b in itertools.pairwise(sizes))
    assert all(cells(n + 1) - cells(n) <= 1 for n in sizes)

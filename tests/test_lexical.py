from pathlib import Path

import numpy as np

from index.lexical import LexicalIndex, rrf
from index.library import Library
from index.models import Article
from tests.fakes import HashEmbedder

DOCS = ["Witkoff met Ushakov in Moscow.", "The mayor opened the bridge.", "Bridges and roads were repaired."]


def test_rrf_rewards_agreement_between_rankings():
    fused = rrf([[1, 2, 3], [3, 1, 4]])
    assert [i for i, _ in fused] == [1, 3, 2, 4]
    assert fused[0][1] == 1 / 61 + 1 / 62


def test_bm25_finds_rare_names_stems_and_respects_masks(tmp_path: Path):
    index = LexicalIndex.build(np.array([10, 20, 30]), DOCS)
    assert index.search("Ushakov", 3)[0][0] == 10
    assert {i for i, _ in index.search("bridge", 3)} == {20, 30}, "stemmed: bridges ~ bridge"
    assert index.search("bridge", 3, only=np.array([30])) == [
        (30, index.search("bridge", 3, only=np.array([30]))[0][1])
    ]
    assert index.search("zebra", 3) == []
    index.save(tmp_path / "lex")
    assert LexicalIndex.load(tmp_path / "lex").search("Ushakov", 1)[0][0] == 10
    empty = LexicalIndex.build(np.zeros(0, dtype=np.int64), [])
    assert empty.search("anything", 3) == []


def test_hybrid_search_finds_what_dense_ranks_low(isolated: Path):
    lib = Library(isolated, "fake/hash-embedder", HashEmbedder(dim=8), chunk_tokens=40, chunk_overlap=0)
    filler = [
        Article(id=f"f{i}", title="t", text=f"Talks and meetings and talks number {i} went on.") for i in range(30)
    ]
    lib.ingest([*filler, Article(id="target", title="t", text="Ushakov talked.")])
    hybrid = [h.article.id for h in lib.search("Ushakov talks", 3, mode="hybrid")]
    bm25 = [h.article.id for h in lib.search("Ushakov talks", 3, mode="bm25")]
    assert "target" in hybrid and bm25[0] == "target"
    assert all(-1.0 <= h.score <= 1.0001 for h in lib.search("Ushakov talks", 3, mode="hybrid")), "cosine scores"


def test_lexical_index_follows_removals_and_reopening(isolated: Path):
    lib = Library(isolated, "fake/hash-embedder", HashEmbedder(), chunk_tokens=40, chunk_overlap=0)
    lib.ingest([Article(id="a", title="t", text="Ushakov spoke."), Article(id="b", title="t", text="Others spoke.")])
    assert lib.search("Ushakov", 2, mode="bm25")[0].article.id == "a"
    lib.remove("a")
    assert all(h.article.id != "a" for h in lib.search("Ushakov", 2, mode="bm25"))
    lib.close()
    reopened = Library(isolated, "fake/hash-embedder", HashEmbedder(), chunk_tokens=40, chunk_overlap=0)
    assert [h.article.id for h in reopened.search("Others", 2, mode="bm25")] == ["b"]
    assert len(list(isolated.glob("lexical-chunks-*"))) == 1, "old lexical folders are cleaned up"

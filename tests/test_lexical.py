import json
from pathlib import Path

import numpy as np
import pytest

from index.library import Library
from index.models import Article, Scope
from index.search.lexical import LexicalIndex, RowChange, rrf
from index.text.terms import TOKENIZER, s_stem, terms
from tests.fakes import HashEmbedder

DOCS = ["Witkoff met Ushakov in Moscow.", "The mayor opened the bridge.", "Bridges and roads were repaired."]


def test_rrf_rewards_agreement_between_rankings():
    fused = rrf([[1, 2, 3], [3, 1, 4]])
    assert [s.id for s in fused] == [1, 3, 2, 4]
    assert fused[0].score == 1 / 61 + 1 / 62


def test_bm25_finds_rare_names_stems_and_respects_masks(tmp_path: Path):
    index = LexicalIndex.build(np.array([10, 20, 30]), DOCS)
    assert index.search("Ushakov", 3)[0].id == 10
    assert {s.id for s in index.search("bridge", 3)} == {20, 30}, "stemmed: bridges ~ bridge"
    assert [s.id for s in index.search("bridge", 3, only=np.array([30]))] == [30]
    assert index.search("zebra", 3) == []
    index.save(tmp_path / "lex")
    assert LexicalIndex.load(tmp_path / "lex").search("Ushakov", 1)[0].id == 10
    empty = LexicalIndex.build(np.zeros(0, dtype=np.int64), [])
    assert empty.search("anything", 3) == []


def test_hybrid_search_finds_what_dense_ranks_low(isolated: Path):
    lib = Library(isolated, "fake/hash-embedder", HashEmbedder(dim=8), chunk_tokens=40, chunk_overlap=0)
    filler = [
        Article(id=f"f{i}", title="t", text=f"Talks and meetings and talks number {i} went on.") for i in range(30)
    ]
    lib.ingest([*filler, Article(id="target", title="t", text="Ushakov talked.")])
    hybrid = [h.article.id for h in lib.passages("Ushakov talks", 3, mode="hybrid")]
    bm25 = [h.article.id for h in lib.passages("Ushakov talks", 3, mode="bm25")]
    assert "target" in hybrid and bm25[0] == "target"
    assert all(-1.0 <= h.score <= 1.0001 for h in lib.passages("Ushakov talks", 3, mode="hybrid")), "cosine scores"


def test_lexical_index_follows_removals_and_reopening(isolated: Path):
    lib = Library(isolated, "fake/hash-embedder", HashEmbedder(), chunk_tokens=40, chunk_overlap=0)
    lib.ingest([Article(id="a", title="t", text="Ushakov spoke."), Article(id="b", title="t", text="Others spoke.")])
    assert lib.passages("Ushakov", 2, mode="bm25")[0].article.id == "a"
    lib.remove("a")
    assert all(h.article.id != "a" for h in lib.passages("Ushakov", 2, mode="bm25"))
    lib.close()
    reopened = Library(isolated, "fake/hash-embedder", HashEmbedder(), chunk_tokens=40, chunk_overlap=0)
    assert [h.article.id for h in reopened.passages("Others", 2, mode="bm25")] == ["b"]
    folders = sorted(isolated.glob("lexical-chunks-*"))
    assert [f.name for f in folders] == ["lexical-chunks-1", "lexical-chunks-2"], "the full build and one delta"
    assert [f.name for f in folders[1].iterdir()] == ["delta.json"]


def test_an_index_cut_by_another_tokenizer_is_rebuilt(isolated: Path):
    lib = Library(isolated, "fake/hash-embedder", HashEmbedder(), chunk_tokens=40, chunk_overlap=0)
    lib.ingest([Article(id="a", title="t", text="What Ushakov said about the bridges.")])
    lib.close()
    stats = next(isolated.glob("lexical-chunks-*")) / "stats.json"
    stats.write_text(json.dumps({"avgdl": 3.0}))  # as saved before the tokenizer had a version
    reopened = Library(isolated, "fake/hash-embedder", HashEmbedder(), chunk_tokens=40, chunk_overlap=0)
    assert [h.article.id for h in reopened.passages("bridge", 2, mode="bm25")] == ["a"]
    assert json.loads(stats.read_text())["tokenizer"] == TOKENIZER
    reopened.close()


def test_delta_rows_score_as_if_they_were_in_the_full_build():
    texts = [
        "The mayor said the bridge will reopen in May.",
        "Engineers tested the bridge cables on Friday.",
        "Water workers voted to strike over pay.",
        "The union leader said members backed the strike over pay and hours.",
    ]
    full = LexicalIndex.build(np.arange(4), texts)
    grown = full.changed([RowChange("add", np.array([99]))], {99: texts[3]})
    scores = {s.id: s.score for s in grown.search("union strike pay hours", 5)}
    assert scores[99] == pytest.approx(scores[3], rel=1e-5)
    assert [s.id for s in grown.changed([RowChange("remove", np.array([3]))], {}).search("union", 5)] == [99]


def test_small_changes_go_to_the_delta_and_a_reused_row_id_is_not_confused(isolated: Path, monkeypatch):
    lib = Library(isolated, "fake/hash-embedder", HashEmbedder(), chunk_tokens=40, chunk_overlap=0)
    lib.ingest([Article(id="a", title="t", text="Ushakov spoke."), Article(id="b", title="t", text="Witkoff spoke.")])
    lib.remove("b")  # the highest row id is free again
    lib.ingest([Article(id="c", title="t", text="Dmitriev spoke.")])
    assert lib.store.row_ids("chunks", Scope(articles=("c",))).tolist() == [2], "SQLite reused the removed row id"
    assert lib.passages("Witkoff", 3, mode="bm25") == []
    assert [h.article.id for h in lib.passages("Dmitriev", 3, mode="bm25")] == ["c"]
    assert lib.indexed_ids("chunks")[1] == set(lib.store.texts("chunks").ids.tolist())
    assert (isolated / f"lexical-chunks-{lib.store.revision}" / "delta.json").exists()
    lib.close()
    reopened = Library(isolated, "fake/hash-embedder", HashEmbedder(), chunk_tokens=40, chunk_overlap=0)
    assert [h.article.id for h in reopened.passages("Dmitriev", 3, mode="bm25")] == ["c"]
    monkeypatch.setattr("index.search.lexical.DELTA_MIN", 1)
    reopened.ingest([Article(id="d", title="t", text="Kushner spoke.")])
    assert not (isolated / f"lexical-chunks-{reopened.store.revision}" / "delta.json").exists(), "rebuilt in full"
    assert [h.article.id for h in reopened.passages("Kushner", 3, mode="bm25")] == ["d"]
    assert len(list(isolated.glob("lexical-chunks-*"))) == 1
    reopened.close()


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("bridges", "bridge"),
        ("policies", "policy"),
        ("senators", "senator"),
        ("senate", "senate"),
        ("votes", "vote"),
        ("campus", "campus"),
        ("press", "press"),
        ("crisis", "crisis"),
        ("news", "new"),
    ],
)
def test_the_light_stemmer_folds_plurals_only(word: str, stem: str):
    assert s_stem(word) == stem


def test_one_tokenizer_drops_stop_words_and_possessives():
    assert terms("What did Putin's aides say about the bridges?") == ["putin", "aide", "bridge"]

import json
from pathlib import Path

import pytest

from index.library import Library
from index.models import Article, Scope
from index.search.meta import StoreMismatchError
from tests.fakes import HashEmbedder, extractor

BRIDGE = Article(
    id="bridge",
    title="Bridge",
    source="Courier",
    published="2026-03-02",
    text="The mayor said the bridge will reopen in May. Engineers tested the new cables on Friday.",
)
STRIKE = Article(
    id="strike",
    title="Strike",
    source="Ledger",
    text="Water workers voted to strike over pay. The union leader said members backed the walkout.",
)


def library(path: Path, embedder: HashEmbedder | None = None, model: str = "fake/hash-embedder") -> Library:
    return Library(path, model, embedder or HashEmbedder(), chunk_tokens=40, chunk_overlap=0)


def test_round_trip_survives_reopening(isolated: Path):
    lib = library(isolated)
    results = lib.ingest([BRIDGE, STRIKE])
    assert [r.status for r in results] == ["added", "added"]
    lib.close()
    lib = library(isolated)
    hits = lib.passages("union strike pay")
    assert hits[0].article.id == "strike"
    assert hits[0].article.text[hits[0].chunk.start : hits[0].chunk.end] == hits[0].chunk.text
    assert [a.id for a in lib.articles()] == ["bridge", "strike"]
    meta = json.loads((isolated / "meta.json").read_text())
    assert meta["model"] == "fake/hash-embedder" and meta["dim"] == 256 and meta["count"] == len(lib)


def test_identical_content_again_is_a_no_op(isolated: Path):
    embedder = HashEmbedder()
    lib = library(isolated, embedder)
    lib.ingest([BRIDGE])
    calls, chunks = embedder.calls, len(lib)
    [result] = lib.ingest([BRIDGE])
    assert result.status == "unchanged"
    assert len(lib) == chunks
    [twin] = lib.ingest([BRIDGE.model_copy(update={"id": "copy"})])
    assert (twin.status, twin.duplicate_of) == ("duplicate", "bridge")
    assert embedder.calls == calls  # nothing new to store: nothing encoded
    assert len(lib) == chunks


def test_content_hash_id_when_none_given(isolated: Path):
    lib = library(isolated)
    [result] = lib.ingest([Article(title="t", text="Some text here.")])
    assert len(result.article_id) == 16
    [again] = lib.ingest([Article(title="t", text="Some   text\nhere.")])
    assert again.status == "unchanged" and again.article_id == result.article_id


def test_changed_content_for_same_id_replaces_old_chunks(isolated: Path):
    lib = library(isolated)
    lib.ingest([BRIDGE])
    changed = BRIDGE.model_copy(update={"text": "The mayor said the ferry will stop running in June."})
    [result] = lib.ingest([changed])
    assert result.status == "replaced"
    assert len(lib) == 1
    assert lib.article("bridge").text == changed.text
    assert all("ferry" in h.chunk.text for h in lib.passages("bridge cables ferry"))


def test_same_id_twice_in_one_ingest_keeps_the_last(isolated: Path):
    lib = library(isolated)
    second = BRIDGE.model_copy(update={"text": "A completely different second version."})
    results = lib.ingest([BRIDGE, second])
    assert [r.status for r in results] == ["added", "replaced"]
    assert lib.article("bridge").text == second.text


def test_remove_deletes_article_chunks_and_vectors(isolated: Path):
    lib = library(isolated)
    lib.ingest([BRIDGE, STRIKE])
    assert lib.remove("bridge")
    assert not lib.remove("bridge")
    assert [a.id for a in lib.articles()] == ["strike"]
    assert all(h.article.id == "strike" for h in lib.passages("mayor bridge cables", k=10))
    lib.close()
    lib = library(isolated)
    assert {h.article.id for h in lib.passages("mayor bridge", k=10)} == {"strike"}


def test_other_model_is_refused_naming_both(isolated: Path):
    library(isolated).ingest([BRIDGE])
    with pytest.raises(StoreMismatchError) as error:
        library(isolated, HashEmbedder(name="other/model"), model="other/model")
    assert "fake/hash-embedder" in str(error.value) and "other/model" in str(error.value)


def test_other_dimension_is_refused(isolated: Path):
    library(isolated).ingest([BRIDGE])
    lib = library(isolated, HashEmbedder(dim=32))
    with pytest.raises(StoreMismatchError, match=r"dimension 256.*dimension 32"):
        lib.passages("bridge")


def test_stale_vector_file_is_rebuilt_from_sqlite(isolated: Path):
    lib = library(isolated)
    lib.ingest([BRIDGE])
    stale = (isolated / "vectors.faiss").read_bytes()
    stale_meta = (isolated / "meta.json").read_text()
    lib.ingest([STRIKE])
    lib.close()
    (isolated / "vectors.faiss").write_bytes(stale)  # as if the process died before the index was saved
    (isolated / "meta.json").write_text(stale_meta)
    lib = library(isolated)
    assert lib.passages("union strike pay")[0].article.id == "strike"
    (isolated / "vectors.faiss").unlink()
    lib.close()
    lib = library(isolated)
    assert {h.article.id for h in lib.passages("strike bridge", k=10)} == {"bridge", "strike"}


def test_failed_write_leaves_store_as_it_was(isolated: Path):
    class Exploding(HashEmbedder):
        def encode(self, texts, batch_size=16):
            raise RuntimeError("boom")

    library(isolated).ingest([BRIDGE])
    lib = library(isolated, Exploding())
    with pytest.raises(RuntimeError):
        lib.ingest([STRIKE])
    lib.close()
    lib = library(isolated)
    assert [a.id for a in lib.articles()] == ["bridge"]
    assert lib.passages("mayor bridge")[0].article.id == "bridge"


def test_search_within_articles(isolated: Path):
    lib = library(isolated)
    lib.ingest([BRIDGE, STRIKE])
    assert {h.article.id for h in lib.passages("union strike pay", k=10, scope=Scope(articles=("bridge",)))} == {
        "bridge"
    }
    assert lib.passages("anything", scope=Scope(articles=())) == []
    assert lib.passages("anything", scope=Scope(articles=("unknown",))) == []


def test_lost_meta_json_is_rebuilt_from_sqlite(isolated: Path):
    lib = library(isolated)
    lib.ingest([BRIDGE, STRIKE])
    lib.close()
    (isolated / "meta.json").unlink()
    lib = library(isolated)
    assert lib.passages("union strike pay")[0].article.id == "strike"
    assert json.loads((isolated / "meta.json").read_text())["count"] == len(lib)


def test_one_search_serves_chunks_and_quotes_with_the_same_scopes(isolated: Path):
    lib = Library(isolated, "fake/hash-embedder", HashEmbedder(), chunk_tokens=40, chunk_overlap=0, quotes=extractor())
    named = [
        BRIDGE.model_copy(update={"text": "Mayor Helena Marsh said the bridge will reopen in May."}),
        STRIKE.model_copy(update={"text": "Union leader Priya Desai said the members backed the strike."}),
    ]
    lib.ingest(named)
    chunks = lib.search("chunks", "bridge reopen", k=5, scope=Scope(articles=("strike",)), mode="hybrid")
    assert chunks and {lib.store.chunks([s.id])[s.id].article_id for s in chunks} == {"strike"}
    assert {q.speaker for q in lib.quotes()} == {"Helena Marsh", "Priya Desai"}
    quotes = lib.search("quotes", "bridge reopen", k=5, scope=Scope(speakers=("priya desai",)), mode="hybrid")
    assert quotes and {lib.store.quotes(ids=[s.id])[s.id].speaker for s in quotes} == {"Priya Desai"}
    assert all(-1.0 <= s.score <= 1.0001 for s in chunks + quotes), "cosine scores, whatever found them"
    assert lib.search("quotes", "bridge", scope=Scope(speakers=())) == [], "an empty scope matches nothing"
    lib.close()


def test_a_text_asked_again_is_embedded_once(isolated: Path):
    """One answer may search twice for one claim ("Did Y say Z?": Y's statements, then everyone's)."""
    embedder = HashEmbedder()
    lib = library(isolated, embedder)
    lib.ingest([BRIDGE])
    calls = embedder.calls
    first = lib.encode_query("the bridge will reopen")
    first[:] = 0  # a caller's copy: what is kept is not changed by it
    again = lib.encode_query("the bridge will reopen")
    assert embedder.calls == calls + 1 and again.any()
    lib.encode_query("the strike")
    assert embedder.calls == calls + 2

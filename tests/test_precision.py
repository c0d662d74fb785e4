"""Ingest encodes in bfloat16 where the CPU computes it natively: the float32 vectors to within cosine 0.9999 and
the same retrieval, at 1.6-1.8x the speed (docs/benchmarks.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from bot.engine import build_engine
from bot.settings import Settings
from index.embed.transformer import SentenceTransformerEmbedder, native_bf16
from index.models import Article
from tests.conftest import corpus

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def bf16_embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(precision="bfloat16")


def xquad(n: int) -> list[Article]:
    lines = corpus("xquad_en", "articles.jsonl").read_text().splitlines()[:n]
    return [Article.model_validate(json.loads(line)) for line in lines]


def test_bfloat16_vectors_match_float32(bf16_embedder, st_embedder):
    texts = ["Who said Ukraine must withdraw from Donbas?", "short", ""] + [a.text[:1500] for a in xquad(12)]
    cosine = (bf16_embedder.encode(texts) * st_embedder.encode(texts)).sum(axis=1)
    assert cosine.min() >= 0.9999
    assert bf16_embedder.precision == "bfloat16" and st_embedder.precision == "float32"


def test_bfloat16_store_retrieves_like_float32(tmp_path: Path, bf16_embedder, st_embedder):
    articles = xquad(12)
    ids = {a.id for a in articles}
    rows = [json.loads(line) for line in corpus("xquad_en", "qa.jsonl").read_text().splitlines()]
    questions = [row["question"] for row in rows if row["article_id"] in ids][::7]
    engines = []
    for name, embedder in (("f32", st_embedder), ("bf16", bf16_embedder)):
        engine = build_engine(
            Settings(data_dir=tmp_path / name, extract_quotes=False, fast_queries=False), embedder=embedder
        )
        engine.library.ingest(articles)
        engines.append(engine)
    assert questions
    for question in questions:
        reference, ours = ([h.chunk_id for h in e.library.passages(question, 5, mode="dense")] for e in engines)
        assert ours[0] == reference[0] and len(set(ours) & set(reference)) >= 4, question
    for engine in engines:
        engine.close()


def test_the_default_follows_the_cpu(tmp_path: Path):
    engine = build_engine(Settings(data_dir=tmp_path, extract_quotes=False))
    assert engine.embedder.precision == ("bfloat16" if native_bf16() else "float32")
    pinned = build_engine(Settings(data_dir=tmp_path, extract_quotes=False, encode_precision="float32"))
    assert pinned.embedder.precision == "float32"


def test_threads_are_limited_inside_and_restored_after(st_embedder):
    usual = torch.get_num_threads()
    with st_embedder.threads(1):
        assert torch.get_num_threads() == 1
        st_embedder.encode(["one thread"])
    assert torch.get_num_threads() == usual
    with st_embedder.threads(None):
        assert torch.get_num_threads() == usual

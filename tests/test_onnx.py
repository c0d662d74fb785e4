"""The ONNX query path gives the same vectors and the same answers as sentence-transformers, without torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine import build_engine
from bot.settings import Settings
from index.embed.onnx import INT8_FILE, OnnxEmbedder, onnx_dir
from index.models import Article
from tests.conftest import ROOT, SAMPLES, corpus, with_onnx
from tests.fakes import extractor

pytestmark = pytest.mark.model

TEXTS = [
    "Who said Ukraine must withdraw from Donbas?",
    "short",
    "Привет, мир",
    "",
    "A much longer passage about a harbour bridge, its corroded cables and the mayor. " * 8,
]


def test_same_vectors_as_sentence_transformers(onnx_model: Path, st_embedder):
    onnx = OnnxEmbedder(onnx_model)
    assert (onnx.name, onnx.dim, onnx.max_tokens) == (st_embedder.name, st_embedder.dim, st_embedder.max_tokens)
    cosine = (onnx.encode(TEXTS, batch_size=2) * st_embedder.encode(TEXTS)).sum(axis=1)
    assert cosine.min() >= 0.9999
    assert onnx.count_tokens(TEXTS) == st_embedder.count_tokens(TEXTS)


def test_same_top_results_on_xquad(tmp_path: Path, onnx_model: Path, st_embedder):
    data = with_onnx(tmp_path / "d", onnx_model, Settings().store.model)
    engine = build_engine(Settings(data_dir=data, extract_quotes=False), embedder=st_embedder)
    engine.library.ingest(
        Article.model_validate(json.loads(line))
        for line in corpus("xquad_en", "articles.jsonl").read_text().splitlines()
    )
    questions = [json.loads(line)["question"] for line in corpus("xquad_en", "qa.jsonl").read_text().splitlines()]
    fast = build_engine(
        Settings(data_dir=data, extract_quotes=False), embedder=st_embedder, query_embedder=OnnxEmbedder(onnx_model)
    )
    for question in questions[::40]:
        reference = [h.chunk_id for h in engine.library.passages(question, 5, mode="dense")]
        assert [h.chunk_id for h in fast.library.passages(question, 5, mode="dense")] == reference, question


def test_engine_answers_with_onnx_without_loading_sentence_transformers(tmp_path: Path, onnx_model, st_embedder):
    data = with_onnx(tmp_path / "d", onnx_model, Settings().store.model)
    build_engine(Settings(data_dir=data), embedder=st_embedder, quotes=extractor()).ingest([str(SAMPLES)])
    engine = build_engine(Settings(data_dir=data), quotes=extractor())
    answer = engine.ask("What did Desai say about the strike?")
    assert answer.found and answer.speaker == "Priya Desai" and "Priya Desai" in answer.answer[:60]
    assert isinstance(engine.library.query_embedder, OnnxEmbedder)
    assert engine.library.fast_queries_only, "sentence-transformers was never loaded"
    plain = build_engine(Settings(data_dir=data, fast_queries=False), quotes=extractor())
    assert not plain.library.fast_queries_only, "WHOSAID_FAST_QUERIES=false keeps sentence-transformers for questions"


def test_ask_process_does_not_import_torch(tmp_path: Path, onnx_model, st_embedder):
    data = with_onnx(tmp_path / "d", onnx_model, Settings().store.model)
    build_engine(Settings(data_dir=data), embedder=st_embedder, quotes=extractor()).ingest([str(SAMPLES)])
    probe = (
        "import sys, runpy; sys.argv=['whosaid','ask','--data-dir',sys.argv[1],'Who leads the repair crew?'];"
        "from bot.cli import main; code=main(); print('TORCH' if sys.modules.get('torch') else 'NO-TORCH')"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(data)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "Tomas Okafor" in out.stdout and out.stdout.strip().endswith("NO-TORCH")


def test_onnx_folder_is_per_model(tmp_path: Path):
    assert (
        onnx_dir(tmp_path, "sentence-transformers/all-MiniLM-L6-v2").name == "sentence-transformers--all-MiniLM-L6-v2"
    )


def test_int8_queries_are_opt_in_and_close(tmp_path: Path, onnx_model: Path, st_embedder):
    data = with_onnx(tmp_path / "d", onnx_model, Settings().store.model)
    build_engine(Settings(data_dir=data), embedder=st_embedder, quotes=extractor()).ingest([str(SAMPLES)])
    folder = onnx_dir(data, Settings().store.model)
    assert not (folder / INT8_FILE).exists()
    engine = build_engine(Settings(data_dir=data, int8_queries=True), quotes=extractor())
    answer = engine.ask("What did Desai say about the strike?")
    assert answer.found and answer.speaker == "Priya Desai" and "Priya Desai" in answer.answer[:60]
    int8 = engine.library.query_embedder
    assert isinstance(int8, OnnxEmbedder) and (folder / INT8_FILE).exists()
    cosine = (int8.encode(TEXTS) * st_embedder.encode(TEXTS)).sum(axis=1)
    assert 0.95 <= cosine.min() < 0.9999, "close to the float model, but not the same"

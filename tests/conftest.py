from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from bot.engine import Engine, build_engine
from bot.settings import Settings
from index.models import Article, Chunk, Hit
from tests.fakes import HashEmbedder, extractor

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
SAMPLES = ROOT / "bot" / "samples"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir and working dir; no WHOSAID_* from the environment leaks in."""
    for key in list(os.environ):
        if key.startswith("WHOSAID_"):
            monkeypatch.delenv(key)
    data = tmp_path / "data"
    monkeypatch.setenv("WHOSAID_DATA_DIR", str(data))
    monkeypatch.chdir(tmp_path)
    return data


@pytest.fixture
def settings(isolated: Path) -> Settings:
    return Settings(data_dir=isolated)


@pytest.fixture
def fake_engine(settings: Settings) -> Engine:
    engine = build_engine(
        settings.changed(**{"model": "fake/hash-embedder", "answer_threshold": 0.2}),
        embedder=HashEmbedder(),
        quotes=extractor(),
    )
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def st_embedder():
    """The real all-MiniLM-L6-v2 through sentence-transformers, loaded once per test session."""
    from index.embed.transformer import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def onnx_model(tmp_path_factory, st_embedder) -> Path:
    """The packaged model exported to ONNX once per test session."""
    from index.embed.onnx import export_onnx

    return export_onnx(st_embedder.name, tmp_path_factory.mktemp("onnx") / "model")


def with_onnx(data_dir: Path, onnx_model: Path, model: str) -> Path:
    """Put the session's ONNX export where an engine on `data_dir` looks for it (as if exported at ingest)."""
    from index.embed.onnx import onnx_dir

    target = onnx_dir(data_dir, model)
    shutil.copytree(onnx_model, target, dirs_exist_ok=True)
    return data_dir


@pytest.fixture
def real_engine(settings: Settings, st_embedder, onnx_model) -> Engine:
    with_onnx(settings.store.data_dir, onnx_model, settings.store.model)
    engine = build_engine(settings, embedder=st_embedder, quotes=extractor())
    yield engine
    engine.close()


def corpus(*parts: str) -> Path:
    path = CORPORA.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"shared corpus missing: {path}")
    return path


def polnear_quotes(ids: set[str]) -> dict[str, tuple[str, list]]:
    """These PolNeAR articles (read in place), each with the quotes the real extractor finds in it."""
    texts = {}
    for line in corpus("polnear", "articles.jsonl").read_text("utf-8").splitlines():
        article = json.loads(line)
        if article["id"] in ids:
            texts[article["id"]] = article["text"]
    return {i: (t, extractor().extract(i, t)) for i, t in texts.items()}


def quotes_holding(found: dict[str, tuple[str, list]], article_id: str, fragment: str) -> list:
    """The quotes of an article (as `polnear_quotes` found them) whose words hold the fragment's first character."""
    text, quotes = found[article_id]
    assert fragment in text
    start = text.index(fragment)
    return [q for q in quotes if q.start <= start < q.end]


@pytest.fixture(scope="session")
def xquad_dir(tmp_path_factory, st_embedder, onnx_model) -> Path:
    """XQuAD's 48 articles and the seed article ingested with the real model, once per session (read-only)."""
    data = with_onnx(tmp_path_factory.mktemp("xquad"), onnx_model, Settings().store.model)
    engine = build_engine(Settings(data_dir=data), embedder=st_embedder, quotes=extractor())
    report = engine.ingest([str(corpus("xquad_en", "articles.jsonl")), str(corpus("seed", "putin-donbas-newsx.jsonl"))])
    assert len(report.stored) == 49 and not report.refused
    engine.close()
    return data


@pytest.fixture(scope="session")
def talk_dir(tmp_path_factory, st_embedder, onnx_model) -> Path:
    """The seed article, our samples and the first 40 shared PolNeAR articles (read in place) ingested with the
    real model, once per session (read-only): the store people talk to in issue 30's reports."""
    data = with_onnx(tmp_path_factory.mktemp("talk"), onnx_model, Settings().store.model)
    lines = corpus("polnear", "articles.jsonl").read_text("utf-8").splitlines()[:40]
    first = tmp_path_factory.mktemp("talk-src") / "polnear-first-40.jsonl"
    first.write_text("".join(line + "\n" for line in lines), "utf-8")
    engine = build_engine(Settings(data_dir=data), embedder=st_embedder, quotes=extractor())
    report = engine.ingest([str(SAMPLES), str(corpus("seed", "putin-donbas-newsx.jsonl")), str(first)])
    assert len(report.stored) == 45 and not report.refused
    engine.close()
    return data


@pytest.fixture
def talk(talk_dir: Path, st_embedder) -> Engine:
    """An engine over the talk store (read-only), the real model and spaCy."""
    engine = build_engine(Settings(data_dir=talk_dir), embedder=st_embedder, quotes=extractor())
    yield engine
    engine.close()


@pytest.fixture
def xquad(xquad_dir: Path, st_embedder) -> Engine:
    """An engine over the XQuAD + seed store (read-only), the real model and spaCy."""
    engine = build_engine(Settings(data_dir=xquad_dir), embedder=st_embedder, quotes=extractor())
    yield engine
    engine.close()


def hits(*texts: str) -> list[Hit]:
    """Each text as an article retrieved whole, in order (for answer code that reads hits)."""
    found = []
    for n, text in enumerate(texts):
        article = Article(id=f"a{n}", title="t", text=text)
        chunk = Chunk(article_id=article.id, seq=0, start=0, end=len(text), text=text, tokens=len(text.split()))
        found.append(Hit(chunk_id=n, score=0.5, chunk=chunk, article=article))
    return found


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server for the session (`tests.postgres.Server`): fails, never skips, without one. Its
    folder is not under pytest's temporary folders, which another pytest run may delete while this one runs."""
    from tests.postgres import Server

    folder = Path(tempfile.mkdtemp(prefix="whosaid-postgres-"))
    server = Server(folder / "data")
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def database_url(pg_server):
    """A new, empty database on the session's server, dropped after the test."""
    url = pg_server.database()
    yield url
    pg_server.drop(url)

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.engine import Engine
from index.settings import Settings
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
    engine = Engine(
        settings.model_copy(update={"model": "fake/hash-embedder", "answer_threshold": 0.2}),
        embedder=HashEmbedder(),
        quotes=extractor(),
    )
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def st_embedder():
    """The real all-MiniLM-L6-v2 through sentence-transformers, loaded once per test session."""
    from index.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture
def real_engine(settings: Settings, st_embedder) -> Engine:
    engine = Engine(settings, embedder=st_embedder, quotes=extractor())
    yield engine
    engine.close()


def corpus(*parts: str) -> Path:
    path = CORPORA.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"shared corpus missing: {path}")
    return path

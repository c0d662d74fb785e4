"""Stores written by older versions are migrated on open (after a copy); newer ones are refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import build_engine
from bot.settings import Settings
from index.store import schema
from index.store.schema import VERSION, SchemaVersionError
from index.store.sqlite import Store
from tests.conftest import ROOT, with_onnx
from tests.fakes import extractor

OLD_STORE = ROOT / "tests" / "data" / "store-v0.sqlite"


def old_store(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "store.sqlite"
    shutil.copyfile(OLD_STORE, path)
    return path


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def test_the_committed_store_predates_versions():
    assert user_version(OLD_STORE) == 0 and "speaker_key" not in columns(OLD_STORE, "quotes")


def test_an_old_store_is_copied_then_migrated_keeping_every_row(tmp_path: Path):
    path = old_store(tmp_path)
    store = Store(path)
    assert user_version(path) == VERSION
    assert {"speaker_key", "role_key"} <= columns(path, "quotes")
    assert store.count("chunks") == 8 and store.count("quotes") == 35 and len(store.articles()) == 4
    assert [s.name for s in store.speakers_named(["greer"])] == ["Daniel Greer"]
    store.close()
    backup = tmp_path / "store.sqlite.v0.bak"
    assert user_version(backup) == 0 and "speaker_key" not in columns(backup, "quotes")
    with sqlite3.connect(backup) as db:
        assert db.execute("SELECT count(*) FROM quotes").fetchone()[0] == 35


def test_a_new_store_starts_at_the_latest_version_without_a_copy(tmp_path: Path):
    Store(tmp_path / "store.sqlite").close()
    assert user_version(tmp_path / "store.sqlite") == VERSION
    assert not list(tmp_path.glob("*.bak"))


def test_opening_a_migrated_store_again_changes_nothing(tmp_path: Path):
    path = old_store(tmp_path)
    Store(path).close()
    (tmp_path / "store.sqlite.v0.bak").unlink()
    Store(path).close()
    assert not list(tmp_path.glob("*.bak"))


def test_a_newer_store_is_refused_with_the_versions(tmp_path: Path, capsys):
    path = old_store(tmp_path / "data")
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {VERSION + 1}")
    with pytest.raises(SchemaVersionError, match=f"schema version {VERSION + 1}.*up to {VERSION}: upgrade whosaid"):
        Store(path)
    assert main(["articles", "--data-dir", str(tmp_path / "data")]) == 2
    assert "upgrade whosaid" in capsys.readouterr().err
    assert user_version(path) == VERSION + 1, "a refused store is left as it was"


def test_a_failed_migration_leaves_the_old_store_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = old_store(tmp_path)

    def crash(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE quotes ADD COLUMN speaker_key TEXT")
        raise KeyboardInterrupt  # as if the process were stopped half-way

    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], crash])
    with pytest.raises(KeyboardInterrupt):
        Store(path)
    assert user_version(path) == 0 and "speaker_key" not in columns(path, "quotes")
    monkeypatch.undo()
    Store(path).close()
    assert user_version(path) == VERSION


@pytest.mark.model
def test_a_migrated_store_answers_with_the_real_model(tmp_path: Path, st_embedder, onnx_model):
    """The old store has no meta.json or FAISS files here: they are rebuilt from the vectors SQLite keeps."""
    data = tmp_path / "data"
    old_store(data)
    with_onnx(data, onnx_model, Settings().store.model)
    engine = build_engine(Settings(data_dir=data), embedder=st_embedder, quotes=extractor())
    question = "Who said no child should sit in a classroom too hungry to learn?"
    unsure = engine.ask(question)
    assert not unsure.found and "not sure who said" in unsure.answer, "quotes from before confidences are not named"
    assert engine.library.store.articles_to_attribute()
    assert len(engine.library.reattribute()) == 4 and not engine.library.store.articles_to_attribute()
    answer = engine.ask(question)
    assert answer.found and answer.answer.startswith("Ruth Alvarez said: “No child"), answer.answer
    assert {q.speaker for q in engine.quotes(speaker="Greer")} == {"Daniel Greer"}
    engine.ingest([str(ROOT / "bot" / "samples")])
    assert len(engine.articles()) == 4, "re-ingesting the samples into the migrated store finds them unchanged"
    engine.close()


def test_speaker_lookups_by_name_words_scan_an_index_not_the_quotes_rows(tmp_path: Path):
    """Version 5: looking a speaker up by name words reads an index holding every column it needs, never the quotes'
    rows with their vectors (the query plan, not a timing)."""
    path = old_store(tmp_path)
    Store(path).close()
    query = (
        "SELECT speaker, count(*), max(resolution LIKE 'org%') FROM quotes WHERE speaker IS NOT NULL "
        "AND instr(' ' || speaker_key || ' ', ?) > 0 GROUP BY speaker COLLATE NOCASE"
    )
    with sqlite3.connect(path) as db:
        plan = " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {query}", [" greer "]))
    assert "COVERING INDEX quotes_speakers" in plan, plan

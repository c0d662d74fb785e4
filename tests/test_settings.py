"""One Settings object in groups, every setting under its one flat WHOSAID_* name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import FLAT, GROUPS, Settings
from tests.conftest import ROOT


def test_flat_environment_names_fill_the_groups(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WHOSAID_ADMINS", "[42, 7]")
    monkeypatch.setenv("WHOSAID_TOP_K", "5")
    monkeypatch.setenv("WHOSAID_RETRIEVAL", "dense")
    monkeypatch.setenv("WHOSAID_TELEGRAM_TOKEN", "123:abc")
    monkeypatch.setenv("WHOSAID_CHUNK_TOKENS", "120")
    settings = Settings()
    assert settings.telegram.admins == [42, 7] and settings.retrieval.top_k == 5
    assert settings.retrieval.mode == "dense" and settings.store.chunk_tokens == 120
    assert settings.telegram.token is not None and settings.telegram.token.get_secret_value() == "123:abc"
    assert "123:abc" not in repr(settings)


def test_a_dotenv_file_is_read_and_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / ".env").write_text("WHOSAID_TOP_K=3\nWHOSAID_ADMINS=[1]\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WHOSAID_ADMINS", "[2]")
    settings = Settings()
    assert settings.retrieval.top_k == 3 and settings.telegram.admins == [2]


def test_arguments_beat_the_environment_and_changed_copies_keep_the_rest(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WHOSAID_ADMINS", "[2]")
    monkeypatch.setenv("WHOSAID_TOP_K", "4")
    settings = Settings(data_dir=Path("/tmp/x"), admins=[9])
    assert settings.telegram.admins == [9] and settings.store.data_dir == Path("/tmp/x")
    copy = settings.changed(model="other/model", answer_threshold=0.2)
    assert copy.store.model == "other/model" and copy.retrieval.answer_threshold == 0.2
    assert copy.telegram.admins == [9] and copy.retrieval.top_k == 4 and copy.store.data_dir == Path("/tmp/x")
    assert settings.store.model != "other/model", "the original is left as it was"


def test_bad_values_are_refused_naming_the_setting(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WHOSAID_CHUNK_TOKENS", "9999")
    with pytest.raises(ValidationError, match="chunk_tokens"):
        Settings()


def test_flat_names_are_unique_and_every_one_is_documented():
    names = [(f.alias or n).lower() for g in GROUPS.values() for n, f in g.model_fields.items()]
    assert len(names) == len(set(names)) == len(FLAT)
    readme = (ROOT / "README.md").read_text()
    documented = {m.lower() for m in re.findall(r"WHOSAID_([A-Z0-9_]+)", readme)}
    assert set(FLAT) - documented == set(), "every setting is in the README's table"
    assert all(f.description for g in GROUPS.values() for f in g.model_fields.values()), "every field says what it is"

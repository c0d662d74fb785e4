"""Ctrl-C during `whosaid ingest` (issue 30, item 6), sent to the process group as a terminal sends it, at several
points of a real ingest of 70 shared PolNeAR articles (read in place) with the real model and spaCy: a first
Ctrl-C stores the articles being embedded, whole, and says how many and how to resume; a second stops at once,
keeping what was written; `whosaid check` finds the store sound after each; the same command again adds the rest."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, corpus, with_onnx

pytestmark = pytest.mark.model
ARTICLES = 70


@pytest.fixture(scope="module")
def seventy(tmp_path_factory) -> Path:
    lines = corpus("polnear", "articles.jsonl").read_text("utf-8").splitlines()[:ARTICLES]
    path = tmp_path_factory.mktemp("interrupt") / "seventy.jsonl"
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return path


def whosaid(data: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WHOSAID_")} | {"HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args, "--data-dir", str(data)],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def stored(data: Path) -> int:
    path = data / "store.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not made yet
        return 0


def interrupt(data: Path, source: Path, presses: int, after_stored: int) -> tuple[int, str, str]:
    """Ingest, press Ctrl-C `presses` times once `after_stored` articles are in the store, and wait for the end."""
    proc = whosaid(data, "ingest", str(source))
    while stored(data) < after_stored and proc.poll() is None:
        time.sleep(0.2)
    assert proc.poll() is None, "the ingest ended before it could be interrupted"
    for _ in range(presses):
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.3)
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def assert_sound(data: Path, count: int) -> None:
    check = subprocess.run(
        [sys.executable, "-m", "bot", "check", "--data-dir", str(data)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert stored(data) == count


def test_a_first_ctrl_c_stores_the_articles_being_embedded_and_says_how_to_resume(tmp_path, seventy, onnx_model):
    data = with_onnx(tmp_path / "store", onnx_model, "sentence-transformers/all-MiniLM-L6-v2")
    code, out, err = interrupt(data, seventy, presses=1, after_stored=1)
    added = [line for line in out.splitlines() if line.startswith("added")]
    assert code == 130 and 0 < len(added) < ARTICLES
    assert f"Interrupted: {len(added)} articles stored in this run, each whole." in err
    assert "Run the same command again to add the rest" in err and "Traceback" not in err
    assert_sound(data, len(added))
    again = whosaid(data, "ingest", str(seventy))
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0 and f"{ARTICLES - len(added)} stored, {len(added)} unchanged" in err
    assert_sound(data, ARTICLES)


def test_a_second_ctrl_c_stops_at_once_keeping_what_was_written(tmp_path, seventy, onnx_model):
    data = with_onnx(tmp_path / "store", onnx_model, "sentence-transformers/all-MiniLM-L6-v2")
    code, out, err = interrupt(data, seventy, presses=2, after_stored=1)
    added = [line for line in out.splitlines() if line.startswith("added")]
    assert code == 130 and "Traceback" not in err and "Interrupted:" in err
    assert_sound(data, len(added))


def test_a_ctrl_c_while_the_model_loads_or_the_first_batch_is_embedded(tmp_path, seventy, onnx_model):
    data = with_onnx(tmp_path / "store", onnx_model, "sentence-transformers/all-MiniLM-L6-v2")
    proc = whosaid(data, "ingest", str(seventy))
    while not (data / "store.sqlite").exists() and proc.poll() is None:
        time.sleep(0.1)
    time.sleep(1.0)  # the command's own Ctrl-C handling is in place once the store is open
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    added = [line for line in out.splitlines() if line.startswith("added")]
    assert proc.returncode == 130 and "Traceback" not in err and "Interrupted:" in err
    assert len(added) < ARTICLES
    assert_sound(data, len(added))

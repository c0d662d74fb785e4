"""SIGKILL an ingest at random points: what completed stays searchable, nothing half-written shows, indexes agree.
The long run (50+ trials) is `python -m bench.crash`; CI runs a few."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from index.check import check
from index.library import Library
from index.models import Scope
from index.store.schema import use_wal
from tests.conftest import ROOT
from tests.crash_ingest import article
from tests.fakes import HashEmbedder


def kill_during_ingest(data: Path, start: int, rng: random.Random) -> list[str]:
    """Start an ingest, let it store a few articles, SIGKILL it at a random moment; the ids it reported stored."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_ingest", str(data), str(start), "50"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    stored = []
    wanted = rng.randint(1, 4)
    while len(stored) < wanted:
        line = proc.stdout.readline()
        if not line:
            break
        stored.append(line.split()[1])
    time.sleep(rng.uniform(0, 0.05))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    stored += [line.split()[1] for line in proc.stdout.read().splitlines() if line.startswith("stored")]
    return stored


def verify(data: Path, completed: list[str]) -> None:
    library = Library(data, "fake/hash-embedder", HashEmbedder(), chunk_tokens=60, chunk_overlap=10)
    ids = {a.id for a in library.articles()}
    assert set(completed) <= ids, "every completed ingest survives"
    for article_id in ids:
        expected = len(library.store.row_ids("chunks", Scope(articles=(article_id,))))
        text = article(int(article_id[1:])).text
        assert expected > 0 and library.article(article_id).text == text, "no half-written article"
    for article_id in completed:
        hits = library.passages(f"Report {int(article_id[1:])} sentence", 50, Scope(articles=(article_id,)))
        assert hits and all(h.article.id == article_id for h in hits)
    report = check(library)
    assert report.problems == [], report.problems
    library.close()


def test_sigkill_during_ingest_loses_nothing_that_completed(tmp_path: Path):
    rng = random.Random(7)
    data = tmp_path / "data"
    completed: list[str] = []
    for trial in range(4):
        completed += kill_during_ingest(data, 100 * trial, rng)
        verify(data, completed)


def test_check_finds_and_repairs_a_stale_index(tmp_path: Path):
    data = tmp_path / "data"
    library = Library(data, "fake/hash-embedder", HashEmbedder(), chunk_tokens=60, chunk_overlap=10)
    library.ingest([article(1), article(2)])
    library.indexes.tables["chunks"].vectors.remove(library.store.row_ids("chunks", Scope(articles=("a0001",))))
    report = check(library)
    assert report.problems and "missing from FAISS" in report.problems[0] and not report.ok
    assert check(library, repair=True).repaired
    assert check(library).problems == []


def test_two_ingest_processes_at_once_are_serialised(tmp_path: Path):
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.crash_ingest", str(data), str(start), "8"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for start in (0, 500)
    ]
    stored = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        stored += [line.split()[1] for line in out.splitlines()]
    assert len(stored) == 16
    verify(data, stored)


def test_opening_a_store_waits_while_another_process_holds_it(tmp_path: Path):
    path = tmp_path / "store.sqlite"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.3, holder.rollback).start()
    opener = sqlite3.connect(path, isolation_level=None, timeout=0)  # "locked" at once, as in the race
    use_wal(opener)
    assert opener.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    opener.close()
    holder.close()

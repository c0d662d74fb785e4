"""Ingest as jobs on PostgreSQL (issue 32): links enqueued in the request's transaction, two real `whosaid
worker` processes reading them, each link stored once, a duplicate refused while it waits, a failing job tried
again, a rolled-back request enqueuing nothing, and a report for the chat that asked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.conversation import Conversation
from bot.engine import build_engine
from bot.settings import Settings
from index.models import EVERYTHING
from index.store.jobs import JobTable
from tests.conftest import ROOT, with_onnx
from tests.feedsite import PEOPLE, Story
from tests.httpserver import serve

pytestmark = pytest.mark.model
HTML = {"Content-Type": "text/html; charset=utf-8"}


def flaky(page: bytes, hits: list[int]):
    """A page that fails its first request (HTTP 503), then answers."""

    def route(headers: object) -> tuple:
        hits.append(1)
        return (503, {}, b"busy", 0.0) if len(hits) == 1 else (200, HTML, page, 0.0)

    return route


def test_links_as_jobs_for_two_workers(tmp_path: Path, st_embedder, onnx_model, database_url: str):
    data = with_onnx(tmp_path / "data", onnx_model, Settings().store.model)
    settings = Settings(data_dir=data, database_url=database_url, fetch_allow_loopback=True, fetch_ports=[])
    conversation = Conversation(build_engine(settings, embedder=st_embedder))
    library = conversation.engine.library
    jobs = library.jobs
    assert jobs is not None
    stories = [Story(n, *PEOPLE[n % len(PEOPLE)]) for n in range(21)]
    tries: list[int] = []
    routes = {s.path: (200, HTML, s.page(), 0.0) for s in stories[:20]}
    routes["/flaky.html"] = flaky(stories[20].page(), tries)
    with serve(routes) as base:
        links = [base + s.path for s in stories[:20]] + [base + "/flaky.html"]
        assert conversation.queue(links, EVERYTHING, 5) == ["Reading 21 links; I'll say when it's done."]
        assert conversation.queue(links[:1], EVERYTHING, 5) == [f"Already reading {links[0]}"]
        with pytest.raises(RuntimeError), library.store.state() as db:  # a request that fails after enqueuing
            JobTable.enqueue(db, base + "/never.html", "shared", 5)
            raise RuntimeError("the request failed")
        assert jobs.counts() == {"todo": 21}
        workers = [start_worker(settings, tmp_path / f"worker-{n}.log") for n in range(2)]
        try:
            wait_for(lambda: jobs.counts().get("succeeded", 0) == 21, 600, workers)
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
                worker.wait(60)
    assert len(library.article_ids()) == 21 and len(set(library.article_ids())) == 21, "each stored once"
    assert len(tries) == 2, "the failing page was tried again"
    reports = conversation.job_reports()
    assert len(reports) == 21 and {chat for chat, _ in reports} == {5}
    assert all(text.startswith("Added: ") for _, text in reports)
    logs = [(tmp_path / f"worker-{n}.log").read_text() for n in range(2)]
    assert all("Traceback" not in log for log in logs), logs
    assert all("INFO bot.jobs: job" in log for log in logs), "both workers ran jobs"


def start_worker(settings: Settings, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "WHOSAID_DATA_DIR": str(settings.store.data_dir),
        "WHOSAID_DATABASE_URL": settings.store.database_url.get_secret_value(),  # type: ignore[union-attr]
        "WHOSAID_FETCH_ALLOW_LOOPBACK": "true",
        "WHOSAID_FETCH_PORTS": "[]",
    }
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "worker", "--verbose"], env=env, cwd=ROOT, stdout=out, stderr=out
        )


def wait_for(done, timeout: float, workers: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert all(w.poll() is None for w in workers), "a worker stopped"
        assert time.monotonic() < deadline, "the jobs did not finish"
        time.sleep(0.5)

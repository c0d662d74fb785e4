"""The image and the process as a deployment runs them (issue 32): the Dockerfile's order and user, the build
context, the health check that only a running bot passes, and clear errors for a data dir it cannot write and an
empty token."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from tests.botapi import FakeBotAPI
from tests.conftest import ROOT
from tests.test_bot_e2e import bot, webhook_port  # noqa: F401  (fixtures)

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_dependencies_install_before_the_code_is_copied():
    lines = DOCKERFILE.splitlines()
    first_code = next(n for n, line in enumerate(lines) if line.startswith("COPY bot"))
    installs = [n for n, line in enumerate(lines) if "pip install -r" in line]
    assert installs and installs[0] < first_code, "a code change must not reinstall the dependencies"
    assert not re.search(r"torch==\d", DOCKERFILE), "torch is pinned once, in pyproject.toml"
    assert "rm -rf build ./*.egg-info" in DOCKERFILE


def test_the_image_runs_as_a_numeric_user_with_a_group_writable_volume():
    assert re.search(r"^USER \d+:0$", DOCKERFILE, re.M)
    assert "chmod 2775 /data" in DOCKERFILE and 'CMD ["whosaid", "health"]' in DOCKERFILE


def test_the_build_context_is_only_what_the_image_needs():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignored[ignored.index("*") :][:5] == ["*", "!pyproject.toml", "!README.md", "!bot/", "!index/"]


def test_health_needs_a_recent_heartbeat_and_creates_nothing(isolated: Path, capsys):
    data = isolated / "data"
    assert main(["health", "--data-dir", str(data)]) == 1
    assert "has not started" in capsys.readouterr().err
    assert not data.exists() or not any(data.iterdir()), "a health check creates no store"
    data.mkdir(parents=True, exist_ok=True)
    beat = data / "heartbeat"
    beat.touch()
    assert main(["health", "--data-dir", str(data)]) == 0
    os.utime(beat, (time.time() - 600, time.time() - 600))
    assert main(["health", "--data-dir", str(data)]) == 1


@pytest.mark.model
async def test_a_running_bot_is_healthy(bot: FakeBotAPI, tmp_path: Path):  # noqa: F811
    data = tmp_path / "data"
    for _ in range(50):
        if (data / "heartbeat").exists():
            break
        time.sleep(0.1)
    assert main(["health", "--data-dir", str(data)]) == 0


def test_a_data_dir_it_cannot_make_is_a_clear_error(isolated: Path, capsys):
    isolated.mkdir(parents=True, exist_ok=True)
    blocked = isolated / "file"
    blocked.write_text("not a folder")
    assert main(["articles", "--data-dir", str(blocked / "data")]) == 2
    assert "cannot create" in capsys.readouterr().err


def test_an_empty_token_is_a_clear_error(isolated: Path):
    env = {**os.environ, "WHOSAID_TELEGRAM_TOKEN": "", "WHOSAID_DATA_DIR": str(isolated / "data")}
    run = subprocess.run(
        [sys.executable, "-m", "bot", "serve"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2 and "set WHOSAID_TELEGRAM_TOKEN" in run.stderr and "Traceback" not in run.stderr

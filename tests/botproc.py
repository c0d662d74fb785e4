"""The real bot process (`python -m bot serve`) against a local Bot API, started and stopped by a test; it can
be restarted on the same data dir, as after a deploy."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.botapi import TOKEN, FakeBotAPI
from tests.conftest import ROOT

START_TIMEOUT = 120.0


class BotProcess:
    def __init__(self, api: FakeBotAPI, data: Path, log: Path, webhook_port: int | None = None, **env: str) -> None:
        """`env`: more WHOSAID_* settings, by flat name (`feed_check_seconds="0.5"`)."""
        self.api = api
        self.extra = {f"WHOSAID_{key.upper()}": value for key, value in env.items()}
        self.data = data
        self.log = log
        self.webhook_port = webhook_port
        self.proc: asyncio.subprocess.Process | None = None

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "WHOSAID_TELEGRAM_TOKEN": TOKEN,
            "WHOSAID_TELEGRAM_API_URL": f"{self.api.base_url}/bot",
            "WHOSAID_TELEGRAM_FILE_URL": f"{self.api.base_url}/file/bot",
            "WHOSAID_DATA_DIR": str(self.data),
            "WHOSAID_ADMINS": "[42]",
            "WHOSAID_RATE_LIMIT_PER_MINUTE": "5",
            **self.extra,
        }
        if self.webhook_port:
            env["WHOSAID_WEBHOOK_URL"] = f"http://127.0.0.1:{self.webhook_port}"
            env["WHOSAID_WEBHOOK_LISTEN"] = "127.0.0.1"
            env["WHOSAID_WEBHOOK_PORT"] = str(self.webhook_port)
            env["WHOSAID_WEBHOOK_SECRET"] = "s3cret-hook"
        return env

    async def start(self) -> None:
        """Start the bot and wait until it polls (or has set its webhook)."""
        ready_call = "setWebhook" if self.webhook_port else "getUpdates"
        calls_before = self.api.calls.count(ready_call)
        with self.log.open("a") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "serve", env=self.env(), cwd=ROOT, stdout=out, stderr=out
            )
        deadline = asyncio.get_running_loop().time() + START_TIMEOUT
        while self.api.calls.count(ready_call) <= calls_before:
            assert self.proc.returncode is None, self.log.read_text()
            assert asyncio.get_running_loop().time() < deadline, "bot did not start polling"
            await asyncio.sleep(0.2)

    async def stop(self, sig: int = signal.SIGTERM) -> None:
        """SIGTERM, as a service manager stops it (or Ctrl-C's SIGINT); its log must hold no traceback and never
        the token."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(sig)
            try:
                await asyncio.wait_for(self.proc.wait(), 30)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        output = self.log.read_text() if self.log.exists() else ""
        assert "Traceback" not in output, output
        assert TOKEN not in output

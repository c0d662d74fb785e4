"""Load test: N simulated users x M questions each through the local Bot API server to the real bot process.

python -m bench.bot_load [--users 20] [--questions 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from telegram import Chat, User

from bench.common import ROOT, percentiles, save
from tests.botapi import TOKEN, FakeBotAPI

QUESTIONS = [
    "Who leads the repair crew?",
    "What did Desai say about the strike?",
    "Who praised amateur observers?",
    "What did Greer call the school meals plan?",
    "How much did the bridge repairs cost?",
    "Who found the comet?",
    "When does the strike begin?",
    "What did Marsh promise?",
    "What did Vell say about bills?",
    "Who welcomed the free school meals?",
]


async def user_session(api: FakeBotAPI, user_id: int, questions: int, timeout: float) -> list[float | None]:
    user, chat = User(user_id, f"u{user_id}", False), Chat(user_id, Chat.PRIVATE)
    times: list[float | None] = []
    for i in range(questions):
        mark = len(api.sent)
        start = time.perf_counter()
        api.user_message(user, chat, QUESTIONS[(user_id + i) % len(QUESTIONS)])
        try:
            await api.wait_for(lambda m: m["method"] == "sendMessage" and m["chat_id"] == user_id, timeout, mark)
            times.append(time.perf_counter() - start)
        except TimeoutError:
            times.append(None)
    return times


async def run(users: int, questions: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = {**os.environ, "WHOSAID_DATA_DIR": str(data)}
        await (
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "ingest", "--samples", env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL
            )
        ).wait()
        api = FakeBotAPI()
        url = await api.start()
        env.update(
            {
                "WHOSAID_TELEGRAM_TOKEN": TOKEN,
                "WHOSAID_TELEGRAM_API_URL": f"{url}/bot",
                "WHOSAID_RATE_LIMIT_PER_MINUTE": "10000",
            }
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "serve", env=env, cwd=ROOT, stderr=asyncio.subprocess.DEVNULL
        )
        try:
            while "getUpdates" not in api.calls:
                await asyncio.sleep(0.2)
            start = time.perf_counter()
            results = await asyncio.gather(*(user_session(api, 1000 + u, questions, 60) for u in range(users)))
            wall = time.perf_counter() - start
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 60)
            await api.stop()
    times = [t for session in results for t in session]
    done = [t * 1000 for t in times if t is not None]
    return {
        "users": users,
        "questions_each": questions,
        "sent": len(times),
        "answered": len(done),
        "lost": len(times) - len(done),
        "round_trip_ms": percentiles(done),
        "wall_s": wall,
        "answers_per_s": len(done) / wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()
    result = asyncio.run(run(args.users, args.questions))
    print(result)
    save("bot_load", result)


if __name__ == "__main__":
    main()

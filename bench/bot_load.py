"""Load test: N simulated users x M questions each through the local Bot API server to the real bot process.

Also: seconds from launch to ready (polling), and right after it the reply times of a refused link and of a first
question; at the end, the seconds the bot takes to exit on Ctrl-C (SIGINT) while a 540 KB file is being added.

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

ADMIN = User(42, "Ada", False)
LONG_FILE = "Town records\n" + "\n".join(
    f"Item {n}: the council noted that the {n}th lamp on Quay Street was repaired by the night crew."
    for n in range(6000)
)  # about 540 KB: Ctrl-C arrives while it is embedded
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


async def first_replies(api: FakeBotAPI) -> dict[str, float]:
    """Right after the bot is ready: an admin's link to a refused address, then a first question (ms to reply)."""
    chat = Chat(ADMIN.id, Chat.PRIVATE)
    times = {}
    for name, text in (("first_refusal_ms", "/add http://127.0.0.1/article"), ("first_answer_ms", QUESTIONS[0])):
        mark, start = len(api.sent), time.perf_counter()
        api.user_message(ADMIN, chat, text)
        await api.wait_for(lambda m: m["method"] == "sendMessage" and m["chat_id"] == ADMIN.id, 120, mark)
        times[name] = (time.perf_counter() - start) * 1000
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
        env["WHOSAID_ADMINS"] = f"[{ADMIN.id}]"
        launched = time.perf_counter()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "serve", env=env, cwd=ROOT, stderr=asyncio.subprocess.DEVNULL
        )
        try:
            while "getUpdates" not in api.calls:
                await asyncio.sleep(0.01)
            ready = time.perf_counter() - launched
            first = await first_replies(api)
            start = time.perf_counter()
            results = await asyncio.gather(*(user_session(api, 1000 + u, questions, 60) for u in range(users)))
            wall = time.perf_counter() - start
            mark = len(api.sent)
            api.user_document(ADMIN, Chat(ADMIN.id, Chat.PRIVATE), "records.txt", LONG_FILE.encode())
            await api.wait_for(lambda m: m["method"] == "sendChatAction", 60, mark)
            await asyncio.sleep(1.0)
        finally:
            stopping = time.perf_counter()
            proc.send_signal(signal.SIGINT)
            await asyncio.wait_for(proc.wait(), 120)
            exit_s = time.perf_counter() - stopping
            await api.stop()
    times = [t for session in results for t in session]
    done = [t * 1000 for t in times if t is not None]
    return {
        "start_to_ready_s": ready,
        "exit_during_ingest_s": exit_s,
        **first,
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

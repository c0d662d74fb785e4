"""Two replicas of the bot behind one webhook (issue 32): two real bot processes in webhook mode share one
PostgreSQL store, and the test is their load balancer, handing each update to the replica it chooses, as
Telegram's webhook behind a balancer would. A button made by one is pressed through the other; a follow-up on one
continues an answer the other gave; the rate limit counts across both; a link added through one is read by a
worker, whose report one of them sends."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import aiohttp
import pytest
from telegram import Chat

from bot.engine import build_engine
from bot.settings import Settings
from tests.botapi import FakeBotAPI
from tests.botproc import BotProcess
from tests.conftest import ROOT, SAMPLES, with_onnx
from tests.feedsite import PEOPLE, Story
from tests.httpserver import serve
from tests.test_bot_e2e import ADMIN, HASTY, free_port, private, text_to

pytestmark = pytest.mark.model
SECRET = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-hook"}
LOCAL_LINKS = {"fetch_allow_loopback": "true", "fetch_ports": "[]"}


class Balancer:
    """Hands the update a user just sent to the replica on this port."""

    def __init__(self, api: FakeBotAPI, ports: list[int], env: dict[str, str]) -> None:
        self.api = api
        self.ports = ports
        self.env = env  # what a worker beside the replicas runs with

    async def deliver(self, replica: int) -> None:
        hook = f"http://127.0.0.1:{self.ports[replica]}/telegram"
        async with aiohttp.ClientSession() as session:
            for _ in range(100):  # a replica's webhook server starts right after its setWebhook
                try:
                    async with session.post(hook, json=self.api.updates[-1], headers=SECRET) as response:
                        assert response.status == 200
                        return
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
        raise AssertionError(f"replica {replica} took no update")


@pytest.fixture
async def replicas(tmp_path: Path, st_embedder, onnx_model, database_url: str):
    data = with_onnx(tmp_path / "data", onnx_model, Settings().store.model)
    engine = build_engine(Settings(data_dir=data, database_url=database_url), embedder=st_embedder)
    engine.ingest([str(SAMPLES)])
    engine.close()
    api = FakeBotAPI()
    await api.start()
    ports = [free_port(), free_port()]
    processes = [
        BotProcess(api, data, tmp_path / f"bot-{n}.log", port, database_url=database_url, **LOCAL_LINKS)
        for n, port in enumerate(ports)
    ]
    try:
        for process in processes:
            await process.start()
        yield Balancer(api, ports, processes[0].env())
    finally:
        for process in processes:
            await process.stop()
        await api.stop()


async def test_replicas_share_buttons_follow_ups_and_limits(replicas: Balancer):
    api = replicas.api
    mark = len(api.sent)
    api.user_message(ADMIN, private(ADMIN), "Who said the smear had moved?")
    await replicas.deliver(0)
    answer = await api.wait_for(text_to(42, "Peter Hallam"), start=mark)
    button = answer["reply_markup"]["inline_keyboard"][0][0]

    mark = len(api.sent)
    api.press(ADMIN, answer["result"], button["callback_data"])
    await replicas.deliver(1)
    passage = await api.wait_for(text_to(42, "Hallam"), start=mark)
    assert "<blockquote>" in passage["text"], "the other replica showed the button's own passage"

    mark = len(api.sent)
    api.user_message(ADMIN, private(ADMIN), "What did he say?")
    await replicas.deliver(1)
    follow_up = await api.wait_for(text_to(42), start=mark)
    assert follow_up["text"].startswith("Peter Hallam"), "“he” is the person of the other replica's answer"

    story = Story(3, *PEOPLE[3])
    with serve({story.path: (200, {"Content-Type": "text/html"}, story.page(), 0.0)}) as base:
        mark = len(api.sent)
        api.user_message(ADMIN, private(ADMIN), f"/add {base}{story.path}")
        await replicas.deliver(1)
        await api.wait_for(text_to(42, "Reading 1 link"), start=mark)
        worker = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "worker", "--once", env=replicas.env, cwd=ROOT
        )
        assert await worker.wait() == 0
        added = await api.wait_for(text_to(42, "Added: "), start=mark)
        assert "Lindqvist" in added["text"], "a replica sent the worker's report to the chat that asked"

    group = Chat(-100, Chat.GROUP)
    mark = len(api.sent)
    api.user_message(ADMIN, group, "/subscribe politics")
    await replicas.deliver(0)
    await api.wait_for(text_to(-100, "politics"), start=mark)
    await asyncio.sleep(6)  # the other replica reads the chats' choices again every 5 s
    mark = len(api.sent)
    api.user_message(ADMIN, group, "/collections")
    await replicas.deliver(1)
    listed = await api.wait_for(text_to(-100, "politics"), start=mark)
    assert "✓ politics" in listed["text"], "a choice made through one replica holds in the other"

    for n in range(6):
        api.user_message(HASTY, private(HASTY), f"What did Desai say about the strike? ({n})")
        await replicas.deliver(n % 2)
    await api.wait_for(text_to(8, "asking faster than I can read"))

"""Watches and alerts (issue 31, item 4), on the real model: a speaker, a speaker on a topic, a topic alone; only
in what the watching chat may read; once per statement; muted watches stay quiet; unsure attributions never
alert."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.digests import due_digests, next_time, parse_digest
from bot.engine import Engine, build_engine
from bot.watches import Watchers, parse_watch
from index.models import SHARED
from tests.fakes import extractor
from tests.feedsite import PEOPLE, Story

CHAT_1 = ["chat:1", SHARED]
CHAT_2 = ["chat:2", SHARED]


def known(name: str) -> bool:
    return name in {"Putin", "Elizabeth Warren"}


@pytest.mark.parametrize(
    ("argument", "speaker", "topic"),
    [
        ("Putin", "Putin", None),
        ("Putin Donbas", "Putin", "Donbas"),
        ('"peace plan"', None, "peace plan"),
        ("Putin “peace plan”", "Putin", "peace plan"),
        ("Elizabeth Warren about Stumpf", "Elizabeth Warren", "Stumpf"),
        ("Mara Quint", "Mara Quint", None),
        ("Mara Quint ferries", "Mara Quint", "ferries"),
        ("night trains", None, "night trains"),
        ("Putin about", "Putin", None),
    ],
)
def test_what_a_watch_asks_for(argument: str, speaker: str | None, topic: str | None) -> None:
    asked = parse_watch(argument, known)
    assert (asked.speaker, asked.topic) == (speaker, topic)


@pytest.mark.parametrize("argument", ['""', "“”", "   ", "about", "x" * 300])
def test_a_watch_that_names_nothing_is_refused(argument: str) -> None:
    assert parse_watch(argument, known) is None


def add_story(engine: Engine, tmp_path: Path, story: Story, collection: str) -> None:
    page = tmp_path / f"story-{story.n}.html"
    page.write_bytes(story.page())
    assert [r.status for r in engine.ingest([str(page)], collection=collection).results] == ["added"]


def story(n: int) -> Story:
    return Story(n, *PEOPLE[n % len(PEOPLE)])


def test_alerts_by_speaker_and_topic_in_what_each_chat_reads(real_engine: Engine, tmp_path: Path) -> None:
    watchers = Watchers(real_engine)
    quint = watchers.watch(1, "Mara Quint", CHAT_1)
    trains = watchers.watch(1, '"night trains"', CHAT_1)
    theirs = watchers.watch(2, "Mara Quint", CHAT_2)
    assert quint.speaker == "Mara Quint" and trains.topic == "night trains" and theirs.chat_id == 2
    add_story(real_engine, tmp_path, story(0), "chat:1")  # Mara Quint, in chat 1's own collection
    add_story(real_engine, tmp_path, story(7), SHARED)  # Henrik Mbeki on night trains
    add_story(real_engine, tmp_path, story(1), SHARED)  # Jonas Abele: no one watches him
    assert watchers.scan() == 2
    [alert] = watchers.alerts()
    assert alert.chat_id == 1 and {w.id for w in alert.watches} == {quint.id, trains.id}
    text = alert.answer.answer
    assert text.startswith("New for your watches: ") and "Mara Quint said" in text and "Henrik Mbeki said" in text
    assert "Abele" not in text and len(alert.answer.citations) == 2
    watchers.delivered(alert)
    assert watchers.alerts() == [] and watchers.scan() == 0, "each statement alerts once"

    real_engine.watches.mute(quint.id, 1)
    add_story(real_engine, tmp_path, story(12), SHARED)  # Mara Quint again, now shared
    assert watchers.scan() == 2  # found for both chats' watches
    [alert] = watchers.alerts()
    assert alert.chat_id == 2, "chat 1 muted its watch"
    assert next(h.speaker for h in real_engine.watches.since(1, 0)) == "Mara Quint", "the digest still has it"
    real_engine.watches.set_digest(parse_digest("7:30", 1, 0.0), 1)
    clock = datetime(2026, 12, 8, 7, 31, tzinfo=UTC).timestamp()
    [page] = due_digests(watchers, clock)
    assert page.total == 3 and page.answer.answer.startswith(
        "Who said what for your watches since 1969-12-31 07:30 UTC: "
    )
    assert page.answer.answer.index("Mara Quint") < page.answer.answer.index("Henrik Mbeki"), "newest first"
    [digest] = real_engine.watches.digests(chat_id=1)
    assert digest.last_sent == clock and digest.next_due == clock - 60 + 86400
    assert due_digests(watchers, clock + 60) == [], "once a day"
    real_engine.watches.set_digest(parse_digest("7:30", 3, 0.0), 3)  # chat 3 watches no one
    assert due_digests(watchers, clock) == [] and real_engine.watches.digests(chat_id=3)[0].next_due > clock


def test_digest_times_in_their_zone() -> None:
    winter = datetime(2026, 12, 7, 21, 0, tzinfo=UTC).timestamp()  # 22:00 in Berlin
    digest = parse_digest("08:00 Europe/Berlin", 5, winter)
    assert datetime.fromtimestamp(digest.next_due, UTC) == datetime(2026, 12, 8, 7, 0, tzinfo=UTC)
    assert datetime.fromtimestamp(next_time("23:15", "America/New_York", winter), UTC).hour == 4
    assert "time zone" in parse_digest("08:00 Mars/Olympus", 5, winter)
    assert "HH:MM" in parse_digest("eight", 5, winter)
    assert parse_digest("8.05", 5, winter).at == "08:05"


def test_attributions_not_sure_enough_never_alert(settings, st_embedder, onnx_model, tmp_path: Path) -> None:
    from tests.conftest import with_onnx

    with_onnx(settings.store.data_dir, onnx_model, settings.store.model)
    engine = build_engine(settings.changed(min_confidence=1.0), embedder=st_embedder, quotes=extractor())
    try:
        watchers = Watchers(engine)
        watchers.watch(1, "Mara Quint", CHAT_1)
        add_story(engine, tmp_path, story(0), SHARED)
        assert watchers.scan() == 0 and watchers.alerts() == []
    finally:
        engine.close()

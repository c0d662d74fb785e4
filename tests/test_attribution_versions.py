"""Attributions kept as values with their versions (issue 32, item 1): each quote's rule in columns, a new
calibration recomputing stored confidences when the store is opened, a new name normaliser marking articles for
`whosaid reattribute`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine, build_engine
from bot.settings import Settings
from index.quotes import confidence as calibrated
from index.quotes.rules import Rule
from index.store import attributions
from tests.conftest import SAMPLES
from tests.fakes import HashEmbedder, extractor


def open_engine(data: Path) -> Engine:
    settings = Settings(data_dir=data).changed(model="fake/hash-embedder")
    return build_engine(settings, embedder=HashEmbedder(), quotes=extractor())


def rows(engine: Engine, sql: str) -> list[tuple]:
    return engine.library.store.select(sql)


def test_rules_are_columns_and_a_new_calibration_recomputes_confidences(isolated: Path, monkeypatch):
    engine = open_engine(isolated)
    engine.ingest([str(SAMPLES)])
    stored = rows(engine, "SELECT resolution, rule, reached, flags, kind, speaker, confidence FROM quotes")
    assert stored and all(Rule.of(r[1], r[2], r[3]) == Rule.parse(r[0]) for r in stored)
    assert {r[0] for r in rows(engine, "SELECT calibration FROM articles")} == {calibrated.calibration_version()}
    engine.close()

    fitted = calibrated.calibration().model_copy(deep=True)
    fitted.counts = {key: (right, wrong + 50) for key, (right, wrong) in fitted.counts.items()}  # stricter
    monkeypatch.setattr(calibrated, "calibration", lambda: fitted)
    monkeypatch.setattr(attributions, "calibration_version", lambda: "stricter")
    engine = open_engine(isolated)
    after = rows(engine, "SELECT kind, speaker, confidence, rule, reached, flags FROM quotes WHERE speaker IS NOT NULL")
    assert all(c <= old[6] for c, old in zip([r[2] for r in after], [s for s in stored if s[5]], strict=True))
    assert any(r[2] < s[6] for r, s in zip(after, [s for s in stored if s[5]], strict=True)), "confidences fell"
    assert {r[0] for r in rows(engine, "SELECT calibration FROM articles")} == {"stricter"}
    engine.close()


def test_a_new_name_normaliser_marks_articles_to_attribute_again(isolated: Path, monkeypatch):
    engine = open_engine(isolated)
    engine.ingest([str(SAMPLES)])
    assert engine.library.to_attribute() == 0
    engine.close()
    monkeypatch.setattr(attributions, "NAMES_VERSION", "next")
    engine = open_engine(isolated)
    assert engine.library.to_attribute() == 4
    monkeypatch.setattr("index.store.attributions.versions", lambda: (calibrated.calibration_version(), "next"))
    results = engine.library.reattribute()
    assert len(results) == 4 and engine.library.to_attribute() == 0
    engine.close()


@pytest.mark.parametrize(
    ("text", "kind", "calibrated_as"),
    [("continued-surname+beside", "mixed", "direct"), ("surname+beside", "mixed", "mixed"), ("", "direct", "direct")],
)
def test_a_continued_quotation_is_calibrated_as_a_direct_one(text: str, kind: str, calibrated_as: str):
    assert Rule.parse(text).calibrated_as(kind) == calibrated_as
    assert Rule.of(*Rule.parse(text).columns) == Rule.parse(text)


async def test_the_bot_attributes_stale_articles_again_in_the_background_at_start(settings: Settings, monkeypatch):
    from tests.test_handlers import fake, started, stop

    fake(settings).close()  # the samples, attributed with today's name normaliser
    monkeypatch.setattr(attributions, "NAMES_VERSION", "next")
    monkeypatch.setattr("index.store.attributions.versions", lambda: (calibrated.calibration_version(), "next"))
    _, app = await started(settings)
    service = app.bot_data["service"]
    assert service.reattributing is not None, "four articles named by an older normaliser"
    await service.reattributing
    assert service.conversation.to_attribute() == 0
    await stop(app)

"""Did X say Z? Each verdict on real sentences of PolNeAR dev articles (read in place), with the real model, and
the pure word checks behind them."""

from __future__ import annotations

import json

import pytest

from bot.answer.verdict import antonym, coverage, names_held, opposite
from bot.engine import Engine
from index.models import Article
from tests.conftest import corpus

ARTICLES = ("huff-post_2016-09-27_obama-power-plant-rules-face-key", "nyt_2016-09-19_obama-sees-personal-insult-if-bl")


@pytest.fixture
def engine(real_engine: Engine) -> Engine:
    rows = [json.loads(line) for line in corpus("polnear", "articles.jsonl").read_text("utf-8").splitlines()]
    real_engine.library.ingest(Article.model_validate(r) for r in rows if r["id"] in ARTICLES)
    return real_engine


@pytest.mark.model
def test_yes_when_their_words_say_it(engine: Engine):
    answer = engine.ask("Did Revesz say the Clean Power Plan is a very important rule?")
    assert answer.found and answer.answer.startswith("Yes. Richard Revesz said: “The Clean Power Plan")


@pytest.mark.model
def test_no_when_their_words_say_the_opposite(engine: Engine):
    answer = engine.ask("Did Revesz say the Clean Power Plan is the boundary-breaking behemoth?")
    assert answer.found and answer.answer.startswith("No. Richard Revesz said the opposite: “The Clean Power Plan")


@pytest.mark.model
def test_no_but_someone_else_said_it(engine: Engine):
    answer = engine.ask("Did Sharpton say the Clean Power Plan is not the boundary-breaking behemoth?")
    assert answer.answer.startswith("No, I find no such statement by Al Sharpton; Richard Revesz made it.")
    assert answer.citations[0].article_id == ARTICLES[0]


@pytest.mark.model
def test_not_in_the_articles(engine: Engine):
    answer = engine.ask("Did Revesz say the moon is made of cheese?")
    assert not answer.found and answer.answer == "I find no such statement by Richard Revesz in the articles."


def test_antonyms_by_prefix_and_negations_flip_a_claim():
    assert antonym("legitimate", "illegitimate") and antonym("unfair", "fair") and not antonym("in", "input")
    assert opposite("Zelensky's government is legitimate", "Zelensky’s government is illegitimate")
    assert opposite("the plan is a behemoth", "the plan is not the behemoth they claim")
    assert not opposite("the plan is a behemoth", "the plan is a behemoth")
    assert not opposite("she would raise taxes", "I will raise taxes on the wealthy")


def test_coverage_is_the_share_of_the_claims_words_held():
    assert coverage("she would raise taxes", "Trump has not released his taxes") == 0.5
    assert coverage("the government is legitimate", "the government is illegitimate") == 1.0
    assert coverage("", "anything") == 0.0


def test_what_a_claim_says_of_its_names_must_be_held_too():
    """A near miss of bench/data/near_miss_whosaid.txt: Clinton's quote holds every name of the claim, not "endorse"."""
    claim, quote = "Bernie Sanders would endorse Ted Cruz", "I will take Bernie Sanders over Donald Trump or Ted Cruz"
    assert coverage(claim, quote) == 0.8 and coverage(claim, quote, names=False) == 0.0
    assert (
        coverage(
            "the plan is a boundary-breaking behemoth", "the plan is not a boundary-breaking behemoth", names=False
        )
        == 1.0
    )
    assert coverage("Putin met Trump", "Putin met Trump in Helsinki", names=False) == 1.0


def test_every_name_and_number_of_the_claim_must_be_held():
    assert not names_held("Ted Cruz was born in Mexico", "Cruz was born in Calgary, Canada, to an American mother")
    assert names_held("Ukraine must withdraw from Donbas", "Ukraine must withdraw its forces from the Donbas region")
    assert names_held("Zelensky's government is legitimate", "Zelensky’s government is illegitimate")
    assert not names_held("taxes rose 40 percent", "taxes rose 30 percent")

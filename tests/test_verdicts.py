"""Did X say Z? Each verdict on real sentences of PolNeAR dev articles (read in place), with the real model, and
the pure word checks behind them."""

from __future__ import annotations

import json

import pytest

from bot.answer.verdict import antonym, opposite, verdict
from bot.engine import Engine
from index.models import Article
from tests.conftest import corpus
from tests.fakes import extractor

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
    assert not answer.found
    assert answer.answer == "Not that I can find: no statement of Richard Revesz’s in the articles says that."


def test_antonyms_by_prefix_and_negations_flip_a_claim():
    parse = extractor().parse
    assert antonym("legitimate", "illegitimate") and antonym("unfair", "fair") and not antonym("in", "input")
    assert opposite("Zelensky's government is legitimate", "Zelensky’s government is illegitimate", parse)
    assert opposite("the plan is a behemoth", "the plan is not the behemoth they claim", parse)
    assert not opposite("the plan is a behemoth", "the plan is a behemoth", parse)
    assert not opposite("she would raise taxes", "I will raise taxes on the wealthy", parse)


def test_a_negation_on_the_verb_far_from_the_shared_words_is_the_opposite():
    """Volker: “I was not on the July 25 call” never answers "Yes" to "he was on the July 25 phone call"; the
    "not" hangs on the verb, four words before the last word the two share."""
    parse = extractor().parse
    assert opposite("he was on the July 25 phone call", "I was not on the July 25 call", parse)
    assert opposite("he listened to the July 25 call", "I never listened in on the July 25 call", parse)
    assert not opposite("he was not on the July 25 call", "I was not on the July 25 call", parse)
    assert not opposite("he was on the call", "I was on the call, and it was not a pleasant one", parse)


SAID_CEASE = "Ukrainian troops will withdraw from the territories they occupy, and then the fighting will cease"


def test_a_predicate_the_quote_does_not_hold_is_never_a_yes():
    parse = extractor().parse
    said = "Ukrainian troops will withdraw from the territories they occupy, and then the fighting will cease"
    assert verdict("the fighting would spread after Ukraine withdraws", said, parse) == "unclear"
    assert verdict("the fighting will cease", said, parse) == "yes"


@pytest.mark.parametrize(
    ("claim", "said", "expected"),
    [
        ("the fighting would continue after Ukraine withdraws", SAID_CEASE, "opposite"),
        ("the fighting would carry on after Ukraine withdraws", SAID_CEASE, "opposite"),
        ("the fighting would not continue after Ukraine withdraws", SAID_CEASE, "unclear"),
        ("sales were higher than expected", "sales were lower than we expected", "opposite"),
        ("his doubts were helping the party", "His skepticism has severely hurt the party", "opposite"),
        ("he was honored by the endorsement", "I am greatly honored by the endorsement", "yes"),
    ],
)
def test_a_contrary_predicate_is_the_opposite(claim: str, said: str, expected: str):
    """ "carry on" / "cease", "higher" / "lower", "help" / "hurt" (index.text.lexicon.CONTRARIES), each with the same
    polarity; a contrary under a negation ("would not continue") is not read as a "yes"."""
    assert verdict(claim, said, extractor().parse) == expected


def test_each_verb_of_a_joined_predicate_is_read():
    parse = extractor().parse
    claim = "Hillary Clinton has held real jobs and accomplished a great deal"
    said = "Ham described Clinton as “a lifetime politician” who “has never accomplished anything”"
    assert verdict(claim, said, parse) == "opposite"


def test_a_negated_verb_negates_its_open_complement_but_whether_or_not_negates_nothing():
    parse = extractor().parse
    assert opposite("the town would gladly pay for the fence", "We are not going to pay a cent for that fence", parse)
    assert not opposite("the town would not pay for the fence", "We are not going to pay a cent for that fence", parse)
    assert opposite("she could pay the fine", "I won't be able to pay the fine", parse)
    assert not opposite("both clubs want the merger", "I wonder whether or not both clubs want the merger", parse)


@pytest.mark.model
def test_not_going_to_pay_is_the_opposite_of_paying_on_a_real_article(real_engine: Engine):
    wanted = "huff-post_2016-07-18_more-offensive-things-donald-tru"
    rows = [json.loads(line) for line in corpus("polnear", "articles.jsonl").read_text("utf-8").splitlines()]
    real_engine.library.ingest(Article.model_validate(r) for r in rows if r["id"] == wanted)
    answer = real_engine.ask("Did Felipe Calderón say Mexicans would gladly pay for Trump's foolish border wall?")
    assert answer.answer.startswith("No. Felipe Calderón said the opposite")
    answer = real_engine.ask("Did Felipe Calderón say Mexicans would not pay a penny for Trump's foolish border wall?")
    assert not answer.answer.startswith("No")

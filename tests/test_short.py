"""Short answers by the question's slot, on the real spaCy parse."""

import pytest

from bot.answer.questions import parse
from bot.answer.short import IN_PLACE, short_answer
from tests.fakes import extractor


def short(question: str, sentence: str):
    nlp = extractor().parse
    return short_answer(parse(question, nlp), question, sentence, nlp)


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Who unveiled the 28-point plan?",
            "The remarks come after President Donald Trump last week unveiled a 28-point peace plan.",
            "Donald Trump",
        ),
        (
            "When was the crossing closed?",
            "The steel crossing was closed in September 2024 after inspectors found corrosion.",
            "September 2024",
        ),
        (
            "How many school kitchens will be built over the summer?",
            "Alvarez insisted that the first 200 school kitchens would be built over the summer.",
            "200",
        ),
        (
            "Who leads the US delegation?",
            "Putin confirmed that a US delegation led by special envoy Steve Witkoff is expected to arrive in Moscow.",
            "Steve Witkoff",
        ),
        (
            "Where will the delegation arrive?",
            "A US delegation led by Steve Witkoff is expected to arrive in Moscow early next week.",
            "Moscow",
        ),
        (
            "Who did she compare Trump to?",
            "She compared Donald Trump to Silvio Berlusconi in a speech on Monday.",
            "Silvio Berlusconi",
        ),
        (
            "According to which newspaper did Trump say he was happy to see Khan voted in?",
            "Trump said he was happy to see Khan voted in, according to The New York Times.",
            "The New York Times",
        ),
    ],
)
def test_the_phrase_in_the_asked_slot(question: str, sentence: str, expected: str):
    found = short(question, sentence)
    assert found is not None and found.text == expected


def test_the_slot_beats_a_nearer_name():
    found = short("Who did she compare Trump to?", "She compared Donald Trump to Silvio Berlusconi.")
    assert found is not None and found.score == IN_PLACE


def test_a_name_the_question_gives_is_never_the_answer():
    found = short("Who did she compare Trump to?", "Donald Trump was compared to a showman.")
    assert found is None or "Trump" not in found.text


def test_no_fitting_phrase_means_no_short_answer():
    assert short("Who unveiled the plan?", "The plan was unveiled last week.") is None
    assert short("What is the plan?", "Donald Trump unveiled it.") is None
    sentence = (
        "A comet first spotted by a retired teacher has been confirmed by the Ridgeway Observatory, which "
        "said that the object will pass closest to the Sun in late October."
    )
    found = short("Who discovered the comet?", sentence)
    assert found is None or found.score < IN_PLACE

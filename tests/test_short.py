import pytest

from bot.answer.short import question_kind, short_answer
from tests.fakes import extractor


def entities(text: str):
    return extractor().parse(text)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who unveiled the plan?", "who"),
        ("Who said it?", None),
        ("When did the bridge close?", "when"),
        ("In what year did Tesla die?", "when"),
        ("Where is the observatory?", "where"),
        ("How many members backed the strike?", "how_many"),
        ("How much did the repairs cost?", "how_much"),
        ("What did Putin say?", None),
    ],
)
def test_question_kinds(question: str, kind: str | None):
    assert question_kind(question) == kind


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
    ],
)
def test_short_answers(question: str, sentence: str, expected: str):
    assert short_answer(question, sentence, entities) == expected


def test_no_fitting_entity_means_no_short_answer():
    assert short_answer("Who unveiled the plan?", "The plan was unveiled last week.", entities) is None
    assert short_answer("What is the plan?", "Donald Trump unveiled it.", entities) is None
    sentence = (
        "A comet first spotted by a retired teacher has been confirmed by the Ridgeway Observatory, which "
        "said that the object will pass closest to the Sun in late October."
    )
    assert short_answer("Who discovered the comet?", sentence, entities) is None

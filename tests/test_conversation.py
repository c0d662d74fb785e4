"""A chat's conversation on the real model and the bundled samples: small talk, pronouns with and without
someone named before, questions about what an outlet says."""

from __future__ import annotations

import pytest

from bot.conversation import ChatContext, Conversation, small_talk
from bot.engine import Engine
from tests.conftest import SAMPLES

pytestmark = pytest.mark.model


@pytest.fixture
def conversation(real_engine: Engine) -> Conversation:
    real_engine.ingest([str(SAMPLES)])
    return Conversation(real_engine)


@pytest.mark.parametrize("text", ["hi", "Hello!", "thanks!", "Thank you so much", "?", "👍", "ok", "  "])
def test_small_talk(text: str):
    assert small_talk(text.strip())


@pytest.mark.parametrize("text", ["Who said hi?", "What did Hallam say?", "Thanks to whom was the bridge fixed?"])
def test_questions_are_not_small_talk(text: str):
    assert not small_talk(text)


@pytest.mark.parametrize(
    ("text", "reply"),
    [("thanks!", "You're welcome!"), ("Thank you so much", "You're welcome!"), ("bye", "Goodbye!"), ("ok", "Glad")],
)
def test_thanks_and_goodbye_are_answered_as_such(conversation: Conversation, text: str, reply: str):
    answer = conversation.ask(ChatContext(), text)
    assert not answer.found and answer.answer.startswith(reply) and "Hello" not in answer.answer


def test_a_greeting_gets_what_to_ask_built_from_the_articles(conversation: Conversation):
    answer = conversation.ask(ChatContext(), "hi")
    assert not answer.found and not answer.citations
    assert answer.answer.startswith("Hello! Ask me about the articles, for example: ")
    assert "I don't find" not in answer.answer and "?" in answer.answer


def test_he_with_no_one_named_before_is_asked_back(conversation: Conversation):
    answer = conversation.ask(ChatContext(), "What else did he say?")
    assert not answer.found and answer.answer.startswith("Who do you mean by “he”?")
    chat = ChatContext()
    first = conversation.ask(chat, "Who leads the repair crew?")
    assert first.found and chat.speaker is None, "an answer that names no speaker"
    assert conversation.ask(chat, "What did she say about the bridge?").answer.startswith("Who do you mean by “she”")


def test_he_after_a_named_speaker_is_that_speaker(conversation: Conversation):
    chat = ChatContext()
    assert conversation.ask(chat, "Who said the smear had moved?").speaker == "Peter Hallam"
    follow = conversation.ask(chat, "What did he say?")
    assert follow.found and follow.answer.startswith("Peter Hallam"), follow.answer
    more = conversation.ask(chat, "What else did he say?")
    assert more.answer == "That is all I find from Peter Hallam in the articles.", "his one statement was shown"


def test_what_an_outlet_says_is_answered_from_its_articles(conversation: Conversation):
    answer = conversation.ask(ChatContext(), "What does Science Desk Weekly say about the comet?")
    assert answer.found and answer.citations and "I find no quote" not in answer.answer
    assert {c.source for c in answer.citations} == {"Science Desk Weekly"}
    articles = conversation.ask(ChatContext(), "What do the articles say about the harbour bridge?")
    assert articles.found and "the articles in the articles" not in articles.answer


def test_a_follow_up_names_the_person_of_the_chat_where_a_pronoun_stands_for_them():
    from bot.answer.shapes import Shape
    from bot.follow_ups import follow

    def general(_: str) -> Shape:
        return Shape(kind="general")

    def did_say(_: str) -> Shape:
        return Shape(kind="did_say", speaker="Trump")

    def what_said(_: str) -> Shape:
        return Shape(kind="what_said", speaker="he")

    chat = ChatContext(speaker="Steve Witkoff", article_id="a1")
    accused = "what is Steve Witkoff accused of?"
    assert follow(chat, "what is he accused of?", general).tries == (
        ("what is he accused of?", True),
        (accused, True),
        (accused, False),
    ), "as written in the article, then with the name there and anywhere"
    assert follow(chat, "what is his plan?", general).tries[1] == ("what is Steve Witkoff’s plan?", True)
    claim = "did Trump say he would pay?"
    assert follow(chat, claim, did_say).tries == ((claim, True), (claim, False)), "his own 'he': not Witkoff"
    assert follow(chat, "did Trump praise him?", did_say).tries[-1] == ("did Trump praise Steve Witkoff?", False)
    assert follow(chat, "what is she accused of?", general).tries == (("what is she accused of?", True),)
    assert follow(chat, "what did he say?", what_said).tries == (
        ("what did Steve Witkoff say?", True),
        ("what did Steve Witkoff say?", False),
    )
    assert follow(chat, "what else did he tell Witkoff?", what_said).unclear == "he", "he is not Witkoff here"
    assert follow(ChatContext(article_id="a1"), "and what about the budget?", general).tries == (
        ("and what about the budget?", True),
        ("and what about the budget?", False),
    )

"""Follow-ups keep their thread (issue 30, item 2), on the seed article, our samples and the first 40 shared
PolNeAR articles with the real model: the last answer's speaker stays the context whatever kind of answer it was,
a reply to an answer is about that answer, and "what else" skips what was shown and says when there is no more."""

from __future__ import annotations

import pytest

from bot.conversation import ChatContext, Conversation
from bot.engine import Engine

pytestmark = pytest.mark.model


def test_he_after_a_who_is_answer_is_that_person(talk: Engine):
    conversation, chat = Conversation(talk), ChatContext()
    assert conversation.ask(chat, "Who is Yuri Ushakov?").found and chat.speaker == "Yuri Ushakov"
    follow = conversation.ask(chat, "What did he say?")
    assert "Who do you mean" not in follow.answer and "Ushakov" in follow.answer
    again = conversation.ask(chat, "who is he exactly?")
    assert again.answer == "Yuri Ushakov is described as a Kremlin aide [1].", "an aside asks nothing more"


def test_a_reply_to_an_answer_is_about_that_answer(talk: Engine):
    conversation, chat = Conversation(talk), ChatContext()
    first = conversation.ask(chat, "Who said Ukraine must pull its forces out of the Donbas?")
    assert first.found and first.speaker == "Vladimir Putin"
    conversation.ask(chat, "Who is Donna Brazile?")
    assert chat.speaker == "Donna Brazile"
    about = ChatContext(first.speaker, first.article_id)
    who = conversation.reply(chat, about, "Who is he?")
    assert who.found and who.answer.startswith("Vladimir Putin is described as"), who.answer
    assert chat.speaker == "Vladimir Putin", "the chat's thread follows the reply"


def test_what_else_skips_what_was_shown_and_says_when_there_is_no_more(talk: Engine):
    conversation, chat = Conversation(talk), ChatContext()
    first = conversation.ask(chat, "What did Ruth Alvarez say?")
    assert first.found
    shown = {c.text for c in first.citations}
    more = conversation.ask(chat, "What else did she say?")
    assert not {c.text for c in more.citations} & shown, more.answer
    while more.found:
        shown |= {c.text for c in more.citations}
        more = conversation.ask(chat, "What else did she say?")
        assert not {c.text for c in more.citations} & shown
    assert more.answer == "That is all I find from Ruth Alvarez in the articles."


def test_and_about_keeps_the_speaker_and_thanks_in_several_words_is_thanks(talk: Engine):
    conversation, chat = Conversation(talk), ChatContext()
    assert conversation.ask(chat, "What did Putin say about the Witkoff leak?").found
    about = conversation.ask(chat, "and about Zelensky's government?")
    assert about.found and "Putin" in about.answer[:200], about.answer
    for thanks in ("ok thanks", "great, thanks"):
        assert conversation.ask(chat, thanks).answer.startswith("You're welcome!")
    assert conversation.ask(chat, "thanks, bye").answer.startswith("You're welcome, and goodbye!")


def test_his_or_hers_in_any_question_is_the_person_of_the_chat_and_is_looked_for_in_their_article(talk: Engine):
    conversation, chat = Conversation(talk), ChatContext()
    first = conversation.ask(chat, "who said no kid should be trying to study on an empty stomach?")
    assert first.speaker == "Ruth Alvarez" and chat.article_id == "sample-school-meals", "the closest names her"
    paid = conversation.ask(chat, "how is she going to pay for it?")
    assert paid.found and {c.article_id for c in paid.citations} == {"sample-school-meals"}, paid.answer


def test_a_he_the_chat_cannot_name_is_not_looked_for_in_other_articles(talk: Engine):
    conversation, chat = Conversation(talk), ChatContext()
    assert conversation.ask(chat, "Who is Steve Witkoff?").found
    accused = conversation.ask(chat, "what is he accused of?")
    cited = {c.article_id for c in accused.citations}
    assert cited <= {"newsx-putin-donbas-withdraw"}, accused.answer


def test_how_someone_responded_is_what_they_said_and_lower_case_names_are_names(talk: Engine):
    conversation, chat = Conversation(talk), ChatContext()
    assert conversation.ask(chat, "what did the opposition councillor say about the mayor?").found
    responded = conversation.ask(chat, "and how did marsh respond?")
    assert responded.found and responded.speaker == "Helena Marsh", responded.answer


def test_an_answer_to_which_one_do_you_mean_asks_the_question_again_for_that_person(talk: Engine):
    conversation, chat = Conversation(talk), ChatContext()
    which = conversation.ask(chat, "What did King say?")
    assert which.which is not None and set(which.which.people) == {"Larry King", "Charlie King"}, which.answer
    assert which.answer.endswith("Ask with the full name, or just tell me which.")
    picked = conversation.ask(chat, "charlie")
    assert picked.found and picked.speaker == "Charlie King", picked.answer
    assert chat.which is None, "answered: the choice is made"
    assert conversation.ask(chat, "What did King say?").which is not None
    larry = conversation.ask(chat, "I mean Larry, about the show")
    assert larry.question == "What did Larry King say about the show?" and "Larry King" in larry.answer, larry.answer

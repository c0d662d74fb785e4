"""What people ask that is not a quote (issue 30, items 1 and 4), on the seed article, our samples and the first
40 shared PolNeAR articles with the real model: the bot's own /help examples, a quoted title (an article, never a
speaker), article listings that hold only articles about the topic."""

from __future__ import annotations

import pytest

from bot.conversation import ChatContext, Conversation
from bot.engine import Engine

pytestmark = pytest.mark.model


def test_the_help_examples_asked_back_are_answered(talk: Engine):
    conversation = Conversation(talk)
    examples = conversation.examples()
    assert len(examples) == 3
    for question in examples:
        answer = conversation.ask(ChatContext(), question)
        assert answer.found and answer.citations, (question, answer.answer)
        assert "I find no quote from" not in answer.answer


def test_a_quoted_title_is_an_article_and_its_lead_is_what_it_reports(talk: Engine):
    answer = talk.ask("What is “Obama on Climate Change: The Trends Are 'Terrifying'” about?")
    assert answer.found and answer.answer.startswith("“Obama on Climate Change: The Trends Are 'Terrifying'” (nyt")
    assert "reports: More than health care" in answer.answer and "ABSTRACT" not in answer.answer
    cited = answer.citations[0]
    assert talk.library.article(cited.article_id).text[cited.start : cited.end] == cited.text
    missing = talk.ask("What does “The moon is made of cheese” report?")
    assert not missing.found and missing.answer == "I have no article titled “The moon is made of cheese”."


def test_an_article_listing_holds_only_articles_about_the_topic(talk: Engine):
    answer = talk.ask("What articles do you have about Wells Fargo?")
    assert answer.found and answer.answer.startswith("I have 1 article about Wells Fargo: “Elizabeth Warren Hammers")
    assert "Coal" not in answer.answer
    assert talk.ask("What articles do you have about the moon landing?").answer == (
        "I find no article about the moon landing."
    )


def test_who_is_answers_with_the_whole_description_the_articles_give(talk: Engine):
    ushakov = talk.ask("Who is Yuri Ushakov?")
    assert ushakov.found and ushakov.answer == "Yuri Ushakov is described as a Kremlin aide [1]."
    brazile = talk.ask("Who is Donna Brazile?")
    expected = "Donna Brazile is described as the interim chairwoman of the Democratic National Committee [1]."
    assert brazile.found and brazile.answer == expected


def test_a_short_answer_is_the_passive_agent_never_the_subjects_modifier(talk: Engine):
    answer = talk.ask("Who removed Jill Stein from the debate site?")
    assert answer.found and answer.answer.startswith("Police [1].") and answer.short == "police"
    assert not answer.answer.startswith("Green Party")


def test_what_no_passage_states_is_refused_in_one_line_naming_it(talk: Engine):
    population = talk.ask("What is the population of Donetsk?")
    assert not population.found
    assert (
        population.answer == "I find nothing on the population of Donetsk in the articles; the closest passage is [1]."
    )
    mayor = talk.ask("Who is the mayor of Chicago?")
    assert not mayor.found and mayor.answer.startswith("I find nothing on the mayor of Chicago in the articles")
    assert talk.ask("Who leads the US delegation?").found, "an office the articles do give"

"""Names in questions are people (issue 30): a bare surname or first name means the person the articles quote,
never one they only mention; a name shared by people quoted alike is asked back. On the seed article, our samples
and the first 40 shared PolNeAR articles with the real model, and on speaker records."""

from __future__ import annotations

import pytest

from bot.answer.speakers import _bare, _place_lone
from bot.engine import Engine
from index.models import SpeakerInfo


def person(name: str, quotes: int, sure: int) -> SpeakerInfo:
    return SpeakerInfo(name=name, quotes=quotes, sure=sure)


def test_a_bare_name_is_a_surname_first_and_a_person_surely_quoted():
    warren, buffett = person("Elizabeth Warren", 8, 8), person("Warren E. Buffett", 1, 1)
    assert _bare([warren, buffett], ["warren"]) == [warren]
    sanders = person("Bernie Sanders", 3, 3)
    assert _bare([sanders], ["bernie"]) == [sanders], "a first name no one has as a surname"
    michelle, mr = person("Michelle Obama", 2, 0), person("Obama", 45, 40)
    assert _bare([mr, michelle], ["obama"]) == [mr]
    assert _bare([michelle], ["michelle", "obama"]) == [michelle], "asked by full name, however unsure"


def test_a_surname_stored_alone_joins_its_one_namesake_unless_quoted_far_more():
    ryan, paul = person("Ryan", 5, 5), person("Paul Ryan", 2, 2)
    assert _place_lone([paul], [ryan]) == ([paul], ["Ryan"])
    obama, michelle = person("Obama", 45, 40), person("Michelle Obama", 1, 1)
    assert _place_lone([michelle], [obama]) == ([obama, michelle], [])
    hillary, bill, clinton = person("Hillary Clinton", 32, 30), person("Bill Clinton", 5, 5), person("Clinton", 3, 3)
    assert _place_lone([hillary, bill], [clinton]) == ([hillary, bill], []), "it could be either"


@pytest.mark.model
def test_obama_is_the_obama_the_articles_quote(talk: Engine):
    answer = talk.ask("What did Obama say about climate change?")
    assert answer.found and answer.speaker == "Obama" and "Obama" in answer.answer[:60]
    assert "Michelle" not in answer.answer
    did = talk.ask("Did Obama say he would run for a third term?")
    assert "Michelle" not in did.answer
    asked = talk.ask("What did Michelle Obama say?")
    assert "Michelle Obama" in asked.answer, "asked by her full name, she is who is meant"


@pytest.mark.model
def test_warren_is_elizabeth_warren_and_clinton_names_the_other_clinton(talk: Engine):
    answer = talk.ask("What did Warren say?")
    assert answer.found and answer.answer.startswith("Elizabeth Warren") and "Buffett" not in answer.answer
    assert "Buffett" not in talk.ask("Did Warren say Stumpf should resign?").answer
    clinton = talk.ask("What did Clinton say about Trump?")
    assert "Hillary Clinton" in clinton.answer[:40] and "The articles also quote Bill Clinton;" in clinton.answer

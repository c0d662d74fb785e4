"""Answers in plain English (issue 30, item 5), read on the seed article, our samples and the first 40 shared
PolNeAR articles with the real model: a name said once, a speaker list that reads the same on every page, the
NYT's ''doubled'' marks shown paired, confidence in words."""

from __future__ import annotations

import re

import pytest

from bot.conversation import Conversation
from bot.engine import Engine
from bot.telegram.render import quotes_html
from index.text.marks import shown

pytestmark = pytest.mark.model


def test_doubled_marks_are_shown_paired():
    assert shown("Not paying taxes ''makes me smart,'' he said.") == "Not paying taxes “makes me smart,” he said."
    assert shown("the plan was “a mess") == "the plan was “a mess”"
    assert shown("“Fine,” he said.") == "“Fine,” he said."


def test_a_reported_passage_that_names_its_speaker_is_not_preceded_by_the_name(talk: Engine):
    for question in ("What did Putin say about the Witkoff leak?", "What did Trump say about taxes?"):
        answer = talk.ask(question)
        assert answer.found
        first = answer.answer.split("[2]")[0]
        name = answer.speaker or ""
        assert first.count(name.split()[-1]) <= 1 or not first.startswith(name), first


def test_quotes_pages_name_one_person_with_paired_marks_and_words_for_doubt(talk: Engine):
    conversation = Conversation(talk)
    pages = [conversation.quotes_page("Trump", n) for n in range(3)]
    assert pages[0].pages >= 2
    shown_pages = [quotes_html(p, conversation.confidence_needed) for p in pages]
    heads = {re.match(r"<b>What (.+?) is quoted", html)[1] for html in shown_pages}
    assert heads == {"Donald Trump"}, heads
    for html in shown_pages:
        assert "''" not in html and not re.search(r"\d\.\d\d\)", html)
        body = re.sub(r"<[^>]+>", "", html)
        for line in body.splitlines()[1:]:
            said = line.split(" (")[0] if "“" not in line else line
            assert said.count("“") >= said.count("”") - 1, line

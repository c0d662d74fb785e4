"""A question in another language is answered "I read English articles only", in that language where we wrote
it (issue 30, item 5); no English question is taken for a foreign one."""

from __future__ import annotations

import json

import pytest

from bot.answer.languages import ENGLISH_ONLY, IN_THEIR_LANGUAGE
from bot.engine import Engine
from index.text.language import foreign
from tests.conftest import ROOT, corpus


def test_questions_in_other_languages_are_told_apart_from_english_names():
    assert foreign("¿Quién dijo que Ucrania debe retirarse del Donbás?") == "es"
    assert foreign("Кто сказал, что Украина должна уйти?") == "ru"
    assert foreign("من قال إن أوكرانيا يجب أن تنسحب؟") == "ar"
    assert foreign("Was hat Putin über den Donbas gesagt?") == "de"
    for english in ("Putin Zelensky?", "Witkoff?", "Sergei Lavrov Kremlin", "Who is Кирилл Буданов?", "Ushakov"):
        assert foreign(english) is None, english


def test_no_readers_question_in_english_is_taken_for_another_language():
    files = [corpus("web-news", "questions.jsonl"), *(ROOT / "bench" / "data").glob("whosaid_*.jsonl")]
    rows = [json.loads(line) for path in files for line in path.read_text("utf-8").splitlines() if line.strip()]
    asked = [r[k] for r in rows for k in ("q", "paraphrase", "near_miss") if k in r]
    asked += [json.loads(line)["question"] for line in corpus("xquad_en", "qa.jsonl").read_text("utf-8").splitlines()]
    assert len(asked) > 3000
    assert [q for q in asked if foreign(q)] == []


@pytest.mark.model
def test_a_question_in_arabic_or_spanish_gets_english_only_in_its_language(talk: Engine):
    answer = talk.ask("ماذا قال بوتين عن دونباس؟")
    assert not answer.found and answer.answer == f"{IN_THEIR_LANGUAGE['ar']}\n{ENGLISH_ONLY}"
    assert not answer.citations
    spanish = talk.ask("¿Qué dijo Putin sobre el Donbás?")
    assert spanish.answer.startswith("Solo leo artículos en inglés") and spanish.answer.endswith(ENGLISH_ONLY)
    assert talk.ask("What did Putin say about the Donbas?").found

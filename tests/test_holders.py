"""Who holds an office ("Who heads the Congressional Black Caucus?"), on the real spaCy parse: sentences of our
own, and real PolNeAR articles read in place."""

from __future__ import annotations

import json

import pytest

from bot.answer.holders import find, roles_for
from bot.answer.questions import parse
from tests.conftest import corpus, hits
from tests.fakes import extractor


def holder(question: str, *texts: str):
    nlp = extractor().parse
    shape = parse(question, nlp)
    assert shape.role and shape.subject, shape
    return find(shape.role, shape.subject, hits(*texts), nlp)


def test_the_office_is_worded_as_the_sentence_words_it_and_its_own_appositive_names_it():
    found = holder(
        "Who chairs the Harbour Caucus?", "“We will win,” Harbour Caucus Chairman Dana Whitfield told reporters."
    )
    assert found is not None and (found.name, found.role) == ("Dana Whitfield", "Harbour Caucus Chairman")
    found = holder(
        "Who is the chair of the Harbour Caucus?", "The Harbour Caucus chairwoman, Dana Whitfield, sat down."
    )
    assert found is not None and found.name == "Dana Whitfield"


@pytest.mark.parametrize(
    ("question", "text", "name"),
    [
        (
            "Who heads the Harbour Caucus?",
            "“We will keep pushing,” said Rep. Dana Whitfield (D-Ohio), head of the Harbour Caucus.",
            "Dana Whitfield",
        ),
        (
            "Who is the chair of the Harbour Caucus?",
            "Harbour Caucus Chairman Dana Whitfield said the vote would wait.",
            "Dana Whitfield",
        ),
        ("Who leads the Harbour Caucus?", "Dana Whitfield, who leads the Harbour Caucus, said no.", "Dana Whitfield"),
        (
            "Who is the Kremlin's spokesman?",
            "Kremlin spokesman Dmitry Peskov said on Monday that talks went on.",
            "Dmitry Peskov",
        ),
        (
            "Who is the leader of the Harbour Caucus?",
            "Dana Whitfield is the chairwoman of the Harbour Caucus.",
            "Dana Whitfield",
        ),
    ],
)
def test_the_holder_of_an_office_is_named(question: str, text: str, name: str):
    found = holder(question, text)
    assert found is not None and found.name == name
    assert found.evidence.text == text


@pytest.mark.parametrize(
    "text",
    [
        "Rep. Omar Lindqvist, chairman of the Harbour Caucus PAC, said members would help.",
        "Former Harbour Caucus chairman Ray Ellis said the vote would wait.",
        "The Harbour Caucus, led by a committee, said no.",
        "Dana Whitfield, who headed the Harbour Caucus, said no.",
        "Rep. Omar Lindqvist, deputy head of the Harbour Caucus, said members would help.",
        "Rep. Omar Lindqvist, vice-chairman of the Harbour Caucus, said members would help.",
        "Alumni include Acme CEO Dana Whitfield, Harbour Caucus head and author Omar Lindqvist, and others.",
    ],
)
def test_another_body_a_former_or_deputy_holder_a_list_or_no_person_is_no_answer(text: str):
    assert holder("Who heads the Harbour Caucus?", text) is None


def test_a_generic_office_is_answered_by_any_leading_one_a_named_office_by_its_own():
    assert {"chairman", "president", "director"} <= roles_for("head")
    assert roles_for("chairman") == roles_for("chair") and "president" not in roles_for("chair")
    assert roles_for("treasurer") == {"treasurer"}


def test_on_real_articles_the_caucus_head_not_the_chairman_of_its_pac():
    """Two PolNeAR dev articles: one names Rep. Gregory W. Meeks chairman of the Congressional Black Caucus PAC,
    the other G.K. Butterfield head of the Congressional Black Caucus ("G.K." no longer ends a sentence)."""
    wanted = (
        "wash-post_2016-09-08_virginian-could-make-history-aga",
        "huff-post_2016-09-16_black-lawmakers-rip-donald-trump",
    )
    rows = [json.loads(line) for line in corpus("polnear", "articles.jsonl").read_text("utf-8").splitlines()]
    texts = {r["id"]: r["text"] for r in rows if r["id"].startswith(wanted)}
    assert len(texts) == 2
    meeks = next(t for i, t in texts.items() if i.startswith(wanted[0]))
    assert holder("Who heads the Congressional Black Caucus?", meeks) is None
    found = holder("Who heads the Congressional Black Caucus?", *texts.values())
    assert found is not None and found.name == "G.K. Butterfield"
    assert found.role == "head of the Congressional Black Caucus"


def test_on_a_real_article_the_role_s_own_appositive_names_it():
    """ "Cheers, Ms. Yellen  The Federal Reserve chairwoman, Janet Yellen, seated on the dais, …" (a heading run
    into the sentence): the chairwoman is Janet Yellen, her own appositive, not the heading's "Ms. Yellen"."""
    rows = [json.loads(line) for line in corpus("polnear", "articles.jsonl").read_text("utf-8").splitlines()]
    [text] = [r["text"] for r in rows if r["id"] == "nyt_2015-12-30_roasts-and-toasts-for-dealbook"]
    found = holder("Who is the chairman of the Federal Reserve?", text)
    assert found is not None and found.name == "Janet Yellen"

"""“Who is X?”: the description the articles give X, on the real spaCy parse (sentences of our own)."""

from __future__ import annotations

import json

import pytest

from bot.answer.describe import describe
from tests.conftest import corpus, hits
from tests.fakes import extractor


def description(name: str, *texts: str) -> str | None:
    found = describe(name, hits(*texts), extractor().parse)
    return found.role if found is not None else None


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Yuri Ushakov", "Kremlin aide Yuri Ushakov met the envoy on Monday.", "Kremlin aide"),
        (
            "Dana Whitfield",
            "Dana Whitfield, the harbour board's chairwoman, opened the bridge.",
            "the harbour board's chairwoman",
        ),
        ("Dana Whitfield", "Dana Whitfield is a veteran engineer.", "a veteran engineer"),
        (
            "Dana Whitfield",
            "Dr. Dana Whitfield, who heads the harbour board's survey team, said the bridge was safe.",
            "the head of the harbour board's survey team",
        ),
        ("Dana Whitfield", "Dana Whitfield, who is a veteran engineer, opened it.", "a veteran engineer"),
    ],
)
def test_a_description_is_found(name: str, text: str, expected: str):
    assert description(name, text) == expected


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Dana Whitfield", "Ms. Dana Whitfield opened the bridge."),
        ("Dana Whitfield", "The mayor thanked his wife, Dana Whitfield, for her patience."),
        ("Dana Whitfield", "Board members include Omar Lind, the treasurer, and Dana Whitfield, his deputy."),
        ("Dana Whitfield", "Former Mayor Ray Whitfield and Whitfield, his sister, cut the ribbon."),
        ("Dana Whitfield", "Former Mayor Ray Whitfield said Dana Whitfield would win."),
        ("Dana Whitfield", "Dana Whitfield Jr. has five children: Ann, Bo, Cy, Di and Dana Whitfield."),
        ("Dana Whitfield", "Harbour front-runner Dana Whitfield cut the ribbon."),
        ("Dana Whitfield", "Dana Whitfield is a “good, decent woman”, her rival said."),
    ],
)
def test_no_description_from_an_honorific_a_relation_a_list_a_namesake_a_count_or_a_quotation(name: str, text: str):
    assert description(name, text) is None


def test_a_headline_gives_no_role():
    """PolNeAR: "Pence Endorses Paul Ryan With Trump's Blessing." opens the article; the body calls him House
    Speaker."""
    rows = [json.loads(line) for line in corpus("polnear", "articles.jsonl").read_text("utf-8").splitlines()]
    [text] = [r["text"] for r in rows if r["text"].startswith("Pence Endorses Paul Ryan With")]
    assert description("Paul Ryan", text) == "House Speaker"


def test_a_description_reads_as_a_sentence_about_the_role():
    from bot.answer.describe import Description, answer

    found = describe("Donna Brazile", hits("Interim DNC Chairwoman Donna Brazile spoke."), extractor().parse)
    assert found is not None
    said = answer("Who is Donna Brazile?", "Donna Brazile", Description(role=found.role, evidence=found.evidence))
    assert said.answer == "Donna Brazile is described as an interim DNC chairwoman [1]."

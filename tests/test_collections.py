"""Collections (issue 31, item 1): what one chat adds is never retrieved, cited, listed, opened or removed from
another chat, whatever the question; the shared collection is read by every chat."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.conversation import ChatContext, Conversation
from bot.engine import Engine
from index.models import SHARED, Article, Shelf
from tests.conftest import SAMPLES

MINUTES = (
    "Board minutes, March\n\nTreasurer Ingrid Vasquez-Lowe said: “We will close the Northgate depot in June and "
    "move its forty drivers to the airport routes.” The board approved the plan without a vote."
)
GROUP_A = Shelf(reads=("chat:-100", SHARED), writes="chat:-100")
GROUP_B = Shelf(reads=("chat:-200", SHARED), writes="chat:-200")


@pytest.fixture
def shelves(fake_engine: Engine, tmp_path: Path) -> Conversation:
    conversation = Conversation(fake_engine)
    conversation.add([str(SAMPLES)])
    minutes = tmp_path / "minutes.txt"
    minutes.write_text(MINUTES, "utf-8")
    report = conversation.add([str(minutes)], shelf=GROUP_A)
    assert [r.status for r in report.results] == ["added"]
    return conversation


def minutes_id(conversation: Conversation) -> str:
    return next(a.id for a in conversation.articles(GROUP_A) if a.collection == "chat:-100")


def test_what_a_group_adds_is_read_by_that_group_only(shelves: Conversation):
    private = minutes_id(shelves)
    assert private in {a.id for a in shelves.articles(GROUP_A)}
    assert private not in {a.id for a in shelves.articles(GROUP_B)}
    assert {a.id for a in shelves.articles(GROUP_B)} == {a.id for a in shelves.articles(Shelf(reads=(SHARED,)))}
    for question in ("Who said the Northgate depot will close?", "What did Vasquez-Lowe say?", "Northgate depot"):
        for answer in (shelves.ask(ChatContext(), question, shelf=GROUP_B), shelves.answer(question, None, GROUP_B)):
            assert all(c.article_id != private for c in answer.citations), answer.answer
            assert not {"Ingrid", "drivers", "airport", "Treasurer"} & set(answer.answer.split()), answer.answer
    mine = shelves.ask(ChatContext(), "What did Vasquez-Lowe say?", shelf=GROUP_A)
    assert mine.found and mine.citations[0].article_id == private


def test_another_groups_article_cannot_be_opened_listed_quoted_or_removed(shelves: Conversation):
    private = minutes_id(shelves)
    assert shelves.passage(private, 0, 10, GROUP_B) is None, "a forged source button opens nothing"
    assert shelves.passage(private, 0, 10, GROUP_A) is not None
    assert shelves.quotes_of("Vasquez-Lowe", shelf=GROUP_B) == []
    assert shelves.quotes_of(article_id=private, shelf=GROUP_B) == []
    assert shelves.quotes_page("Vasquez-Lowe", 0, GROUP_B).total == 0
    assert not shelves.remove(private, GROUP_B)
    assert not shelves.remove("sample-comet", GROUP_B), "a chat removes only what it added"
    assert private in {a.id for a in shelves.articles(GROUP_A)}
    assert shelves.remove(private, GROUP_A)
    assert private not in {a.id for a in shelves.articles()}


def test_the_same_text_added_by_two_chats_is_each_chats_own(shelves: Conversation, tmp_path: Path):
    copy = tmp_path / "copy.txt"
    copy.write_text(MINUTES, "utf-8")
    report = shelves.add([str(copy)], shelf=GROUP_B)
    assert [r.status for r in report.results] == ["added"], "no 'Already have it', which would tell B what A holds"
    theirs = report.results[0].article_id
    assert theirs != minutes_id(shelves)
    assert theirs in {a.id for a in shelves.articles(GROUP_B)} and theirs not in {
        a.id for a in shelves.articles(GROUP_A)
    }


def test_an_article_naming_a_collection_is_stored_where_it_is_added():
    placed = Article(id="x", text="Some text.", collection="chat:-100").in_collection(SHARED)
    assert (placed.id, placed.collection) == ("x", SHARED)
    other = Article(id="x", text="Some text.").in_collection("chat:-200")
    assert other.collection == "chat:-200" and other.id != "x"


def test_the_command_line_reads_and_writes_one_collection(tmp_path: Path, capsys):
    data = tmp_path / "store"
    minutes = tmp_path / "minutes.jsonl"
    minutes.write_text(json.dumps({"id": "minutes", "title": "Minutes", "text": MINUTES}) + "\n", "utf-8")
    assert main(["ingest", "--data-dir", str(data), str(minutes), "--collection", "team"]) == 0
    capsys.readouterr()
    assert main(["articles", "--data-dir", str(data), "--collection", "other", "--json"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["articles", "--data-dir", str(data), "--collection", "team", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["collection"] == "team"

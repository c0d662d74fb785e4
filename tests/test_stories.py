"""One story across outlets (issue 31, item 3): a republished copy (another header and footer, trimmed, a word
changed) is the same story; the same event told in other words is not. Texts of our own writing; the measure on
the web-news pages is `bench/stories.py`."""

from index.text.stories import Stories, containment, signature

STORY = "\n".join(
    [
        "The harbour board voted on Thursday to close the Northgate ferry pier for repairs from the first of May.",
        "Engineers found cracks in two of the pier's steel piles during a routine inspection in February, the board"
        " said in a statement, and divers will replace both before the summer timetable starts.",
        "Passengers will board at the temporary landing beside the fish market, a walk of about ten minutes from the"
        " old pier, and the board will run a free shuttle bus every quarter of an hour.",
        "“We would rather close it for six weeks now than for a whole season later,” the board's chair, Maren Holt,"
        " told reporters after the vote.",
        "Shop owners near the pier said they feared losing the spring trade, and asked the board to pay for signs"
        " pointing visitors to the market.",
    ]
)
REWRITTEN = (
    "Ferry users in Northgate will have to walk to a landing by the fish market from May, after inspectors spotted"
    " cracked piles under the pier. Maren Holt, who chairs the harbour board, said a short closure now beats a"
    " season lost later. A shuttle will run four times an hour while divers fix the steel."
)


def test_a_republished_copy_is_the_same_story():
    lines = STORY.split("\n")
    copy = "By Daily Ledger staff\n" + "\n".join(lines[:3]).replace("Thursday", "Wednesday") + "\nRelated stories: …"
    stories = Stories()
    assert stories.add("original", STORY) == []
    assert stories.add("copy", copy) == ["original"]
    assert containment(signature(STORY), signature(copy)) >= 0.5


def test_the_same_event_in_other_words_is_another_story():
    stories = Stories()
    stories.add("original", STORY)
    assert stories.add("rewritten", REWRITTEN) == []
    assert stories.add("empty", "") == []


def test_quotes_pages_list_a_statement_once_as_the_earliest_article_has_it(fake_engine, tmp_path):
    import json

    from bot.conversation import Conversation
    from bot.telegram.render import quotes_html

    lead = "The harbour board voted on Thursday to close the Northgate ferry pier for repairs.\n"
    said = "“We would rather close it for six weeks now than for a whole season later,” said Maren Holt, the chair."
    rows = [
        {
            "id": "wire",
            "title": "Pier to close",
            "source": "Wire",
            "published": "2026-04-01",
            "text": lead + said,
        },
        {"id": "copy", "title": "Northgate pier shuts", "source": "Ledger", "published": "2026-04-02", "text": said},
    ]
    data = tmp_path / "two.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    conversation = Conversation(fake_engine)
    conversation.add([str(data)])
    page = conversation.quotes_page("Maren Holt", 0)
    holt = [(q.article_id, n) for q, n in zip(page.quotes, page.copies, strict=True) if "six weeks" in q.quote]
    assert holt == [("wire", 1)], "once, from the earliest article, the other counted"
    assert "also in 1 other article" in quotes_html(page, conversation.confidence_needed)


def test_the_store_knows_a_story_and_answers_name_its_other_outlets(fake_engine, tmp_path):
    """Story ids are kept as articles are stored; an answer citing one copy lists the others a chat may read,
    never another chat's."""
    import json

    from index.models import SHARED, Shelf

    lines = STORY.split("\n")
    copy = "By Daily Ledger staff\n" + "\n".join(lines[:4]).replace("Thursday", "Wednesday") + "\nRelated stories: …"
    rows = [
        {"id": "wire", "title": "Pier to close", "source": "Wire", "published": "2026-04-01", "text": STORY},
        {"id": "ledger", "title": "Pier shuts", "source": "Daily Ledger", "published": "2026-04-02", "text": copy},
        {"id": "other", "title": "Ferry users", "source": "Gazette", "published": "2026-04-02", "text": REWRITTEN},
    ]
    data = tmp_path / "three.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    fake_engine.ingest([str(data)])
    private = tmp_path / "private.txt"
    private.write_text("Pier memo\n" + copy, "utf-8")
    fake_engine.ingest([str(private)], collection="chat:-5")
    library = fake_engine.library
    assert [a.id for a in library.story_copies("wire", [SHARED])] == ["ledger"]
    assert library.story_copies("other", None) == []
    assert len(library.story_copies("wire", None)) == 2, "the group's copy is the same story"
    answer = fake_engine.ask("Why will the Northgate ferry pier close?", shelf=Shelf(reads=(SHARED,)))
    [cited] = [c for c in answer.citations if c.article_id in ("wire", "ledger")][:1]
    assert cited.also_in and all("Ledger" in a or "Wire" in a for a in cited.also_in), cited.also_in
    assert not any("Pier memo" in a for c in answer.citations for a in c.also_in)


def test_a_passage_is_cited_from_the_earliest_copy_that_holds_it(fake_engine, tmp_path):
    import json

    from bot.answer.models import Answer, Citation
    from bot.answer.statements import with_copies

    lines = STORY.split("\n")
    copy = "By Daily Ledger staff\n" + "\n".join(lines[:4]) + "\nRelated stories: …"
    rows = [
        {"id": "wire", "title": "Pier to close", "source": "Wire", "published": "2026-04-01", "text": STORY},
        {"id": "ledger", "title": "Pier shuts", "source": "Daily Ledger", "published": "2026-04-02", "text": copy},
    ]
    data = tmp_path / "two.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    fake_engine.ingest([str(data)])
    said = lines[3]
    at = copy.index(said)
    cited = Citation(
        n=1,
        article_id="ledger",
        title="Pier shuts",
        source="Daily Ledger",
        published="2026-04-02",
        text=said,
        start=at,
        end=at + len(said),
    )
    answer = Answer(question="q", answer="Maren Holt said … [1]", found=True, citations=[cited])
    [moved] = with_copies(fake_engine.library, answer, None).citations
    assert (moved.article_id, moved.source) == ("wire", "Wire") and STORY[moved.start : moved.end] == said
    assert moved.also_in == ["Daily Ledger, 2026-04-02"]
    [kept] = with_copies(fake_engine.library, answer, None, earliest=False).citations
    assert kept.article_id == "ledger" and kept.also_in == ["Wire, 2026-04-01"]

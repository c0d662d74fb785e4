"""`whosaid migrate --to postgresql://…` (issue 32): an embedded store with quotes, feeds, watches, stories and
chats' collections copied into PostgreSQL, vectors included; the copy answers as the original does."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.cli import main
from index.library import Library
from index.models import Scope
from index.store.shelves import ChatShelf
from tests.test_engines import articles, library


def embedded_store(folder: Path) -> Library:
    lib = library(folder, None)
    given = articles(30)
    lib.ingest(given[:20])
    lib.watches.add(7, "Hana Sato", None, ["shared"], 1.0)
    lib.ingest(given[20:])  # stored after the watch: news to it
    lib.ingest(given[:3], collection="chat:7")
    lib.sources.add("https://example.org/feed.xml", "https://example.org/", "Example", "shared", 7, 2.0)
    lib.shelves.save(7, ChatShelf(reads=("shared", "shared:politics"), writes="shared"))
    return lib


def test_migrate_copies_everything_and_answers_the_same(isolated: Path, database_url: str, capsys):
    original = embedded_store(isolated)
    assert main(["migrate", "--to", database_url, "--data-dir", str(isolated)]) == 0
    assert "every table's count checked" in capsys.readouterr().out
    copy = library(isolated / "elsewhere", database_url)
    for table in ("chunks", "quotes"):
        assert copy.store.count(table) == original.store.count(table)
    assert copy.article_ids() == original.article_ids()
    assert copy.quotes() == original.quotes()
    for question in ["bridge cables in week 3", "Hana Sato harvest notes"]:
        for mode in ("dense", "bm25"):
            ours, theirs = (ranked(x, question, mode) for x in (original, copy))
            assert ours == theirs, mode
    scope = Scope(collections=("chat:7",), speakers=("hana sato",))
    assert [h.quote_id for h in copy.quote_hits("harvest", 3, scope)] == [
        h.quote_id for h in original.quote_hits("harvest", 3, scope)
    ]
    assert [a.id for a in copy.watches.new_articles()] == [a.id for a in original.watches.new_articles()]
    assert copy.watches.of_chat(7) == original.watches.of_chat(7)
    assert copy.shelves.load() == original.shelves.load()
    assert [s.feed_url for s in copy.sources.listed()] == ["https://example.org/feed.xml"]
    assert copy.story_copies("a000") == original.story_copies("a000")
    more = copy.ingest(articles(31)[30:])
    assert more[0].status == "added" and copy.store.count("chunks") > original.store.count("chunks")
    assert np.isfinite(copy.passages("Report 30", 1)[0].score)


def ranked(lib: Library, question: str, mode) -> tuple[list[float], set[int]]:
    """The top rows' cosines, and the rows above the last one (rows of equal score, a copy in a chat's
    collection, may come in either order)."""
    found = lib.passages(question, 5, mode=mode)
    scores = [round(h.score, 5) for h in found]
    return scores, {h.chunk_id for h in found if round(h.score, 5) > scores[-1]}


def test_migrate_refuses_a_database_holding_articles(isolated: Path, database_url: str, capsys):
    embedded_store(isolated)
    assert main(["migrate", "--to", database_url, "--data-dir", str(isolated)]) == 0
    assert main(["migrate", "--to", database_url, "--data-dir", str(isolated)]) == 1
    assert "already holds articles" in capsys.readouterr().err

"""Foreign pages at ingest (issue 31, item 6): stored and searchable, no quotes attributed by English rules, and
whoever added them told so in one line; English pages untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.conversation import Conversation, report_lines
from bot.engine import Engine, build_engine
from bot.settings import Settings
from index.models import Scope
from index.text.language import article_language
from tests.conftest import corpus

PORTUGUESE = "f6ac15a4d98511396da23e4428deb5605422b1c8bbc8284e771f6896bdccf57f"  # jaraguadosul.com.br
ENGLISH = "04a6711caa7c687592777718866e781e976e0fe684faebe8b3cedcef8cd0ea34"  # nytimes.com, opinion


def test_an_articles_language_is_told_from_its_text():
    assert article_language("O prefeito disse que a ponte será reaberta antes do festival de verão. " * 5) == "pt"
    assert article_language("Il sindaco ha detto che il ponte sarà riaperto prima del festival estivo. " * 5) == "it"
    english = "The mayor said the bridge would reopen before the summer festival, ending months of closures. " * 5
    assert article_language(english) is None
    assert article_language("Putin Zelensky Donbas Kremlin") is None, "names alone are no language to be sure of"


@pytest.mark.model
def test_a_foreign_page_is_stored_and_searchable_without_quotes(tmp_path: Path, st_embedder):
    pages = tmp_path / "pages"
    pages.mkdir()
    for key in (PORTUGUESE, ENGLISH):
        shutil.copy(corpus("web-news", "html", f"{key}.html"), pages / f"{key}.html")
    engine: Engine = build_engine(Settings(data_dir=tmp_path / "data"), embedder=st_embedder)
    try:
        report = Conversation(engine).add([str(pages)])
        by_language = {r.language: r for r in report.results}
        assert set(by_language) == {"pt", None}
        foreign, english = by_language["pt"], by_language[None]
        assert foreign.status == "added" and foreign.chunks > 0 and foreign.quotes == 0
        assert english.quotes > 0, "an English page keeps its quotes"
        assert engine.quotes(article_id=foreign.article_id) == []
        lines = report_lines(report)
        said = lines[lines.index(next(line for line in lines if foreign.article_id in line)) + 1]
        assert said == "It is in Portuguese: stored and searchable, but I find who said what in English articles only."
        hits = engine.library.passages("serviço de atendimento domiciliar", 3, Scope(articles=(foreign.article_id,)))
        assert hits and hits[0].article.id == foreign.article_id, "searchable"
    finally:
        engine.close()

from bot.answer.compose import NOT_FOUND, extractive, not_found, number_citations
from bot.answer.evidence import Evidence
from bot.answer.models import Citation
from bot.format import render_text, source_line
from bot.telegram.render import answer_html
from index.models import Article

ARTICLE = Article(
    id="a1",
    title="Bridge",
    source="Courier",
    published="2026-03-02",
    url="https://c.example/b",
    text="The mayor said the bridge will reopen. Engineers were cautious.",
)
OTHER = Article(id="a2", title="Strike", text="Workers voted to strike.")


def ev(article: Article, start: int, end: int) -> Evidence:
    return Evidence(
        article=article,
        start=start,
        end=end,
        text=article.text[start:end],
        score=0.5,
        chunk_score=0.5,
        overlap=0.5,
        chunk_id=1,
    )


E1, E2, E3 = ev(ARTICLE, 0, 38), ev(OTHER, 0, 24), ev(ARTICLE, 39, 63)


def test_markers_are_renumbered_by_first_appearance():
    text, cites = number_citations("B [2]. A [1]. B again [2].", [E1, E2])
    assert text == "B [1]. A [2]. B again [1]."
    assert [(c.n, c.article_id) for c in cites] == [(1, "a2"), (2, "a1")]


def test_marker_for_something_not_retrieved_is_dropped():
    text, cites = number_citations("Claim [3]. Other [0]. Real [1].", [E1])
    assert text == "Claim. Other. Real [1]."
    assert [c.n for c in cites] == [1]


def test_uncited_evidence_is_not_listed():
    _, cites = number_citations("Only this [2].", [E1, E2, E3])
    assert [c.article_id for c in cites] == ["a2"]


def test_citation_carries_exact_passage_and_metadata():
    [cite] = number_citations("x [1]", [E1])[1]
    assert cite == Citation(
        n=1,
        article_id="a1",
        title="Bridge",
        source="Courier",
        url="https://c.example/b",
        published="2026-03-02",
        text="The mayor said the bridge will reopen.",
        start=0,
        end=38,
    )
    assert ARTICLE.text[cite.start : cite.end] == cite.text


def test_extractive_answer_cites_each_sentence():
    answer = extractive("q", [E1, E2])
    assert answer.found
    assert answer.answer == "The mayor said the bridge will reopen. [1] Workers voted to strike. [2]"
    assert [c.n for c in answer.citations] == [1, 2]


def test_not_found_names_the_closest_sources():
    answer = not_found("q", [E1, E2])
    assert not answer.found
    assert answer.answer.startswith(NOT_FOUND) and "The closest passages are [1] and [2]." in answer.answer
    assert len(answer.citations) == 2
    assert not_found("q", []).citations == []


def test_source_line_and_text_rendering():
    [cite] = number_citations("x [1]", [E1])[1]
    assert source_line([cite]) == "[1] Bridge (Courier, 2026-03-02) https://c.example/b"
    bare = cite.model_copy(update={"source": None, "published": None, "url": None})
    assert source_line([bare]) == "[1] Bridge"
    rendered = render_text(extractive("q", [E1]))
    assert rendered.splitlines()[-1] == "    “The mayor said the bridge will reopen.”"


def test_an_article_cited_twice_is_one_source_with_both_passages():
    second = number_citations("x [1] y [2]", [E1, E1])[1]
    cite_again = second[1].model_copy(update={"text": "Workers voted to strike."})
    answer = extractive("q", [E1]).model_copy(update={"answer": "x [1] y [2]", "citations": [second[0], cite_again]})
    lines = render_text(answer).splitlines()
    assert lines[2] == "[1, 2] Bridge (Courier, 2026-03-02) https://c.example/b"
    assert lines[3:] == ["    [1] “The mayor said the bridge will reopen.”", "    [2] “Workers voted to strike.”"]
    html = answer_html(answer)
    assert html.count("Bridge") == 1 and "[1, 2] <a href" in html


def test_json_shape_is_the_contract():
    data = extractive("q", [E1]).model_dump()
    assert set(data) == {"question", "answer", "found", "short", "citations"}
    assert set(data["citations"][0]) == {
        "n",
        "article_id",
        "title",
        "source",
        "url",
        "published",
        "text",
        "start",
        "end",
    }


def test_wire_story_in_two_outlets_is_cited_once_from_the_earliest(fake_engine):
    from bot.format import render_text

    wire = (
        "Officials in Port Vale said on Tuesday that the river barrier had held through the storm surge. "
        "Engineers will inspect the gates again next week."
    )
    fake_engine.library.ingest(
        [
            Article(id="later", title="Barrier holds", source="Daily Echo", published="2026-02-03", text=wire),
            Article(
                id="first",
                title="River barrier held",
                source="Wire Service",
                published="2026-02-02",
                text=wire.replace("Tuesday", "Tuesday afternoon"),
            ),
        ]
    )
    answer = fake_engine.ask("Did the river barrier hold through the storm surge in Port Vale?")
    assert answer.found
    assert [c.article_id for c in answer.citations] == ["first"]
    assert answer.citations[0].also_in == ["Daily Echo, 2026-02-03"]
    assert "(also in 1 other outlet: Daily Echo, 2026-02-03)" in render_text(answer)
    assert "also_in" not in answer.citations[0].model_dump()


def test_a_passage_names_its_speaker_by_surname_whatever_follows_it():
    from index.text.names import named_in

    assert named_in("“We will,” Comey said.", "James B. Comey Jr")
    assert named_in("Said O’Neill: “Not yet.”", "James O’Neill")
    assert not named_in("“We will,” he said.", "James B. Comey Jr")

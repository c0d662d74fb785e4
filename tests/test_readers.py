import json
from pathlib import Path

import pytest

from index.models import Article
from index.read.readers import IngestError, Refusal, parse_document, read_sources
from tests.docs import ARTICLE_HTML, blank_pdf, text_pdf

LIMIT = 1_000_000


def read(*sources: str) -> list[Article | Refusal]:
    return list(read_sources(sources, LIMIT))


def test_text_file_first_line_is_title(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Mayor opens bridge\n\nThe mayor opened the bridge on Monday.\n", "utf-8")
    [article] = read(str(tmp_path / "a.txt"))
    assert article.title == "Mayor opens bridge"
    assert article.text == "The mayor opened the bridge on Monday."


def test_markdown_front_matter_gives_metadata(tmp_path: Path):
    (tmp_path / "a.md").write_text(
        "---\nid: my-id\nsource: The Paper\ndate: 2026-01-02\nurl: https://p.example/a\n---\n# A title\n\nBody here.\n"
    )
    [article] = read(str(tmp_path / "a.md"))
    assert (article.id, article.title, article.source, article.published, article.url) == (
        "my-id",
        "A title",
        "The Paper",
        "2026-01-02",
        "https://p.example/a",
    )
    assert article.text == "Body here."


def test_html_main_text_and_metadata():
    [article] = parse_document(ARTICLE_HTML.encode(), "page.html")
    assert article.title == "Council approves new library"
    assert article.source == "Valley Gazette"
    assert article.author == "Ada Lind"
    assert article.published == "2026-01-15"
    assert article.url == "https://gazette.example/library"
    assert "Books are the cheapest way" in article.text
    assert "Home" not in article.text and "Copyright" not in article.text


def test_html_without_article_text_is_refused():
    with pytest.raises(IngestError, match="no article text"):
        parse_document(b"<html><body><nav>Home</nav></body></html>", "x.html")


def test_pdf_text_layer():
    [article] = parse_document(
        text_pdf(["The harbour reopened on Friday.", "Officials said it was safe."], title="Harbour news"), "x.pdf"
    )
    assert article.title == "Harbour news"
    assert "harbour reopened" in article.text


def test_pdf_without_text_is_refused_with_reason():
    with pytest.raises(IngestError, match="no text layer"):
        parse_document(blank_pdf(), "scan.pdf")


def test_broken_pdf_is_refused():
    with pytest.raises(IngestError, match="not a readable PDF"):
        parse_document(b"%PDF-1.4\nthis is not really a pdf", "x.pdf")


def test_jsonl_names_bad_lines_and_keeps_the_rest(tmp_path: Path):
    lines = [
        json.dumps({"id": "a1", "title": "One", "text": "First text.", "date": "2026-01-01", "extra": 1}),
        "{not json",
        json.dumps({"id": "a2", "title": "No text"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"text": "Third text.", "source": "Wire"}),
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(lines), "utf-8")
    items = read(str(tmp_path / "in.jsonl"))
    articles = [i for i in items if isinstance(i, Article)]
    refusals = {i.origin.rsplit(":", 1)[1]: i.reason for i in items if isinstance(i, Refusal)}
    assert [a.id for a in articles] == ["a1", ""]
    assert articles[0].published == "2026-01-01"
    assert set(refusals) == {"2", "3", "5"}
    assert "not valid JSON" in refusals["2"]
    assert refusals["3"].startswith("text:")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x00\x01\x02\x03binary\x00" * 50, "binary"),
        (b"Only a title line\n", "no text after it"),
    ],
)
def test_bad_files_get_one_clear_reason(tmp_path: Path, content: bytes, reason: str):
    (tmp_path / "bad.txt").write_bytes(content)
    [refusal] = read(str(tmp_path / "bad.txt"))
    assert isinstance(refusal, Refusal)
    assert reason in refusal.reason


def test_missing_path():
    [refusal] = read("/no/such/file.txt")
    assert refusal.reason == "no such file or folder"


def test_non_utf8_text_is_decoded(tmp_path: Path):
    text = "Café owners in Zürich said the new rules were “très difficile” for them. Prices rose by 5 percent."
    (tmp_path / "latin.txt").write_bytes(("Résumé of the day\n" + text).encode("cp1252"))
    [article] = read(str(tmp_path / "latin.txt"))
    assert article.title == "Résumé of the day"
    assert "Zürich" in article.text and "très" in article.text


def test_too_big_file_is_refused(tmp_path: Path):
    (tmp_path / "big.txt").write_text("Title\n" + "word " * 1000)
    [refusal] = list(read_sources([str(tmp_path / "big.txt")], max_bytes=100))
    assert "over the 100-byte limit" in refusal.reason


def test_folder_is_read_recursively_skipping_hidden_and_unknown(tmp_path: Path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "b.md").write_text("B\nText b.")
    (tmp_path / "a.txt").write_text("A\nText a.")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("C\nText c.")
    assert sorted(a.title for a in read(str(tmp_path))) == ["A", "B"]


def test_empty_folder_says_what_it_looks_for(tmp_path: Path):
    [refusal] = read(str(tmp_path))
    assert ".jsonl" in refusal.reason


def test_urls_need_a_fetcher():
    [refusal] = read("https://example.invalid/a")
    assert "not enabled" in refusal.reason


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_html_is_refused_with_that_reason(depth: int):
    html = "<html><body>" + "<div>" * depth + "word " * 50 + "</div>" * depth + "</body></html>"
    with pytest.raises(IngestError, match="nested more than 200 levels"):
        parse_document(html.encode(), "deep.html")


def test_html_with_too_many_elements_is_refused():
    html = "<html><body>" + "<span>a</span>" * 200_001 + "</body></html>"
    with pytest.raises(IngestError, match="over 200,000 elements"):
        parse_document(html.encode(), "many.html")


def test_markdown_marks_are_taken_out_of_md_files():
    data = (
        "---\nsource: The Courier\n---\n# Bridge **reopens**\n\n"
        "The mayor said the [bridge](https://x.example/b) will **reopen** on _Friday_.\n"
        "> “We are *ready*,” she said.\n\n- first item\n- `second` item\n\nThe file_name stays.\n"
    ).encode()
    [article] = parse_document(data, "notes.md")
    assert article.title == "Bridge reopens" and article.source == "The Courier"
    assert "The mayor said the bridge will reopen on Friday." in article.text
    assert "“We are ready,” she said." in article.text
    assert "first item\nsecond item" in article.text and "file_name" in article.text
    [same] = parse_document(data.replace(b"---\nsource: The Courier\n---\n", b""), "notes.txt")
    assert "**reopen**" in same.text, "a .txt file is taken as written"

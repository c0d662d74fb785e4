import pytest

from index.fetch import fetch
from index.readers import IngestError, read_sources
from tests.docs import ARTICLE_HTML, text_pdf
from tests.httpserver import serve

HTML = {"Content-Type": "text/html; charset=utf-8"}
ROUTES = {
    "/article": (200, HTML, ARTICLE_HTML.encode(), 0.0),
    "/moved": (301, {"Location": "/article"}, b"", 0.0),
    "/paper.pdf": (200, {"Content-Type": "application/pdf"}, text_pdf(["Minutes of the harbour board."]), 0.0),
    "/image": (200, {"Content-Type": "image/png"}, b"\x89PNG....", 0.0),
    "/huge": (200, HTML, b"<html>" + b"x" * 50_000, 0.0),
    "/slow": (200, HTML, ARTICLE_HTML.encode(), 3.0),
    "/empty-page": (200, HTML, b"<html><body><nav>Home</nav></body></html>", 0.0),
}


@pytest.fixture(scope="module")
def site():
    with serve(ROUTES) as url:
        yield url


def test_article_link_is_fetched_and_extracted(site: str):
    [article] = list(read_sources([f"{site}/article"], 1_000_000, fetch))
    assert article.title == "Council approves new library"
    assert article.id.startswith("url-")
    again = next(iter(read_sources([f"{site}/article"], 1_000_000, fetch)))
    assert again.id == article.id, "the same link gives the same id, so a changed page replaces the old"


def test_redirects_are_followed(site: str):
    assert fetch(f"{site}/moved").url.endswith("/article")


def test_pdf_link(site: str):
    [article] = list(read_sources([f"{site}/paper.pdf"], 1_000_000, fetch))
    assert "harbour board" in article.text


@pytest.mark.parametrize(
    ("path", "kwargs", "reason"),
    [
        ("/missing", {}, "HTTP 404"),
        ("/image", {}, "image/png, not an article"),
        ("/huge", {"max_bytes": 10_000}, "over the 10,000-byte limit"),
        ("/slow", {"timeout": 0.5}, "did not answer within 0.5 s"),
    ],
)
def test_bad_links_are_refused_with_the_reason(site: str, path: str, kwargs: dict, reason: str):
    with pytest.raises(IngestError, match=reason):
        fetch(f"{site}{path}", **kwargs)


def test_page_without_article_and_unreachable_host(site: str):
    [refusal] = list(read_sources([f"{site}/empty-page"], 1_000_000, fetch))
    assert refusal.reason == "no article text found in the HTML"
    with pytest.raises(IngestError, match="cannot reach the site"):
        fetch("http://127.0.0.1:9/nothing-listens-here", timeout=2)
    with pytest.raises(IngestError, match="only http"):
        fetch("ftp://example.com/a")

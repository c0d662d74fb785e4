import re
import threading
from functools import partial

import pytest

from index.read.fetch import LinkPolicy, fetch
from index.read.readers import IngestError, read_sources
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


LOCAL = LinkPolicy(allow_loopback=True, ports=[])
local_fetch = partial(fetch, policy=LOCAL)
GATE = threading.Event()
ROUTES["/gated-image"] = (200, {"Content-Type": "image/png", "Content-Length": "9"}, b"\x89PNG.....", 0.0, GATE)
ROUTES["/to-metadata"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"", 0.0)
ROUTES["/to-private"] = (302, {"Location": "http://10.1.2.3/admin"}, b"", 0.0)
ROUTES["/loop"] = (302, {"Location": "/loop"}, b"", 0.0)
HITS: list[str] = []


@pytest.fixture(scope="module")
def site():
    with serve(ROUTES, HITS) as url:
        yield url


def test_article_link_is_fetched_and_extracted(site: str):
    [article] = list(read_sources([f"{site}/article"], 1_000_000, local_fetch))
    assert article.title == "Council approves new library"
    assert article.id.startswith("url-")
    again = next(iter(read_sources([f"{site}/article"], 1_000_000, local_fetch)))
    assert again.id == article.id, "the same link gives the same id, so a changed page replaces the old"


def test_redirects_are_followed(site: str):
    assert local_fetch(f"{site}/moved").url.endswith("/article")


def test_pdf_link(site: str):
    [article] = list(read_sources([f"{site}/paper.pdf"], 1_000_000, local_fetch))
    assert "harbour board" in article.text


@pytest.mark.parametrize(
    ("path", "kwargs", "reason"),
    [
        ("/missing", {}, "HTTP 404"),
        ("/image", {}, "image/png, not an article"),
        ("/huge", {"max_bytes": 10_000}, "over the 10,000-byte limit"),
        ("/slow", {"timeout": 0.5}, "did not answer within 0.5 s"),
        ("/loop", {}, "more than 5 redirects"),
    ],
)
def test_bad_links_are_refused_with_the_reason(site: str, path: str, kwargs: dict, reason: str):
    with pytest.raises(IngestError, match=reason):
        fetch(f"{site}{path}", LOCAL.model_copy(update=kwargs))


def test_page_without_article_and_unreachable_host(site: str):
    [refusal] = list(read_sources([f"{site}/empty-page"], 1_000_000, local_fetch))
    assert refusal.reason == "no article text found in the HTML"
    with pytest.raises(IngestError, match="cannot reach the site"):
        fetch("http://127.0.0.1:9/nothing-listens-here", LOCAL.model_copy(update={"timeout": 2}))


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("{site}/article", "127.0.0.1 is a loopback address: I only fetch links to public addresses"),
        ("http://localhost:{port}/article", "a loopback address"),
        ("http://[::1]:{port}/article", "::1 is a loopback address: I only fetch"),
        ("http://[::ffff:127.0.0.1]:{port}/article", "a loopback address"),
        ("http://2130706433:{port}/article", "2130706433 resolves to a loopback address (127.0.0.1): I only fetch"),
        ("http://0.0.0.0:{port}/article", "an unspecified address"),
        ("http://10.1.2.3/admin", "a private address"),
        ("http://192.168.0.1/", "a private address"),
        ("http://169.254.169.254/latest/meta-data/", "a link-local address"),
        ("http://[fe80::1]/", "a link-local address"),
        ("http://224.0.0.1/", "a multicast address"),
        ("http://240.0.0.1/", "a reserved address"),
        ("http://example.com:22/", "the link uses port 22, and I only fetch from ports 80, 443"),
        ("ftp://example.com/a", "only http"),
        ("file:///etc/passwd", "only http"),
        ("gopher://127.0.0.1:70/", "only http"),
    ],
)
def test_links_to_inner_addresses_are_refused_before_connecting(site: str, link: str, reason: str):
    port = site.rsplit(":", 1)[1]
    before = len(HITS)
    with pytest.raises(IngestError, match=re.escape(reason)):
        fetch(link.format(site=site, port=port), LinkPolicy(ports=[80, 443, int(port)]))
    assert len(HITS) == before, "no request reached the server"


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/to-metadata", "a link-local address"), ("/to-private", "10.1.2.3 is a private address: I only fetch")],
)
def test_redirects_to_inner_addresses_are_refused(site: str, path: str, reason: str):
    with pytest.raises(IngestError, match=re.escape(reason)):
        fetch(f"{site}{path}", LOCAL)


def test_wrong_type_is_refused_before_any_body_byte(site: str):
    GATE.clear()
    try:
        with pytest.raises(IngestError, match="image/png"):
            fetch(f"{site}/gated-image", LOCAL)
        assert not GATE.is_set(), "refused while the server was still holding the body back"
    finally:
        GATE.set()


def test_a_refused_link_loads_no_model(settings):
    """Refusing a link is immediate: nothing is stored, so the embedding model (seconds to load) is not loaded."""
    from bot.engine import build_engine

    def no_model():
        raise AssertionError("the model was loaded to refuse a link")

    engine = build_engine(settings, embedder=no_model)
    report = engine.ingest(["http://127.0.0.1/article"])
    assert not report.results and "127.0.0.1 is a loopback address: I only fetch" in report.refused[0].reason
    engine.close()


def test_one_page_reached_by_several_links_is_one_article(site: str):
    """Issue 31, item 3: a fragment and a redirect lead to the same article id, known by the page's own canonical
    address (tracking parameters: `test_a_link_is_written_one_way`)."""
    links = [f"{site}/article", f"{site}/article#comments", f"{site}/moved"]
    articles = [next(iter(read_sources([link], 1_000_000, local_fetch))) for link in links]
    assert len({a.id for a in articles}) == 1
    assert {a.url for a in articles} == {"https://gazette.example/library"}


@pytest.mark.parametrize(
    ("link", "page"),
    [
        (
            "HTTPS://News.Example.COM:443/2026/story/amp?utm_source=x&id=5#top",
            "https://news.example.com/2026/story?id=5",
        ),
        ("https://news.example.com/story?outputType=amp", "https://news.example.com/story"),
        ("http://news.example.com:8080/a?fbclid=1&page=2", "http://news.example.com:8080/a?page=2"),
        ("http://[::1]:8000/a?gclid=3", "http://[::1]:8000/a"),
    ],
)
def test_a_link_is_written_one_way(link: str, page: str):
    from index.read.urls import canonical

    assert canonical(link) == page

"""Output safety, secrets and fuzzing: arbitrary text renders as valid Telegram HTML; the token never shows;
parsers and extractors never raise on arbitrary Unicode and their offsets stay valid."""

from __future__ import annotations

import logging

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from bot.answer.models import Answer, Citation
from bot.answer.questions import parse
from bot.conversation import QuotePage
from bot.settings import Settings
from bot.telegram.render import LIMIT, answer_html, passage_html, quotes_html, split_html
from index.models import ArticleInfo, Quote
from tests.fakes import extractor
from tests.telegram_html import check_html

FRAGMENTS = [
    "<",
    ">",
    "&",
    '"',
    "'",
    "/",
    "\u202e",
    "\u200b",
    "\u200f",
    "\ufeff",
    "&amp;",
    "<b>",
    "</a>",
    "<a href='x'>",
    "</blockquote>",
    "\n",
    " ",
    "“",
    "”",
    "*",
    "_",
    "`",
]
NASTY = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6)),
    max_size=60,
).map("".join)


def citation(text: str, n: int = 1) -> Citation:
    return Citation(
        n=n,
        article_id=text[:20] or "a",
        title=text,
        source=text[:30],
        url="https://x.example/?q=<&>",
        published=text[:10],
        text=text,
        start=0,
        end=len(text),
    )


def assert_valid(html: str) -> None:
    for part in split_html(html):
        error, shown = check_html(part)
        assert error is None, (error, part)
        assert len(part) <= LIMIT and len(shown) <= LIMIT


@given(text=NASTY, count=st.integers(1, 3))
@settings(max_examples=300, deadline=None)
def test_answers_render_as_valid_telegram_html(text: str, count: int):
    answer = Answer(
        question=text, answer=text + " [1]", found=True, citations=[citation(text, n) for n in range(1, count + 1)]
    )
    assert_valid(answer_html(answer))


@given(text=NASTY, start=st.integers(0, 300), length=st.integers(0, 300))
@settings(max_examples=300, deadline=None)
def test_passages_render_as_valid_telegram_html(text: str, start: int, length: int):
    start = min(start, len(text))
    assert_valid(passage_html(citation(text), text, start, min(len(text), start + length)))


@given(text=NASTY)
@settings(max_examples=100, deadline=None)
def test_quote_lists_render_as_valid_telegram_html(text: str):
    quote = Quote(article_id="a", quote=text or "x", kind="direct", speaker=text or None, start=0, end=1)
    article = ArticleInfo(id="a", title=text or "t", source=text or None)
    page = QuotePage(
        speaker=text or "x", quotes=[quote] * 5, articles={"a": article}, page=0, pages=3, total=12, sure=1
    )
    assert_valid(quotes_html(page, 0.9))


@given(words=st.lists(st.text(alphabet="<>&ab \n", min_size=1, max_size=30), max_size=400), limit=st.integers(64, 500))
@settings(max_examples=100, deadline=None)
def test_split_respects_any_limit(words: list[str], limit: int):
    from bot.telegram.render import esc

    html = "<b>" + "\n".join(esc(w) for w in words) + "</b>"
    for part in split_html(html, limit):
        assert len(part) <= limit and check_html(part)[0] is None


def test_token_is_not_in_settings_repr_or_logs(caplog):
    token = "123456789:" + "AAH-fake-token-for-tests" + "x" * 12
    settings = Settings(telegram_token=SecretStr(token))
    assert token not in repr(settings) and token not in str(settings)
    assert token not in settings.model_dump_json()
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("whosaid").info("settings: %s", settings)
    assert token not in caplog.text


@given(question=st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_question_parser_never_raises(question: str):
    shape = parse(question, extractor().parse)
    assert shape.kind in ("who_said", "what_said", "did_say", "who_is", "articles", "wh", "general")


@given(text=NASTY)
@settings(max_examples=60, deadline=None)
def test_quote_extractor_never_raises_and_offsets_hold(text: str):
    for q in extractor().extract("a", text):
        assert text[q.start : q.end] == q.quote
        if q.speaker_start is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker_mention

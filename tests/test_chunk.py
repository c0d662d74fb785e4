import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from index.models import Article
from index.text.chunk import approx_tokens, chunk_article
from index.text.sentences import sentences

WORDS = st.sampled_from(["the", "mayor", "said", "bridge", "“quoted”", "3.5", "é", "—", "word"])
SENTENCE = st.lists(WORDS, min_size=0, max_size=20).map(lambda ws: " ".join(["Then", *ws]) + ".")


@st.composite
def article_texts(draw) -> str:
    paragraphs = draw(st.lists(st.lists(SENTENCE, min_size=1, max_size=6), min_size=1, max_size=6))
    seps = draw(st.lists(st.sampled_from(["\n", "\n\n", " \n \n"]), min_size=len(paragraphs), max_size=len(paragraphs)))
    return "".join(" ".join(p) + sep for p, sep in zip(paragraphs, seps, strict=True))


@given(
    text=st.one_of(article_texts(), st.text(min_size=1).filter(lambda t: t.strip())),
    max_tokens=st.integers(16, 120),
    overlap=st.integers(0, 40),
)
@settings(max_examples=300, deadline=None)
def test_offsets_are_exact_and_chunks_fit(text: str, max_tokens: int, overlap: int):
    article = Article(id="a", title="t", text=text)
    chunks = chunk_article(article, approx_tokens, max_tokens=max_tokens, overlap=overlap)
    assert chunks
    for number, chunk in enumerate(chunks):
        assert article.text[chunk.start : chunk.end] == chunk.text
        assert chunk.text == chunk.text.strip() and chunk.text
        assert chunk.seq == number
        assert chunk.tokens <= max_tokens
    covered = {i for c in chunks for i in range(c.start, c.end)}
    assert all(i in covered for i, ch in enumerate(article.text) if not ch.isspace())


@given(text=article_texts(), max_tokens=st.integers(40, 120))
@settings(max_examples=150, deadline=None)
def test_chunks_never_cut_a_sentence(text: str, max_tokens: int):
    article = Article(id="a", title="t", text=text)
    spans = sentences(article.text)
    starts, ends = {s for s, _ in spans}, {e for _, e in spans}
    for chunk in chunk_article(article, approx_tokens, max_tokens=max_tokens, overlap=10):
        assert chunk.start in starts and chunk.end in ends


def test_overlap_repeats_trailing_sentences():
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    chunks = chunk_article(Article(id="a", text=text), approx_tokens, max_tokens=40, overlap=16)
    assert len(chunks) > 3
    for before, after in itertools.pairwise(chunks):
        assert after.start < before.end, "consecutive chunks share their boundary sentences"


def test_no_overlap():
    text = " ".join(f"Sentence number {i} is here." for i in range(40))
    chunks = chunk_article(Article(id="a", text=text), approx_tokens, max_tokens=40, overlap=0)
    for before, after in itertools.pairwise(chunks):
        assert after.start >= before.end


def test_short_paragraphs_are_packed_and_long_ones_start_fresh():
    text = "A short one of nine words is here.\nAnother short one of nine words is here.\n" + " ".join(
        ["A much longer sentence with many words in it."] * 6
    )
    chunks = chunk_article(Article(id="a", text=text), approx_tokens, max_tokens=40, overlap=8)
    assert chunks[0].text == "A short one of nine words is here.\nAnother short one of nine words is here."
    assert chunks[1].text.startswith("A much longer")


def test_overlong_sentence_is_cut_at_words():
    text = " ".join(["word"] * 500) + "."
    chunks = chunk_article(Article(id="a", text=text), approx_tokens, max_tokens=50, overlap=0)
    assert len(chunks) > 5
    assert all(c.tokens <= 50 for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)

"""Quote parsing in a worker process during long ingests: same quotes as in-process, and a dead worker costs
nothing but speed."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np

from index.embed.base import split_rows
from index.library import Library
from index.models import Article
from index.quotes.pipeline import Encoding, QuotePipeline
from index.quotes.source import ArticleText, Found, QuoteSource
from index.system import usable_cores
from tests.conftest import ROOT, corpus
from tests.fakes import HashEmbedder, extractor


def news(n: int) -> list[Article]:
    lines = corpus("polnear", "articles.jsonl").read_text().splitlines()
    return [Article.model_validate(json.loads(line)) for line in lines if '"split": "dev"' in line][:n]


def quotes_of(lib: Library) -> list[tuple[str, int, int, str | None]]:
    return sorted((q.article_id, q.start, q.end, q.speaker) for q in lib.quotes())


def library(path: Path, quote_process: bool) -> Library:
    return Library(path, "fake/hash-embedder", HashEmbedder(), quotes=extractor(), quote_process=quote_process)


def test_worker_process_finds_the_same_quotes(tmp_path: Path):
    articles = news(9)
    here = library(tmp_path / "here", quote_process=False)
    here.ingest(articles, batch_articles=2)
    there = library(tmp_path / "there", quote_process=True)
    there.ingest(articles, batch_articles=2)
    assert quotes_of(there) and quotes_of(there) == quotes_of(here)
    here.close()
    there.close()


def test_a_dead_worker_falls_back_to_parsing_here():
    articles = [a.with_id() for a in news(3)]
    items = [[ArticleText(a.id, a.text)] for a in articles]
    pipeline = QuotePipeline(extractor, extractor().model)
    for job in items:
        pipeline.send(job)
    assert pipeline.worker is not None
    os.kill(pipeline.worker.process.pid, signal.SIGKILL)
    taken = [pipeline.take() for _ in items]
    pipeline.close()
    expected = [{a.id: Found(extractor().extract_many(job)[0])} for a, job in zip(articles, items, strict=True)]
    assert taken == expected and pipeline.worker is None


def test_one_batch_needs_no_worker():
    pipeline = QuotePipeline(extractor, extractor().model)
    pipeline.send([ArticleText("a", "“We will rebuild the bridge,” the mayor said.")])
    found = pipeline.take()["a"]
    assert found.quotes[0].quote.startswith("We will rebuild") and found.vectors is None
    assert pipeline.worker is None


def test_a_script_without_a_main_guard_is_not_run_again(tmp_path: Path):
    """multiprocessing's spawn would re-run the caller's script in the child (and spawn again, and again)."""
    script = tmp_path / "plain.py"
    script.write_text(
        "import json\n"
        "from index.library import Library\n"
        "from index.models import Article\n"
        "from tests.fakes import HashEmbedder, extractor\n"
        f"lines = open({str(corpus('polnear', 'articles.jsonl'))!r}).read().splitlines()[:6]\n"
        "lib = Library('data', 'fake/hash-embedder', HashEmbedder(), quotes=extractor(), quote_process=True)\n"
        "articles = [Article.model_validate(json.loads(x)) for x in lines]\n"
        "print('RAN', sum(r.quotes for r in lib.ingest(articles, batch_articles=2)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("RAN") == 1 and int(out.stdout.split()[-1]) > 0


class NotHere(QuoteSource):
    """A local extractor that must not be used: the worker is to parse every batch."""

    model = extractor().model

    def extract_many(self, items, batch_size: int = 8):
        raise AssertionError("parsed in this process")

    def parse(self, text: str, entities: bool = True):
        raise AssertionError("parsed in this process")


def test_a_second_batch_sends_the_waiting_first_one_to_the_worker_too():
    articles = [a.with_id() for a in news(2)]
    jobs = [[ArticleText(a.id, a.text)] for a in articles]
    pipeline = QuotePipeline(NotHere, NotHere.model)
    pipeline.send(jobs[0])
    assert not pipeline.busy
    pipeline.send(jobs[1])
    assert pipeline.busy  # the worker is still loading spaCy
    taken = [pipeline.take() for _ in jobs]
    assert not pipeline.busy
    worker = pipeline.worker
    pipeline.close()
    assert worker is not None and worker.process.returncode == 0  # it exits by itself once its input ends
    assert taken == [{a.id: Found(extractor().extract_many(job)[0])} for a, job in zip(articles, jobs, strict=True)]


class ThreadsSeen(HashEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[int | None] = []

    def threads(self, count: int | None):
        self.seen.append(count)
        return super().threads(count)


def test_encoding_leaves_the_worker_a_core_while_it_parses(tmp_path: Path):
    share = max(1, usable_cores() - 1)
    for quote_process in (True, False):
        embedder = ThreadsSeen()
        lib = Library(
            tmp_path / str(quote_process),
            "fake/hash-embedder",
            embedder,
            quotes=extractor(),
            quote_process=quote_process,
        )
        lib.ingest(news(6), batch_articles=2)
        lib.close()
        if quote_process:  # the first batch is embedded while the worker still starts
            assert embedder.seen[0] == share and set(embedder.seen) <= {share, None}
        else:
            assert set(embedder.seen) == {None}


def test_rows_split_by_counts_keep_empty_parts():
    vectors = np.arange(12.0).reshape(6, 2)
    parts = split_rows(vectors, [2, 0, 4])
    assert [len(p) for p in parts] == [2, 0, 4] and np.array_equal(np.concatenate(parts), vectors)
    assert split_rows(vectors[:0], []) == []


def test_texts_encoded_shortest_first_keep_their_rows(tmp_path: Path):
    embedder = HashEmbedder()
    lib = Library(tmp_path, "fake/hash-embedder", embedder, quotes=extractor(), quote_process=False)
    lib.ingest(news(3))
    for table in ("chunks", "quotes"):
        texts = lib.store.texts(table).texts
        stored = np.concatenate([b.vectors for b in lib.store.iter_vectors(embedder.dim, table)])
        assert len(set(map(len, texts))) > 1
        assert np.allclose(stored, embedder.encode(texts))
    lib.close()


def test_the_faster_spacy_pipeline_annotates_as_the_stock_one():
    from index.quotes.extract import QuoteExtractor, extract_from_doc

    def annotations(doc):
        return [
            (t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_, t.is_sent_start)
            for t in doc
        ]

    rare = "Y'all ain't seen nothin' yet, she said.  There's one who gets it and I'd say he got it.\n\n  It is."
    texts = [rare, *(a.text for a in news(8))]
    fast, stock = extractor(), QuoteExtractor(stock=True)
    assert not fast.nlp.get_pipe("ner").model.ops.use_blis and stock.nlp.get_pipe("ner").model.ops.use_blis
    assert {"attribute_ruler", "lemmatizer"} <= set(fast.nlp.disabled) and stock.nlp.disabled == ["senter"]
    for mine, theirs in zip(fast.nlp.pipe(texts), stock.nlp.pipe(texts), strict=True):
        assert annotations(mine) == annotations(theirs)
        assert extract_from_doc("a", mine) == extract_from_doc("a", theirs)


def test_the_worker_embeds_quotes_as_this_process_would(st_embedder):
    articles = [a.with_id() for a in news(3)]
    jobs = [[ArticleText(a.id, a.text)] for a in articles]
    pipeline = QuotePipeline(extractor, extractor().model, Encoding(st_embedder.name, st_embedder.precision, 16))
    for job in jobs:
        pipeline.send(job)
    first, *later = [pipeline.take()[a.id] for a in articles]
    pipeline.close()
    assert first.quotes and first.vectors is None  # answered before the worker loads its embedder: the caller embeds
    for found in later:
        assert found.vectors is not None and len(found.vectors) == len(found.quotes) > 0
        assert np.min(np.sum(st_embedder.encode([q.quote for q in found.quotes]) * found.vectors, axis=1)) >= 0.9999


def test_an_ingest_stores_the_same_quote_vectors_wherever_they_were_embedded(tmp_path: Path, st_embedder):
    lib = Library(tmp_path, st_embedder.name, st_embedder, quotes=extractor(), quote_process=True)
    lib.ingest(news(6), batch_articles=2)
    texts = lib.store.texts("quotes").texts
    stored = np.concatenate([b.vectors for b in lib.store.iter_vectors(st_embedder.dim, "quotes")])
    lib.close()
    assert len(texts) > 10 and np.min(np.sum(st_embedder.encode(texts) * stored, axis=1)) >= 0.9999


def test_a_worker_that_cannot_load_the_embedder_still_parses():
    articles = [a.with_id() for a in news(3)]
    pipeline = QuotePipeline(extractor, extractor().model, Encoding(str(ROOT / "no-such-model"), "float32", 16))
    for a in articles:
        pipeline.send([ArticleText(a.id, a.text)])
    taken = [pipeline.take()[a.id] for a in articles]
    pipeline.close()
    assert [found.vectors for found in taken] == [None] * 3
    expected = extractor().extract_many([ArticleText(a.id, a.text) for a in articles])
    assert [found.quotes for found in taken] == expected


def test_an_ingest_parsed_in_the_worker_never_loads_spacy_here(tmp_path: Path):
    loads = []

    def source():
        loads.append(1)
        return extractor()

    lib = Library(
        tmp_path,
        "fake/hash-embedder",
        HashEmbedder(),
        quotes=source,
        quote_process=True,
        quote_model=extractor().model,
    )
    results = lib.ingest(news(6), batch_articles=2)
    assert sum(r.quotes for r in results) > 0 and loads == []
    lib.ingest(news(7)[6:])  # one batch: parsed here
    assert loads == [1] and lib.store.count("quotes") > sum(r.quotes for r in results)
    lib.close()

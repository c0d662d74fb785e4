"""No question crashes `ask`: a statement that fails the verbatim check is dropped and logged, and a thousand
generated questions (who / what / did shapes over real speakers and topics, plus junk) all get an answer."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.answer.compose import quote_answer
from bot.answer.quoting import evidence_for
from bot.settings import Settings
from index.models import Article
from tests.conftest import ROOT, corpus, with_onnx
from tests.fakes import extractor

TRUMP_WALL = "politico_2016-03-01_trump-my-immigration-plans-aren-"


def polnear(split: str) -> list[Article]:
    lines = corpus("polnear", "articles.jsonl").read_text().splitlines()
    return [Article.model_validate(r) for r in map(json.loads, lines) if r["split"] == split]


def test_reported_speech_holding_quotation_marks_beside_a_direct_quote(fake_engine):
    """The crash of `whosaid ask` on "What did Donald Trump say about the wall?": a mixed quote with “…” inside,
    shown beside a direct one, made the old verbatim check read one string across both statements."""
    [article] = [a for a in polnear("train") if a.id == TRUMP_WALL]
    fake_engine.library.ingest([article])
    quotes = [q for q in fake_engine.quotes(speaker="Donald Trump") if q.article_id == TRUMP_WALL]
    mixed = next(q for q in quotes if q.kind != "direct" and "“" in q.quote)
    direct = next(q for q in quotes if q.kind == "direct")
    items = [(q, evidence_for(fake_engine.library, q, 1.0)) for q in (mixed, direct)]
    answer = quote_answer("What did Donald Trump say about the wall?", [(q, e) for q, e in items if e])
    assert answer is not None and len(answer.citations) == 2
    assert answer.citations[0].text in article.text and f"“{direct.quote}”" in answer.answer
    asked = fake_engine.ask("What did Donald Trump say about the wall?")
    assert asked.found and all(c.text in article.text for c in asked.citations)


def questions(articles: list[Article], speakers: list[str], count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = [w.strip(".,;:“”\"'()") for a in articles for w in a.text.split()]
    nouns = [w for w, n in Counter(w.lower() for w in words if len(w) > 5 and w.isalpha()).most_common(400)]
    junk = [
        "?",
        "hi",
        "thanks!",
        "🙂🙂",
        "“”",
        '"',
        "who",
        "what did say",
        "x" * 1000,
        "Who said “",
        "\u200f\u200e",
        "Did ?",
        "What did  say about  ?",
        "<b>bold</b> & co",
        "\\",
        "' OR 1=1 --",
        'Who said ""?',
    ]
    shapes = [
        lambda: f"What did {rng.choice(speakers)} say about {rng.choice(nouns)}?",
        lambda: f"What did {rng.choice(speakers)} say?",
        lambda: f"Did {rng.choice(speakers)} say {rng.choice(nouns)} {rng.choice(nouns)}?",
        lambda: f"Who said {' '.join(rng.choice(words) for _ in range(rng.randint(1, 14)))}?",
        lambda: f"Who said “{' '.join(rng.choice(words) for _ in range(rng.randint(3, 9)))}”?",
        lambda: f"When did {rng.choice(speakers)} {rng.choice(nouns)}?",
        lambda: f"Who is {rng.choice(speakers)}?",
        lambda: f"Who {rng.choice(['heads', 'leads', 'runs', 'chairs'])} {rng.choice(nouns)} {rng.choice(nouns)}?",
        lambda: f"Who is the {rng.choice(['head', 'spokesman', 'chairman'])} of {rng.choice(speakers)}?",
        lambda: " ".join(rng.choice(words) for _ in range(rng.randint(1, 30))),
        lambda: rng.choice(junk),
    ]
    return [rng.choice(shapes)() for _ in range(count)]


@pytest.mark.model
def test_a_thousand_generated_questions_in_stdin_mode_crash_nothing(tmp_path: Path, st_embedder, onnx_model):
    from bot.engine import build_engine

    data = with_onnx(tmp_path / "data", onnx_model, Settings().store.model)
    engine = build_engine(Settings(data_dir=data), embedder=st_embedder, quotes=extractor())
    dev = polnear("dev")
    engine.library.ingest(dev)
    speakers = sorted({q.speaker for q in engine.quotes() if q.speaker})
    engine.close()
    asked = [q.replace("\n", " ") for q in questions(dev, [*speakers, "Vladimir Putin", "the articles", "he"], 1000)]
    env = {**os.environ, "WHOSAID_DATA_DIR": str(data)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json"],
        input="\n".join(asked) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == sum(1 for q in asked if q.strip()), "one answer per question, none lost"
    for row in rows:
        assert row["answer"].strip()
        assert all(c["text"] for c in row["citations"])

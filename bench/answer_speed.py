"""Whole answers against raw query encoding, in one run: each question written to `whosaid ask --json` in stdin
mode and its JSON line read back (the next written only then), beside sentence-transformers' own `encode` of the
same question in this process. Ratios by question shape; the raw encode is the baseline."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.common import ROOT, percentiles
from bot.answer.questions import parse
from index.embed.transformer import SentenceTransformerEmbedder
from index.quotes.extract import QuoteExtractor

WARM_UP = 10


def answer_times(data: Path, questions: list[str]) -> list[float]:
    """Milliseconds from writing each question to reading its answer, the process started and warmed first."""
    command = [sys.executable, "-m", "bot", "ask", "--json", "--data-dir", str(data)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        times = []
        for n, question in enumerate([*questions[:WARM_UP], *questions]):
            start = time.perf_counter()
            process.stdin.write(question.replace("\n", " ") + "\n")
            process.stdin.flush()
            process.stdout.readline()
            if n >= WARM_UP:
                times.append((time.perf_counter() - start) * 1000)
        process.stdin.close()
    return times


def encode_times(embedder: SentenceTransformerEmbedder, questions: list[str]) -> list[float]:
    for question in questions[:WARM_UP]:
        embedder.model.encode([question])
    times = []
    for question in questions:
        start = time.perf_counter()
        embedder.model.encode([question])
        times.append((time.perf_counter() - start) * 1000)
    return times


def speed_rows(embedder: SentenceTransformerEmbedder, data: Path, questions: list[str]) -> dict:
    answers = answer_times(data, questions)
    raw = encode_times(embedder, questions)
    nlp = QuoteExtractor().parse
    by_shape: dict[str, list[int]] = defaultdict(list)
    for n, question in enumerate(questions):
        shape = parse(question, nlp)
        by_shape[shape.wants if shape.kind == "wh" and shape.wants else shape.kind].append(n)
    rows = {"all": _ratios([answers[n] for n in range(len(questions))], raw)}
    for name, members in sorted(by_shape.items()):
        rows[name] = _ratios([answers[n] for n in members], [raw[n] for n in members])
    return rows


def _ratios(answers: list[float], raw: list[float]) -> dict:
    answered = percentiles(answers, (50, 95))
    encoded = percentiles(raw, (50, 95))
    return {
        "questions": len(answers),
        "answer_ms": answered,
        "raw_encode_ms": encoded,
        "median_ratio": statistics.median(answers) / statistics.median(raw),
        "p95_ratio": answered["p95"] / encoded["p95"],
    }

"""Shared pieces of the benchmarks: corpora paths, timing, percentiles, result files."""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPORA = Path(os.environ.get("WHOSAID_CORPORA", ROOT.parent / "shared" / "corpora"))
RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data"


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text("utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


def percentiles(values: list[float], qs: tuple[int, ...] = (50, 95, 99)) -> dict[str, float]:
    return {f"p{q}": float(np.percentile(values, q)) for q in qs} if values else {}


@contextmanager
def timer() -> Iterator[list[float]]:
    box: list[float] = []
    start = time.perf_counter()
    yield box
    box.append(time.perf_counter() - start)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}"


def split_parser(doc: str | None, missed: str) -> argparse.ArgumentParser:
    """The options every reader's-words benchmark takes: the split, a baseline commit, where stores are kept, and
    `--show` to list what was `missed`."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["fit", "report", "all"], default="fit")
    parser.add_argument("--baseline", help="a commit to measure beside the working tree, in the same run")
    parser.add_argument("--stores", type=Path, help="keep the built stores (and baseline code) here")
    parser.add_argument("--show", action="store_true", help=f"list the {missed}")
    return parser


def save(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **payload}, indent=2) + "\n")
    return path

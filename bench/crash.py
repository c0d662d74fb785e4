"""Crash safety, long run: SIGKILL an ingest process at random points, N trials; after each the store must open,
hold every completed article (searchable, all chunks), show nothing half-written, and its indexes must agree.

    python -m bench.crash [--trials 50]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from bench.common import save
from tests.test_crash import kill_during_ingest, verify


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures = 0
    completed: list[str] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        for trial in range(args.trials):
            completed += kill_during_ingest(data, 100 * trial, rng)
            try:
                verify(data, completed)
            except AssertionError as error:
                failures += 1
                print(f"trial {trial}: {error}")
    result = {
        "trials": args.trials,
        "failures": failures,
        "articles_completed": len(completed),
        "seconds": time.perf_counter() - start,
    }
    print(result)
    save("crash", result)


if __name__ == "__main__":
    main()

"""Run as a process by the crash tests: ingest articles one call at a time, print each id once it is stored."""

from __future__ import annotations

import sys
from pathlib import Path

from index.library import Library
from index.models import Article
from tests.fakes import HashEmbedder


def article(n: int) -> Article:
    sentences = " ".join(f"Report {n} sentence {i} about the harbour, the council and the budget." for i in range(40))
    return Article(id=f"a{n:04}", title=f"Report {n}", text=sentences)


def main() -> None:
    data, start, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    library = Library(data, "fake/hash-embedder", HashEmbedder(), chunk_tokens=60, chunk_overlap=10)
    for n in range(start, start + count):
        library.ingest([article(n)])
        print(f"stored a{n:04}", flush=True)
    library.close()


if __name__ == "__main__":
    main()

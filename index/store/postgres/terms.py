"""BM25 kept in SQL: each row's terms (whosaid's own tokenizer, `index.text.terms`, as bm25s indexes them) as a
tsvector whose positions count each term, the row's length in terms, and per table the document frequency of
every term and the totals BM25 needs, all written in the transaction that writes the rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from index.text.terms import terms

MAX_POSITION = 16383  # PostgreSQL keeps tsvector positions up to this
MAX_POSITIONS = 256  # and at most this many of one lexeme


def vector_text(text: str) -> tuple[str, int, set[str]]:
    """A row's terms as tsvector input ('term':1,4 …), its length in terms, and its distinct terms."""
    found = terms(text)
    positions: dict[str, list[int]] = {}
    for n, term in enumerate(found, start=1):
        positions.setdefault(term, []).append(min(n, MAX_POSITION))
    parts = []
    for term, places in positions.items():
        quoted = term.replace("\\", "\\\\").replace("'", "''")
        parts.append(f"'{quoted}':{','.join(map(str, sorted(set(places))[:MAX_POSITIONS]))}")
    return " ".join(parts), len(found), set(positions)


def query_terms(text: str) -> list[str]:
    """The distinct terms of a query, in order."""
    return list(dict.fromkeys(terms(text)))


def frequencies(rows: Iterable[set[str]]) -> Counter[str]:
    """How many of these rows hold each term."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(row)
    return counts

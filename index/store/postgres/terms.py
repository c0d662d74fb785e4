"""BM25 kept in SQL: each row's terms (whosaid's own tokenizer, `index.text.terms`, as bm25s indexes them) as
postings (table, term, row, how often, the row's length in terms), and per table the document frequency of every
term and the totals BM25 needs, all written in the transaction that writes the rows. A query reads the postings
of its terms only, as a search engine's inverted index does."""

from __future__ import annotations

from collections import Counter

from index.text.terms import terms

K1, B = 1.5, 0.75  # bm25s's defaults (its "lucene" scoring)
PER_TERM = 2000
"""Postings read per query term, the heaviest first (by the weight stored with each): every posting of a term that
fewer rows hold, so BM25 is exact while a table is small; a term most rows hold contributes its heaviest rows."""


def weight(tf: int, length: int, average: float) -> float:
    """A posting's term-frequency part of BM25: tf / (tf + k1 (1 - b + b length / average))."""
    return tf / (tf + K1 * (1 - B + B * length / max(average, 1.0)))


def counted(text: str) -> tuple[Counter[str], int]:
    """A row's terms with how often each occurs, and its length in terms."""
    found = terms(text)
    return Counter(found), len(found)


def query_terms(text: str) -> list[str]:
    """The distinct terms of a query, in order."""
    return list(dict.fromkeys(terms(text)))

"""BM25 kept in SQL: each row's terms (whosaid's own tokenizer, `index.text.terms`, as bm25s indexes them) as
postings (table, term, row, how often, the row's length in terms), and per table the document frequency of every
term and the totals BM25 needs, all written in the transaction that writes the rows. A query reads the postings
of its terms only, as a search engine's inverted index does."""

from __future__ import annotations

from collections import Counter

from index.text.terms import terms


def counted(text: str) -> tuple[Counter[str], int]:
    """A row's terms with how often each occurs, and its length in terms."""
    found = terms(text)
    return Counter(found), len(found)


def query_terms(text: str) -> list[str]:
    """The distinct terms of a query, in order."""
    return list(dict.fromkeys(terms(text)))

"""`whosaid check`: do SQLite, the FAISS indexes and the BM25 indexes agree? Repair by rebuilding from SQLite."""

from __future__ import annotations

from pydantic import BaseModel

from index.library import Library
from index.models import TABLES


class CheckReport(BaseModel):
    articles: int
    chunks: int
    quotes: int
    problems: list[str]
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems or self.repaired


def check(library: Library, repair: bool = False) -> CheckReport:
    store = library.store
    problems = []
    if orphans := store.orphan_chunks():
        problems.append(f"{orphans} chunks belong to no article")
    if empty := store.articles_without_chunks():
        problems.append(f"{empty} articles have no chunks")
    for table in TABLES:
        stored = set(store.texts(table).ids.tolist())
        in_faiss, in_bm25 = library.indexed_ids(table)
        if stored != in_faiss:
            problems.append(
                f"{table}: {len(stored - in_faiss)} rows missing from FAISS, "
                f"{len(in_faiss - stored)} FAISS vectors without a row"
            )
        if in_bm25 is not None and in_bm25 != stored:
            problems.append(f"{table}: the BM25 index does not hold the same rows as SQLite")
    repaired = False
    if problems and repair and library.dim is not None:
        with library.writing():
            library.rebuild()
        repaired = True
    return CheckReport(
        articles=len(store.articles()),
        chunks=store.count("chunks"),
        quotes=store.count("quotes"),
        problems=problems,
        repaired=repaired,
    )

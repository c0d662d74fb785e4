"""Search on PostgreSQL, answered whole by the database: dense (pgvector: HNSW on the normalised vectors by
inner product, exact while a table is small, iterative scans when a scope filters it), BM25 (whosaid's terms and
their statistics in SQL, scored as bm25s scores them), and both fused by reciprocal rank, in one query each,
limited by the scope's conditions. The same calls as the embedded engine's `Indexes`; what that one keeps in
files (FAISS, bm25s, meta.json) lives in the database here, so writes have nothing to save."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from index.models import TABLES, Mode, Scope, Scored, Table
from index.search import pg_tuning
from index.search.meta import IndexMeta, check_meta
from index.search.tables import AnnPolicy
from index.store import scopes
from index.store.postgres.dialect import PgHandle, translate
from index.store.postgres.store import PgStore
from index.store.postgres.terms import K1, PER_TERM, B, query_terms

RRF_K = 60
EF_SEARCH = 100  # until a table is tuned (`index.search.pg_tuning`)


class PgSearch:
    def __init__(self, store: PgStore, model: str, ann: AnnPolicy | None = None) -> None:
        self.store = store
        self.model = model
        self.ann = ann or AnnPolicy()
        self.lock = threading.RLock()
        self._writer = threading.RLock()
        self.meta = self._read_meta()

    def _read_meta(self) -> IndexMeta | None:
        rows = dict(self.store.select("SELECT key, value FROM meta WHERE key IN ('model', 'dim')"))
        return IndexMeta(model=rows["model"], dim=int(rows["dim"])) if "dim" in rows else None

    @property
    def ready(self) -> bool:
        return self.meta is not None

    @property
    def dim(self) -> int | None:
        return self.meta.dim if self.meta is not None else None

    def adopt(self, name: str, dim: int) -> None:
        """The first embedder fixes the vectors' dimension and builds their HNSW indexes; later ones must match."""
        with self.lock:
            if self.meta is None:
                with self.store.transaction() as db:
                    db.sql("SELECT pg_advisory_xact_lock(3205033)")
                    if self._read_meta() is None:
                        dimension(db, name, dim)
                self.meta = self._read_meta()
            assert self.meta is not None
            check_meta(self.meta, name, dim, Path(self.store.url))

    @contextmanager
    def writer(self) -> Iterator[None]:
        """Writes from this process one at a time (the database serialises the rest)."""
        with self._writer:
            yield

    def track_changes(self) -> None:
        """Nothing to track: the rows are the index."""

    def forget_changes(self) -> None:
        """A failed write was rolled back with its rows."""

    def commit(self) -> None:
        """After a write (its transaction was the index's): HNSW's ef_search tuned again for a table past the
        exact-search size that has doubled since it was last tuned (`index.search.pg_tuning`)."""
        for table in TABLES:
            rows = int(self.store.select("SELECT rows FROM lexicon_totals WHERE tbl = ?", (table,))[0][0])
            if rows >= self.ann.min_vectors and pg_tuning.due(self.store, table, rows):
                pg_tuning.tune(self.store, table, self.ann.recall)

    def tune(self) -> dict[Table, int]:
        """Tune every table's ef_search now (after a bulk copy)."""
        return {table: pg_tuning.tune(self.store, table, self.ann.recall) for table in TABLES}

    def save(self, force: bool = True) -> None:
        """Nothing to save."""

    def added(self, table: Table, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Rows written are searchable once their transaction commits."""

    def removed(self, table: Table, ids: np.ndarray) -> None:
        """Rows deleted are gone once their transaction commits."""

    def rebuild(self, dim: int) -> None:
        """Rebuild the vector indexes (`whosaid check --repair`)."""
        for table in TABLES:
            self.store.read(f"REINDEX INDEX {table}_vector", {})

    def refresh_lexical(self) -> None:
        """BM25's statistics are kept in the write's transaction."""

    def warm(self) -> None:
        """Nothing to load."""

    def indexed_ids(self, table: Table) -> tuple[set[int], set[int] | None]:
        """Row ids with a vector (every row has one here), and those BM25 holds (their postings; a row with no
        terms needs none)."""
        ids = {int(r[0]) for r in self.store.select(f"SELECT id FROM {table}")}
        rows = self.store.select(
            f"SELECT id FROM {table} c WHERE c.length = 0 OR EXISTS "
            "(SELECT 1 FROM postings p WHERE p.tbl = ? AND p.row_id = c.id)",
            (table,),
        )
        return ids, {int(r[0]) for r in rows}

    def search(self, table: Table, text: str, vector: np.ndarray, k: int, scope: Scope, mode: Mode) -> list[Scored]:
        """The rows inside `scope` best matching a query, best first, each with its cosine to the query."""
        if self.meta is None or k <= 0:
            return []
        where = scopes.for_rows(scope, speakers=table == "quotes")
        if where.none:
            return []
        condition, params = _condition(where)
        depth = k if mode == "dense" else k * 3
        query = np.asarray(vector, dtype=np.float32)
        settings = self._settings(table, scope)
        legs, leg_params = [], []
        if mode != "bm25":
            pg_tuning.remember(self.store, table, query)
            legs.append(_dense(table, condition, exact=settings is None))
            leg_params += [query, *params, query, depth]
        words = query_terms(text)
        if mode != "dense" and words:
            legs.append(_lexical(table, condition))
            leg_params += [table, words, table, table, *params, depth]
        if not legs:
            return []
        statement = _fused(table, legs, mode)
        rows = self.store.read(statement, [query, *leg_params, k], settings or [])
        return [Scored(int(r[0]), float(r[1])) for r in rows]

    def _settings(self, table: Table, scope: Scope) -> list[str] | None:
        """HNSW's settings for a search of this table; None: the table is small enough for exact search."""
        rows = self.store.select(
            "SELECT (SELECT rows FROM lexicon_totals WHERE tbl = ?), (SELECT value FROM meta WHERE key = ?)",
            (table, f"ef_search:{table}"),
        )
        if not rows or (rows[0][0] or 0) < self.ann.min_vectors:
            return None
        ef = int(rows[0][1].split()[0]) if rows[0][1] else EF_SEARCH
        settings = [f"hnsw.ef_search = {ef}"]
        if not scope.everything:
            settings.append("hnsw.iterative_scan = relaxed_order")
        return settings


def dimension(db: PgHandle, name: str, dim: int, index: bool = True) -> None:
    """The vectors' columns made `dim` wide, the model and dimension in `meta`, and (`index`) their HNSW indexes
    (a bulk copy builds them after its rows: `vector_indexes`)."""
    for table in TABLES:
        db.sql(f"ALTER TABLE {table} ALTER COLUMN vector TYPE vector({dim})")
    db.sql(f"ALTER TABLE quotes ALTER COLUMN context_vector TYPE vector({dim})")
    if index:
        vector_indexes(db)
    db.sql(
        "INSERT INTO meta(key, value) VALUES ('model', %s), ('dim', %s) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (name, str(dim)),
    )


def vector_indexes(db: PgHandle) -> None:
    """HNSW on each table's vectors, by inner product (the vectors are normalised: it is their cosine)."""
    for table in TABLES:
        db.sql(f"CREATE INDEX IF NOT EXISTS {table}_vector ON {table} USING hnsw (vector vector_ip_ops)")


def _condition(where: scopes.Where) -> tuple[str, list[object]]:
    """The scope's conditions in PostgreSQL, to follow other conditions (` AND …`)."""
    if not where.conditions:
        return "", []
    sql, _ = translate(" AND ".join(where.conditions))
    return f" AND {sql}", list(where.params)


def _dense(table: Table, condition: str, exact: bool) -> str:
    """The dense leg: by HNSW, or (`exact`) by comparing every row, as FAISS's flat index does. Exact search
    orders by an expression no index serves, not by a setting: a statement's cached plan keeps the plan it was
    first made with, whatever the settings are later."""
    order = pg_tuning.exact_order("%s") if exact else "vector <#> %s"
    return (
        f"SELECT id, row_number() OVER (ORDER BY d, id) AS r, 0 AS leg FROM (SELECT id, vector <#> %s AS d "
        f"FROM {table} WHERE true{condition} ORDER BY {order} LIMIT %s) dense"
    )


def _lexical(table: Table, condition: str) -> str:
    """BM25 as bm25s scores it, from the postings of the query's terms (each term's PER_TERM heaviest inside the
    scope): idf = ln(1 + (N - df + 0.5) / (df + 0.5)), tf / (tf + k1 (1 - b + b len / avg))."""
    scoped = f" JOIN {table} c ON c.id = x.row_id" if condition else ""
    return (
        "SELECT id, row_number() OVER (ORDER BY score DESC, id) AS r, 1 AS leg FROM ("
        f"SELECT p.row_id AS id, sum(q.idf * p.tf / (p.tf + {K1} * (1 - {B} + {B} * p.length / a.avgdl))) AS score "
        "FROM (SELECT l.term, ln(1 + (t.rows - l.df + 0.5) / (l.df + 0.5)) AS idf FROM lexicon l "
        "JOIN lexicon_totals t ON t.tbl = l.tbl WHERE l.tbl = %s AND l.df > 0 AND l.term = ANY(%s)) q "
        "CROSS JOIN (SELECT greatest(length, 1)::float8 / greatest(rows, 1) AS avgdl FROM lexicon_totals "
        "WHERE tbl = %s) a CROSS JOIN LATERAL (SELECT x.row_id, x.tf, x.length FROM postings x"
        f"{scoped} WHERE x.tbl = %s AND x.term = q.term{condition} ORDER BY x.weight DESC LIMIT {PER_TERM}) p "
        "GROUP BY p.row_id ORDER BY score DESC, p.row_id LIMIT %s) lexical"
    )


def _fused(table: Table, legs: list[str], mode: Mode) -> str:
    """The legs' ranks fused (one leg: its order), then each row's cosine to the query."""
    ranked = " UNION ALL ".join(f"({leg})" for leg in legs)
    if mode == "hybrid" and len(legs) == 2:
        order = f"sum(1.0 / ({RRF_K} + r)) DESC, min(CASE WHEN leg = 0 THEN r ELSE 1000000 + r END)"
    else:
        order = "min(r)"
    return (
        f"SELECT f.id, -(c.vector <#> %s) FROM (SELECT id, row_number() OVER (ORDER BY {order}) AS n "
        f"FROM ({ranked}) legs GROUP BY id) f JOIN {table} c ON c.id = f.id ORDER BY f.n LIMIT %s"
    )

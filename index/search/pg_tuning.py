"""HNSW's ef_search chosen per table, as the embedded engine chooses IVF's nprobe (`index.search.vectors`): the
smallest ef_search whose recall@10 against exact search reaches the target, held to half the allowed loss, never
below pgvector's usual 100. It is tuned on the vectors of the last questions searched (`query_vectors`: no text,
no chat; the last KEEP of them) once there are PROBES of them, else on probes drawn from the table's own vectors
(between three stored ones, and beside one), which real questions find harder (docs/benchmarks.md, issue 32). A
table is tuned again when it has doubled since, or when it was tuned on drawn probes and questions have come;
`whosaid migrate` tunes the tables it fills."""

from __future__ import annotations

import numpy as np

from index.models import Table
from index.search.vectors import probe_queries
from index.store.postgres.store import PgStore

EFS = (100, 160, 250, 400, 640, 1000)  # pgvector allows up to 1000; never below its usual 100
KEEP = 1000
PROBES = 100
SAMPLE = 3000
AWAY = 1.3  # the noise's norm against a stored vector's 1: a cosine of about 0.6


def tune(store: PgStore, table: Table, recall: float, seed: int = 0) -> int:
    """The ef_search this table needs now, recorded in `meta` with the row count it was tuned at."""
    rng = np.random.default_rng(seed)
    rows = store.read(f"SELECT vector FROM {table} TABLESAMPLE BERNOULLI(10) REPEATABLE (%s) LIMIT %s", [seed, SAMPLE])
    count = int(store.select(f"SELECT count(*) FROM {table}")[0][0])
    asked = store.read("SELECT vector FROM query_vectors WHERE tbl = %s ORDER BY id DESC LIMIT %s", [table, PROBES])
    kind = "questions" if len(asked) >= PROBES else "drawn"
    chosen = EFS[-1]
    if len(rows) >= 3:
        drawn = np.vstack([np.asarray(r[0], dtype=np.float32) for r in (asked if kind == "questions" else rows)])
        probes = drawn if kind == "questions" else _probes(drawn, rng)
        truth = [_top(store, table, p, [], exact=True) for p in probes]
        target = 1 - (1 - recall) / 2
        for ef in EFS:
            setting = [f"hnsw.ef_search = {ef}"]
            found = sum(len(t & _top(store, table, p, setting)) for p, t in zip(probes, truth, strict=True))
            if found / (10 * len(probes)) >= target:
                chosen = ef
                break
    with store.state() as db:
        db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (f"ef_search:{table}", f"{chosen} {count} {kind}"),
        )
    return chosen


def tuned(store: PgStore, table: Table) -> tuple[int, int, str] | None:
    """The ef_search last chosen for a table, its row count then, and what it was tuned on ("questions",
    "drawn")."""
    rows = store.select("SELECT value FROM meta WHERE key = ?", (f"ef_search:{table}",))
    if not rows:
        return None
    ef, count, *kind = rows[0][0].split()
    return int(ef), int(count), kind[0] if kind else "drawn"


def due(store: PgStore, table: Table, rows: int) -> bool:
    """Whether a table of this many rows (past exact search) should be tuned again."""
    last = tuned(store, table)
    if last is None or rows >= 2 * last[1]:
        return True
    asked = int(store.select("SELECT count(*) FROM query_vectors WHERE tbl = ?", (table,))[0][0])
    return last[2] == "drawn" and asked >= PROBES


def remember(store: PgStore, table: Table, vector: np.ndarray) -> None:
    """Keep a question's vector for tuning (the last KEEP of each table)."""
    with store.state() as db:
        row = db.sql("INSERT INTO query_vectors(tbl, vector) VALUES (%s, %s) RETURNING id", (table, vector)).fetchone()
        if row and row[0] % 100 == 0:
            db.sql("DELETE FROM query_vectors WHERE tbl = %s AND id <= %s", (table, row[0] - KEEP))


def _probes(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Half between stored vectors (`probe_queries`), half about as far from one stored vector as a question is
    from the passage that answers it (a cosine near 0.6): HNSW finds the neighbours of such points, away from the
    stored ones, less surely than those of the stored points themselves."""
    near = vectors[rng.integers(0, len(vectors), PROBES // 2)]
    near = near + rng.normal(0, AWAY / np.sqrt(vectors.shape[1]), near.shape).astype(np.float32)
    near /= np.linalg.norm(near, axis=1, keepdims=True)
    return np.vstack([probe_queries(vectors, rng, PROBES - len(near)), near])


def exact_order(mark: str) -> str:
    """An order by inner product that no HNSW index can serve: every row is compared."""
    return f"(vector <#> {mark}) + 0"


def _top(store: PgStore, table: Table, probe: np.ndarray, settings: list[str], exact: bool = False) -> set[int]:
    """The 10 nearest rows by HNSW (under `settings`), or by comparing every row (`exact`: another statement, so
    that neither reuses the other's cached plan)."""
    order = exact_order("%s") if exact else "vector <#> %s"
    rows = store.read(f"SELECT id FROM {table} ORDER BY {order} LIMIT 10", [probe], settings)
    return {int(r[0]) for r in rows}

"""One table's search indexes (chunks or quotes), kept in step with its SQLite rows: FAISS vectors (exact, or IVF
once the table is large) and BM25 words, both keyed by row id, and the one ranking over them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.models import Mode, Scored, Table
from index.search.lexical import LexicalIndex, RowChange, rrf
from index.search.meta import StoreMismatchError
from index.search.vectors import FlatIndex, IVFIndex, VectorIndex, cells, load_index
from index.store.protocol import ArticleStore

NO_IDS = np.zeros(0, np.int64)


@dataclass(frozen=True)
class AnnPolicy:
    """Exact search while a table is small; from `min_vectors` vectors an approximate (IVF) index tuned to
    `recall`@10 against exact search, retrained when the cells its size calls for have doubled or halved since it
    was trained, and exact again below half of `min_vectors`."""

    min_vectors: int = 50_000
    recall: float = 0.98

    def fits(self, index: VectorIndex) -> bool:
        n = len(index)
        if isinstance(index, IVFIndex):
            return n >= self.min_vectors // 2 and index.index.nlist / 2 < cells(n) < index.index.nlist * 2
        return n < self.min_vectors

    def build(self, ids: np.ndarray, vectors: np.ndarray) -> VectorIndex:
        if len(ids) >= self.min_vectors:
            return IVFIndex.build(ids, vectors, self.recall)
        index = FlatIndex(vectors.shape[1])
        index.add(ids, vectors)
        return index


class TableIndex:
    """The indexes of one table. The caller (`Indexes`) holds its readers' lock around swaps and searches."""

    def __init__(self, table: Table, folder: Path, store: ArticleStore, ann: AnnPolicy) -> None:
        self.table = table
        self.folder = folder
        self.store = store
        self.ann = ann
        self.vectors: VectorIndex | None = None
        self.lexical: LexicalIndex | None = None
        self.changes: list[RowChange] | None = None  # recorded during a write while BM25 is current

    @property
    def path(self) -> Path:
        return self.folder / ("vectors.faiss" if self.table == "chunks" else f"{self.table}.faiss")

    def lexical_folder(self, revision: int) -> Path:
        return self.folder / f"lexical-{self.table}-{revision}"

    def load_vectors(self, dim: int) -> bool:
        """The saved FAISS index, if there is one (its dimension must be the store's)."""
        if not self.path.exists():
            return False
        index = load_index(self.path)
        if index.dim != dim:
            raise StoreMismatchError(f"{self.path} has dimension {index.dim}, meta.json says {dim}")
        self.vectors = index
        return True

    def build_vectors(self, dim: int) -> VectorIndex:
        """A FAISS index of every vector SQLite holds for this table, of the kind its size calls for."""
        batches = list(self.store.iter_vectors(dim, self.table))
        ids = np.concatenate([b.ids for b in batches]) if batches else NO_IDS
        vectors = np.vstack([b.vectors for b in batches]) if batches else np.zeros((0, dim), np.float32)
        return self.ann.build(ids, vectors)

    def resized(self) -> VectorIndex | None:
        """A new index when this table's size calls for another kind (built while the old one keeps answering)."""
        assert self.vectors is not None
        return None if self.ann.fits(self.vectors) else self.build_vectors(self.vectors.dim)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        assert self.vectors is not None
        self.vectors.add(ids, vectors)
        if self.changes is not None:
            self.changes.append(RowChange("add", ids))

    def remove(self, ids: np.ndarray) -> None:
        assert self.vectors is not None
        self.vectors.remove(ids)
        if self.changes is not None:
            self.changes.append(RowChange("remove", ids))

    def load_lexical(self, revision: int) -> bool:
        folder = self.lexical_folder(revision)
        loaded = LexicalIndex.load(folder) if folder.exists() else None
        if loaded is not None:
            self.lexical = loaded
        return loaded is not None

    def refreshed_lexical(self, revision: int) -> LexicalIndex:
        """BM25 brought up to SQLite, saved under `revision`: this write's recorded changes applied to the current
        index when they are few, else a full rebuild."""
        current, changes, self.changes = self.lexical, self.changes, None
        if current is not None and changes is not None and current.can_absorb(sum(len(c.ids) for c in changes)):
            added = [int(i) for c in changes if c.op == "add" for i in c.ids]
            texts = self.store.texts(self.table, added)
            built = current.changed(changes, dict(zip(texts.ids.tolist(), texts.texts, strict=True)))
        else:
            everything = self.store.texts(self.table)
            built = LexicalIndex.build(everything.ids, everything.texts)
        built.save(self.lexical_folder(revision))
        return built

    def ranked(self, text: str, vector: np.ndarray, k: int, only: np.ndarray | None, mode: Mode) -> list[Scored]:
        """Row ids for a query, best first: dense (FAISS), lexical (BM25) or both fused by reciprocal rank; each
        with its cosine to the query, however it was found (a row BM25 still names but FAISS no longer holds is
        left out)."""
        assert self.vectors is not None
        depth = k if mode == "dense" else k * 3
        scores, ids = self.vectors.search(vector.reshape(1, -1), depth, only)
        dense = [Scored(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        if mode == "dense":
            order = [d.id for d in dense][:k]
        else:
            assert self.lexical is not None
            lexical = [s.id for s in self.lexical.search(text, depth, only)]
            order = lexical[:k] if mode == "bm25" else [s.id for s in rrf([[d.id for d in dense], lexical])][:k]
        cosine = {d.id: d.score for d in dense}
        missing = [i for i in order if i not in cosine]
        if missing:
            found, vectors = self.vectors.vectors(missing)
            cosine.update(zip(found, (vectors @ vector).tolist(), strict=True))
        return [Scored(i, cosine[i]) for i in order if i in cosine]

    def indexed_ids(self) -> tuple[set[int], set[int] | None]:
        """Row ids in FAISS and in BM25 (None: no BM25 index loaded)."""
        faiss_ids = set(self.vectors.ids().tolist()) if self.vectors is not None else set()
        return faiss_ids, set(self.lexical.ids.tolist()) if self.lexical is not None else None

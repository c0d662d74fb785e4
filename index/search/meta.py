"""meta.json beside the indexes: the model and dimension they were built with and the SQLite revision they hold;
a store built with another model or dimension is refused."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from index.system import atomic_write


class StoreMismatchError(RuntimeError):
    """The store on disk was built with another embedding model or dimension."""


class IndexMeta(BaseModel):
    model: str
    dim: int
    count: int = 0
    revision: int = 0
    lexical_revision: int = -1


def read_meta(path: Path) -> IndexMeta | None:
    if not path.exists():
        return None
    return IndexMeta.model_validate(json.loads(path.read_text("utf-8")))


def write_meta(path: Path, meta: IndexMeta) -> None:
    atomic_write(path, (meta.model_dump_json(indent=2) + "\n").encode("utf-8"))


def check_meta(meta: IndexMeta, model: str, dim: int, folder: Path) -> None:
    if meta.model != model or meta.dim != dim:
        raise StoreMismatchError(
            f"the store in {folder} was built with model {meta.model!r} (dimension {meta.dim}), "
            f"but this run uses {model!r} (dimension {dim}); use that model, or another --data-dir"
        )

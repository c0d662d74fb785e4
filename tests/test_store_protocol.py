"""The store's interface (`index.store.protocol.ArticleStore`, issue 32) and the SQLite store held to it: every
method the interface names, with the same parameters in the same order and the same defaults."""

from __future__ import annotations

import inspect
from pathlib import Path

from index.library import Library
from index.store.protocol import ArticleStore
from index.store.sqlite import Store
from tests.fakes import HashEmbedder


def parameters(fn) -> list[tuple[str, object]]:
    listed = list(inspect.signature(fn).parameters.values())
    return [(p.name, p.default) for p in listed if p.name != "self"]


def test_the_sqlite_store_is_an_article_store(tmp_path: Path):
    store = Store(tmp_path / "store.sqlite")
    try:
        assert isinstance(store, ArticleStore)
    finally:
        store.close()
    named = [n for n, v in vars(ArticleStore).items() if callable(v) and not n.startswith("_")]
    assert len(named) >= 25
    for name in named:
        assert parameters(getattr(Store, name)) == parameters(getattr(ArticleStore, name)), name
    assert isinstance(vars(ArticleStore)["revision"], property) and isinstance(Store.revision, property)


def test_the_library_and_its_parts_keep_to_the_interface(tmp_path: Path):
    """What the library, its ingest, its indexes and its tables of feeds, watches and collections call on the store
    is in the interface: they are given the store as an ArticleStore and use nothing else of it."""
    import ast

    root = Path(__file__).resolve().parents[1]
    allowed = {n for n in dir(ArticleStore) if not n.startswith("__")} | {"path"}
    for module in (
        "index/library.py",
        "index/ingest.py",
        "index/search/indexes.py",
        "index/search/tables.py",
        "index/check.py",
        "index/store/sources.py",
        "index/store/watches.py",
        "index/store/shelves.py",
    ):
        tree = ast.parse((root / module).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and node.value.attr == "store":
                assert node.attr in allowed, f"{module} calls store.{node.attr}, which the interface lacks"
    library = Library(tmp_path / "data", "fake/hash-embedder", HashEmbedder())
    try:
        assert isinstance(library.store, ArticleStore)
    finally:
        library.close()

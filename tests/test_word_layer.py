"""One word layer (issue 29): each word concept that both the question side (`bot/answer/`) and the ingest side
(`index/quotes/`) read — pronouns, wh-words, name particles, quotation marks — is listed once, in `index/text/`,
and used from there. This test reads every other module's source for a literal collection (set, tuple, list, dict
keys) holding two or more of a concept's words, and for a stemmer written again (`rstrip("s")`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONCEPTS = {
    "pronouns": {"he", "she", "him", "her", "they", "them"},
    "wh-words": {"who", "whom", "whose", "which", "where", "when"},
    "name particles": {"de", "van", "von", "bin", "del", "der"},
    "quotation marks": {"“", "”", "‘", "’", "''", '"'},
}
HOME = ROOT / "index" / "text"


def sources() -> list[Path]:
    return [p for folder in ("bot", "index") for p in (ROOT / folder).rglob("*.py") if HOME not in p.parents]


def literals(tree: ast.AST) -> list[tuple[int, set[str]]]:
    found = []
    for node in ast.walk(tree):
        items = node.elts if isinstance(node, ast.Set | ast.Tuple | ast.List) else None
        if isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        if items is None:
            continue
        words = {e.value.lower() for e in items if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        found.append((node.lineno, words))
    return found


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
def test_each_word_concept_is_listed_once(concept: str):
    words = CONCEPTS[concept]
    again = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sources()
        for line, held in literals(ast.parse(path.read_text("utf-8")))
        if len(held & words) >= 2
    ]
    assert not again, f"{concept} listed outside index/text: {again}"


def test_plurals_are_folded_by_the_one_stemmer():
    again = [str(p.relative_to(ROOT)) for p in sources() if 'rstrip("s")' in p.read_text("utf-8")]
    assert not again, f"plural folding written again (use index.text.terms.s_stem): {again}"

"""Foreign pages at ingest (issue 31, item 6): how well `index.text.language.article_language` tells the
web-news pages not in English from the text whosaid reads out of their HTML. Gold: py3langid on the article
body a person extracted (`ground-truth.json`), not English when it says so. Baseline, in the same run: the
question detector (`foreign`, which takes any English function word as English) on the same texts.

    python -m bench.languages
"""

from __future__ import annotations

import json
from collections.abc import Callable

from bench.common import CORPORA, save
from index.read.readers import IngestError, parse_document
from index.text.language import _identifier, article_language, foreign

PAGES = CORPORA / "web-news"


def gold() -> dict[str, str]:
    """Each page's language by its hand-extracted body."""
    truth = json.loads((PAGES / "ground-truth.json").read_text("utf-8"))
    return {key: _identifier().classify(page["articleBody"])[0] for key, page in truth.items()}


def score(detect: Callable[[str], str | None], texts: dict[str, str], languages: dict[str, str]) -> dict:
    """Pages taken for foreign that are (precision), foreign pages found (recall), English pages taken for
    foreign (which would lose their quotes)."""
    found = {key for key, text in texts.items() if detect(text) is not None}
    foreign_pages = {key for key in texts if languages[key] != "en"}
    hits = found & foreign_pages
    return {
        "pages": len(texts),
        "foreign": len(foreign_pages),
        "detected": len(found),
        "precision": len(hits) / len(found) if found else 0.0,
        "recall": len(hits) / len(foreign_pages) if foreign_pages else 0.0,
        "english_taken_for_foreign": len(found - foreign_pages),
    }


def main() -> None:
    languages = gold()
    texts = {}
    for key in languages:
        try:
            articles = parse_document((PAGES / "html" / f"{key}.html").read_bytes(), f"{key}.html")
        except IngestError:
            continue
        texts[key] = "\n".join(a.text for a in articles)
    now, before = score(article_language, texts, languages), score(foreign, texts, languages)
    for name, row in (("article_language", now), ("baseline: question detector", before)):
        print(f"{name:30} " + "  ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()))
    print(f"recall ratio now / baseline: {now['recall'] / max(before['recall'], 1e-9):.2f}x")
    save("languages", {"now": now, "baseline": before})


if __name__ == "__main__":
    main()

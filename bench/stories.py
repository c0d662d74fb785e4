"""One story, many outlets (issue 31, item 3): how well `index.text.stories` finds copies of one text among the
141 web-news pages as whosaid reads them from their HTML, plus copies derived from 40 of them the way a wire story
is republished (another outlet's header and footer, the last paragraph dropped or, for half of them, only the
first 60% of the paragraphs kept, a few words changed). Gold: each
page and its copy are one story; no two distinct web-news pages are (none is a copy: their bodies share at most a
quarter of their word 5-grams, where several outlets covered one event in their own words and quoted the same
people, which `/quotes` already shows once). Baseline in the same run: the store's check today, the same text
(`content_hash`).

    python -m bench.stories
"""

from __future__ import annotations

import itertools
import random

from bench.common import CORPORA, save
from index.models import content_hash
from index.read.readers import IngestError, parse_document
from index.text.language import article_language
from index.text.stories import SAME_STORY, Stories

PAGES = CORPORA / "web-news" / "html"
COPIES = 40
HEADER = "By {outlet} staff and wire reports\nCopyright 2019 {outlet}. All rights reserved.\n"
FOOTER = "\nRelated stories:\n{titles}\nSign up for our newsletter to get the day's top stories."
SWAPS = {"said": "told reporters", "Tuesday": "Wednesday", "percent": "per cent", "the": "this"}


def pages() -> dict[str, tuple[str, str]]:
    """Each page's (title, text) as whosaid reads it."""
    found = {}
    for path in sorted(PAGES.glob("*.html")):
        try:
            [article] = parse_document(path.read_bytes(), path.name)
        except (IngestError, ValueError):
            continue
        found[path.stem] = (article.title, article.text)
    return found


def derived(found: dict[str, tuple[str, str]], rng: random.Random) -> dict[str, str]:
    """A republished copy of COPIES English pages, keyed "<page>~copy"."""
    english = [k for k, (_, text) in found.items() if article_language(text) is None and len(text.split()) > 150]
    copies = {}
    for n, key in enumerate(rng.sample(english, COPIES)):
        paragraphs = found[key][1].split("\n")
        kept = max(2, len(paragraphs) * 6 // 10) if n % 2 else len(paragraphs) - 1  # half trimmed to 60%
        body = "\n".join(paragraphs[: max(1, kept)])
        words = body.split(" ")
        for i in rng.sample(range(len(words)), min(3, len(words))):
            words[i] = SWAPS.get(words[i], words[i])
        others = "\n".join(found[k][0] for k in rng.sample(sorted(found), 3))
        outlet = rng.choice(["Valley Gazette", "Northern Courier", "Daily Ledger"])
        copies[f"{key}~copy"] = HEADER.format(outlet=outlet) + " ".join(words) + FOOTER.format(titles=others)
    return copies


def measure(found: dict[str, tuple[str, str]], seed: int) -> dict[str, dict]:
    """Precision and recall of the pairs found, now and by the baseline, on the pages and copies of one seed."""
    texts = {k: text for k, (_, text) in found.items()} | derived(found, random.Random(seed))
    gold = {frozenset((k.removesuffix("~copy"), k)) for k in texts if k.endswith("~copy")}
    stories = Stories()
    now = {frozenset((key, other)) for key in texts for other in stories.add(key, texts[key])}
    digests = {k: content_hash(t) for k, t in texts.items()}
    before = {frozenset(p) for p in itertools.combinations(texts, 2) if digests[p[0]] == digests[p[1]]}
    rows = {}
    for name, pairs in (("now", now), ("baseline", before)):
        right = len(pairs & gold)
        rows[name] = {
            "texts": len(texts),
            "gold_pairs": len(gold),
            "found_pairs": len(pairs),
            "precision": right / len(pairs) if pairs else 0.0,
            "recall": right / len(gold),
        }
    return rows


def main() -> None:
    found = pages()
    results = {}
    for split, seed in (("fit", 31), ("report", 32)):  # SAME_STORY and BANDS were chosen on fit
        results[split] = measure(found, seed)
        for name, row in results[split].items():
            shown = (f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items())
            print(f"{split:6} {name:9} " + "  ".join(shown))
    print(f"containment needed: {SAME_STORY}")
    save("stories", results)


if __name__ == "__main__":
    main()

"""Quote attribution on PolNeAR dev: precision/recall/F1 of quote spans at token-overlap 0.3 and 0.8, by kind,
speaker accuracy over matched quotes, extraction speed; textacy's direct_quotations as a side-by-side row.

    python -m bench.quotes
"""

from __future__ import annotations

import re
import time
from collections import defaultdict

from bench.common import CORPORA, jsonl, save
from index.quotes.extract import QuoteExtractor
from index.quotes.source import ArticleText

THRESHOLDS = (0.3, 0.8)
CATEGORIES = {"direct+mixed": {"direct", "mixed"}, "indirect": {"indirect"}, "all": {"direct", "mixed", "indirect"}}
_WORD = re.compile(r"\w+")


def token_index(text: str) -> list[int]:
    return [m.start() for m in _WORD.finditer(text)]


def tokens(starts: list[int], spans: list[list[int]]) -> frozenset[int]:
    return frozenset(i for i, s in enumerate(starts) if any(a <= s < b for a, b in spans))


def overlap(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / max(len(a), len(b)) if a and b else 0.0


def match(preds: list[dict], golds: list[dict], threshold: float) -> list[tuple[dict, dict]]:
    """Greedy one-to-one matching by best overlap at or above the threshold."""
    pairs = sorted(
        ((overlap(p["tokens"], g["tokens"]), i, j) for i, p in enumerate(preds) for j, g in enumerate(golds)),
        reverse=True,
    )
    used_p, used_g, matched = set(), set(), []
    for score, i, j in pairs:
        if score < threshold:
            break
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((preds[i], golds[j]))
    return matched


def article_pairs(
    text: str, preds: list[dict], golds: list[dict], threshold: float
) -> tuple[list[dict], list[dict], list[tuple[dict, dict]]]:
    """One article's predicted and gold quotes with their word tokens, and their one-to-one matches."""
    starts = token_index(text)
    ps = [{**p, "tokens": tokens(starts, p["spans"])} for p in preds]
    gs = [{**g, "tokens": tokens(starts, g["quote_spans"])} for g in golds]
    return ps, gs, match(ps, gs, threshold)


def prf(n_pred: int, n_gold: int, n_match: int) -> dict[str, float]:
    p = n_match / n_pred if n_pred else 0.0
    r = n_match / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def speaker_ok(pred: dict, gold: dict) -> bool:
    if pred.get("speaker_span") and any(
        a < pred["speaker_span"][1] and pred["speaker_span"][0] < b for a, b in gold["speaker_spans"]
    ):
        return True
    name = (pred.get("speaker") or "").lower()
    return bool(name) and name == (gold.get("speaker_name") or "").lower()


def ours(extractor: QuoteExtractor, articles: list[dict]) -> tuple[dict[str, list[dict]], float]:
    start = time.perf_counter()
    extracted = extractor.extract_many([ArticleText(a["id"], a["text"]) for a in articles])
    seconds = time.perf_counter() - start
    preds: dict[str, list[dict]] = {}
    for article, quotes in zip(articles, extracted, strict=True):
        merged: list[dict] = []
        for q in quotes:
            span = [q.start, q.end]
            last = merged[-1] if merged else None
            if last and q.kind == last["kind"] == "direct" and q.speaker_start == last["speaker_span"][0]:
                last["spans"].append(span)  # one attribution quoted in pieces around its cue
                continue
            merged.append(
                {
                    "kind": q.kind,
                    "spans": [span],
                    "speaker": q.speaker,
                    "speaker_span": [q.speaker_start, q.speaker_end],
                }
            )
        preds[article["id"]] = merged
    return preds, seconds


def textacy_preds(extractor: QuoteExtractor, articles: list[dict]) -> tuple[dict[str, list[dict]], float]:
    from textacy.extract.triples import direct_quotations

    start = time.perf_counter()
    preds: dict[str, list[dict]] = {}
    for article, doc in zip(articles, extractor.nlp.pipe(a["text"] for a in articles), strict=True):
        rows = []
        try:
            triples = list(direct_quotations(doc))
        except (ValueError, IndexError):
            triples = []
        for triple in triples:
            content = triple.content
            speaker = triple.speaker
            rows.append(
                {
                    "kind": "direct",
                    "spans": [[content[0].idx, content[-1].idx + len(content[-1])]],
                    "speaker": " ".join(t.text for t in speaker),
                    "speaker_span": [speaker[0].idx, speaker[-1].idx + len(speaker[-1])] if speaker else None,
                }
            )
        preds[article["id"]] = rows
    return preds, time.perf_counter() - start


def score(articles: list[dict], gold: dict[str, list[dict]], preds: dict[str, list[dict]]) -> dict:
    results: dict = {}
    for name, kinds in CATEGORIES.items():
        for threshold in THRESHOLDS:
            counts = defaultdict(int)
            for article in articles:
                ps, gs, matched = article_pairs(
                    article["text"],
                    [p for p in preds[article["id"]] if p["kind"] in kinds],
                    [g for g in gold[article["id"]] if g["quote_type"] in kinds],
                    threshold,
                )
                counts["pred"] += len(ps)
                counts["gold"] += len(gs)
                counts["match"] += len(matched)
                counts["speaker"] += sum(speaker_ok(p, g) for p, g in matched)
            row = prf(counts["pred"], counts["gold"], counts["match"])
            row["speaker_accuracy"] = counts["speaker"] / counts["match"] if counts["match"] else 0.0
            results[f"{name}@{threshold}"] = {**row, **counts}
    return results


def main() -> None:
    articles = [a for a in jsonl(CORPORA / "polnear" / "articles.jsonl") if a["split"] == "dev"]
    gold: dict[str, list[dict]] = defaultdict(list)
    for q in jsonl(CORPORA / "polnear" / "quotes.jsonl"):
        if q["split"] == "dev":
            gold[q["article_id"]].append(q)
    extractor = QuoteExtractor()
    extractor.extract("warm", "He said it was fine.")
    ours_preds, ours_s = ours(extractor, articles)
    textacy, textacy_s = textacy_preds(extractor, articles)
    result = {
        "articles": len(articles),
        "whosaid": score(articles, gold, ours_preds),
        "textacy": score(articles, gold, textacy),
        "speed": {
            "whosaid_articles_per_s": len(articles) / ours_s,
            "textacy_articles_per_s": len(articles) / textacy_s,
        },
    }
    for system in ("whosaid", "textacy"):
        for key, row in result[system].items():
            print(
                f"{system:8} {key:18} P={row['precision']:.3f} R={row['recall']:.3f} F1={row['f1']:.3f} "
                f"speaker={row['speaker_accuracy']:.3f} (pred {row['pred']}, gold {row['gold']})"
            )
    print(result["speed"])
    save("quotes", result)


if __name__ == "__main__":
    main()

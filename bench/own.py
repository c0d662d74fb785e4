"""Questions of our own (`bench/data/own_questions.jsonl`): 25 on the seed article among the XQuAD articles and 25
on PolNeAR dev articles, each answered right (one of its expected strings in the answer, found) or, when it has
none, refused (not found)."""

from __future__ import annotations

from bench.common import DATA, jsonl
from bot.engine import Engine


def right(engine: Engine, row: dict) -> tuple[bool, str]:
    answer = engine.ask(row["question"])
    if row["expect"] is None:
        return not answer.found, answer.answer
    shown = answer.answer
    return any(e in shown for e in row["expect"]), shown


def own_rows(engines: dict[str, Engine]) -> dict:
    rows = [r for r in jsonl(DATA / "own_questions.jsonl") if r["store"] in engines]
    misses = []
    for row in rows:
        ok, shown = right(engines[row["store"]], row)
        if not ok:
            misses.append({"question": row["question"], "expected": row["expect"], "answer": shown[:300]})
    return {
        "questions": len(rows),
        "right": len(rows) - len(misses),
        "unanswerable_refused": sum(r["expect"] is None for r in rows) - sum(m["expected"] is None for m in misses),
        "unanswerable": sum(r["expect"] is None for r in rows),
        "misses": misses,
    }

"""Who said it, asked in a reader's own words (issue 29): one store of the 141 real web pages as fetched
(../shared/corpora/web-news/html), PolNeAR's 84 dev articles, 612 PolNeAR train articles and the seed article; the
web-news readers' questions and ours (bench/data/whosaid_words.jsonl, on PolNeAR dev and the seed;
bench/data/whosaid_near_misses_fit.jsonl, 40 who-said near misses on fit pages only, which must be refused;
bench/data/whosaid_did_say_near_misses_fit.jsonl, 41 did-say near misses on fit pages, "Yes" being wrong, measured
and not fitted;
bench/data/whosaid_paraphrases.jsonl, a paraphrase and a near miss of 320 PolNeAR train statements, a check set
neither fitted nor reported; bench/data/whosaid_paraphrases_more.jsonl, the same for 863 statements of other train
articles, a second check set; each paraphrase and near miss also asked as "Did <speaker> say …?") asked through
`whosaid ask --json` in stdin mode; scored by ../shared/tools/score_answers.py (right: the right speaker named and
the right statement in the first three citations; refused; wrong) per kind, per question set and per split. Also
counted: "Yes" over a statement that says the opposite.

`--baseline REV` asks the same questions with the code of that commit (a git worktree, its own store) in the
same run, and prints each figure beside it. `--speed` times whole answers to every question (by shape: who-said,
did-say, …) against the raw sentence-transformers encode of the same questions, in the same run. Tune on `fit`
only; `report` is run to report.

    python -m bench.whosaid_words [--split fit|report|all] [--baseline REV] [--stores DIR] [--show] [--speed]
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import CORPORA, DATA, ROOT, jsonl, save, split_parser

WEB = CORPORA / "web-news"
SCORER = CORPORA.parent / "tools" / "score_answers.py"
OURS = DATA / "whosaid_words.jsonl"
NEAR_MISSES = DATA / "whosaid_near_misses_fit.jsonl"
DID_SAY_NEAR_MISSES = DATA / "whosaid_did_say_near_misses_fit.jsonl"
SETS = {"web-news": WEB / "questions.jsonl", "ours": OURS, "near-misses": NEAR_MISSES}
PARAPHRASES = DATA / "whosaid_paraphrases.jsonl"
"""320 statements of PolNeAR train articles, each asked about twice in a reader's words: a paraphrase (who-said)
and a near miss (one detail twisted: unanswerable); a check set, neither fit nor report, scored against PolNeAR's
gold quotes and speakers."""
PARAPHRASES_MORE = DATA / "whosaid_paraphrases_more.jsonl"
"""863 statements of 292 other PolNeAR train articles, asked the same two ways: a second check set. (Fitting the
matcher on it as well made it answer fewer questions and less precisely on the first: docs/benchmarks.md.)"""
PARAPHRASE_SETS = {"paraphrases": PARAPHRASES, "paraphrases-more": PARAPHRASES_MORE}
ROW = re.compile(r"^(\S+)\s+(\d+)\s+right\s+(\d+).*?refused\s+(\d+)\s+wrong\s+(\d+)")
WORD = re.compile(r"[a-z0-9]+")
CONSECUTIVE = 4


def borrowed(question: str, statement: str) -> bool:
    """The question repeats CONSECUTIVE or more consecutive words of the statement (the rule our questions keep)."""
    q, s = WORD.findall(question.lower()), WORD.findall(statement.lower())
    grams = {tuple(s[i : i + CONSECUTIVE]) for i in range(len(s) - CONSECUTIVE + 1)}
    return any(tuple(q[i : i + CONSECUTIVE]) in grams for i in range(len(q) - CONSECUTIVE + 1))


def check_ours(texts: dict[str, str]) -> list[str]:
    """Our questions that break the rules: evidence not in its article, or four words of the statement's
    sentence repeated."""
    bad = []
    for q in jsonl(OURS):
        text = texts.get(q["page"], "")
        for evidence in q.get("evidence_any") or ([q["evidence"]] if q["evidence"] else []):
            at = text.find(evidence)
            if at < 0:
                bad.append(f"evidence not in {q['page']}: {q['q']}")
                continue
            start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at + len(evidence))
            if borrowed(q["q"], text[start : end if end >= 0 else len(text)]) and q["kind"] != "unanswerable":
                bad.append(f"repeats {CONSECUTIVE} words of its statement: {q['q']}")
    return bad


def check_paraphrases() -> list[str]:
    """Paraphrases and near misses of the check set that repeat CONSECUTIVE words of their gold statement."""
    gold = {q["id"]: q["quote"] for q in jsonl(CORPORA / "polnear" / "quotes.jsonl")}
    rows = [r for path in PARAPHRASE_SETS.values() for r in jsonl(path)]
    return [
        f"repeats {CONSECUTIVE} words of {r['id']}: {r[k]}"
        for r in rows
        for k in ("paraphrase", "near_miss")
        if borrowed(r[k], gold[r["id"]])
    ]


def polnear_dev() -> list[dict]:
    rows = jsonl(CORPORA / "polnear" / "articles.jsonl")
    return [r for r in rows if r["split"] == "dev"]


def paraphrased_articles() -> list[dict]:
    """The PolNeAR train articles whose statements the paraphrase set asks about."""
    wanted = {r["id"].split(":")[0] for path in PARAPHRASE_SETS.values() for r in jsonl(path)}
    return [r for r in jsonl(CORPORA / "polnear" / "articles.jsonl") if r["id"] in wanted]


def paraphrase_set(root: Path, name: str = "paraphrases") -> Path:
    """A paraphrase set (`PARAPHRASE_SETS`) in the scorer's form, written to `root`: the speaker expected by the
    last word of the gold name, the evidence the first 40 characters of the gold quote (read in place, never copied
    into the repo). Each
    statement is also asked as "Did <gold name> say <the paraphrase's claim>?" (verdict yes) and "Did <gold name> say
    <the near miss's claim>?" (verdict other: "Yes" is wrong), the claims read by the question parse."""
    from bot.answer.questions import parse
    from index.quotes.extract import QuoteExtractor

    nlp = QuoteExtractor().parse
    gold = {q["id"]: q for q in jsonl(CORPORA / "polnear" / "quotes.jsonl")}
    rows = []
    for r in jsonl(PARAPHRASE_SETS[name]):
        quote = gold[r["id"]]
        speaker = quote["speaker_name"] or ""
        last = speaker.split()[-1:]
        evidence = quote["quote"].strip("“”\"' ")[:40]
        base = {"page": quote["article_id"], "split": "check"}
        rows.append({**base, "q": r["paraphrase"], "kind": "who_said", "expect_any": last, "evidence": evidence})
        rows.append({**base, "q": r["near_miss"], "kind": "unanswerable", "expect_any": [], "evidence": ""})
        for asked, verdict, said in ((r["paraphrase"], "yes", evidence), (r["near_miss"], "other", "")):
            if claim := parse(asked, nlp).content:
                did = {"q": f"Did {speaker} say {claim}?", "kind": "did_say", "verdict": verdict}
                rows.append({**base, **did, "expect_any": last, "evidence": said})
    path = root / f"whosaid_{name.replace('-', '_')}_scored.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


def build_store(code: Path, store: Path) -> None:
    """Ingest every web page, PolNeAR dev, the PolNeAR train articles of the paraphrase set and the seed into
    `store`, with the code at `code`."""
    if (store / "store.sqlite").exists():
        return
    store.mkdir(parents=True, exist_ok=True)
    dev = store.parent / f"{store.name}-polnear.jsonl"
    dev.write_text("".join(json.dumps(r) + "\n" for r in polnear_dev() + paraphrased_articles()), "utf-8")
    sources = [str(WEB / "html"), str(dev), str(CORPORA / "seed" / "putin-donbas-newsx.jsonl")]
    _run(code, ["ingest", "--data-dir", str(store), *sources], stdout=subprocess.DEVNULL)


def _run(code: Path, args: list[str], stdin: str | None = None, stdout=subprocess.PIPE) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=code,
        input=stdin,
        stdout=stdout,
        text=True,
        check=False,
        env={**_env(), "PYTHONPATH": str(code)},
    )
    return result.stdout or ""


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("WHOSAID_")} | {"HF_HUB_OFFLINE": "1"}


def answers(code: Path, store: Path, questions: list[str]) -> list[dict]:
    out = _run(code, ["ask", "--json", "--data-dir", str(store)], stdin="".join(q + "\n" for q in questions))
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def score(path: Path, split: str | None, answered: list[dict], show: bool) -> dict[str, dict[str, int]]:
    args = (
        [sys.executable, str(SCORER), str(path)] + (["--split", split] if split else []) + (["--show"] if show else [])
    )
    stdin = "".join(json.dumps(a) + "\n" for a in answered)
    out = subprocess.run(args, input=stdin, stdout=subprocess.PIPE, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        if m := ROW.match(line):
            rows[m[1]] = {"n": int(m[2]), "right": int(m[3]), "refused": int(m[4]), "wrong": int(m[5])}
        elif show:
            print(line)
    return rows


def yes_over_opposite(path: Path, split: str | None, answered: list[dict]) -> int:
    """Did-say questions whose statement says the opposite, answered "Yes"."""
    by_q = {a["question"].strip(): a for a in answered}
    asked = [q for q in jsonl(path) if q.get("verdict") == "opposite" and (split is None or q["split"] == split)]
    return sum(by_q.get(q["q"].strip(), {}).get("answer", "").startswith("Yes") for q in asked)


def worktree(rev: str, root: Path) -> Path:
    path = root / f"code-{rev}"
    if not path.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), rev], cwd=ROOT, check=True)
    return path


def measure(code: Path, store: Path, splits: list[str | None], show: bool) -> dict:
    build_store(code, store)
    sets = SETS | {"did-say-near-misses": DID_SAY_NEAR_MISSES}
    sets |= {name: paraphrase_set(store.parent, name) for name in PARAPHRASE_SETS}
    questions = [q["q"] for path in sets.values() for q in jsonl(path)]
    answered = answers(code, store, questions)
    result: dict = {"crashed": len(questions) - len(answered)}
    for name, path in sets.items():
        for split in [*splits, "check"]:
            if not any(split is None or q["split"] == split for q in jsonl(path)):
                continue  # the near misses are fit questions only; the paraphrases a check
            key = f"{name}/{split or 'all'}"
            if show:
                print(f"-- {key} ({code.name})")
            result[key] = score(path, split, answered, show)
            result[key]["yes_over_opposite"] = yes_over_opposite(path, split, answered)
    return result


def table(now: dict, before: dict | None) -> list[str]:
    lines = []
    for key, rows in now.items():
        if not isinstance(rows, dict):
            lines.append(f"{key}: {rows}" + (f" (baseline {before[key]})" if before else ""))
            continue
        lines.append(
            f"{key}  yes over opposite: {rows['yes_over_opposite']}"
            + (f" (baseline {before[key]['yes_over_opposite']})" if before else "")
        )
        for kind, c in rows.items():
            if kind == "yes_over_opposite":
                continue
            line = f"  {kind:18} {c['n']:4}  " + "  ".join(
                f"{o} {c[o] / c['n']:.3f}" for o in ("right", "refused", "wrong")
            )
            if before and kind in before[key]:
                b = before[key][kind]
                line += "   baseline " + "  ".join(f"{b[o] / b['n']:.3f}" for o in ("right", "refused", "wrong"))
            lines.append(line)
    return lines


def main() -> None:
    parser = split_parser(__doc__, "questions not answered right")
    parser.add_argument("--speed", action="store_true", help="also time whole answers against the raw encode")
    args = parser.parse_args()
    texts = {a["id"]: a["text"] for a in polnear_dev()} | {
        a["id"]: a["text"] for a in jsonl(CORPORA / "seed" / "putin-donbas-newsx.jsonl")
    }
    for problem in check_ours(texts) + check_paraphrases():
        print("question rule:", problem)
    splits: list[str | None] = ["fit", "report"] if args.split == "all" else [args.split]
    root = args.stores or Path(tempfile.mkdtemp(prefix="whosaid-words-"))
    before = None
    if args.baseline:
        before = measure(worktree(args.baseline, root), root / f"store-{args.baseline}", splits, args.show)
    now = measure(ROOT, root / "store", splits, args.show)
    report = table(now, before)
    print("\n".join(report))
    if args.speed:
        now["speed"] = speed(root / "store")
        print(json.dumps(now["speed"], indent=1))
    save("whosaid_words", {"split": args.split, "baseline": args.baseline, "now": now, "before": before})


def speed(store: Path) -> dict:
    """Whole answers to all the readers' questions through `whosaid ask` in stdin mode against the raw
    sentence-transformers encode of the same questions, by shape (bench/answer_speed.py)."""
    from bench.answer_speed import speed_rows
    from index.embed.transformer import SentenceTransformerEmbedder

    questions = [q["q"] for path in SETS.values() for q in jsonl(path)]
    return speed_rows(SentenceTransformerEmbedder(), store, questions)


if __name__ == "__main__":
    main()

"""Conversations as people hold them (issue 30): 66 multi-turn exchanges of our own writing
(bench/data/conversations.jsonl: who-said questions in readers' words, then "what else did he say?", "who is she?",
"did he say …?", replies to an answer, bare surnames, near misses, thanks, a question in another language) on one
store of the seed article, our samples, PolNeAR's 84 dev articles and the 141 web-news pages as fetched. Each
exchange runs in a fresh chat through `Conversation.ask` (what the Telegram bot and `whosaid chat` call), a reply
to an answer as the bot takes one; every turn is scored right / refused / wrong:

- answer: right when found, naming one of `expect_any` in the first 400 characters and citing `evidence` in the
  first three citations; "no": the same, opening with "No"; refused when `found` is false; wrong otherwise;
- refuse: right when `found` is false, wrong otherwise;
- ask_back: right when the bot asks whom or which one is meant (found false, a question mark); wrong when it
  answers; refused otherwise;
- small_talk: right when answered without sources and not as a greeting to a thanks or a goodbye.

`--baseline REV` runs the same conversations with the code of that commit (a git worktree, its own store) in the
same run. Tune on `fit` only; `report` is run to report.

    python -m bench.conversation [--split fit|report|all] [--baseline REV] [--stores DIR] [--show]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from bench.common import CORPORA, DATA, ROOT, jsonl, save, split_parser
from bench.whosaid_words import _env, polnear_dev, worktree

CONVERSATIONS = DATA / "conversations.jsonl"
SAMPLES = ROOT / "bot" / "samples"
RUNNER = r"""
import json, sys
from bot.conversation import ChatContext, Conversation
from bot.engine import build_engine
from bot.settings import Settings

conversation = Conversation(build_engine(Settings(data_dir=sys.argv[1])))
for line in sys.stdin:
    exchange = json.loads(line)
    chat, last = ChatContext(), None
    for n, turn in enumerate(exchange["turns"]):
        if turn.get("reply_to_previous") and last is not None and hasattr(conversation, "reply"):
            answer = conversation.reply(chat, ChatContext(last.speaker, last.article_id), turn["say"])
        elif turn.get("reply_to_previous") and last is not None:  # as the bot took a reply before: its article
            answer = conversation.ask(chat, turn["say"], article_ids=[last.article_id] if last.article_id else None)
        else:
            answer = conversation.ask(chat, turn["say"])
        last = answer
        row = {"id": exchange["id"], "turn": n, **answer.model_dump(), "article_id": answer.article_id}
        print(json.dumps(row), flush=True)
"""


def build_store(code: Path, store: Path) -> None:
    """The seed, our samples, PolNeAR dev and the web-news pages, ingested with the code at `code`."""
    if (store / "store.sqlite").exists():
        return
    store.mkdir(parents=True, exist_ok=True)
    dev = store.parent / f"{store.name}-polnear-dev.jsonl"
    dev.write_text("".join(json.dumps(r) + "\n" for r in polnear_dev()), "utf-8")
    sources = [str(CORPORA / "web-news" / "html"), str(dev), str(CORPORA / "seed" / "putin-donbas-newsx.jsonl")]
    args = [sys.executable, "-m", "bot", "ingest", "--data-dir", str(store), *sources, str(SAMPLES)]
    subprocess.run(args, cwd=code, env={**_env(), "PYTHONPATH": str(code)}, stdout=subprocess.DEVNULL, check=True)


def converse(code: Path, store: Path, exchanges: list[dict]) -> dict[tuple[str, int], dict]:
    """Every turn's answer, by (exchange id, turn number)."""
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(store)],
        cwd=code,
        env={**_env(), "PYTHONPATH": str(code)},
        input="".join(json.dumps(e) + "\n" for e in exchanges),
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {(r["id"], r["turn"]): r for r in rows}


def outcome(turn: dict, answer: dict | None) -> str:
    """right / refused / wrong for one turn (see the module's docstring)."""
    if answer is None:
        return "wrong"  # the process failed on it
    found, text = answer.get("found") is not False, answer.get("answer", "")
    expect = turn["expect"]
    if expect == "refuse":
        return "wrong" if found else "right"
    if expect == "small_talk":
        greeted = text.startswith("Hello") and any(w in turn["say"].lower() for w in ("thank", "bye", "cheers"))
        return "right" if not answer.get("citations") and not found and not greeted else "wrong"
    if expect == "ask_back":
        return "wrong" if found else "right" if "?" in text else "refused"
    if not found:
        return "refused"
    cited = " ".join(c.get("text", "") for c in answer.get("citations", [])[:3]).lower()
    named = not turn["expect_any"] or any(n.lower() in text[:400].lower() for n in turn["expect_any"])
    evidence = not turn["evidence"] or turn["evidence"].lower() in cited
    opens = expect != "no" or text.startswith("No")
    return "right" if named and evidence and opens else "wrong"


def score(exchanges: list[dict], answers: dict, show: bool) -> dict[str, Counter]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for exchange in exchanges:
        for n, turn in enumerate(exchange["turns"]):
            got = outcome(turn, answers.get((exchange["id"], n)))
            for key in (turn["kind"], "first turn" if n == 0 else "later turns", "all"):
                counts[key][got] += 1
            if show and got != "right":
                said = (answers.get((exchange["id"], n)) or {}).get("answer", "")[:150].replace("\n", " ")
                print(f"  {got:8} {exchange['id']}#{n} [{turn['kind']}/{turn['expect']}] {turn['say']}")
                print(f"           -> {said}")
    return counts


def table(now: dict[str, Counter], before: dict[str, Counter] | None) -> list[str]:
    lines = ["| kind | turns | right | refused | wrong |", "|---|---|---|---|---|"]
    for kind in sorted(now, key=lambda k: (k == "all", k in ("first turn", "later turns"), k)):
        n = sum(now[kind].values())
        cells = []
        for outcome_ in ("right", "refused", "wrong"):
            cell = f"{now[kind][outcome_] / n:.3f}"
            if before is not None and kind in before:
                cell += f" ({before[kind][outcome_] / max(1, sum(before[kind].values())):.3f})"
            cells.append(cell)
        lines.append(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    args = split_parser(__doc__, "turns not answered right").parse_args()
    root = args.stores or Path(tempfile.mkdtemp(prefix="whosaid-conversation-"))
    exchanges = [e for e in jsonl(CONVERSATIONS) if args.split == "all" or e["split"] == args.split]
    runs = {"now": ROOT} | ({"baseline": worktree(args.baseline, root)} if args.baseline else {})
    results = {}
    for name, code in runs.items():
        store = root / f"conversation-{code.name if name == 'baseline' else 'now'}"
        build_store(code, store)
        if args.show:
            print(f"-- {name}")
        results[name] = score(exchanges, converse(code, store, exchanges), args.show and name == "now")
    turns = sum(len(e["turns"]) for e in exchanges)
    print(f"{len(exchanges)} conversations, {turns} turns, split {args.split}")
    print("\n".join(table(results["now"], results.get("baseline"))))
    save("conversation", {name: {k: dict(v) for k, v in r.items()} for name, r in results.items()})


if __name__ == "__main__":
    main()

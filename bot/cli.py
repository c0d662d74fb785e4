"""The `whosaid` command line: ingest, ask, articles, remove, chat."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bot import cli_feeds, cli_store
from bot.answer.compose import counted
from bot.answer.models import outlet_date
from bot.conversation import Conversation
from bot.engine import Engine, build_engine
from bot.format import render_text
from bot.settings import Settings
from index.models import EVERYTHING, IngestResult, Shelf
from index.read.readers import Refusal
from index.search.meta import StoreMismatchError
from index.store.schema import SchemaVersionError
from index.system import unwritable
from index.text.language import language_name

SAMPLES = Path(__file__).parent / "samples"
QUOTES_PAGE = 20


NOISY = ("bm25s", "sentence_transformers", "faiss", "telegram", "apscheduler", "onnxruntime")
SECRET_URLS = ("httpx", "httpcore")  # their request lines hold the bot's token: warnings only, always


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whosaid", description="Ask news articles who said what, with citations.")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--data-dir", type=Path, help="the store's folder (default: $WHOSAID_DATA_DIR)")
        p.add_argument("--verbose", action="store_true", help="also show the libraries' debug and info logging")
        return p

    p = command("ingest", "add articles from files, folders (recursively), .jsonl files and http(s) links")
    _collection(p, "the collection to add them to (default: the shared one every chat reads)")
    p.add_argument("sources", nargs="*", metavar="SOURCE")
    p.add_argument("--samples", action="store_true", help="also ingest the bundled sample articles")
    p = command("ask", "answer a question, or each line of stdin, with citations")
    _collection(p, "answer from this collection only (a chat's: chat:ID; default: every article)")
    p.add_argument("question", nargs="?", metavar="QUESTION")
    p.add_argument("--json", action="store_true", help="one JSON object per question, one per line")
    p.add_argument("--article", help="only this article id")
    p.add_argument("--source", help="only articles from this outlet")
    p.add_argument("--since", help="only articles published on or after this date (YYYY-MM-DD)")
    p = command("articles", "list the indexed articles")
    _collection(p, "only the articles of this collection")
    p.add_argument("--json", action="store_true")
    p = command("remove", "remove an article, its chunks and its vectors")
    _collection(p, "only if it is in this collection")
    p.add_argument("article_id", metavar="ARTICLE_ID")
    p = command("quotes", "list the quotes found in the articles, with their speakers")
    _collection(p, "only the quotes of this collection's articles")
    p.add_argument("--json", action="store_true", help="one JSON object per quote, one per line")
    p.add_argument("--speaker", help="only this speaker (a name, surname or role)")
    p.add_argument("--article", help="only this article id")
    p.add_argument("--page", type=int, help=f"page N of {QUOTES_PAGE} quotes, newest articles first")
    p = command("reattribute", "attribute the stored articles' quotes again with this version's rules")
    p.add_argument("--all", action="store_true", help="every article (default: those attributed before confidences)")
    p = command("check", "verify that SQLite, FAISS and BM25 agree; --repair rebuilds the indexes from SQLite")
    p.add_argument("--repair", action="store_true")
    cli_feeds.add_parsers(command)
    cli_store.add_parsers(command)
    command("chat", "talk with the articles in the terminal (the bot's conversation, without Telegram)")
    command("serve", "run the Telegram bot (token in WHOSAID_TELEGRAM_TOKEN; webhook if WHOSAID_WEBHOOK_URL)")
    return parser


def main(argv: Sequence[str] | None = None, make_engine: Callable[[Settings], Engine] = build_engine) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    quiet_libraries(args.verbose)
    overrides = {"data_dir": args.data_dir} if args.data_dir else {}
    settings = Settings(**overrides)
    if args.command == "health":
        return cli_store.health(settings)
    if reason := unwritable(settings.store.data_dir):
        print(f"whosaid: {reason}", file=sys.stderr)
        return 2
    if args.command == "serve":
        return _serve(settings, args.verbose)
    if args.command == "migrate":
        return cli_store.migrate(settings, args)
    try:
        conversation = Conversation(make_engine(settings))
    except (StoreMismatchError, SchemaVersionError) as error:
        print(f"whosaid: {error}", file=sys.stderr)
        return 2
    try:
        handler = {
            "ingest": _ingest,
            "ask": _ask,
            "articles": _articles,
            "remove": _remove,
            "chat": _chat,
            "quotes": _quotes,
            "check": _check,
            "reattribute": _reattribute,
            **cli_feeds.HANDLERS,
            **cli_store.HANDLERS,
        }
        return handler[args.command](conversation, args)
    except (StoreMismatchError, SchemaVersionError) as error:
        print(f"whosaid: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        conversation.close()


def _collection(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--collection", metavar="NAME", help=help_text)


def shelf(args: argparse.Namespace) -> Shelf:
    """What a command reads and writes: one collection with `--collection`, else every one (adding to the shared
    one)."""
    name = getattr(args, "collection", None)
    return Shelf(reads=(name,), writes=name) if name else EVERYTHING


def _ingest(conversation: Conversation, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    sources = list(args.sources) + ([str(SAMPLES)] if args.samples else [])
    if not sources:
        print("whosaid ingest: name at least one file, folder or link (or --samples)", file=sys.stderr)
        return 2
    with tqdm(unit=" articles", file=sys.stderr, disable=None, leave=False) as bar:

        def on_article(result: IngestResult) -> None:
            bar.update(1)

        def on_refusal(refusal: Refusal) -> None:
            bar.write(f"refused {refusal.origin}: {refusal.reason}", file=sys.stderr)

        with _finish_on_interrupt(conversation, bar.write):
            report = conversation.add(sources, on_article=on_article, on_refusal=on_refusal, shelf=shelf(args))
    for result in report.results:
        detail = f"{result.chunks} chunks" if result.chunks else result.status
        if result.language:
            detail += f", in {language_name(result.language)}: no quotes attributed"
        if result.duplicate_of:
            detail = f"same text as {result.duplicate_of}"
        print(f"{result.status:9} {result.article_id}  {result.title[:70]}  ({detail})")
    stored = len(report.stored)
    print(f"{stored} stored, {len(report.results) - stored} unchanged, {len(report.refused)} refused", file=sys.stderr)
    if report.interrupted:
        print(STOPPED_INGEST.format(stored=counted(stored, "article")), file=sys.stderr)
        return 130
    return 1 if report.refused and not report.results else 0


STOPPED_INGEST = (
    "Interrupted: {stored} stored in this run, each whole. Run the same command again to add the rest: "
    "what is stored is skipped as unchanged."
)


@contextmanager
def _finish_on_interrupt(conversation: Conversation, say: Callable[..., None]) -> Iterator[None]:
    """A first Ctrl-C lets the ingest write the articles it is embedding and stop; a second stops it at once
    (what was written stays); a third quits."""
    presses = 0

    def interrupted(signum: int, frame: object) -> None:
        nonlocal presses
        presses += 1
        if presses == 1:
            say("Stopping once the articles being embedded are stored (Ctrl-C again to stop at once)…", file=sys.stderr)
            conversation.stop_adding(at_once=False)
        elif presses == 2:
            conversation.stop_adding(at_once=True)
        else:
            raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        # Once asked to stop, the process is ending: a press that comes after the ingest returned (during exit,
        # when Python puts default handlers back) is ignored, not a death by SIGINT.
        signal.signal(signal.SIGINT, signal.SIG_IGN if presses else previous)


def _ask(conversation: Conversation, args: argparse.Namespace) -> int:
    if conversation.answers_without_torch():
        # spaCy's thinc imports torch when it is installed (slow; docs/benchmarks.md); `ask` never needs it then
        sys.modules.setdefault("torch", None)  # type: ignore[arg-type]
    scope = conversation.scope(args.article, args.source, args.since, shelf(args))
    if scope == []:
        print("whosaid ask: no article matches --article/--source/--since/--collection", file=sys.stderr)
        return 1

    def answer(question: str) -> None:
        result = conversation.answer(question, scope, shelf(args))
        if args.json:
            print(result.model_dump_json(), flush=True)
        else:
            print(render_text(result) + "\n", flush=True)

    if args.question is not None:
        answer(args.question)
        return 0
    while line := sys.stdin.readline():
        if line.strip():
            answer(line.strip())
    return 0


def _articles(conversation: Conversation, args: argparse.Namespace) -> int:
    for info in conversation.articles(shelf(args)):
        if args.json:
            print(info.model_dump_json())
        else:
            meta = outlet_date(info.source, info.published)
            print(f"{info.id}  {info.title}" + (f"  ({meta})" if meta else "") + f"  [{info.chunks} chunks]")
    return 0


def _quotes(conversation: Conversation, args: argparse.Namespace) -> int:
    quotes = conversation.quotes_of(args.speaker, args.article, shelf(args))
    if args.speaker and not quotes:
        print(f"whosaid quotes: no quotes from {args.speaker!r}", file=sys.stderr)
        return 1
    pages = max(1, -(-len(quotes) // QUOTES_PAGE))
    if args.page is not None:
        page = min(max(args.page, 1), pages)
        quotes = quotes[(page - 1) * QUOTES_PAGE : page * QUOTES_PAGE]
    infos = {a.id: a for a in conversation.articles(shelf(args))} if not args.json else {}
    for q in quotes:
        if args.json:
            print(q.model_dump_json(exclude={"reported_by", "resolution"}))
        else:
            info = infos.get(q.article_id)
            when = "  ".join(p for p in (info.published, info.source) if p) if info else ""
            who = q.speaker or f"({q.speaker_mention})"
            sure = f"{q.confidence:.2f}" if q.confidence is not None else "?"
            print(f"{when}  {q.article_id}  {who} [{q.kind}, {q.cue}, {sure}]: {' '.join(q.quote.split())}".strip())
    if args.page is not None and not args.json:
        more = f"; --page {page + 1} for more" if page < pages else ""
        print(f"page {page} of {pages}{more}", file=sys.stderr)
    return 0


def _reattribute(conversation: Conversation, args: argparse.Namespace) -> int:
    results = conversation.reattribute(everything=args.all)
    print(f"{len(results)} articles attributed again, {sum(r.quotes for r in results)} quotes", file=sys.stderr)
    return 0


def _check(conversation: Conversation, args: argparse.Namespace) -> int:
    report = conversation.check(repair=args.repair)
    print(f"{report.articles} articles, {report.chunks} chunks, {report.quotes} quotes")
    for problem in report.problems:
        print(f"problem: {problem}")
    if report.repaired:
        print("repaired: indexes rebuilt from SQLite")
    print("ok" if report.ok else "not ok (run whosaid check --repair)")
    return 0 if report.ok else 1


def _remove(conversation: Conversation, args: argparse.Namespace) -> int:
    if conversation.remove(args.article_id, shelf(args)):
        print(f"removed {args.article_id}")
        return 0
    print(f"whosaid remove: no article with id {args.article_id!r}", file=sys.stderr)
    return 1


def quiet_libraries(verbose: bool) -> None:
    """Libraries that log their own progress (bm25s sets itself to DEBUG when imported) say only warnings, unless
    `--verbose`; httpx never logs below warnings (its request lines hold the bot's token)."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(LibraryFilter(verbose))


class LibraryFilter(logging.Filter):
    def __init__(self, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        library = record.name.split(".")[0]
        if record.levelno >= logging.WARNING or library not in NOISY + SECRET_URLS:
            return True
        return self.verbose and library not in SECRET_URLS


def _serve(settings: Settings, verbose: bool = False) -> int:
    from telegram.error import InvalidToken

    from bot.telegram.app import serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    quiet_libraries(verbose)
    if settings.telegram.token is None:
        print("whosaid serve: set WHOSAID_TELEGRAM_TOKEN to your bot's token (from @BotFather)", file=sys.stderr)
        return 2
    try:
        serve(settings)
    except InvalidToken:
        print("whosaid serve: Telegram refused WHOSAID_TELEGRAM_TOKEN: check it with @BotFather", file=sys.stderr)
        return 2
    return 0


def _chat(conversation: Conversation, args: argparse.Namespace) -> int:
    from bot.terminal import run_chat

    return run_chat(conversation)

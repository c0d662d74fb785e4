"""The commands, declared once: the Telegram bot registers and lists them, the terminal chat answers them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    argument: str  # what follows the command ("" for nothing), as shown in the help
    summary: str
    hint: str = ""  # what to say when the argument is missing
    edits: bool = False  # adds or removes articles: admins only in the bot
    aliases: tuple[str, ...] = ()
    note: str = ""  # said beside it in the help
    elsewhere: str = ""  # what the terminal chat says instead, for a command only the bot has

    @property
    def usage(self) -> str:
        return f"/{self.name} {self.argument}".rstrip()


FEEDS_ELSEWHERE = "Here, follow feeds from the command line: whosaid follow URL, whosaid poll, whosaid sources."
WATCHES_ELSEWHERE = "Watches, alerts and digests come from the Telegram bot, which can send you messages."

SHELVES_ELSEWHERE = "Here, name a collection with --collection NAME on the command line (whosaid ask --help)."

COMMANDS = (
    Command(
        "ask",
        "QUESTION",
        "answer a question about the articles",
        "Ask like this: /ask Who said the bridge would reopen?",
    ),
    Command("articles", "", "list the articles I have read"),
    Command(
        "add",
        "URL",
        "add an article from a link",
        "Send /add followed by an http(s) link to an article.",
        edits=True,
        note="(or send a link or an .html, .txt, .md or .pdf file)",
    ),
    Command(
        "quotes", "NAME", "what someone is quoted as saying", "Send /quotes followed by a name, e.g. /quotes Putin"
    ),
    Command("remove", "ID", "remove an article", "Send /remove followed by an article id (see /articles).", edits=True),
    Command(
        "follow",
        "URL",
        "follow a news feed (RSS or Atom, or a site that has one)",
        "Send /follow followed by the link of a feed or of a news site, e.g. /follow https://example.com/rss.xml",
        edits=True,
        elsewhere=FEEDS_ELSEWHERE,
    ),
    Command("sources", "", "list the feeds I follow for this chat", elsewhere=FEEDS_ELSEWHERE),
    Command(
        "unfollow",
        "ID",
        "stop following a feed",
        "Send /unfollow followed by a feed's number (see /sources).",
        edits=True,
        elsewhere=FEEDS_ELSEWHERE,
    ),
    Command(
        "watch",
        "NAME [TOPIC]",
        'be told when someone (or anyone, on a "topic") is newly quoted',
        'Send /watch followed by a name, a name and a topic, or a "topic" in quotes: /watch Putin Donbas',
        elsewhere=WATCHES_ELSEWHERE,
    ),
    Command("watches", "", "list this chat's watches", elsewhere=WATCHES_ELSEWHERE),
    Command(
        "unwatch",
        "N",
        "stop a watch",
        "Send /unwatch followed by a watch's number (see /watches).",
        elsewhere=WATCHES_ELSEWHERE,
    ),
    Command(
        "digest",
        "HH:MM [ZONE]",
        "a daily digest of what your watches found (/digest off stops it)",
        "Send /digest followed by a time and a time zone, e.g. /digest 08:00 Europe/Berlin, or /digest off.",
        elsewhere=WATCHES_ELSEWHERE,
    ),
    Command("collections", "", "the shared collections, and which this chat reads", elsewhere=SHELVES_ELSEWHERE),
    Command(
        "subscribe",
        "NAME",
        "this chat reads a shared collection too",
        "Send /subscribe followed by a shared collection's name (see /collections).",
        edits=True,
        elsewhere=SHELVES_ELSEWHERE,
    ),
    Command(
        "unsubscribe",
        "NAME",
        "this chat stops reading a shared collection",
        "Send /unsubscribe followed by a shared collection's name (see /collections).",
        edits=True,
        elsewhere=SHELVES_ELSEWHERE,
    ),
    Command(
        "use",
        "NAME",
        "in a private chat, add to this shared collection",
        "Send /use followed by a shared collection's name; /use shared goes back to the default one.",
        edits=True,
        elsewhere=SHELVES_ELSEWHERE,
    ),
    Command("help", "", "what I can do", aliases=("start",)),
)
BY_NAME = {name: c for c in COMMANDS for name in (c.name, *c.aliases)}


def commands_for(edits: bool) -> list[Command]:
    """The commands someone may use: all of them for who may add and remove articles, else the others."""
    return [c for c in COMMANDS if edits or not c.edits]


def command_list(edits: bool = True) -> str:
    """ "/ask QUESTION, /articles, /add URL (or send a link …), …" for the help text."""
    return ", ".join(f"{c.usage} {c.note}".rstrip() for c in commands_for(edits))


def command_lines(edits: bool = True) -> list[str]:
    """One line per command for the help: "/quotes NAME — what someone is quoted as saying"."""
    return [f"{c.usage} — {c.summary}" + (f" {c.note}" if c.note else "") for c in commands_for(edits)]

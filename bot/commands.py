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

    @property
    def usage(self) -> str:
        return f"/{self.name} {self.argument}".rstrip()


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
    ),
    Command("sources", "", "list the feeds I follow for this chat"),
    Command(
        "unfollow",
        "ID",
        "stop following a feed",
        "Send /unfollow followed by a feed's number (see /sources).",
        edits=True,
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

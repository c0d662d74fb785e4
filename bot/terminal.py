"""`whosaid chat`: the bot's conversation in a terminal, same commands and logic, plain-text formatting."""

from __future__ import annotations

from collections.abc import Callable

from bot.commands import BY_NAME
from bot.conversation import ChatContext, Conversation, is_link, report_lines
from bot.format import render_text

PROMPT = "you> "


def respond(conversation: Conversation, line: str, context: ChatContext | None = None) -> str:
    """The reply to one line typed in the terminal chat (`context`: what the chat's last answer was about)."""
    context = context if context is not None else ChatContext()
    word, _, rest = line.strip().partition(" ")
    rest = rest.strip()
    if is_link(line):
        word, rest = "/add", line.strip()
    command = BY_NAME.get(word[1:]) if word.startswith("/") else None
    if command is None:
        return render_text(conversation.ask(context, line))
    if command.elsewhere:
        return command.elsewhere
    if command.argument and not rest:
        return command.hint
    if command.name == "help":
        return conversation.help_text()
    if command.name == "articles":
        rows = conversation.articles()
        return "\n".join(f"{a.id}  {a.title}" for a in rows) if rows else "No articles yet."
    if command.name == "add":
        return "\n".join(report_lines(conversation.add([rest])))
    if command.name == "quotes":
        found = conversation.quotes_of(rest)
        lines = [f"{q.speaker}: {' '.join(q.quote.split())}  ({q.article_id})" for q in found]
        return "\n".join(lines) if lines else f"No quotes from {rest}."
    if command.name == "remove":
        return f"Removed {rest}." if conversation.remove(rest) else f"No article {rest}."
    return render_text(conversation.ask(context, rest))


def run_chat(conversation: Conversation, read: Callable[[str], str] = input) -> int:
    print("Ask about the articles; /help for commands; an empty line or Ctrl-D quits.")
    context = ChatContext()
    while True:
        try:
            line = read(PROMPT)
        except EOFError:
            print()
            return 0
        if not line.strip():
            return 0
        print(respond(conversation, line, context) + "\n", flush=True)

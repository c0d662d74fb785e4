"""`whosaid chat`: the bot's conversation in a terminal, same logic, plain-text formatting."""

from __future__ import annotations

from collections.abc import Callable

from bot.answer.engine import Engine
from bot.conversation import Conversation, is_link, report_lines
from bot.format import render_text

PROMPT = "you> "
CHAT_ID = 0


def respond(conversation: Conversation, line: str) -> str:
    """The reply to one line typed in the terminal chat."""
    command, _, rest = line.strip().partition(" ")
    rest = rest.strip()
    if command in ("/start", "/help"):
        return conversation.help_text()
    if command == "/articles":
        rows = conversation.engine.articles()
        return "\n".join(f"{a.id}  {a.title}" for a in rows) if rows else "No articles yet."
    if command == "/add" or is_link(line):
        link = rest if command == "/add" else line.strip()
        return "\n".join(report_lines(conversation.add([link]))) if link else "Usage: /add URL"
    if command == "/quotes":
        found = conversation.quotes_of(rest) if rest else []
        lines = [f"{q.speaker}: {' '.join(q.quote.split())}  ({q.article_id})" for q in found]
        return "\n".join(lines) if lines else f"No quotes from {rest or '(name?)'}."
    if command == "/remove":
        if not rest:
            return "Usage: /remove ARTICLE_ID"
        return f"Removed {rest}." if conversation.engine.remove(rest) else f"No article {rest}."
    question = rest if command == "/ask" else line
    return render_text(conversation.ask(CHAT_ID, question))


def run_chat(engine: Engine, read: Callable[[str], str] = input) -> int:
    conversation = Conversation(engine)
    print("Ask about the articles; /help for commands; an empty line or Ctrl-D quits.")
    while True:
        try:
            line = read(PROMPT)
        except EOFError:
            print()
            return 0
        if not line.strip():
            return 0
        print(respond(conversation, line) + "\n", flush=True)

"""`whosaid chat`: the bot's conversation in a terminal."""

from __future__ import annotations

from bot.engine import Engine
from bot.format import render_text

PROMPT = "you> "


def run_chat(engine: Engine) -> int:
    print("Ask about the articles (empty line or Ctrl-D to quit).")
    while True:
        try:
            line = input(PROMPT)
        except EOFError:
            print()
            return 0
        if not line.strip():
            return 0
        print(render_text(engine.ask(line)) + "\n", flush=True)

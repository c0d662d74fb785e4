"""Telegram's HTML rules, as the Bot API applies them: the tags it knows, balanced, and no bare < > &."""

from __future__ import annotations

import re
from html.parser import HTMLParser

TELEGRAM_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-spoiler",
    "span",
    "tg-emoji",
}


class _HTMLCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag not in TELEGRAM_TAGS:
            self.error = self.error or f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f'Unexpected end tag "{tag}"'
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(text: str) -> tuple[str | None, str]:
    """The Bot API's error for this HTML (None if it parses) and the text it shows."""
    bare = re.sub(r"</?[a-zA-Z][\w-]*(\s[^<>]*)?>", "", text)
    if "<" in bare or ">" in bare or re.search(r"&(?!#\d+;|#x[0-9a-fA-F]+;|[a-zA-Z]+;)", bare):
        return "Can't parse entities: unescaped <, > or &", text
    parser = _HTMLCheck()
    parser.feed(text)
    parser.close()
    if parser.error or parser.stack:
        return f"Can't parse entities: {parser.error or 'unclosed tag ' + parser.stack[-1]}", text
    return None, "".join(parser.text)

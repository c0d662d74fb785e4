"""Statements that continue the one before them: the same speaker, the same paragraph."""

from __future__ import annotations

from index.models import Quote
from index.quotes.confidence import confidence
from index.quotes.rules import Rule


def after_named(quotes: list[Quote], text: str) -> list[Quote]:
    """ "Putin emphasized that …. He also dismissed …, arguing that …": a "he"/"she" statement of reported speech
    right after one its speaker made by name, in the same paragraph, is marked "+after"; it is not held to the cap
    on reported speech by a pronoun (`confidence.UNCHECKED`), its confidence is its own train counts'."""
    marked: list[Quote] = []
    for quote in quotes:
        before = marked[-1] if marked else None
        rule = Rule.parse(quote.resolution)
        earlier = Rule.parse(before.resolution) if before is not None else None
        if (
            earlier is not None
            and quote.kind == "indirect"
            and rule.head == "pronoun-near"
            and quote.speaker is not None
            and before.speaker == quote.speaker
            and not earlier.by_pronoun
            and not earlier.resolved_by("role")
            and "\n" not in text[before.end : quote.start]
        ):
            rule = rule.flagged("after")
            sure = confidence(rule, "indirect", quote.speaker)
            quote = quote.model_copy(update={"resolution": str(rule), "confidence": sure})
        marked.append(quote)
    return marked

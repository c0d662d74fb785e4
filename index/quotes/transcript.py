"""Interview transcripts: a paragraph opened by a speaker's name in capitals and a colon ("PENCE: Well, the question
really should be …") holds that speaker's own words, quoted though no quotation mark says so."""

from __future__ import annotations

import re

from index.models import Quote
from index.quotes.confidence import confidence
from index.quotes.rules import Rule
from index.quotes.speakers import SpeakerResolver

LINE = re.compile(r"(?m)^[\"“]?([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}):[ \t]+(\S[^\n]*\S)")
MIN_WORDS = 3


def transcript_lines(article_id: str, resolver: SpeakerResolver, covered: list[tuple[int, int]]) -> list[Quote]:
    """Each transcript line whose label names a person of the article, as that person's direct quote; a line
    overlapping a quote found already is left to it."""
    quotes = []
    for line in LINE.finditer(resolver.text):
        start, end = line.start(2), line.end(2)
        if len(line.group(2).split()) < MIN_WORDS or any(s < end and start < e for s, e in covered):
            continue
        resolved = resolver.named_in_capitals(line.group(1), line.start(1))
        if resolved.name is None:
            continue
        resolver.note_speaker(line.start(1), resolved.name)
        quotes.append(
            Quote(
                article_id=article_id,
                quote=resolver.text[start:end],
                kind="direct",
                cue=":",
                speaker=resolved.name,
                speaker_mention=line.group(1),
                start=start,
                end=end,
                speaker_start=line.start(1),
                speaker_end=line.end(1),
                resolution=resolved.rule,
                confidence=confidence(Rule.parse(resolved.rule), "direct", resolved.name),
            )
        )
        covered.append((start, end))
    return quotes

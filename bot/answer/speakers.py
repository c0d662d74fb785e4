"""Which speaker a name in a question means: people are matched on whole words of their names, never by
stripping letters; "Clinton" across articles can be Hillary, Bill or Chelsea Clinton, three people.

A name the question gives in full ("Bill Clinton") is that person. A part of a name ("Clinton", "Bernie") is the
one person it fits, or the most quoted of several when they are quoted DOMINANT times as often as the next (the
others are listed); otherwise the question is ambiguous and the candidates are listed."""

from __future__ import annotations

from pydantic import BaseModel, Field

from index.library import Library
from index.models import SpeakerInfo
from index.text.names import name_key, name_words

DOMINANT = 3


class SpeakerMatch(BaseModel):
    query: str
    people: list[SpeakerInfo] = Field(default_factory=list, description="who the words fit, most quoted first")
    chosen: SpeakerInfo | None = Field(None, description="the one the question means, when it is clear")
    aliases: list[str] = Field(default_factory=list, description="names stored for the chosen one (a lone surname)")

    @property
    def names(self) -> list[str]:
        """The stored names whose quotes are the chosen speaker's ([] when none is chosen)."""
        return [self.chosen.name, *self.aliases] if self.chosen else []

    @property
    def others(self) -> list[SpeakerInfo]:
        return [p for p in self.people if self.chosen is None or p.name != self.chosen.name]

    @property
    def ambiguous(self) -> bool:
        return self.chosen is None and len(self.people) > 1


def match_speaker(library: Library, query: str) -> SpeakerMatch:
    """The speaker `query` means among the store's: by name words (the last two or more of them, when the first
    are a title or place: "Ohio Gov. John Kasich"), else by a role the articles gave them (the whole role, then
    a role holding the words: "the union" is its general secretary)."""
    words = name_words(query)
    if not words:
        return SpeakerMatch(query=query)
    store = library.store
    found = store.speakers_named(words) or store.speakers_with_role(" ".join(words))
    found = found or store.speakers_named(words, column="role_key")
    while not found and len(words) > 2:  # "Ohio Gov. John Kasich": the name without the words before it
        words = words[1:]
        found = store.speakers_named(words)
    lone = [s for s in found if len(s.name.split()) == 1]
    people = [s for s in found if s not in lone or not _part_of_another(s, found)]
    aliases = [s.name for s in lone if s not in people]
    exact = [p for p in people if name_key(p.name) == " ".join(words)]
    chosen = exact[0] if exact else _clear_choice(people)
    return SpeakerMatch(
        query=query,
        people=people,
        chosen=chosen,
        aliases=aliases if chosen is not None and len(people) == 1 else [],
    )


def _part_of_another(single: SpeakerInfo, found: list[SpeakerInfo]) -> bool:
    """A lone surname ("Clinton", stored where an article never gave the full name) that is part of a full name."""
    word = single.name.lower()
    return any(len(s.name.split()) > 1 and word in s.name.lower().split() for s in found)


def _clear_choice(people: list[SpeakerInfo]) -> SpeakerInfo | None:
    if len(people) == 1:
        return people[0]
    if len(people) > 1 and people[0].quotes >= DOMINANT * people[1].quotes:
        return people[0]
    return None

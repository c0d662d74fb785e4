"""Which speaker a name in a question means: people are matched on whole words of their names, never by
stripping letters; "Clinton" across articles can be Hillary, Bill or Chelsea Clinton, three people.

A name the question gives in full ("Bill Clinton") is that person. A part of a name ("Clinton", "Bernie") is the
one person it fits, or the most quoted of several when they are quoted DOMINANT times as often as the next (the
others are listed); otherwise the question is ambiguous and the candidates are listed. Stored names with the same
first and last name where one has no middle name or initial, or both the same ("Paul Ryan", "Paul D. Ryan";
"James B. Comey Jr"), are one person, a first name's everyday form counting as its full form ("Joe Biden",
"Joseph R. Biden Jr"); "George W. Bush" and "George H.W. Bush" stay two. A surname stored alone (where an
article never gave the first name) is the person of that surname when the store knows only one."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from index.library import Library
from index.models import SpeakerInfo
from index.text.lexicon import NAME_SUFFIXES, NICKNAMES
from index.text.names import name_words

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


def match_speaker(
    library: Library, query: str, needed: float = 0.0, collections: Sequence[str] | None = None
) -> SpeakerMatch:
    """The speaker `query` means among the store's: by name words (the last two or more of them, when the first
    are a title or place: "Ohio Gov. John Kasich"), else by a role the articles gave them (the whole role, then
    a role holding the words: "the union" is its general secretary). `needed` is the confidence a quote needs to
    be named: a bare name means someone quoted that surely, when anyone is (`_bare`). `collections`: people quoted
    in the articles of these only (a chat never learns who another chat's articles quote)."""
    words = name_words(query)
    if not words:
        return SpeakerMatch(query=query)
    found = _named(library, words, needed, collections) or library.speakers_with_role(
        " ".join(words), needed, collections
    )
    found = found or library.speakers_named(words, column="role_key", needed=needed, collections=collections)
    while not found and len(words) > 2:  # "Ohio Gov. John Kasich": the name without the words before it
        words = words[1:]
        found = _named(library, words, needed, collections)
    surname = library.speakers_named(words[-1:], needed=needed, collections=collections) if len(words) > 1 else []
    found += [s for s in surname if s.name.lower() == words[-1] and s not in found]  # the surname stored alone
    found = _bare(found, words)
    lone = [s for s in found if len(s.name.split()) == 1 and _part_of_another(s, found)]
    people, forms = _one_per_person([s for s in found if s not in lone])
    people, aliases = _place_lone(people, lone)
    forms |= {s.name: [s.name] for s in people if s.name not in forms}
    exact = [p for p in people if any(_same_person(n, " ".join(words)) for n in forms[p.name])]
    chosen = exact[0] if exact else _clear_choice(people)
    if chosen is None:
        return SpeakerMatch(query=query, people=people)
    others = [n for n in forms[chosen.name] if n != chosen.name]
    namesakes = [p for p in surname if len(p.name.split()) > 1]
    if len(_one_per_person(namesakes)[0]) > 1 or chosen.name in {s.name for s in lone}:
        aliases = []  # asked by full name, "Clinton" alone could be Hillary, Bill or Chelsea
    return SpeakerMatch(query=query, people=people, chosen=chosen, aliases=others + aliases)


def _place_lone(people: list[SpeakerInfo], lone: list[SpeakerInfo]) -> tuple[list[SpeakerInfo], list[str]]:
    """Where a surname stored alone ("Ryan", in articles that never gave the first name) goes among the people
    whose full names hold it: an alias of the one such person ("Paul Ryan"); left out when there are several (it
    could be any of them); a person of its own when quoted DOMINANT times as surely as all of them together ("Mr.
    Obama", quoted throughout, is not "Michelle Obama", quoted once)."""
    aliases, own = [], []
    for single in lone:
        if single.quotes >= DOMINANT * sum(p.quotes for p in people):
            own.append(single)
        elif len(people) == 1:
            aliases.append(single.name)
    return sorted([*people, *own], key=_rank), aliases


def _named(library: Library, words: list[str], needed: float, collections: Sequence[str] | None) -> list[SpeakerInfo]:
    """Speakers whose names hold these words, a first name also in its full or everyday forms ("joe" finds
    "Joseph R. Biden Jr")."""
    found = library.speakers_named(words, needed=needed, collections=collections)
    first = _formal(words[0])
    variants = {first, *(nick for nick, full in NICKNAMES.items() if full == first)} - {words[0]}
    for variant in sorted(variants) if len(words) > 1 else ():
        more = library.speakers_named([variant, *words[1:]], needed=needed, collections=collections)
        found += [s for s in more if s not in found]
    return found


def _bare(found: list[SpeakerInfo], words: list[str]) -> list[SpeakerInfo]:
    """Whom a name of one word can mean: the people whose surname it is, when there are any ("Warren" is
    Elizabeth Warren, not Warren E. Buffett; "Bernie", no one's surname, stays a first name), beside names stored
    as that one word; and of them the people surely quoted, when any is (one whose every quote is unsure, as
    "Michelle Obama" beside "Mr. Obama often says", is not who "Obama" means). A name of several words is the
    person it names, however quoted."""
    if len(words) != 1:
        return found
    if any(len(s.name.split()) > 1 and _parts(s.name)[2] == words[0] for s in found):
        found = [s for s in found if len(s.name.split()) == 1 or _parts(s.name)[2] == words[0]]
    return [s for s in found if s.sure] or found


def _rank(person: SpeakerInfo) -> int:
    return -person.quotes


def _parts(name: str) -> tuple[str, tuple[str, ...], str, bool]:
    """ "James B. Comey Jr" -> ("james", ("b",), "comey", True): first, middle, last names and a suffix."""
    words = name_words(name)
    suffixed = bool(words) and words[-1] in NAME_SUFFIXES
    words = [w for w in words if w not in NAME_SUFFIXES]
    if len(words) > 1:
        return words[0], tuple(words[1:-1]), words[-1], suffixed
    return (words[0] if words else ""), (), "", suffixed


def _formal(first: str) -> str:
    return NICKNAMES.get(first, first)


def _same_person(a: str, b: str) -> bool:
    """Same first (or its everyday form) and last names, middle names that do not disagree, and no "Jr" told
    apart: "Donald Trump Jr" is not "Donald Trump", but "James B. Comey Jr" is "James Comey" (a full form with
    the suffix, and a short one without)."""
    (first_a, middle_a, last_a, jr_a), (first_b, middle_b, last_b, jr_b) = _parts(a), _parts(b)
    if not last_a or (_formal(first_a), last_a) != (_formal(first_b), last_b):
        return False
    if jr_a != jr_b:
        full, short = (middle_a, middle_b) if jr_a else (middle_b, middle_a)
        if not full or short:
            return False
    return not middle_a or not middle_b or middle_a == middle_b


def _one_per_person(people: list[SpeakerInfo]) -> tuple[list[SpeakerInfo], dict[str, list[str]]]:
    """One entry per person (their most quoted name, with every form's quotes counted), most quoted first, and
    the stored names of each."""
    merged: list[SpeakerInfo] = []
    forms: dict[str, list[str]] = {}
    for person in sorted(people, key=_rank):
        same = next((m for m in merged if all(_same_person(person.name, n) for n in forms[m.name])), None)
        if same is None:
            merged.append(person.model_copy())
            forms[person.name] = [person.name]
        else:
            same.quotes += person.quotes
            same.sure += person.sure
            forms[same.name].append(person.name)
    return sorted(merged, key=_rank), forms


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

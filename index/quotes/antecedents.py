"""The people a later "he" or "she" may stand for, in the order an article names them, and which of them a pronoun
at a given place means: in the nearest sentence naming one that fits, the subject of the main clause or a speaker
before a subject of an embedded clause ("Ryan said Obama has never … He says …" is Ryan)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token


@dataclass(frozen=True)
class Antecedent:
    """A person named as a clause's subject (`main` when of the main clause) or resolved as a speaker."""

    offset: int
    name: str
    main: bool


class Antecedents:
    def __init__(self, doc: Doc) -> None:
        self._sentence_starts = [s.start_char for s in doc.sents]
        self.items: list[Antecedent] = []

    def add(self, offset: int, name: str, main: bool) -> None:
        self.items.append(Antecedent(offset, name, main))

    def _sentence(self, offset: int) -> int:
        return bisect_right(self._sentence_starts, offset)

    def choose(self, position: int, fits: Callable[[str], bool]) -> Antecedent | None:
        """The antecedent a pronoun at `position` means among those whose name `fits` it, or None."""
        before = [a for a in self.items if a.offset < position and fits(a.name)]
        if not before:
            return None
        nearest = max(before, key=lambda a: a.offset)
        sentence = self._sentence(nearest.offset)
        mains = [a for a in before if a.main and self._sentence(a.offset) == sentence]
        return max(mains, key=lambda a: a.offset) if mains else nearest


def in_main_clause(subject: Token) -> bool:
    """The subject's verb is its sentence's root, or joined to the root by "and"."""
    verb = subject.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")

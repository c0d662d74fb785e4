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
    """A person named as a clause's subject (`main` when of the main clause) or resolved as a speaker; or a "he" /
    "she" subject of a main clause (`pronoun`: its gender, `name` empty), who is whoever that pronoun stands for."""

    offset: int
    name: str
    main: bool
    pronoun: str | None = None


class Antecedents:
    def __init__(self, doc: Doc) -> None:
        self._sentence_starts = [s.start_char for s in doc.sents]
        self.items: list[Antecedent] = []

    def add(self, offset: int, name: str, main: bool) -> None:
        self.items.append(Antecedent(offset, name, main))

    def add_pronoun(self, offset: int, gender: str) -> None:
        self.items.append(Antecedent(offset, "", True, gender))

    def _sentence(self, offset: int) -> int:
        return bisect_right(self._sentence_starts, offset)

    def choose(self, position: int, fits: Callable[[Antecedent], bool]) -> Antecedent | None:
        """The antecedent a pronoun at `position` means among those that `fit` it, or None; a name before a pronoun
        subject at the same place (a "He said" resolved already)."""
        before = [a for a in self.items if a.offset < position and fits(a)]
        if not before:
            return None
        nearest = max(before, key=_place)
        sentence = self._sentence(nearest.offset)
        mains = [a for a in before if a.main and self._sentence(a.offset) == sentence]
        return max(mains, key=_place) if mains else nearest


def _place(a: Antecedent) -> tuple[int, bool]:
    return a.offset, a.pronoun is None


def in_main_clause(subject: Token) -> bool:
    """The subject's verb is its sentence's root, or joined to the root by "and"."""
    verb = subject.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")

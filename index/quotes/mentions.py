"""Reading a speaker mention and the names around it: runs of proper nouns, an appositive description, the gender
an honorific gives, whether a string looks like a person's name, and where a title line ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.text.lexicon import FEMALE_HONORIFICS, MALE_HONORIFICS, NAME_PARTICLES, TITLES
from index.text.names import INITIALS, runs, strip_article

if TYPE_CHECKING:  # the `ask` path must not import spaCy before it blocks torch (bot/cli.py)
    from spacy.tokens import Doc, Span, Token

ROLE_DEPS = {"compound", "amod", "nmod", "poss", "case", "npadvmod"}

NOT_NAMES = {
    *("GPE", "LOC", "DATE", "TIME", "NORP", "FAC", "EVENT", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"),
    *("PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"),
}


def proper_name_runs(doc: Doc, after: int = -1) -> list[tuple[int, str]]:
    """Runs of two or more proper nouns after character `after`, with their offsets, honorifics and titles
    dropped ("Mayor Helena Marsh" -> "Helena Marsh")."""
    found: list[tuple[int, str]] = []

    def proper(token: Token) -> bool:
        return token.pos_ == "PROPN" and token.ent_type_ not in NOT_NAMES and token.text[:1].isupper()

    for run in runs((t for t in doc if t.idx > after), proper):
        while run and run[0].lower_.rstrip(".") in TITLES:
            run.pop(0)
        if len(run) >= 2:
            found.append((run[-2].idx, f"{run[-2].text} {run[-1].text}"))
    return found


def appositive_role(mention: Span) -> str | None:
    """A description in apposition to the name: "Priya Desai, general secretary of the Utility Workers Union,"
    -> "general secretary of the Utility Workers Union"."""
    for child in mention.root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            words = mention.doc[child.left_edge.i : child.right_edge.i + 1].text
            return strip_article(words.strip(" ,")) or None
    return None


def honorific_gender(mention: Span) -> str | None:
    first = mention[0].lower_.rstrip(".")
    return "m" if first in MALE_HONORIFICS else "f" if first in FEMALE_HONORIFICS else None


def plausible(name: str) -> bool:
    """A person's name: capitalised words of letters (with hyphens, apostrophes, dots), no digits, not in capitals,
    at most one capital inside a word ("McConnell", "DeSantis"; not "FlagShareLikeReplySara"); initials written
    together are a word of it ("P.J. Fleck")."""
    words = name.split()

    def word_ok(w: str) -> bool:
        if INITIALS.fullmatch(w):
            return True
        letters = [c for c in w if c.isalpha()]
        inner = sum(c.isupper() for c in letters[1:])
        return (
            w[:1].isupper()
            and not any(c.isdigit() for c in w)
            and inner <= 1
            and not (len(letters) > 1 and w.isupper())
        )

    return bool(words) and all(word_ok(w) or w.lower() in NAME_PARTICLES for w in words)


def headline_end(text: str) -> int:
    """Where a title line at the top of the text ends (-1 when the text starts with its body): a short first line
    in title case ("Black Lawmakers Rip Donald Trump")."""
    end = text.find("\n")
    first = text[: end if end >= 0 else len(text)]
    words = [w for w in first.split() if len(w) > 3]
    if end < 0 or len(first) > 160 or not words:
        return -1
    return end if sum(w[:1].isupper() for w in words) >= 0.6 * len(words) else -1


def role_of(doc: Doc, ent: Span) -> str | None:
    """Words before the name in its noun phrase ("Kremlin aide"), or an appositive ("a Kremlin aide")."""
    start = ent.start
    members = set(range(ent.start, ent.end))
    i = ent.start - 1
    while i >= 0 and _in_role(doc, doc[i], members, ent.start):
        members.add(i)
        start = i
        i -= 1
    if start < ent.start:
        return doc[start : ent.start].text.strip()
    for child in ent.root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            return doc[child.left_edge.i : child.i + 1].text
    return None


def _in_role(doc: Doc, token: Token, members: set[int], name_start: int) -> bool:
    """A modifier of the name (or of a word already in the role) in the same noun phrase."""
    if token.dep_ not in ROLE_DEPS:
        return False
    modifies_member = token.head.i in members and token.pos_ in ("PROPN", "NOUN", "ADJ")
    return modifies_member or any(t.head.i == token.i for t in doc[token.i + 1 : name_start])

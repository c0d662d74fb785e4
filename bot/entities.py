"""Names in a question, and whether the retrieved passages mention them: evidence for refusing."""

from __future__ import annotations

import re

QUESTION_WORDS = frozenset(
    """who whom whose what which when where why how did does do is are was were has have had can could will would
    should according in on at of for the a an and but or if i according tell list name give""".split()
)
_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9][\w’'.-]*")


def names(question: str) -> list[list[str]]:
    """Runs of capitalised words that are not question words (the first word of the question only counts
    if it is not a question word): "What did Emmanuel Macron say about the Donbas?" -> [[Emmanuel, Macron],
    [Donbas]]."""
    groups: list[list[str]] = []
    current: list[str] = []
    for match in _TOKEN.finditer(question):
        word = match.group().strip(".’'")
        capital = word[:1].isupper() and word.lower() not in QUESTION_WORDS
        if capital and len(word) > 1:
            current.append(word)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def missing_names(question: str, passages: list[str]) -> list[str]:
    """The names of the question that no passage mentions (a name counts as mentioned if any of its words
    longer than two letters is, e.g. "Donald Trump" by "Trump")."""
    words = {w.lower().strip(".’'") for p in passages for w in _TOKEN.findall(p)}
    words |= {w[:-2] for w in words if w.endswith(("’s", "'s"))}
    missing = []
    for group in names(question):
        keys = [w.lower() for w in group if len(w) > 2] or [w.lower() for w in group]
        if not any(k in words or k.rstrip("s") in words for k in keys):
            missing.append(" ".join(group))
    return missing

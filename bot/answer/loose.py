"""Who-said questions the dependency rules do not read: "Which Goddard scientist said …?", "Who pleaded with a
rally crowd to …?", "Who told employees in an email that …?". spaCy's small model often parses such questions
oddly ("Which" as `dep`, the verb as a clausal subject), so they are read by the order of their words: a wh-word,
at most a few words describing the speaker, then a verb that reports what someone said."""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.text.lexicon import FRAMING_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

ASKING_VERBS = FRAMING_VERBS | frozenset(
    """plead beg decline refuse find insist liken vow admit concede reassure recommend advise recommend joke
    acknowledge concede pledge boast""".split()
)
"""Verbs a who-said question asks for someone's words with ("Who pleaded …", "Which poll found …")."""

WH_SUBJECTS = frozenset({"who", "which", "whose", "what"})
MAX_DESCRIPTION = 8
_FINITE = frozenset({"VBD", "VBZ", "VBP"})
_PERFECT = frozenset({"have", "has", "had"})


def speech_verb(doc: Doc, wh: Token | None) -> Token | None:
    """The verb reporting speech that follows a wh-word standing as the subject ("Who joked …", "Which police
    commissioner declined …"); None when the question asks something else ("Who did Putin meet?")."""
    if wh is None or wh.lower_ not in WH_SUBJECTS:
        return None
    if wh.lower_ == "what" and (wh.i + 1 >= len(doc) or doc[wh.i + 1].pos_ not in ("NOUN", "PROPN", "ADJ")):
        return None
    for token in doc[wh.i + 1 : wh.i + 2 + MAX_DESCRIPTION]:
        if token.lower_ in _PERFECT or token.lower_ in ("also", "once", "later", "then", "first"):
            continue
        if token.pos_ in ("VERB", "AUX"):
            finite = token.tag_ in _FINITE or (token.tag_ == "VBN" and doc[token.i - 1].lower_ in _PERFECT)
            return token if finite and token.lemma_.lower() in ASKING_VERBS else None
    return None


def description(doc: Doc, wh: Token, verb: Token) -> str | None:
    """The words between the wh-word and its verb that describe the speaker ("Goddard scientist")."""
    words = [t.text for t in doc[wh.i + 1 : verb.i] if not (t.is_punct or t.pos_ in ("DET", "PART", "AUX"))]
    return " ".join(words) or None

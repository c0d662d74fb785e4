"""Who-said and what-said questions the dependency rules do not read: "Which Goddard scientist said …?", "Who
pleaded with a rally crowd to …?", "Who told employees in an email that …?", "What did Jose Mourinho say drew him to
Tottenham?". spaCy's small model often parses such questions oddly ("Which" as `dep`, the verb as a clausal
subject), so they are read by the order of their words: a wh-word, at most a few words describing the speaker,
then a verb that reports what someone said; or "What did", a name, and such a verb."""

from __future__ import annotations

from itertools import takewhile
from typing import TYPE_CHECKING

from index.text.lexicon import FRAMING_VERBS, NAMING_VERBS, SPEECH_VERBS, WH_SUBJECTS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

AUTHORING = frozenset({"write", "post", "sing", "chant", "quote", "cite", "order", "publish"})
"""Verbs that ask for an author or a source, not a speaker: "Who wrote Pride and Prejudice?"."""

WRITING = frozenset({"write", "post"})
"""Authoring verbs that report someone's words when a that-clause follows ("Who wrote that hatred …?")."""

ACTS = (FRAMING_VERBS - SPEECH_VERBS) | frozenset({"plead", "beg", "decline", "refuse", "find", "voice", "express"})
"""Verbs of an act of speech that a sentence may state itself ("Fischer praised amateur observers"): a who-said
question with one is answered from the passages when no statement answers it."""

ASKING_VERBS = (FRAMING_VERBS - AUTHORING) | ACTS | frozenset({"reassure", "recommend", "advise"})
"""Verbs a who-said question asks for someone's words with ("Who pleaded …", "Which poll found …"); not "write",
"sing" or "post" ("Who wrote Pride and Prejudice?" asks for an author)."""

PARTICLE_SPEECH = frozenset(
    {("shoot", "back"), ("fire", "back"), ("hit", "back"), ("push", "back"), ("point", "out"), ("speak", "out")}
)
"""Verbs of speech made with a particle: "Which executive shot back that …?"."""

MAX_DESCRIPTION = 8
_REPORT_GAP = 4
_FINITE = frozenset({"VBD", "VBZ", "VBP"})
_DO = frozenset({"did", "does", "do"})
_PERFECT = frozenset({"have", "has", "had"})


def speech_verb(doc: Doc) -> tuple[Token, Token] | None:
    """A wh-word standing as the subject and the verb reporting speech that follows it ("Who joked …", "Which
    police commissioner declined …", "When officers knocked, who claimed …"); None when the question asks something
    else ("Who did Putin meet?")."""
    for wh in doc:
        if wh.lower_ in WH_SUBJECTS and (verb := _verb_after(doc, wh)) is not None:
            return wh, verb
    return None


def _verb_after(doc: Doc, wh: Token) -> Token | None:
    if wh.lower_ == "what" and (wh.i + 1 >= len(doc) or doc[wh.i + 1].pos_ not in ("NOUN", "PROPN", "ADJ")):
        return None
    window = doc[wh.i + 1 : wh.i + 2 + MAX_DESCRIPTION]
    first = _first_verb(window)
    for token in window:
        if token.lower_ in _PERFECT or token.lower_ in ("also", "once", "later", "then", "first"):
            continue
        if _asks(doc, token, first=token.i == first):
            return token
        if token.pos_ in ("VERB", "AUX"):
            later = (t for t in doc[token.i + 1 : wh.i + 2 + MAX_DESCRIPTION] if _asks(doc, t) and _reports(doc, t))
            return next(later, None)
    return None


def _asks(doc: Doc, token: Token, first: bool = False) -> bool:
    """A finite verb asking for someone's words ("argued", "has warned"); the first verb after the wh-word's
    description also when tagged a participle ("Which NYU business professor called …"); "wrote" or "posted" only
    with what was written after it ("Who wrote that hatred …", not "Who wrote Pride and Prejudice?")."""
    lemma = token.lemma_.lower()
    if lemma in WRITING:
        return token.tag_ in _FINITE and _reports(doc, token)
    if lemma not in ASKING_VERBS and not _particle(doc, token):
        return False
    perfect = token.tag_ == "VBN" and doc[token.i - 1].lower_ in _PERFECT
    return token.tag_ in _FINITE or perfect or (first and token.tag_ == "VBN")


def _reports(doc: Doc, verb: Token) -> bool:
    """A that-clause follows the verb within a few words ("wrote online that …", "shot back that …")."""
    return clause(doc, verb).lower_ == "that"


def clause(doc: Doc, verb: Token) -> Token:
    """The "that" opening what the verb reports, within a few words of it and followed by a finite verb ("wrote
    online that the couple had …", not "wrote that book"); else the verb's particle ("pushed back"), or the verb
    itself: the claim begins after it."""
    for token in doc[verb.i + 1 : verb.i + 1 + _REPORT_GAP]:
        if token.lower_ == "that":
            finite = any(t.tag_ in _FINITE or t.tag_ == "MD" for t in doc[token.i + 1 :])
            return token if finite else verb
    return doc[verb.i + 1] if _particle(doc, verb) else verb


def _particle(doc: Doc, token: Token) -> bool:
    """A verb with a particle that reports speech: "shot back", "pointed out"."""
    return (token.lemma_.lower(), doc[token.i + 1 : token.i + 2].text.lower()) in PARTICLE_SPEECH


def _first_verb(tokens: Span) -> int:
    return next((t.i for t in tokens if t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB")), -1)


def description(doc: Doc, wh: Token, verb: Token) -> str | None:
    """The words between the wh-word and its verb that describe the speaker ("Goddard scientist")."""
    words = [t.text for t in doc[wh.i + 1 : verb.i] if not (t.is_punct or t.pos_ in ("DET", "PART", "AUX"))]
    return " ".join(words) or None


def speaker_verb(doc: Doc) -> tuple[str, Token] | None:
    """ "What did <someone named> <verb of speech> …?": the words naming the speaker and the verb ("What did Owen
    Dempsey say decides whether …", "What did Lucas Paganini and colleagues conclude …": "Lucas Paganini"); None
    unless the words between "did" and the verb hold a proper name, or the verb names ("What did the Council call
    the test?" asks for a name)."""
    words = [t for t in doc if not t.is_punct]
    if len(words) < 4 or words[0].lower_ != "what" or words[1].lower_ not in _DO:
        return None
    for token in words[2 : 3 + MAX_DESCRIPTION]:
        if token.tag_ in ("VB", "VBP") and token.lemma_.lower() in (ASKING_VERBS | {"conclude"}) - NAMING_VERBS:
            speaker = list(takewhile(lambda t: t.lower_ not in ("and", ","), doc[words[2].i : token.i]))
            if any(t.pos_ == "PROPN" for t in speaker):
                return " ".join(t.text for t in speaker), token
            return None
    return None

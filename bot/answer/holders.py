"""“Who heads the Congressional Black Caucus?”, “Who is the Kremlin's spokesman?”: the person the articles give
that office of that body, read from the parse of the passages that name both: an appositive ("G.K. Butterfield,
head of the Congressional Black Caucus"), a title before the name ("Congressional Black Caucus Chairman G.K.
Butterfield"), what someone is said to be ("Butterfield is the head of …"), or a verb of holding ("Butterfield,
who leads the caucus"). The body must be the question's, word for word: the chairman of the caucus's PAC does not
head the caucus, and a former head holds it no longer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel

from bot.answer.compose import number_citations
from bot.answer.evidence import Evidence, sentences_to_read
from bot.answer.models import Answer
from bot.answer.shapes import Parse
from index.models import Hit
from index.text.lexicon import GENERIC_ROLES, HOLDING_VERBS, LEADING_ROLES, NOT_HOLDING_WORDS, ROLE_FAMILIES
from index.text.names import display_name, name_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

MAX_ROLE_CHARS = 90


class Named(BaseModel):
    """Who holds the office, and the office as the sentence words it."""

    name: str
    role: str


class Holder(Named):
    """…and the sentence that says so."""

    evidence: Evidence


def roles_for(role: str) -> frozenset[str]:
    """The role nouns that answer a question about `role`: any leading office for "head" or "leader", the same
    office under another name ("chairwoman" for "chair"), else the noun itself."""
    if role in GENERIC_ROLES:
        return LEADING_ROLES
    return next((family for family in ROLE_FAMILIES if role in family), frozenset({role}))


def find(role: str, body: str, hits: Sequence[Hit], parse: Parse) -> Holder | None:
    """The first sentence of the passages, best passage first, that names who holds `role` of `body`."""
    wanted = name_words(body)
    if not wanted:
        return None
    roles = roles_for(role)
    verbs = {v for v, r in HOLDING_VERBS.items() if r in roles}
    cues = roles | verbs

    def keep(hit: Hit, start: int, end: int) -> bool:
        words = name_words(hit.article.text[start:end])
        return any(w in cues or w.removesuffix("s") in cues for w in words) and _contains(words, wanted)

    for evidence in sentences_to_read(hits, keep):
        if (found := _holder(parse(evidence.text), roles, verbs, wanted)) is not None:
            return Holder(**found.model_dump(), evidence=evidence)
    return None


def _contains(words: list[str], wanted: list[str]) -> bool:
    n = len(wanted)
    return any(words[i : i + n] == wanted for i in range(len(words) - n + 1))


def _holder(doc: Doc, roles: frozenset[str], verbs: set[str], wanted: list[str]) -> Named | None:
    for token in doc:
        lemma = token.lemma_.lower()
        if lemma in roles and token.pos_ in ("NOUN", "PROPN") and _of_body(token, wanted) and not _beneath(token):
            person = _person(doc, _named_by(token))
            if person is not None:
                return Named(name=person, role=_phrase(doc, token))
        if lemma in verbs and token.tag_ in ("VBZ", "VBP"):
            body = _child(token, "dobj")
            if body is not None and name_words(_text(doc, list(body.subtree))) == wanted:
                named = token.head if token.dep_ == "relcl" else _child(token, "nsubj")
                if (person := _person(doc, named)) is not None:
                    return Named(name=person, role=f"who {token.text} {_text(doc, list(body.subtree))}")
    return None


def _of_body(role: Token, wanted: list[str]) -> bool:
    """Whether the role is of the body: "head of the caucus", or "caucus chairman" / "the Kremlin's spokesman"."""
    bodies = [o for p in role.children if p.dep_ == "prep" and p.lower_ in ("of", "at", "for") for o in p.children]
    if any(o.dep_ == "pobj" and name_words(_text(role.doc, list(o.subtree))) == wanted for o in bodies):
        return True
    before = [t for t in role.subtree if t.i < role.i]
    return bool(before) and name_words(_text(role.doc, before)) == wanted


def _beneath(role: Token) -> bool:
    """ "former chairman", "Former Harbour Caucus chairman" (where "Former" may hang on the body's name), "deputy
    head", "vice-chairman", "co-founder" (a word glued on by a hyphen)."""
    glued = role.i > 0 and not role.doc[role.i - 1].whitespace_ and not role.doc[role.i - 1].is_punct
    hyphened = role.i > 1 and role.doc[role.i - 1].text == "-" and not role.doc[role.i - 2].whitespace_
    return glued or hyphened or any(t.lower_ in NOT_HOLDING_WORDS for t in role.subtree if t.i <= role.i)


def _named_by(role: Token) -> Token | None:
    """The name the role belongs to: its own appositive ("The Federal Reserve chairwoman, Janet Yellen,"), the
    name it is an appositive or a title of, or the subject of "is"; none in a list ("Microsoft CEO Satya Nadella,
    Oracle Corporation founder and …", where the parse may hang one name's role on another)."""
    if role.dep_ == "conj" or any(c.dep_ in ("conj", "cc") for c in (*role.children, *role.head.children)):
        return None
    if (appos := _child(role, "appos")) is not None:
        return appos
    if role.dep_ in ("appos", "compound") and role.head.pos_ == "PROPN":
        return role.head
    if role.dep_ == "attr" and role.head.lemma_ == "be":
        return _child(role.head, "nsubj")
    return None


def _child(token: Token, dep: str) -> Token | None:
    return next((c for c in token.children if c.dep_ == dep), None)


def _person(doc: Doc, token: Token | None) -> str | None:
    """The person's name `token` is part of, as spaCy's entity recogniser reads it (a person only)."""
    if token is None:
        return None
    span: Span | None = next((e for e in doc.ents if e.start <= token.i < e.end), None)
    return display_name(span.text) or None if span is not None and span.label_ == "PERSON" else None


def _phrase(doc: Doc, token: Token) -> str:
    """The office as the sentence words it ("head of the Congressional Black Caucus"), without the name it is
    the appositive of or a clause about it."""
    left = [t for c in token.lefts if c.dep_ not in ("punct", "appos") for t in c.subtree]
    right = [t for c in token.rights if c.dep_ == "prep" for t in c.subtree]
    tokens = sorted([*left, token, *right], key=lambda t: t.i)
    while tokens[0].is_punct:
        tokens.pop(0)
    while tokens[-1].is_punct:
        tokens.pop()
    phrase = _text(doc, tokens)
    if tokens[0].dep_ == "det":  # "The Federal Reserve chairwoman" opening its sentence
        phrase = tokens[0].lower_ + phrase[len(tokens[0].text) :]
    return phrase if len(phrase) <= MAX_ROLE_CHARS else token.text


def _text(doc: Doc, tokens: list[Token]) -> str:
    return doc[tokens[0].i : tokens[-1].i + 1].text if tokens else ""


def answer(question: str, found: Holder) -> Answer:
    text, citations = number_citations(f"{found.name}, {found.role} [1].", [found.evidence])
    return Answer(
        question=question,
        answer=text,
        found=True,
        short=found.name,
        citations=citations,
        speaker=found.name,
        article_id=found.evidence.article.id,
    )

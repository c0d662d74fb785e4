"""“Who is X?”: the description the articles give X, read from the parse of the passages that name X: the
words before the name in its noun phrase ("Kremlin aide Yuri Ushakov"), an appositive ("Yuri Ushakov, a Kremlin
aide," or "the Kremlin's aide, Yuri Ushakov,"), or what X is said to be ("Ushakov is a veteran diplomat")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.answer.compose import number_citations
from bot.answer.evidence import Evidence, hit_sentences
from bot.answer.models import Answer
from bot.answer.shapes import Parse
from index.models import Hit
from index.quotes.mentions import role_of
from index.text.names import name_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

MAX_SENTENCES = 12


def describe(name: str, hits: Sequence[Hit], parse: Parse) -> tuple[str, Evidence] | None:
    """The first description of `name` in the passages, best passage first, with the sentence that gives it."""
    words = name_words(name)
    if not words:
        return None
    last = words[-1]
    looked = 0
    for hit in hits:
        text = hit.article.text
        for start, end in hit_sentences(hit):
            if last not in name_words(text[start:end]):
                continue
            looked += 1
            if (found := _description(parse(text[start:end]), words)) is not None:
                return found, Evidence.of(hit, start, end, overlap=1.0, score=hit.score)
            if looked >= MAX_SENTENCES:
                return None
    return None


def _description(doc: Doc, words: list[str]) -> str | None:
    for mention in _mentions(doc, words[-1]):
        role = role_of(doc, mention) or _role_by_apposition(doc, mention) or _role_by_copula(doc, mention)
        if role and not set(name_words(role)) & set(words) and any(t.isalpha() for t in role):
            return role
    return None


def _mentions(doc: Doc, last: str) -> list[Span]:
    """The runs of proper nouns (or named entities) that end in the name's last word."""
    found = [e for e in doc.ents if name_words(e.text)[-1:] == [last]]
    for token in doc:
        if (
            token.pos_ == "PROPN"
            and name_words(token.text) == [last]
            and not any(e.start <= token.i < e.end for e in found)
        ):
            start = token.i
            while start > 0 and doc[start - 1].pos_ == "PROPN":
                start -= 1
            found.append(doc[start : token.i + 1])
    return found


def _role_by_apposition(doc: Doc, mention: Span) -> str | None:
    """ "the opposition transport spokesman, Marcus Lindqvist,": the name is the appositive of its role."""
    root = mention.root
    head = root.head
    if root.dep_ == "appos" and head.pos_ == "NOUN":
        return doc[head.left_edge.i : head.i + 1].text
    return None


def _role_by_copula(doc: Doc, mention: Span) -> str | None:
    """ "Ushakov is a veteran diplomat": what the name is said to be."""
    root = mention.root
    if root.dep_ != "nsubj" or root.head.lemma_ != "be":
        return None
    attr = next((c for c in root.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
    return doc[attr.left_edge.i : attr.i + 1].text if attr is not None else None


def answer(question: str, name: str, found: tuple[str, Evidence]) -> Answer:
    role, evidence = found
    text, citations = number_citations(f"The articles describe {name} as “{role}” [1].", [evidence])
    return Answer(question=question, answer=text, found=True, citations=citations, article_id=evidence.article.id)

"""“Who is X?”: the description the articles give X, read from the parse of the passages that name X: the
words before the name in its noun phrase ("Kremlin aide Yuri Ushakov"), an appositive ("Yuri Ushakov, a Kremlin
aide," or "the Kremlin's aide, Yuri Ushakov,"), or what X is said to be ("Ushakov is a veteran diplomat")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel

from bot.answer.compose import number_citations
from bot.answer.evidence import Evidence, is_heading, sentences_to_read
from bot.answer.models import Answer
from bot.answer.shapes import Parse
from index.models import Hit
from index.quotes.mentions import headline_end, role_of
from index.text.lexicon import HOLDING_VERBS, HONORIFICS, POSSESSIVES, ROLE_WORDS, TITLES
from index.text.names import name_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


class Description(BaseModel):
    """What the articles call someone, and the sentence that says it."""

    role: str
    evidence: Evidence


def describe(name: str, hits: Sequence[Hit], parse: Parse) -> Description | None:
    """The first description of `name` in the passages, best passage first, with the sentence that gives it."""
    words = name_words(name)
    if not words:
        return None
    titles = {hit.article.id: headline_end(hit.article.text) for hit in hits}

    def keep(hit: Hit, start: int, end: int) -> bool:
        """A sentence naming the name's last word, and no headline (its capitalised words, "Pence Endorses Paul
        Ryan", are no role)."""
        text = hit.article.text
        if start < titles[hit.article.id] or is_heading(text[start:end]):
            return False
        return words[-1] in name_words(text[start:end])

    for evidence in sentences_to_read(hits, keep):
        if (found := _description(parse(evidence.text), words)) is not None:
            return Description(role=found, evidence=evidence)
    return None


def _description(doc: Doc, words: list[str]) -> str | None:
    """The first description of a mention of the name in the sentence. Where the sentence names another person
    of that surname ("former President Bill Clinton" for "Hillary Clinton"), neither that person nor the surname
    alone is taken for the name's; a name in a list takes none (its neighbours' words may hang on it)."""
    mentions = _mentions(doc, words[-1])
    given = [tuple(w for w in name_words(m.text) if w not in TITLES) for m in mentions]
    others = {g for g in given if len(g) >= 2 and len(words) >= 2 and g[-2:] != tuple(words[-2:])}
    for mention, named in zip(mentions, given, strict=True):
        if (others and (len(named) < 2 or named in others)) or _heads_a_list(mention.root):
            continue
        for find in (role_of, _role_by_apposition, _role_by_copula, _role_by_relative):
            role = find(doc, mention)
            if role is not None and _describes(doc, role, words):  # "Dr." of "Dr. Lena Fischer, who heads …" is none
                return _whole(doc, role)
    return None


def _heads_a_list(token: Token) -> bool:
    """The first name of a list ("former presidents Bush and Clinton"): the words before it may be the whole
    list's. A later one keeps its own ("Witkoff and Kremlin aide Yuri Ushakov")."""
    return any(c.dep_ in ("conj", "cc") for c in token.children)


def _whole(doc: Doc, role: str) -> str:
    """A role with the phrase that completes it: "the interim chairwoman *of the Democratic National Committee*"."""
    start = doc.text.find(role)
    span = doc.char_span(start, start + len(role), alignment_mode="expand") if start >= 0 else None
    if span is None or not len(span):
        return role
    tail = [c for c in span.root.rights if c.dep_ == "prep" and c.i >= span.end and c.lower_ in ("of", "for", "at")]
    if not tail or tail[0].i != span.end:
        return role
    return doc[span.start : tail[0].right_edge.i + 1].text


def _describes(doc: Doc, role: str, words: list[str]) -> bool:
    """Whether a role says who one person is: not the name's own words, not a title or honorific alone
    ("President" of a "President Trump" to come, "Ms."), not someone else's relation ("his wife"), no noun
    ("vocal") or a count ("five children", "hundreds"), not a quotation ("a “good, decent man”"), not the end
    of a hyphened word ("runner" of "front-runner")."""
    said = name_words(role)
    if not said or set(said) & set(words) or said[0] in POSSESSIVES or any(q in role for q in '“”"'):
        return False
    if set(said) <= HONORIFICS or (len(said) == 1 and said[0] in TITLES):
        return False
    start = doc.text.find(role)
    span = doc.char_span(start, start + len(role), alignment_mode="expand") if start >= 0 else None
    if span is None or not len(span):
        return True
    glued = span.start > 0 and not doc[span.start - 1].whitespace_
    noun = span.root.pos_ in ("NOUN", "PROPN") and span.root.tag_ not in ("NNS", "NNPS")
    return noun and not (glued or span[0].like_num)


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


def _role_by_relative(doc: Doc, mention: Span) -> str | None:
    """ "Dr. Lena Fischer, who heads the observatory's small-bodies group,": the office a relative clause says the
    name holds ("the head of the observatory's small-bodies group"), or what it says the name is."""
    clause = next((c for c in mention.root.children if c.dep_ == "relcl"), None)
    if clause is None or not any(c.dep_ == "nsubj" and c.lower_ == "who" for c in clause.children):
        return None
    lemma = clause.lemma_.lower()
    wanted = ("attr",) if lemma == "be" else ("dobj",) if lemma in HOLDING_VERBS else ()
    held = next((c for c in clause.children if c.dep_ in wanted and c.pos_ in ("NOUN", "PROPN")), None)
    if held is None:
        return None
    phrase = doc[held.left_edge.i : held.right_edge.i + 1].text
    return phrase if lemma == "be" else f"the {HOLDING_VERBS[lemma]} of {phrase}"


def answer(question: str, name: str, found: Description) -> Answer:
    role, evidence = found.role, found.evidence
    role = " ".join(w.lower() if w.lower() in ROLE_WORDS else w for w in role.split())  # "a former … chairwoman"
    first = role.split()[0].lower()
    if first not in ("the", "a", "an") and first not in POSSESSIVES and not first.endswith(("'s", "’s")):
        role = f"{'an' if first[0] in 'aeiou' else 'a'} {role}"  # "Kremlin aide Yuri Ushakov": a Kremlin aide
    text, citations = number_citations(f"{name} is described as {role} [1].", [evidence])
    article = evidence.article.id
    return Answer(question=question, answer=text, found=True, citations=citations, article_id=article, speaker=name)

"""Follow-up questions in a chat: what the last answer leaves (`ChatContext`), and a question read in it
(`follow`): "he" or "she" is the person the chat is about, "and about the budget?" asks that person again, and a
follow-up searches the last answer's article first."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from bot.answer.models import Answer, Span, Which
from bot.answer.shapes import Shape
from index.text.lexicon import PRONOUN_GENDER, STOPWORDS, THIRD_PERSON, THIRD_PERSON_POSSESSIVES
from index.text.names import given_gender, name_words, named_in

_FOLLOW_UP = re.compile(
    r"^\s*(and|also|what about|how about|but)\b|\b("
    + "|".join(sorted(THIRD_PERSON | THIRD_PERSON_POSSESSIVES))
    + r")\b",
    re.I,
)
_PRONOUN = re.compile(r"\b(" + "|".join(sorted(THIRD_PERSON)) + r")\b", re.I)
_PERSON = re.compile(r"\b(he|she|him|her|his)\b(?:\s+(\w+))?", re.I)
"""A pronoun that stands for one person, and the word after it (which tells "her" the object from "her" the
possessive)."""
_WHO_IS_PRONOUN = re.compile(
    r"^\W*(?:and\s+|so\s+)?who(?:\s+(?:is|was)|'s)\s+(he|she|him|her)(?:\s+(?:exactly|again|actually))?\W*$", re.I
)
_AND_ABOUT = re.compile(r"^\W*(?:and|but|ok|so)?,?\s*(?:what |how )?about\s+(.+?)[\s?.!]*$", re.I)
_PICK = re.compile(r"^\W*(?:i mean\s+|the one,?\s+|just\s+)?(.+?)(?:\s*,?\s*(?:about|on)\s+(.+?))?[\s?.!]*$", re.I)
"""An answer to "Which one do you mean?": a name, and maybe what about."""
MORE = re.compile(r"\b(?:what|anything|who)\s+else\b|\bwhat more\b|\banything more\b", re.I)
WHO_IS_MEANT = "Who do you mean by “{pronoun}”? Please ask again with the name."
_QUOTE_KINDS = frozenset({"who_said", "what_said", "did_say"})


@dataclass
class ChatContext:
    """What the last answer in a chat was about, for follow-up questions."""

    speaker: str | None = None
    """The person the chat is about: the last answer's speaker, or whom it described."""
    article_id: str | None = None
    shown: tuple[Span, ...] = ()
    """The passages (article, start, end) already shown about `speaker`, which "what else" skips."""
    quoted: bool = False
    """Whether the last answer gave `speaker`'s own words or who they are (not a passage that only quotes them):
    "and about the budget?" asks them again."""
    which: Which | None = None
    """The people the last answer asked the chat to choose between, for `pending`, the question it asked about."""
    pending: str | None = None


@dataclass(frozen=True)
class FollowUp:
    """A question as read in its chat: the questions to ask, in turn until one is answered, each with whether it
    is asked of the last answer's article only; or (`unclear`) the pronoun no one in the chat can be."""

    tries: tuple[tuple[str, bool], ...] = ()
    unclear: str | None = None


def follow(context: ChatContext, question: str, shape: Callable[[str], Shape]) -> FollowUp:
    """`question` read in `context`. A quote question about "he" or "she" asks about the chat's person (or back
    whom it means when there is none, or the pronoun cannot be them), in the last answer's article first; any
    other question's "he", "his" or "him" is that person too: asked as written of that article, then with the name
    (there, then anywhere). A "he" the chat cannot name is looked for in that article only (another article's "he"
    is someone else); a question opening with "and" or "what about" there first. A pronoun in a quote question's
    claim ("Did Trump say he would pay?") is the speaker's, and one beside the person's own name ("What did he
    call Trump?") is someone else."""
    shape = cache(shape)  # the question is parsed once, whichever rules ask
    if context.which and context.pending and (chosen := _chosen(question, context.which.people)):
        name, topic = chosen
        asked = (
            f"What did {name} say about {topic}?" if topic else context.pending.replace(context.which.asked, name, 1)
        )
        return FollowUp(((asked, False),))
    person = context.speaker if context.speaker and not named_in(question, context.speaker) else None
    if person and context.quoted and (topic := _AND_ABOUT.match(question)):  # "and about the budget?"
        return FollowUp(((f"What did {person} say about {topic[1]}?", False),))
    here = context.article_id is not None
    if pronoun := speaker_pronoun(shape, question):
        if not person or not _agrees(pronoun, person):
            return FollowUp(unclear=pronoun)
        named = refer(question, pronoun, person)
        return FollowUp(((named, True), (named, False)) if here else ((named, False),))
    found = _person_pronoun(question, shape)
    if person and found and _agrees(found[1], person):
        named = _name_at(question, found, person)
        return FollowUp(((question, True), (named, True), (named, False)) if here else ((named, False),))
    if here and found:
        return FollowUp(((question, True),))
    if here and _FOLLOW_UP.search(question):
        return FollowUp(((question, True), (question, False)))
    return FollowUp(((question, False),))


def _chosen(question: str, people: list[str]) -> tuple[str, str | None] | None:
    """The one of `people` an answer to "Which one do you mean?" names ("Teresa", "I mean Bill", "teresa, about
    money"), and the topic it adds."""
    found = _PICK.match(question)
    words = set(name_words(found[1])) if found else set()
    fits = [p for p in people if words and words <= set(name_words(p))]
    return (fits[0], found[2] if found else None) if len(fits) == 1 else None


def speaker_pronoun(shape: Callable[[str], Shape], question: str) -> str | None:
    """The pronoun a question asks about in place of a name ("What else did he say?", "Who is she?"), if it
    does."""
    if not _PRONOUN.search(question):
        return None
    if found := _WHO_IS_PRONOUN.match(question):
        return found[1]
    speaker = shape(question).speaker
    return speaker if speaker is not None and speaker.lower() in THIRD_PERSON else None


def refer(question: str, pronoun: str, name: str) -> str:
    """`question` with its first `pronoun` replaced by `name`."""
    return re.sub(rf"\b{re.escape(pronoun)}\b", lambda _: name, question, count=1)


def _person_pronoun(question: str, shape: Callable[[str], Shape]) -> re.Match[str] | None:
    """The pronoun of a question that is not about whom it quotes: in a quote question only an object ("What did
    Clinton say about him?"), whose claim's "he" is the speaker's own."""
    found = _PERSON.search(question)
    if found is None or (shape(question).kind in _QUOTE_KINDS and not _object(found)):
        return None
    return found


def _object(found: re.Match[str]) -> bool:
    word, after = found[1].lower(), (found[2] or "").lower()
    return word == "him" or (word == "her" and (not after or after in STOPWORDS))


def _name_at(question: str, found: re.Match[str], name: str) -> str:
    """The pronoun `found` replaced by `name`, as a possessive where it is one ("his plan": "Steve Witkoff's
    plan")."""
    word = found[1].lower()
    possessive = word == "his" or (word == "her" and not _object(found))
    return question[: found.start(1)] + (f"{name}’s" if possessive else name) + question[found.end(1) :]


def _agrees(pronoun: str, name: str) -> bool:
    """Whether "he" or "she" can be `name` (a first name of the other sex rules it out)."""
    gender = PRONOUN_GENDER.get(pronoun.lower(), "m")  # "his"
    known = given_gender(name)
    return known is None or known == gender


def remember(context: ChatContext, answer: Answer) -> None:
    """What an answer leaves for follow-ups: its speaker, or whom it described, and its article (for an answer
    that found no statement but names its closest speaker, the article of that passage; those before it when it
    has none: a passage), and the passages shown about that speaker; or the people it asked to choose between.
    An answer that found nothing and names no one leaves the context as it was."""
    context.which, context.pending = (answer.which, answer.question) if answer.which else (None, None)
    if not (answer.found or answer.speaker):
        return
    spans = tuple((c.article_id, c.start, c.end) for c in answer.citations)
    same = answer.person is None or answer.person == context.speaker
    context.shown = (context.shown if same else ()) + spans
    context.speaker, context.quoted = answer.person or context.speaker, answer.speaker is not None
    closest = answer.citations[0].article_id if answer.speaker and answer.citations else None
    context.article_id = answer.article_id or closest or context.article_id

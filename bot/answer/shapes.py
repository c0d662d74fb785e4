"""What a question asks (`Shape`), as `questions.parse` reads it, and the parse it is read from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Parse(Protocol):
    """spaCy's analysis of a short text; `entities=False` leaves out named entities (half the time of a question)."""

    def __call__(self, text: str, entities: bool = True) -> Doc: ...


Kind = Literal["who_said", "what_said", "did_say", "who_is", "articles", "wh", "general"]
Wants = Literal[
    "person",
    "date",
    "place",
    "number",
    "amount",
    "outlet",
    "author",
    "published",
    "articles",
    "summary",
    "description",
    "thing",
]


class Shape(BaseModel):
    """What a question asks. `speaker`/`content` for the quote shapes (content: the claim, or the topic of a
    what-said question); `subject` for who-is, for questions about the articles (what they are about) and for
    someone asked for by an office (`role`, a noun: "head" for "Who heads the Congressional Black Caucus?") of a
    body (the subject); `verb` (lemma), `relation` (the wh-word's place: "nsubj", "dobj", "pobj:to", "according
    to") and `names` (the question's own names, never its answer) for the answer extractor; `whole_names` are the
    names of places, buildings, events and works, which a passage names only in full ("the Berlin Wall" is not
    "Hadrian's Wall")."""

    kind: Kind
    wants: Wants | None = None
    speaker: str | None = None
    content: str | None = None
    subject: str | None = None
    verb: str | None = None
    relation: str | None = None
    asked: str | None = None
    role: str | None = None
    attribute: str | None = Field(None, description="the noun a 'What is the N of X?' question asks for (X: subject)")
    described: str | None = Field(
        None, description="how a who-said question describes the speaker: 'Goddard scientist'"
    )
    act: bool = Field(
        False,
        description="an act a sentence may state itself ('Who praised …', 'What did Y say drew him to …'): a question"
        " no statement answers goes to the passages",
    )
    names: list[str] = Field(default_factory=list)
    whole_names: list[str] = Field(default_factory=list)
    lemmas: list[str] = Field(default_factory=list)

"""Questions about the articles themselves, read from a question's parse: who wrote one, when and where it was
published, which articles there are about something, and what an article titled in quotes reports. A part of the
question reader (`bot.answer.questions`), which it mixes in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.answer.shapes import Shape
from index.text.lexicon import ARTICLE_NOUNS, OUTLET_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

ABOUT = frozenset({"about", "on", "regarding", "concerning"})
_PUBLISH = {"publish", "post", "write", "run", "release"}
_COVER_VERBS = {"mention", "cover", "discuss", "name", "quote"}
_REPORTING = {"report", "say", "cover", "tell", "write", "describe", "claim", "find", "reveal", "show"}


class ArticleQuestions:
    """The question reader's rules for questions about the articles; the reader gives the parse (`doc`), the
    wh-word, the quoted strings set aside (`restored`) and its slot readers (`after`, `subtree`, `topic`)."""

    doc: Doc
    wh: Token | None
    restored: dict[int, str]

    def after(self, token: Token) -> str:
        raise NotImplementedError

    def subtree(self, token: Token) -> str:
        raise NotImplementedError

    def topic(self, verb: Token, preps: frozenset[str]) -> str | None:
        raise NotImplementedError

    def about_articles(self, verb: Token) -> Shape | None:
        """Questions about the articles themselves: who wrote one, when it was published, which outlet, which
        articles there are about something."""
        wh, lemma = self.wh, verb.lemma_.lower()
        children = list(verb.children)
        if (title := self.quoted_title(verb)) is not None:
            return Shape(kind="articles", wants="summary", subject=title)
        nouns = {c.lemma_.lower(): c for c in children if c.dep_ in ("dobj", "nsubj", "nsubjpass", "attr")}
        article = next((c for n, c in nouns.items() if n in ARTICLE_NOUNS), None)
        about = self.subtree(article) if article is not None else None
        if wh is not None and wh.lower_ == "who" and lemma in ("write", "author", "pen") and (article or not nouns):
            return Shape(kind="articles", wants="author", subject=self.after(verb) or None)
        author = nouns.get("author")
        if wh is not None and wh.lower_ == "who" and lemma == "be" and author is not None:
            of = [t for c in author.children if c.lower_ == "of" for t in c.children if t.dep_ == "pobj"]
            if not of or of[0].lemma_.lower() in ARTICLE_NOUNS:
                return Shape(kind="articles", wants="author", subject=self.subtree(author))
        if wh is not None and wh.lower_ == "when" and (lemma in _PUBLISH or lemma == "be"):
            # "When was the article about the Donbas withdrawal published?" may parse "published" as a modifier
            published = lemma in _PUBLISH or any(t.lemma_.lower() in _PUBLISH for t in self.doc[verb.i + 1 :])
            if article is not None and published:
                return Shape(kind="articles", wants="published", subject=about)
        asked = wh.head if wh is not None and wh.dep_ == "det" else None
        if asked is not None and asked.lemma_.lower() in OUTLET_NOUNS and asked.dep_ == "nsubj" and asked.head == verb:
            return Shape(kind="articles", wants="outlet", subject=self.after(verb) or None)
        topic = self.topic(verb, ABOUT)
        if asked is not None and asked.lemma_.lower() in ARTICLE_NOUNS and (topic or lemma in _COVER_VERBS):
            return Shape(kind="articles", wants="articles", subject=topic or self.after(verb) or None)
        if wh is None and article is not None and lemma in ("have", "find", "list", "show", "get") and topic:
            return Shape(kind="articles", wants="articles", subject=topic)
        return None

    def quoted_title(self, verb: Token) -> str | None:
        """A quoted title asked about: "What does “Free school meals …” report?", "What is “…” about?" (a quoted
        phrase that reports, covers or says, or is "about", is an article's title, not a speaker)."""
        if self.wh is None or self.wh.lower_ != "what":
            return None
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i in self.restored), None)
        lemma = verb.lemma_.lower()
        about = lemma == "be" and any(t.lower_ == "about" for t in self.doc[verb.i :])
        if subject is None or not (lemma in _REPORTING or about):
            return None
        return self.restored[subject.i]

"""Which language a text is written in, for the one thing whosaid needs to know: whether it is English. The model
is py3langid's (a maintained langid.py: 97 languages, a few MB, loaded once, about 0.1 ms a question).

English questions name foreign people and places ("Putin Zelensky?", "Sergei Lavrov Kremlin"), on which any
detector guesses; so a text is foreign only when the detector is sure of another language and the text holds none
of the English words (`ENGLISH_WORDS`) that no question in English goes without."""

from __future__ import annotations

import re
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

SURE = 0.5
ENGLISH_WORDS = frozenset(
    """the who whom whose what which when where why how did does said say says tell told about were are and of
    with that this there anyone someone""".split()
)
"""Words of English that no other language the detector knows writes the same way (not "is" or "was": Dutch and
German have them)."""
_LETTERS = re.compile(r"[^\W\d_]+")


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def foreign(text: str) -> str | None:
    """The language of a text not in English (ISO 639-1: "es", "ru", "ar"), None for English or too little to
    tell."""
    words = [w.lower() for w in _LETTERS.findall(text)]
    if not words or ENGLISH_WORDS.intersection(words):
        return None
    language, probability = _identifier().classify(text)
    return language if language != "en" and probability >= SURE else None


ARTICLE_SURE = 0.9
ARTICLE_SAMPLE = 5000
"""An article's language is read from its first characters: menus and bylines an extractor leaves are short."""
NAMES = {
    "ar": "Arabic", "de": "German", "es": "Spanish", "fr": "French", "id": "Indonesian", "it": "Italian",
    "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ru": "Russian",
    "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese",
}  # fmt: skip
"""Names for the languages a reader is told an article is written in (others are given by their code)."""


def article_language(text: str) -> str | None:
    """The language of an article not in English (ISO 639-1), None for English or when the detector is not sure:
    such an article is stored and searchable, but its quotes are not attributed by English rules."""
    language, probability = _identifier().classify(text[:ARTICLE_SAMPLE])
    return language if language != "en" and probability >= ARTICLE_SURE else None


def language_name(code: str) -> str:
    return NAMES.get(code, code)

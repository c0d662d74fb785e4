"""The spaCy pipeline under quote attribution and question parsing: the packaged English model, with a line break
always ending a sentence, and three changes that leave every annotation as spaCy's own pipeline sets it while
parsing faster (figures in docs/benchmarks.md, issue 6):

- matrix products through numpy's BLAS instead of thinc's BLIS;
- the attribute ruler's one-token tag/word rules looked up in a table, its Matcher kept for the ~20 other rules;
- the rule lemmatizer run once per distinct (word, part of speech, morphology), not once per token.

`one_blas_thread` holds BLAS to one thread while short texts (a question, a sentence) are parsed.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from functools import lru_cache
from itertools import product
from typing import Any

import numpy as np
from spacy.attrs import LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from threadpoolctl import ThreadpoolController

Match = tuple[int, int, int, int]  # as AttributeRuler.match: (rule index, match id, start, end)


def load(model: str, stock: bool = False) -> Language:
    """`stock`: spaCy's own attribute ruler, lemmatizer and BLIS, to check the fast pipeline against."""
    import spacy
    from thinc.api import use_ops

    if not Language.has_factory("newline_sentences"):
        Language.component("newline_sentences", func=_newline_sentences)
    with use_ops("numpy", use_blis=stock):
        nlp = spacy.load(model)
    nlp.add_pipe("newline_sentences", before="parser")
    if not stock:
        if not Language.has_factory("table_attributes"):
            Language.factory(
                "table_attributes", func=lambda nlp, name: TableAttributes(nlp.get_pipe("attribute_ruler"))
            )
            Language.factory("cached_lemmas", func=lambda nlp, name: CachedLemmas(nlp.get_pipe("lemmatizer")))
        nlp.add_pipe("table_attributes", after="attribute_ruler")
        nlp.add_pipe("cached_lemmas", after="lemmatizer")
        nlp.disable_pipe("attribute_ruler")
        nlp.disable_pipe("lemmatizer")
    return nlp


def _newline_sentences(doc: Doc) -> Doc:
    """A line break always ends a sentence (headings, paragraphs)."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc


def _values(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
        return list(value["IN"])
    return None


class TableAttributes:
    """An AttributeRuler's matches with its one-token rules on TAG and LOWER found by table lookup (a Matcher
    checks every rule at every token); the same matches, set in the same order."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        strings = ruler.vocab.strings
        self.table: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)  # (tag, lower) -> rules
        self.matcher = Matcher(ruler.vocab)
        for rule in range(len(ruler.attrs)):
            key = str(rule)
            match_id = strings.add(key)
            for pattern in ruler.matcher.get(key)[1]:
                token = pattern[0] if len(pattern) == 1 and set(pattern[0]) <= {"TAG", "LOWER"} else {}
                tags, lowers = _values(token.get("TAG", "")), _values(token.get("LOWER", ""))
                if not token or tags is None or lowers is None:
                    self.matcher.add(key, [pattern])
                    continue
                for tag, lower in product(tags, lowers):
                    keys = (strings.add(tag) if tag else 0, strings.add(lower) if lower else 0)
                    self.table[keys].append((rule, match_id))

    def __call__(self, doc: Doc) -> Doc:
        self.ruler.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Match]:
        strings = self.ruler.vocab.strings
        found = {(int(strings[m_id]), m_id, start, end) for m_id, start, end in self.matcher(doc, allow_missing=True)}
        table = self.table
        for i, (tag, lower) in enumerate(doc.to_array([TAG, LOWER]).tolist()):
            for keys in ((tag, 0), (0, lower), (tag, lower)):
                found.update((rule, m_id, i, i + 1) for rule, m_id in table.get(keys, ()))
        return sorted(found)


class CachedLemmas:
    """A rule lemmatizer's lemmas, each worked out once per (word, part of speech, morphology), the only things
    its rules read, and written to the document in one array."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.known: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        overwrite = self.lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            if (known := self.known.get(key)) is None:
                known = self.known[key] = doc.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = known
        doc.from_array([LEMMA], lemmas.reshape(-1, 1).astype(np.uint64))
        return doc


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


class _OneBlasThread:
    """BLAS on one thread while any short text is parsed, in however many threads at once: the first parse in
    sets the limit, the last one out restores what was there (a limit per parse, restored per parse, would leave
    the wrong one behind when two overlap)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parsing = 0
        self._limit: Any = None

    def __enter__(self) -> None:
        with self._lock:
            if self._parsing == 0:
                self._limit = _blas().limit(limits=1, user_api="blas")
            self._parsing += 1

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._parsing -= 1
            if self._parsing == 0:
                self._limit.restore_original_limits()
                self._limit = None


one_blas_thread = _OneBlasThread()
"""Enter it around parsing a short text (see QuoteExtractor.parse)."""

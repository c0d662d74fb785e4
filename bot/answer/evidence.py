"""Pick the sentences of retrieved chunks that best support an answer to the question."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

from pydantic import BaseModel

from index.models import MAX_CITED, Article, Hit
from index.text.sentences import sentences
from index.text.terms import WORD, root, roots, term, terms

HEADING_FACTOR = 0.3
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


class Evidence(BaseModel):
    """A passage of an article (a sentence or two) with exact offsets, and why it was chosen."""

    article: Article
    start: int
    end: int
    text: str
    score: float
    chunk_score: float
    overlap: float
    chunk_id: int
    also_in: list[Article] = []
    focus: str | None = None
    """The sentence the passage was chosen for, when a neighbour was added to read it with."""

    @classmethod
    def of(
        cls, hit: Hit, start: int, end: int, overlap: float, score: float, focus: tuple[int, int] | None = None
    ) -> Evidence:
        """The passage `[start, end)` of a retrieved hit's article, chosen for its sentence `focus`."""
        text = hit.article.text
        return cls(
            article=hit.article,
            start=start,
            end=end,
            text=text[start:end],
            chunk_id=hit.chunk_id,
            chunk_score=hit.score,
            overlap=overlap,
            score=score,
            focus=text[focus[0] : focus[1]] if focus is not None and focus != (start, end) else None,
        )


def question_weights(question: str, form: Callable[[str], str] = str) -> dict[str, float]:
    """The question's terms (as `form` makes them), names and numbers (a capital letter after its first word, a
    digit) counting twice."""
    weights: dict[str, float] = {}
    for match in WORD.finditer(question):
        word = match.group()
        if (found := term(word)) is None:
            continue
        stem = form(found)
        salient = (word[0].isupper() and match.start() > 0) or any(ch.isdigit() for ch in word)
        weights[stem] = max(weights.get(stem, 0.0), 2.0 if salient else 1.0)
    return weights


def overlap(question_weights: dict[str, float], text: str, words: Callable[[str], list[str]] = terms) -> float:
    """The weighted share of the question's words (as `words` cuts them) that the text holds."""
    total = sum(question_weights.values())
    if not total:
        return 0.0
    present = set(words(text))
    return sum(w for t, w in question_weights.items() if t in present) / total


def select_evidence(
    question: str,
    hits: list[Hit],
    limit: int = 3,
    lexical_weight: float = 0.5,
    per_passage: int = 2,
    wanted: re.Pattern[str] | None = None,
) -> list[Evidence]:
    """The best passages of the strongest hits, best first: up to `per_passage` sentences of each hit (each with
    the neighbour it reads with), scored by the hit's similarity plus the share of the question's words they hold,
    rare words (in the sentences retrieved) counting more than common ones. A sentence matching `wanted` (what the
    answer stands in: "according to …" for a question asking for the source) holds one more name's worth."""
    passages = [(hit, hit_sentences(hit)) for hit in hits]
    held = [_held(hit, wanted) for hit in hits]
    asked = question_weights(question, root) | ({_WANTED: 2.0} if wanted else {})
    weights = rarity_weighted(asked, [words for rows in held for words in rows])
    candidates: list[Evidence] = []
    for (hit, spans), words in zip(passages, held, strict=True):
        text = hit.article.text
        scored = [
            _share(weights, w) * (HEADING_FACTOR if is_heading(text[s:e]) else 1.0)
            for w, (s, e) in zip(words, spans, strict=True)
        ]
        for index in sorted(range(len(spans)), key=lambda i: (-scored[i], i))[:per_passage]:
            start, end = _extend(text, spans, scored, index)
            score = hit.score + lexical_weight * scored[index]
            candidates.append(Evidence.of(hit, start, end, scored[index], score, spans[index]))
    candidates.sort(key=lambda e: e.score, reverse=True)
    candidates = collapse_duplicates(candidates)
    chosen: list[Evidence] = []
    for candidate in candidates:
        if any(
            c.article.id == candidate.article.id and c.start < candidate.end and candidate.start < c.end for c in chosen
        ):
            continue
        chosen.append(candidate)
        if len(chosen) == limit:
            break
    return chosen


_WANTED = " wanted"


def hit_sentences(hit: Hit) -> list[tuple[int, int]]:
    """The sentence spans of a hit's chunk, in article offsets (split once per chunk text)."""
    return [(hit.chunk.start + s, hit.chunk.start + e) for s, e in _chunk_sentences(hit.chunk.text)]


READ_SENTENCES = 12
"""How many sentences a reader of the passages (a description, an office holder) parses before giving up."""


def sentences_to_read(hits: Sequence[Hit], keep: Callable[[Hit, int, int], bool]) -> Iterator[Evidence]:
    """The sentences of the hits, best hit first, that `keep` accepts (none longer than a citation may be), each
    as the evidence that cites it; at most READ_SENTENCES."""
    kept = 0
    for hit in hits:
        for start, end in hit_sentences(hit):
            if end - start > MAX_CITED or not keep(hit, start, end):
                continue
            yield Evidence.of(hit, start, end, overlap=1.0, score=hit.score)
            kept += 1
            if kept >= READ_SENTENCES:
                return


def _held(hit: Hit, wanted: re.Pattern[str] | None) -> list[frozenset[str]]:
    """The roots of the words of each sentence of a hit's chunk (cached by the chunk's text, which a question's
    passages share with earlier questions'), with a mark where it matches `wanted`."""
    text = hit.chunk.text
    rows = _chunk_words(text)
    if wanted is None:
        return list(rows)
    spans = _chunk_sentences(text)
    return [w | {_WANTED} if wanted.search(text, s, e) else w for w, (s, e) in zip(rows, spans, strict=True)]


@lru_cache(maxsize=4096)
def _chunk_sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(sentences(text))


@lru_cache(maxsize=4096)
def _chunk_words(text: str) -> list[frozenset[str]]:
    return [frozenset(roots(text[s:e])) for s, e in _chunk_sentences(text)]


def rarity_weighted(weights: dict[str, float], sentence_words: list[set[str]]) -> dict[str, float]:
    """Each question word's weight times its inverse document frequency over the given sentences: a word most of
    them hold ("Kenya" in passages about Kenya) says little about which one answers."""
    n = len(sentence_words)
    return {
        t: w * math.log(1 + (n + 1) / (sum(t in words for words in sentence_words) + 0.5)) for t, w in weights.items()
    }


def _share(weights: dict[str, float], words: set[str]) -> float:
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in words) / total if total else 0.0


def is_heading(sentence: str) -> bool:
    """A subheading line inside the article: short, with no closing punctuation. It states no claim."""
    return not _SENTENCE_END.search(sentence) and len(sentence.split()) < 15


_LEANS = re.compile(r"[\"“‘']?\s*(He|She|They|It|This|That|These|Those|All this|The \w+ said)\b")


def _extend(text: str, spans: list[tuple[int, int]], scored: list[float], index: int) -> tuple[int, int]:
    """The sentence with the neighbour it reads with, when the two fit in a citation and one paragraph: the one
    holding more of the question's words; on a tie the next, since an answer often follows the sentence that
    names its subject, unless this sentence leans on the one before ("He ...", "This ...")."""
    start, end = spans[index]
    options = []
    if index + 1 < len(spans):
        options.append((scored[index + 1], 1, start, spans[index + 1][1]))
    if index > 0:
        leans = bool(_LEANS.match(text, start))
        options.append((scored[index - 1] + (0.5 if leans else 0.0), 0, spans[index - 1][0], end))
    for _, _, s, e in sorted(options, reverse=True):
        if e - s <= MAX_CITED and "\n" not in text[s:e]:
            return s, e
    if end - start > MAX_CITED:
        cut = text.rfind(" ", start, start + MAX_CITED)
        end = cut if cut > start else start + MAX_CITED
    return start, end


DUPLICATE_JACCARD = 0.6
SHINGLES_KEPT = 4096


@lru_cache(maxsize=SHINGLES_KEPT)
def shingles(text: str, n: int = 3) -> frozenset[tuple[str, ...]]:
    """The text's runs of n words, lower-cased; kept for the next question citing the same sentence."""
    words = [w.lower() for w in WORD.findall(text)]
    return frozenset(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)))


def collapse_duplicates(candidates: list[Evidence]) -> list[Evidence]:
    """Near-identical passages from different articles (a wire story rerun by several outlets) become one:
    the earliest published (else the first retrieved) is kept, with the others listed in `also_in`."""
    kept: list[tuple[Evidence, frozenset, list[Evidence]]] = []
    for candidate in candidates:
        grams = shingles(candidate.text)
        for i, (other, other_grams, twins) in enumerate(kept):
            if other.article.id == candidate.article.id:
                continue
            union = len(grams | other_grams)
            if union and len(grams & other_grams) / union >= DUPLICATE_JACCARD:
                if any(t.article.id == candidate.article.id for t in twins):
                    break  # another passage of an article already listed as a twin
                twins.append(candidate)
                if _earlier(candidate.article, other.article):
                    kept[i] = (candidate.model_copy(update={"score": max(candidate.score, other.score)}), grams, twins)
                    twins[-1] = other
                break
        else:
            kept.append((candidate, grams, []))
    return [e.model_copy(update={"also_in": [t.article for t in twins]}) for e, _, twins in kept]


def _earlier(a: Article, b: Article) -> bool:
    return bool(a.published) and (not b.published or a.published < b.published)

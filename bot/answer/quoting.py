"""Answer who-said questions from the quote index: who said X, what did Y say (about Z), did Y say X."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answer import compose, matching
from bot.answer.evidence import Evidence, overlap, question_weights
from bot.answer.models import Answer, Span
from bot.answer.statements import one_per_statement, same_statement
from bot.answer.verdict import opposite, verdict
from index.config import QuoteSettings
from index.library import Library
from index.models import EVERYWHERE, Article, Quote, QuoteHit, Scope
from index.quotes.passage import cited_bounds
from index.text.lexicon import STOPWORDS, VAGUE_NOUNS
from index.text.names import name_words
from index.text.terms import WORD, root, roots, s_stem

if TYPE_CHECKING:
    from spacy.tokens import Doc

LEXICAL_WEIGHT = 0.5
MAX_QUOTES = 3
TOPICS_SHOWN = 3
TOPIC_QUOTES = 40


def names_in(speaker: str, passage: str) -> bool:
    """Every salient word of a speaker phrase ("the union" -> "union") stands in the passage."""
    words = [w for w in name_words(speaker) if len(w) > 2]
    found = set(WORD.findall(passage.lower()))
    return bool(words) and all(w in found or s_stem(w) in found for w in words)


def asked_roots(text: str) -> dict[str, float]:
    """The text's words as `score` matches them: by root, whatever their endings ("campaign" in "when you're
    campaigning")."""
    return question_weights(text, root)


def score(hit: QuoteHit, asked: dict[str, float]) -> float:
    """Similarity plus the share of the asked words (`asked_roots`) the statement holds."""
    return hit.score + LEXICAL_WEIGHT * overlap(asked, hit.quote.quote, roots)


@dataclass
class Ranked:
    """The statements best matching a text, best first, each with its score (similarity plus word overlap):
    those whose speaker is sure enough to be named (`policy.confidence_needed`), and the others."""

    sure: list[tuple[float, QuoteHit]]
    unsure: list[tuple[float, QuoteHit]]


def ranked_hits(
    library: Library,
    text: str,
    policy: QuoteSettings,
    k: int,
    speakers: list[str] | None = None,
    scope: Scope = EVERYWHERE,
) -> Ranked:
    """One search of the quote index for `text` (these speakers, these articles), ranked and split by trust."""
    hits = library.quote_hits(text, k * 3, scope.within(speakers=speakers), policy.quote_search)
    needed = policy.confidence_needed
    asked = asked_roots(text)
    ranked = sorted(((score(h, asked), h) for h in hits if h.quote.speaker), key=lambda pair: pair[0], reverse=True)
    return Ranked(
        sure=[pair for pair in ranked if pair[1].quote.trusted(needed)][:k],
        unsure=[pair for pair in ranked if not pair[1].quote.trusted(needed)][:k],
    )


def evidence_for(library: Library, quote: Quote, value: float) -> Evidence | None:
    """The sentence(s) of the article that hold the quote, as the passage to cite."""
    article = library.article(quote.article_id)
    if article is None or not quote.verbatim_in(article.text):
        return None
    start, end = cited_bounds(article.text, quote)
    return Evidence(
        article=article,
        start=start,
        end=end,
        text=article.text[start:end],
        score=value,
        chunk_score=value,
        overlap=0.0,
        chunk_id=-1,
    )


def who_said(
    library: Library,
    question: str,
    content: str,
    policy: QuoteSettings,
    scope: Scope = EVERYWHERE,
    described: str | None = None,
) -> Answer:
    """The speaker of the statement that says `content` by the matcher (`matching`), named when it is sure and the
    speaker is; the closest statement, marked so, when it is close; else that nobody in the articles is quoted
    saying it. A statement whose speaker is unsure is answered by the same statement from an article sure of it."""
    found = matching.candidates(library, content, described, scope=scope)
    bar = matching.model()
    if not found or not found[0].sure(bar.close):
        return compose.nobody_quoted(question)
    best = found[0]
    needed = policy.confidence_needed
    if not best.hit.quote.trusted(needed):
        same = (m for m in found if m.hit.quote.trusted(needed) and same_statement(m.hit.quote, best.hit.quote))
        best = next(same, best)
    quote = best.hit.quote
    if (evidence := evidence_for(library, quote, best.probability)) is None:
        return compose.nobody_quoted(question)
    if not quote.trusted(needed):
        return compose.speaker_unsure(question, evidence)
    if not best.sure(bar.sure) or not matching.mentioned(best.article, quote, *matching.details(content, [])):
        return compose.closest_statement(question, quote, evidence)
    items = [(quote, evidence)]
    if (second := matching.seconding(found, best, same_statement)) is not None:
        items += [(second.hit.quote, e)] if (e := evidence_for(library, second.hit.quote, 0.0)) else []
    return compose.quote_answer(question, items) or compose.closest_statement(question, quote, evidence)


def what_said(
    library: Library,
    question: str,
    names: list[str],
    topic: str | None,
    policy: QuoteSettings,
    scope: Scope = EVERYWHERE,
    seen: Sequence[Span] = (),
) -> Answer:
    """The statements of these speakers (names as stored) about `topic` when there is one, else their latest,
    those in passages already `seen` left out ("what else"); when none is about the topic, the topics they are
    quoted on; when every one was seen, that there is no more."""
    if topic:
        chosen, unsure = statements_about(library, topic, names, policy, scope)
    else:
        quotes = library.quotes(scope.within(speakers=names))
        quotes.sort(key=lambda q: q.kind == "indirect")  # stable: newest article first within direct, indirect
        chosen = [(1.0, q) for q in quotes if q.trusted(policy.confidence_needed)]
        unsure = [(1.0, q) for q in quotes if q.speaker and not q.trusted(policy.confidence_needed)]
    if seen and chosen and not (chosen := [(v, q) for v, q in chosen if not _shown(q, seen)]):
        return compose.nothing_more(question, names[0])
    chosen = chosen[:MAX_QUOTES]
    as_one = [(v, q.model_copy(update={"speaker": names[0]})) for v, q in chosen]  # an alias is the same person
    items = one_per_statement([(q, e) for v, q in as_one if (e := evidence_for(library, q, v)) is not None])
    if answer := compose.quote_answer(question, items):
        return answer
    if unsure and (evidence := evidence_for(library, unsure[0][1], unsure[0][0])) is not None:
        return compose.speaker_unsure(question, evidence, names[0])
    return compose.no_quotes(
        question, names[0], topic, quoted_on(library, names, scope, policy.confidence_needed) if topic else ()
    )


def statements_about(
    library: Library, topic: str, names: list[str] | None, policy: QuoteSettings, scope: Scope = EVERYWHERE
) -> tuple[list[tuple[float, Quote]], list[tuple[float, Quote]]]:
    """The statements (of these speakers; None: anyone's) about `topic`, best first, those sure of their speaker
    and the others: close enough by meaning and words (`policy.relevance`), and mentioning the names and numbers
    the topic gives (`matching.mentioned`). What "What did X say about Y?" answers from, and what a watch on a
    topic alerts on."""
    ranked = ranked_hits(library, topic, policy, k=20, speakers=names, scope=scope)
    named, figures = matching.details(topic, names or [])
    articles: dict[str, Article | None] = {}

    def about(pairs: list[tuple[float, QuoteHit]]) -> list[tuple[float, Quote]]:
        near = [(v, h.quote) for v, h in pairs if v >= policy.relevance]
        for _, q in near:
            if q.article_id not in articles:
                articles[q.article_id] = library.article(q.article_id)
        return [(v, q) for v, q in near if matching.mentioned(articles[q.article_id], q, named, figures)]

    return about(ranked.sure), about(ranked.unsure)


def _shown(quote: Quote, seen: Sequence[Span]) -> bool:
    return any(a == quote.article_id and s < quote.end and quote.start < e for a, s, e in seen)


def quoted_on(library: Library, names: list[str], scope: Scope, needed: float) -> list[str]:
    """The nouns these speakers' statements use most (their own names left out): the topics they are quoted on.
    Read in the newest TOPIC_QUOTES statements sure enough to be theirs, each parsed (cached) for its nouns."""
    extractor = library.extractor
    if extractor is None:
        return []
    skip = STOPWORDS | VAGUE_NOUNS | {w for name in names for w in name_words(name)}
    counts: Counter[str] = Counter()
    shown: dict[str, Counter[str]] = {}
    theirs = [q for q in library.quotes(scope.within(speakers=names)) if q.trusted(needed)]
    for quote in theirs[:TOPIC_QUOTES]:
        words = dict(topic_words(extractor.parse(quote.quote, entities=False), skip))
        counts.update(words.keys())
        for lemma, word in words.items():
            shown.setdefault(lemma, Counter())[word] += 1
    return [shown[w].most_common(1)[0][0] for w, _ in counts.most_common(TOPICS_SHOWN)]


def topic_words(doc: Doc, skip: set[str] | frozenset[str]) -> list[tuple[str, str]]:
    """A statement's nouns, (lemma, as written): a name of several words as written, counted by its last word
    ("Hillary Clinton" with "Clinton")."""
    found = []
    for token in doc:
        if token.pos_ not in ("NOUN", "PROPN") or len(token) < 4 or not token.text.isalpha() or token.lower_ in skip:
            continue
        if token.pos_ == "PROPN" and token.dep_ == "compound" and token.head.pos_ == "PROPN":
            continue  # "Hillary" in "Hillary Clinton": the name is counted at its last word
        parts = [c for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] if token.pos_ == "PROPN" else []
        words = " ".join(t.text for t in [*parts, token])
        found.append((token.lemma_.lower(), words))
    return found


def did_say(
    library: Library,
    question: str,
    names: list[str],
    claim: str,
    policy: QuoteSettings,
    scope: Scope = EVERYWHERE,
) -> Answer:
    """A verdict: yes (their statement says it, by the matcher), no (their statement says the opposite, by the
    parse), no but someone else said it (named and cited), the closest of their statements marked so, or not in
    the articles."""
    bar, needed = matching.model(), policy.confidence_needed
    parse = library.extractor.parse if library.extractor is not None else None
    floor = min(bar.close, bar.theirs)
    theirs = [m for m in matching.candidates(library, claim, speakers=names, scope=scope) if m.sure(floor)]
    details = matching.details(claim, names)
    for match in theirs:
        quote = match.hit.quote
        if not match.sure(bar.theirs) or not quote.trusted(needed):
            continue
        if (evidence := evidence_for(library, quote, match.probability)) is None:
            continue
        judged = verdict(claim, quote.quote, parse) if parse is not None else "unclear"
        if judged == "yes" and not matching.mentioned(match.article, quote, *details):
            judged = "unclear"  # "Did X say Y would win Nevada?" is no "yes" to a statement on Arizona
        if judged == "unclear":
            return compose.closest_statement(question, quote, evidence, names)
        lead, verb = ("No. ", "said the opposite") if judged == "opposite" else ("Yes. ", "said")
        if (answer := compose.quote_answer(question, [(quote, evidence)], lead=lead, verb=verb)) is not None:
            return answer
    lead = f"No, I find no such statement by {names[0]}; {{}} made it. "
    if (answer := someone_else(library, question, names, lead, claim, policy, scope)) is not None:
        return answer
    for match in theirs[:1]:
        if (evidence := evidence_for(library, match.hit.quote, match.probability)) is not None:
            if not match.hit.quote.trusted(needed):
                return compose.speaker_unsure(question, evidence, names[0])
            return compose.closest_statement(question, match.hit.quote, evidence, names)
    return compose.no_such_statement(question, names[0])


def someone_else(
    library: Library,
    question: str,
    names: list[str],
    lead: str,
    claim: str,
    policy: QuoteSettings,
    scope: Scope = EVERYWHERE,
) -> Answer | None:
    """ "No — W said it": the statement that says the claim by the matcher's `sure` bar, by a sure speaker other than
    `names`, and not its opposite; `lead` opens the answer, "{}" standing for W."""
    bar, parse = matching.model(), library.extractor.parse if library.extractor is not None else None
    for match in matching.candidates(library, claim, scope=scope)[:1]:
        quote = match.hit.quote
        if quote.speaker in names or not match.sure(bar.sure) or not quote.trusted(policy.confidence_needed):
            continue
        if not matching.mentioned(match.article, quote, *matching.details(claim, [])):
            continue
        if parse is not None and opposite(claim, quote.quote, parse):
            continue
        if (evidence := evidence_for(library, quote, match.probability)) is not None:
            return compose.quote_answer(question, [(quote, evidence)], lead=lead.format(quote.speaker))
    return None

"""Quote attribution at ingest: direct, mixed and reported speech, each with its speaker and exact offsets."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from index.config import SPACY_MODEL
from index.models import PIECE_JOINER, Kind, Quote
from index.quotes import cues
from index.quotes.confidence import confidence
from index.quotes.continuity import after_named
from index.quotes.rules import Rule
from index.quotes.source import ArticleText, QuoteSource
from index.quotes.speakers import SpeakerResolver
from index.quotes.transcript import transcript_lines
from index.text import marks
from index.text.lexicon import INDIRECT_QUESTION, OUTLET_WORDS
from index.text.names import display_name
from index.text.nlp import one_blas_thread

MIN_DIRECT_WORDS = 3
PARSES_KEPT = 1024
BESIDE = 12  # characters at most between a direct quote and a speaker written beside it: '," Sanders said'
ASKING = frozenset({"ask", "wonder", "question", "inquire"})
_DASH_SIGNOFF = re.compile(r"[\"”]?\s*[―—–-]\s*([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})")
_OUTLET = re.compile(r"\b(" + "|".join(map(re.escape, OUTLET_WORDS)) + r")\b")


class QuoteExtractor(QuoteSource):
    """Rule-based attribution over spaCy's parse; see docs/quotes.md for the rules and their limits."""

    def __init__(self, model: str = SPACY_MODEL, stock: bool = False) -> None:
        """`stock`: spaCy's pipeline as packaged (see index/nlp.py), to check the faster one against."""
        from index.text.nlp import load

        self.model = model
        self.nlp = load(model, stock)
        self._parsed = lru_cache(maxsize=PARSES_KEPT)(self._parse_now)

    def extract(self, article_id: str, text: str) -> list[Quote]:
        return extract_from_doc(article_id, self.nlp(text))

    def parse(self, text: str, entities: bool = True) -> Doc:
        """spaCy's analysis of a short text (a question, a sentence), kept for the next time it is asked for (the
        best sentence of a passage answers many questions). The Doc is shared: read it, do not change it.
        `entities=False` skips the entity recogniser, half the time of a short text."""
        return self._parsed(text, entities)

    def _parse_now(self, text: str, entities: bool) -> Doc:
        """One short text's matrices are small: BLAS threads would only wait on each other (and on the query
        encoder's); one thread parses it fastest."""
        with one_blas_thread:
            return self.nlp(text, disable=[] if entities else ["ner"])

    def extract_many(self, items: list[ArticleText], batch_size: int = 8) -> list[list[Quote]]:
        docs = self.nlp.pipe((item.text for item in items), batch_size=batch_size)
        return [extract_from_doc(item.id, doc) for item, doc in zip(items, docs, strict=True)]


def extract_from_doc(article_id: str, doc: Doc) -> list[Quote]:
    direct = marks.direct_spans(doc.text)
    resolver = SpeakerResolver(doc, direct)
    text = resolver.text
    quotes: list[Quote] = []
    covered: list[tuple[int, int]] = []
    previous: Quote | None = None
    for start, end in direct:
        quote = _direct_quote(article_id, doc, resolver, start, end, previous)
        if quote is None or (quote.kind == "mixed" and any(s < quote.end and quote.start < e for s, e in covered)):
            continue
        if previous is not None and _split_around_cue(text, previous, quote):
            quote = _joined(text, previous, quote)
            quotes[-1] = quote
        else:
            quotes.append(quote)
        covered.append((quote.start, quote.end))
        previous = quote
    quotes.extend(transcript_lines(article_id, resolver, covered))
    for cue in doc:
        if not (cues.speech(cue) or cues.as_put(cue)):
            continue
        complement = cues.complement(cue)
        pieces = [cues.clause_span(doc, complement)] if complement is not None else cues.parenthetical(cue)
        if pieces is None:
            continue
        start, end = pieces[0][0], pieces[-1][1]
        if sum(e - s for s, e in pieces) < 12 or any(s < end and start < e for s, e in covered):
            continue
        kind = "mixed" if any(marks.QUOTED.search(text[s:e]) for s, e in pieces) else "indirect"
        if complement is not None:
            quote = _attributed(article_id, doc, resolver, start, end, cue, kind)
        else:
            mention = cues.mention(doc, cues.subject(cue))
            quote = _quote(article_id, doc, resolver, pieces, mention, cue.text, kind, cue.sent, cue)
        if quote is not None:
            quotes.append(quote)
            covered.append((start, end))
    quotes.extend(_according_to(article_id, doc, resolver, covered))
    quotes.sort(key=lambda q: q.start)
    return after_named(quotes, text)


def _direct_quote(
    article_id: str, doc: Doc, resolver: SpeakerResolver, start: int, end: int, previous: Quote | None
) -> Quote | None:
    """Attribute one quotation: its own sentence's cue, a dash sign-off, a framing verb, a lead-in, or the
    quotation before it."""
    text = resolver.text
    if marks.is_title(text[start:end]):
        return None
    fragment = len(text[start:end].split()) < MIN_DIRECT_WORDS
    cue = cues.cue_for(doc, start, end)
    if cue is not None:
        kind: Kind = "direct"
        holder = cues.holder(cue, start) if not marks.covers_sentences(doc, start, end) else None
        if holder is not None:
            c_start, c_end = cues.clause_span(doc, holder)
            if cues.object_before(cue, holder):
                c_start = cues.after(cue)
            if (c_start < start - 3 or c_end > end + 3) and c_start <= start and end <= c_end + 1:
                closing = end >= c_end and end < len(text) and text[end] in '”"'
                start, end, kind = c_start, max(end + 1 if closing else end, c_end), "mixed"
        if fragment and kind == "direct" and not _opens_sentence(doc, start, cue):
            return _framed(article_id, doc, resolver, start, end, cue) if cue.idx < start else None
        return _attributed(article_id, doc, resolver, start, end, cue, kind)
    signoff = _DASH_SIGNOFF.match(text, end + 1 if end < len(text) and text[end] in '”"' else end)
    if signoff:
        mention = doc.char_span(signoff.start(1), signoff.end(1), alignment_mode="contract")
        if mention is not None and len(mention):
            return _quote(article_id, doc, resolver, [(start, end)], mention, "―", "direct")
    whole = marks.covers_sentences(doc, start, end)
    if fragment or not whole:
        framing = cues.framing_verb(doc, start, end)
        if framing is None:
            return None
        return _framed(article_id, doc, resolver, start, end, framing)
    lead = cues.lead_in(doc, start)
    if lead is not None:
        return _attributed(article_id, doc, resolver, start, end, lead, "direct")
    if previous is not None and _continues(text, previous, start):
        rule = Rule.parse(previous.resolution).continued()
        update = {"quote": text[start:end], "start": start, "end": end, "spans": None, "resolution": str(rule)}
        sure = confidence(rule, rule.calibrated_as(previous.kind), previous.speaker)
        return previous.model_copy(update={**update, "confidence": sure})
    return None


def _opens_sentence(doc: Doc, start: int, cue: Token) -> bool:
    """A short quotation that opens its sentence with its cue after it (“Absolutely,” he said) is a quotation,
    not a phrase in quotation marks."""
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    if first is None or cue.idx < start:
        return False
    sentence = first[0].sent
    return all(t.is_punct or t.is_space for t in doc[sentence.start : first[0].i])


def _framed(article_id: str, doc: Doc, resolver: SpeakerResolver, start: int, end: int, verb: Token) -> Quote | None:
    """A quoted fragment a verb frames as someone's words: the verb's words after it, to the fragment's end, are
    the (mixed) quote ("called half of Donald Trump's supporters “deplorables.”")."""
    f_start = min(start, cues.after(verb))
    f_end = max(end, max(t.idx + len(t.text) for t in verb.subtree if t.dep_ != "punct"))
    return _attributed(article_id, doc, resolver, f_start, f_end, verb, "mixed")


def _attributed(
    article_id: str, doc: Doc, resolver: SpeakerResolver, start: int, end: int, cue: Token, kind: Kind
) -> Quote | None:
    mention = cues.speaker_span(doc, cue, start, end)
    if mention is None:
        return None
    return _quote(article_id, doc, resolver, [(start, end)], mention, cue.text, kind, cue.sent, cue)


def _quote(
    article_id: str,
    doc: Doc,
    resolver: SpeakerResolver,
    pieces: list[tuple[int, int]],
    mention: Span,
    cue: str,
    kind: Kind,
    sentence: Span | None = None,
    cue_token: Token | None = None,
) -> Quote:
    """A quote of `doc.text[start:end]` by the speaker `mention` resolves to, as sure as the rule that resolved
    it; an outlet as subject only reports."""
    resolved = resolver.resolve(mention, cue_token)
    start, end = pieces[0][0], pieces[-1][1]
    words = PIECE_JOINER.join(resolver.text[s:e] for s, e in pieces)
    context = _context(resolver, mention, sentence, cue_token, words, (start, end), kind)
    rule = Rule.parse(resolved.rule).flagged(*context) if resolved.name else Rule.parse(resolved.rule)
    reported_by = None
    if resolved.name and _OUTLET.search(resolved.name) and mention.root.pos_ == "PROPN":
        reported_by = resolved.name
    if resolved.name:
        resolver.note_speaker(mention.start_char, resolved.name)
    return Quote(
        article_id=article_id,
        quote=words,
        kind=kind,
        cue=cue,
        speaker=resolved.name,
        speaker_mention=mention.text,
        role=resolved.role,
        start=start,
        end=end,
        spans=pieces if len(pieces) > 1 else None,
        speaker_start=mention.start_char,
        speaker_end=mention.end_char,
        reported_by=reported_by or (_according_outlet(sentence) if sentence else None),
        resolution=str(rule),
        confidence=confidence(rule, kind, resolved.name),
    )


def _context(
    resolver: SpeakerResolver,
    mention: Span,
    sentence: Span | None,
    cue: Token | None,
    words: str,
    quoted: tuple[int, int],
    kind: Kind,
) -> tuple[str, ...]:
    """What around an attribution makes it more or less sure, as flags of its rule: "beside" when the speaker
    is written right beside a direct or mixed quote (“…,” Sanders said); "question" when it reports a
    question asked ("asked whether …", "wondered what …"), not a statement; "others" when the cue's sentence
    names another person outside the quoted words, unless the speaker is written right beside a direct quote
    (“…,” Sanders said of Clinton); "outlet" when the cue speaks to or through an outlet or organisation ("told
    CNN", "in an interview with Fox"); "framed" when the cue is no verb of saying or framing at all ("admires Putin
    as a “strong leader”"), whose quoted words may be another's."""
    first = words.split(maxsplit=1)[0].lower() if words.strip() else ""
    asked = cue is not None and cue.lemma_.lower() in ASKING
    beside = min(abs(mention.start_char - quoted[1]), abs(quoted[0] - mention.end_char)) <= BESIDE
    flags = ["beside"] if kind != "indirect" and beside else []
    flags += ["framed"] if cue is not None and cues.loosely_framed(cue) else []
    flags += ["question"] if asked or first in INDIRECT_QUESTION else []
    if sentence is not None and not (kind == "direct" and beside):
        others = [
            e for e in resolver.ents_in(sentence) if e.label_ == "PERSON" and not quoted[0] <= e.start_char < quoted[1]
        ]
        if any(e.end <= mention.start or e.start >= mention.end for e in others):
            flags.append("others")
    if cue is not None:
        for child in cue.children:
            if child.dep_ in ("dative", "dobj", "prep", "agent") and child.i not in range(mention.start, mention.end):
                target = resolver.doc[child.left_edge.i : child.right_edge.i + 1]
                if _OUTLET.search(target.text) or any(e.label_ == "ORG" for e in resolver.ents_in(target)):
                    flags.append("outlet")
                    break
    return tuple(flags)


def _split_around_cue(text: str, previous: Quote, quote: Quote) -> bool:
    """Two direct quotations of one attribution in one paragraph (`“…,” he said. “…”`): one quote in pieces."""
    return (
        previous.kind == quote.kind == "direct"
        and previous.speaker_start == quote.speaker_start
        and "\n" not in text[previous.end : quote.start]
    )


def _joined(text: str, previous: Quote, quote: Quote) -> Quote:
    """`previous` with `quote` as one more piece; its confidence stays that of the attribution's own cue."""
    spans = [*previous.pieces(), (quote.start, quote.end)]
    return previous.model_copy(
        update={"spans": spans, "end": quote.end, "quote": PIECE_JOINER.join(text[s:e] for s, e in spans)}
    )


def _continues(text: str, previous: Quote, start: int) -> bool:
    """A quotation with no cue that follows an attributed one in the same or the next paragraph."""
    between = text[previous.end : start]
    return between.count("\n") <= 1 and len(between) < 300


def _according_outlet(sent: Span) -> str | None:
    for token in sent:
        if token.lower_ == "according":
            target = cues.according_target(token)
            if target is not None and _OUTLET.search(target.text):
                return display_name(target.text)
    return None


def _according_to(article_id: str, doc: Doc, resolver: SpeakerResolver, covered: list[tuple[int, int]]) -> list[Quote]:
    """ "According to X, CLAUSE": X said CLAUSE, unless X is a news outlet (then it only reported it)."""
    quotes = []
    for token in doc:
        if token.lower_ != "according":
            continue
        target = cues.according_target(token)
        if target is None or _OUTLET.search(target.text):
            continue
        sent = token.sent
        phrase_start, phrase_end = token.idx, target.end_char
        rest = [t for t in sent if (t.idx < phrase_start or t.idx >= phrase_end) and not t.is_space]
        while rest and rest[-1].is_punct:
            rest.pop()
        while rest and rest[0].is_punct:
            rest.pop(0)
        if len(rest) < 4:
            continue
        start, end = rest[0].idx, rest[-1].idx + len(rest[-1].text)
        if start < phrase_start < end:
            continue
        if any(s < end and start < e for s, e in covered):
            continue
        kind: Kind = "mixed" if marks.QUOTED.search(resolver.text[start:end]) else "indirect"
        quotes.append(_quote(article_id, doc, resolver, [(start, end)], target, "according to", kind))
        covered.append((start, end))
    return quotes

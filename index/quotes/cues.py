"""Reading the parse around a quote: its cue (the speech verb), the cue's subject (the speaker as written), a
lead-in or a framing verb, and the clause a verb governs. Where quotation marks open and close: marks.py."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from index.text.lexicon import (
    FRAMING_VERBS,
    PLURAL_AGREEING,
    QUOTING_VERBS,
    SINGULAR_SUBJECTS,
    SPEECH_VERBS,
    UNREALISED,
)
from index.text.marks import CLOSING_MARKS, OPENING_MARKS, in_quotes

SPEAKER_ENTS = frozenset({"PERSON", "ORG"})


def holder(cue: Token, start: int) -> Token | None:
    """The cue's complement or object whose words hold a quoted fragment: the fragment is part of a paraphrase."""
    for child in cue.children:
        if child.dep_ in ("nsubj", "nsubjpass", "punct", "aux", "neg", "advmod", "cc"):
            continue
        if child.left_edge.idx <= start < child.right_edge.idx + len(child.right_edge.text):
            return child
    return None


def object_before(cue: Token, holder: Token) -> bool:
    """The cue's object comes before the phrase holding the quotation, and the quotation says something of it:
    "called Wells Fargo's behavior “outrageous”", "described Hillary Clinton as a “disgrace”"."""
    predicate = holder.dep_ == "oprd" or (holder.dep_ == "prep" and holder.lower_ == "as")
    return predicate and any(c.dep_ == "dobj" and cue.i < c.i < holder.i for c in cue.children)


def framing_verb(doc: Doc, start: int, end: int) -> Token | None:
    """The verb with a subject that governs a quoted fragment: a verb that frames words as someone's ("likened
    them to a “vicious snake”"), or any verb whose subject is a person ("Trump openly admires Putin as a “strong
    leader”"; see `loosely_framed`)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    token = span.root.head
    for _ in range(4):
        found = subject(token) if token.pos_ in ("VERB", "AUX") else None
        if found is not None and (token.lemma_.lower() in FRAMING_VERBS or found.ent_type_ == "PERSON"):
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def loosely_framed(verb: Token) -> bool:
    """A quoted fragment in the clause of a verb that does not frame words as anyone's: often the subject's words,
    sometimes another's ("his first videos show a “starkly different person”")."""
    return verb.lemma_.lower() not in FRAMING_VERBS | QUOTING_VERBS and not as_put(verb)


def after(verb: Token) -> int:
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else verb
    return nxt.idx


def lead_in(doc: Doc, start: int) -> Token | None:
    """A cue in the sentence just before the quotation: "Schiff said." or "Limbaugh continued:"."""
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    if first is None or first[0].sent.start == 0:
        return None
    prev = doc[first[0].sent.start - 1].sent
    if prev.text.count("\n") > 2:
        return None
    cues = [
        t
        for t in prev
        if (t.lemma_.lower() in SPEECH_VERBS or quoting(t)) and subject(t) is not None and complement(t) is None
    ]
    ends_open = prev.text.rstrip().endswith(":")
    if cues and (ends_open or cues[-1].i >= prev.end - 3):
        return cues[-1]
    return None


CUE_OPENS_WITHIN = 7
"""Words into the sentence after a quotation its cue may stand ("“…!” he tweeted during the first half."), when
that cue reports nothing else."""


def cue_for(doc: Doc, start: int, end: int) -> Token | None:
    """The speech verb outside the quote, in the sentences it touches or at the opening of the one right after it
    ("“…?” Vitter demanded."), with a speaker outside the quotation; nearest first. "Limbaugh continued:" is a cue
    too."""
    first = doc.char_span(start, end, alignment_mode="expand")
    if first is None:
        return None
    tokens = list(doc[first[0].sent.start : first[-1].sent.end])
    following = first[-1].sent.end
    gap = doc.text[end : doc[following].idx] if following < len(doc) else "\n"
    if len(gap) <= 3 and "\n" not in gap:
        opening = [t for t in doc[following].sent if not t.is_space][:CUE_OPENS_WITHIN]
        tokens += [t for t in opening if complement(t) is None and _opens_with(t, following)]
    own = own_clause(first[0], start, end)
    candidates = []
    for token in tokens:
        if token.idx >= start and token.idx < end:
            continue
        said = speech(token) or quoting(token) or as_put(token)
        said = said and token.pos_ in ("VERB", "AUX") and (governs(token, own, start, end) or introduces(token, start))
        if said and speaker_span(doc, token, start, end) is not None:
            distance = start - token.idx if token.idx < start else token.idx - end
            candidates.append((distance, token.i, token))
    return min(candidates)[2] if candidates else None


def introduces(cue: Token, start: int) -> bool:
    """The quotation opens right after the cue and whom it speaks to, behind a comma or colon ("telling reporters,
    “…”", "he declares, ''…''"), whatever the parse made of the quotation's own clause."""
    doc = cue.doc
    opened = doc.char_span(start, start + 1, alignment_mode="expand")
    if opened is None or opened[0].i <= cue.i:
        return False
    addressed = {t.i for c in cue.children if c.dep_ in ("dobj", "dative", "prt") for t in c.subtree}
    between = doc[cue.i + 1 : opened[0].i]
    marks = [t for t in between if t.i not in addressed]
    return bool(marks) and all(t.is_punct or t.is_space for t in marks) and any(t.text in (",", ":") for t in marks)


def _opens_with(cue: Token, sentence_start: int) -> bool:
    """The sentence opens with the cue and its subject, nothing else before the cue ("he tweeted …", "wrote a man
    calling himself …")."""
    found = subject(cue)
    before = [t for t in cue.doc[sentence_start : cue.i] if not (t.is_punct or t.is_space)]
    return not before or (found is not None and all(found.left_edge.i <= t.i <= found.i for t in before))


CONTENT = frozenset({"ccomp", "xcomp", "dobj", "prep", "pcomp", "pobj", "parataxis"})
"""How a cue's reported words hang from it: a complement or object, not a circumstance ("as Trump went on about
“…”, Melanie said yes") nor its subject ("Trump, who has called her “crooked,” said …")."""


def own_clause(first: Token, start: int, end: int) -> Token | None:
    """The nearest verb above a quotation's first word, outside it, with a subject outside it: whoever's words
    the quotation stands in."""
    token = first
    while token.head.i != token.i:
        token = token.head
        outside = not start <= token.idx < end
        if outside and token.pos_ in ("VERB", "AUX") and subject(token, start, end) is not None:
            return token
    return None


def governs(cue: Token, own: Token | None, start: int, end: int) -> bool:
    """The quotation is the cue's to report: it stands in no other subject's clause of the cue's sentence, or that
    clause is what the cue reports (“Trump said he would build a “big, beautiful wall””)."""
    if own is None or own == cue or own.sent != cue.sent:
        return True
    token = own
    while token.head.i != token.i and token.head != cue:
        token = token.head
    return token.head == cue and token.dep_ in CONTENT


def quoting(token: Token) -> bool:
    """A verb that attributes the quotation beside it without saying anything of its own: "he continued", "the
    email read", "Limbaugh continued:", not "the war continued to rage" nor "she read the letter"."""
    if token.lemma_.lower() not in QUOTING_VERBS:
        return False
    return not any(c.dep_ in ("dobj", "xcomp", "ccomp", "attr", "acomp") and not in_quotes(c) for c in token.children)


def as_put(verb: Token) -> bool:
    """ "as X put it": a cue for the words around it ("As Ms. Simonyan put it in a statement, RT is ''…''")."""
    return (
        verb.lemma_.lower() == "put"
        and any(c.dep_ == "nsubj" for c in verb.children)
        and any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children)
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    )


def parenthetical(cue: Token) -> list[tuple[int, int]] | None:
    """The words a speech verb set off by commas reports, in pieces around it ("A comic tone, she said, would make
    …" -> "A comic tone", "would make …"; "Trump is a bully, he said." -> "Trump is a bully"): a cue with a subject
    and nothing it says of its own, hanging beside the clause it reports."""
    head, put = cue.head, as_put(cue)
    if not (cue.dep_ == "parataxis" or (cue.dep_ == "advcl" and put)):
        return None
    if head.pos_ not in ("VERB", "AUX") or subject(cue) is None:
        return None
    if not put and any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in cue.children):
        return None
    aside = range(cue.left_edge.i, cue.right_edge.i + 1)
    runs: list[list[Token]] = [[]]
    for token in head.subtree:
        if token.i in aside or (runs[-1] and token.i != runs[-1][-1].i + 1):
            runs.append([])
        if token.i not in aside:
            runs[-1].append(token)
    pieces = [_trimmed(run) for run in runs]
    return [piece for piece in pieces if piece is not None] or None


def _trimmed(tokens: list[Token]) -> tuple[int, int] | None:
    """Where a run of words starts and ends, without punctuation or space at its edges (quotation marks kept)."""
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space) and tokens[-1].text not in CLOSING_MARKS:
        tokens = tokens[:-1]
    while tokens and (tokens[0].is_punct or tokens[0].is_space) and tokens[0].text not in OPENING_MARKS:
        tokens = tokens[1:]
    return (tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)) if tokens else None


def complement(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)


def speech(token: Token) -> bool:
    """A speech verb that reports something said, not what someone is expected or refused to say ("expects Obama
    to announce", "declined to say")."""
    if token.lemma_.lower() not in SPEECH_VERBS or token.pos_ not in ("VERB", "AUX"):
        return False
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children)
    return not ((token.dep_ == "xcomp" or infinitive) and token.head.lemma_.lower() in UNREALISED)


def subject(verb: Token, start: int = -1, end: int = -1) -> Token | None:
    """The verb's subject, never a word inside [start, end) nor in any other quotation (“… ,” Flynn, a top Trump
    surrogate, said … on Fox News’s “Fox and Friends.”); for a verb joined to another, the nearest subject up the
    clauses that agrees with it in number ("strategists fear that Clinton has missed … and warn that …": "warn"
    is joined to "missed", but its subject is "strategists")."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and not start <= child.idx < end and not in_quotes(child):
            return child
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head  # "footage of Hillary Clinton asking, “…”", "voters saying …"
    if verb.dep_ not in ("conj", "advcl"):
        return None
    head = verb.head
    for _ in range(3):
        if head.pos_ not in ("VERB", "AUX"):
            return None
        found = (c for c in head.children if c.dep_ == "nsubj" and not start <= c.idx < end)
        borrowed = next((c for c in found if not in_quotes(c)), None)
        if borrowed is None or _agrees(verb, borrowed):
            return borrowed
        if head.dep_ not in ("ccomp", "conj") or head.head.i == head.i:
            return None
        head = head.head
    return None


def _agrees(verb: Token, subject: Token) -> bool:
    """A present-tense verb and a subject do not disagree in number ("warn" is not Clinton's). A bare verb joined
    to one that no modal or "to" governs ("has missed … and warn") is read as present tense."""
    plural = subject.tag_ in ("NNS", "NNPS") or subject.lower_ in PLURAL_AGREEING
    plural = plural or any(c.dep_ == "conj" for c in subject.children)
    head = verb.head
    licensed = head.tag_ in ("VB", "VBP") or any(c.dep_ == "aux" and c.tag_ in ("MD", "TO") for c in head.children)
    if verb.tag_ == "VBP" or (verb.tag_ == "VB" and not licensed):
        return plural or (subject.lower_ not in SINGULAR_SUBJECTS and subject.tag_ not in ("NN", "NNP"))
    if verb.tag_ == "VBZ":
        return not plural
    return True


def speaker_span(doc: Doc, verb: Token, start: int = -1, end: int = -1) -> Span | None:
    """The speaker as written for a cue and its quotation [start, end): the agent or subject outside the
    quotation, else a name written next to the cue that the parse did not make its subject."""
    found = agent(verb) or subject(verb, start, end)
    if found is not None:
        return mention(doc, found)
    return beside(doc, verb, start, end)


def beside(doc: Doc, verb: Token, start: int, end: int) -> Span | None:
    """A name between the closing mark and the cue (“…,” Tulsa police Chief Chuck Jordan said) or right after the
    cue (“…,” said Leslie Wimes, a …), never inside the quotation or reported clause [start, end)."""
    if end >= 0 and verb.idx >= end:
        between = [t for t in doc[max(0, verb.i - 12) : verb.i] if t.idx >= end and not t.is_space]
        words = [t for t in between if not t.is_punct]
        first = next((e for e in doc.ents if words and e.start == words[0].i and e.label_ == "PERSON"), None)
        if first is not None and doc[first.end].text == "," and between[-1].text == ",":
            return first  # “…,” Flynn, a top Trump surrogate, said
        between = words
        named = any(t.ent_type_ in SPEAKER_ENTS for t in between)
        if between and named and between[-1].pos_ == "PROPN" and between[-1].i == verb.i - 1:
            last = doc[verb.i - 1]
            person = next((e for e in doc.ents if e.start <= last.i < e.end and e.label_ == "PERSON"), None)
            return person if person is not None else doc[between[0].i : verb.i]
    names = []
    for token in doc[verb.i + 1 : verb.i + 6]:
        if token.pos_ != "PROPN" or token.ent_type_ not in SPEAKER_ENTS or start <= token.idx < end:
            break
        names.append(token)
    return doc[names[0].i : names[-1].i + 1] if names else None


def mention(doc: Doc, subject: Token) -> Span:
    """The subject as written, without trailing relative clauses or appositive commas."""
    start, end = subject.left_edge.i, subject.i + 1
    for token in doc[subject.i + 1 : subject.right_edge.i + 1]:
        if token.dep_ in ("compound", "flat") or (token.pos_ == "PROPN" and token.head.i in range(start, end + 1)):
            end = token.i + 1
        else:
            break
    return doc[start:end]


def clause_span(doc: Doc, head: Token) -> tuple[int, int]:
    tokens = [t for t in head.subtree if not (t.dep_ == "mark" and t.i == head.left_edge.i)]
    return _trimmed(tokens) or (head.idx, head.idx)


def according_target(token: Token) -> Span | None:
    to = next((c for c in token.children if c.lower_ == "to"), None)
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if pobj is None:
        return None
    return pobj.doc[pobj.left_edge.i : pobj.right_edge.i + 1]


def agent(verb: Token) -> Token | None:
    """The agent of a passive cue ("it was announced by the ministry" -> "ministry"), else None."""
    by = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None

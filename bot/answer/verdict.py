"""Whether a speaker's words say what a question claims they said, or the opposite: pure code over words.

"Did Putin say Zelensky's government is legitimate?" against “Zelensky's government is illegitimate”: the words the
two share are the claim's topic; a negation on its predicate in one and not the other (from the parse), an
antonym by prefix ("legitimate" / "illegitimate"), or a contrary predicate ("carry on" / "cease"), makes the quote
say the opposite."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from bot.answer.shapes import Parse
from index.text.lexicon import CONTRARIES
from index.text.terms import WRITTEN

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

NEGATORS = frozenset({"not", "no", "never", "neither", "nor", "without", "cannot", "n't", "nothing", "none"})
ANTONYM_PREFIXES = ("il", "un", "in", "im", "ir", "non", "dis", "non-")
Verdict = Literal["yes", "opposite", "unclear"]
CLAUSES = frozenset({"ROOT", "advcl", "ccomp", "xcomp", "relcl", "acl", "parataxis", "csubj", "conj"})


def tokens(text: str) -> list[str]:
    """The words of a text as written, lower-cased, "n't" apart."""
    return [t.lower() for t in WRITTEN.findall(text.replace("’", "'"))]


def antonym(a: str, b: str) -> bool:
    """One word is the other with a negating prefix: "legitimate" / "illegitimate", "fair" / "unfair"."""
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return len(shorter) >= 4 and any(longer == p + shorter for p in ANTONYM_PREFIXES)


def verdict(claim: str, quote: str, parse: Parse) -> Verdict:
    """Whether a statement about a claim says it ("yes"), says the opposite, or says something else of it
    ("unclear"): an antonym of one of its words ("legitimate" / "illegitimate") is the opposite; else the claim's
    predicate (its main verb, or what that verb links or takes: "was on the … *call*", "is a *rule*") is looked for
    in the quote, and a negation in the clause that holds it in one and not the other, read from spaCy's
    dependencies wherever it stands, is the opposite: "I was *not* on the July 25 call" against "he was on the
    July 25 phone call"; "while certainly a very important rule, is *not* the behemoth" still says it is an
    important rule. A predicate the quote does not hold ("the fighting would *continue*" against "… and then the
    fighting will cease") is unclear, never a "yes"."""
    claim_words, quote_words = tokens(claim), tokens(quote)
    if any(antonym(c, q) for c in claim_words for q in quote_words if len(c) > 3 and len(q) > 3):
        return "opposite"
    said = parse(quote, entities=False)
    predicates = predicate_words(parse(claim, entities=False))
    for word in predicates:
        if not any(lemma(t) == lemma(word) for t in said):
            against = [t for t in said if _kind(t) == _kind(word) and contrary(lemma(word), lemma(t))]
            if against:
                return "opposite" if negated(word) == negated(against[0]) else "unclear"
    for word in predicates:
        held = [t for t in said if lemma(t) == lemma(word)]
        if held:
            return "opposite" if negated(word) != negated(held[0]) else "yes"
    return "unclear"


def lemma(token: Token) -> str:
    """A word's lemma, lower-cased, with its verb particle joined by "_" ("carry_on")."""
    particle = [c.lower_ for c in token.children if c.dep_ == "prt"]
    return "_".join([token.lemma_.lower(), *particle[:1]])


def _kind(token: Token) -> str:
    """A predicate's kind: what is said of a thing (a verb or an adjective, "rose" / "higher") or a thing."""
    return "noun" if token.pos_ in ("NOUN", "PROPN") else "said" if token.pos_ in ("VERB", "AUX", "ADJ") else "other"


def contrary(a: str, b: str) -> bool:
    """Two lemmas of contrary meaning ("rise" / "fall"), from the one list (`index.text.lexicon.CONTRARIES`)."""
    return any((a in one and b in other) or (b in one and a in other) for one, other in CONTRARIES)


def opposite(claim: str, quote: str, parse: Parse) -> bool:
    return verdict(claim, quote, parse) == "opposite"


def predicate_words(doc: Doc) -> list[Token]:
    """What the claim's main clause says of its subject: for its verb and each verb joined to it ("has held real jobs
    and *accomplished* a great deal"), what it links or takes (a complement, an object, the object of its
    preposition), then the verb itself unless it is a bare "be"/"have"."""
    root = next(iter(doc.sents)).root
    found: list[Token] = []
    for verb in [root, *(c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))]:
        taken = [c for c in verb.children if c.dep_ in ("attr", "acomp", "dobj", "oprd", "xcomp", "ccomp")]
        taken += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        found += [*taken, *([] if verb.lemma_ in ("be", "have") and taken else [verb])]
    return [t for t in found if t.pos_ in ("NOUN", "ADJ", "VERB", "PROPN", "NUM", "AUX")]


def negated(token: Token) -> bool:
    """A negation in the clause of `token`: on it ("no rule"), or on the words between it and the head of its
    clause ("was *not* on the … call"), not beyond: a concessive or reported clause keeps its own polarity. A verb's
    open complement is in its clause: "we are *not* going to pay" does not pay, nor does "won't be able to pay"."""
    count = 0
    while True:
        count += sum(_negation(c) for c in token.children)
        opened = token.dep_ == "xcomp" and token.head is not token
        if not opened and (token.pos_ in ("VERB", "AUX") or token.dep_ in CLAUSES or token.head is token):
            return count % 2 == 1
        token = token.head


def _negation(token: Token) -> bool:
    """A word that negates its head: "not", "never", "no" (as a determiner); not the "or not" of "whether or not"."""
    if token.i > 0 and token.nbor(-1).lower_ == "or":
        return False
    return token.dep_ == "neg" or (token.lower_ in NEGATORS and token.dep_ in ("det", "advmod"))

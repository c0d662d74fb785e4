"""Every word list whosaid reasons with, once: speech verbs (with their forms), stop words, titles and honorifics.
Modules that need a narrower list take a named subset of these, never a copy."""

from __future__ import annotations

SPEECH_VERBS = frozenset(
    """say tell add claim note argue warn insist confirm reveal emphasize emphasise reiterate dismiss state
    explain announce declare write report suggest acknowledge admit deny stress predict promise vow ask answer
    reply respond describe accuse urge recall contend assert maintain concede complain caution estimate
    counter observe remark mention testify threaten pledge tweet post call believe think allege conclude
    charge demand hint indicate joke lament muse order protest question quip reason recount scoff signal
    speculate wonder agree disagree boast brag concur sing chant quote cite""".split()
)
"""Lemmas of the verbs that attribute speech (cues): "said", "told reporters", "tweeted"."""

FRAMING_VERBS = SPEECH_VERBS | frozenset(
    """liken label rate term dub brand blame criticize criticise praise decry slam denounce condemn mock defend
    attack refer characterize characterise compare reference bemoan lambast blast hail applaud welcome reject
    lash fault""".split()
)
"""Verbs that frame a quoted fragment as someone's words: "likened them to a “vicious snake”"."""

QUESTION_VERBS = frozenset(
    """say claim state argue warn tell insist add note announce call describe promise predict reveal suggest
    confirm think believe mention admit deny threaten emphasize reiterate dismiss""".split()
)
"""The speech verbs a who-said question is recognised by ("Who warned that ...?")."""

_IRREGULAR = {
    "say": ("says", "said"),
    "tell": ("tells", "told"),
    "think": ("thinks", "thought"),
    "write": ("writes", "wrote"),
    "sing": ("sings", "sang"),
    "admit": ("admits", "admitted"),
    "quip": ("quips", "quipped"),
    "concur": ("concurs", "concurred"),
    "refer": ("refers", "referred"),
}


def verb_forms(lemma: str) -> tuple[str, str, str]:
    """The lemma, its third person singular and its past tense: ("deny", "denies", "denied")."""
    if lemma in _IRREGULAR:
        return (lemma, *_IRREGULAR[lemma])
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma, lemma[:-1] + "ies", lemma[:-1] + "ied"
    third = lemma + "es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else lemma + "s"
    return lemma, third, lemma + ("d" if lemma.endswith("e") else "ed")


STOPWORDS = frozenset(
    """a an the of in on at to for from by with about as into over after before than then and or but not no
    is are was were be been being do does did done has have had having will would shall should can could
    may might must this that these those it its it's he she they them his her their we our you your i me
    my who whom whose what which when where why how whats much many also there here if so such any some
    said say says tell told according""".split()
)
"""Words that carry no topic: left out of BM25 and of the word overlap between a question and a sentence."""

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "rev"})
"""Words before a name that are not part of it and give no role ("Mr. Putin")."""

TITLES = HONORIFICS | frozenset(
    """sen rep gov gen president mayor minister senator governor chancellor judge justice secretary chairman
    chairwoman ceo""".split()
)
"""Words before a name that are a title, dropped from the name ("Mayor Helena Marsh" -> "Helena Marsh")."""

ARTICLES = frozenset({"the", "a", "an"})

PRONOUNS = frozenset({"he", "she", "they", "i", "we", "him", "her", "them"})
"""Pronouns that stand for a speaker ("he said")."""

QUESTION_WORDS = frozenset(
    """who whom whose what which when where why how did does do is are was were has have had can could will would
    should according in on at of for the a an and but or if i tell list name give""".split()
)
"""Capitalised words of a question that are not names ("Who", "Did", "According")."""

NAME_CONNECTORS = frozenset({"of", "the", "and", "for", "de", "du", "von", "van"})
"""Lower-case words inside a name ("Bank of England"), skipped when initialisms are formed."""

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep rev hon pres vs etc inc ltd
    co corp fig approx dept est univ jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g
    i.e a.m p.m""".split()
)
"""Words a full stop follows without ending the sentence."""

OUTLET_WORDS = (
    "Associated Press",
    *"""Times Post Independent News Reuters AP AFP Bloomberg CNN BBC Guardian Journal Ledger Courier Gazette Herald
    Tribune Agency Interfax TASS Telegraph Observer Politico Axios Daily Weekly Magazine Radio Television TV Press
    Wire Chronicle Economist Sun Mirror Express Review Newsweek""".split(),
)
"""Words that mark a name as a news outlet's (which reports what others said), matched case-sensitively."""

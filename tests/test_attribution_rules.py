"""Who a quote is attributed to, on real sentences of the PolNeAR articles (read in place from shared/): the
rules of speaker resolution that must hold, the confidence each attribution carries, and how the quotations
themselves are found and cut."""

from __future__ import annotations

import pytest

from index.models import Quote
from index.quotes.confidence import UNCHECKED, Calibration, answer_threshold, confidence, fit_threshold
from index.quotes.mentions import plausible
from index.quotes.rules import Rule
from index.quotes.source import ArticleText
from index.text.lexicon import FEMALE_NAMES, MALE_NAMES
from tests.conftest import polnear_quotes, quotes_holding
from tests.fakes import extractor

CASES = {
    "nested": "nyt_2016-07-15_latest-poll-has-trump-pulling-ev",
    "voters_who": "nyt_2016-04-21_crucial-wins-for-clinton-and-tru",
    "possessive": "wash-post_2016-05-19_sanders-s-supporters-not-giving-",
    "passive": "breitbart_2015-12-16_newspaper-defense-secretary-used",
    "dateline": "huff-post_2015-11-15_bernie-sanders-it-is-not-a-radic",
    "appositive": "huff-post_2016-08-23_donald-trump-jacked-up-his-campa",
    "inverted": "west-journal_2016-09-28_clinton-campaign-reportedly-scra",
    "before_cue": "huff-post_2016-09-20_hillary-clinton-speaks-directly-",
    "continued": "west-journal_2016-09-26_rush-limbaugh-hillary-asking-mod",
    "next_sentence": "huff-post_2016-09-20_elizabeth-warren-hammers-wells-f",
    "noun_surname": "politico_2016-09-16_sanders-clinton-needs-to-get-awa",
    "main_clause": "breitbart_2016-01-05_the-latest-cruz-to-give-away-eng",
    "honorific": "nyt_2016-03-09_clinton-tries-to-reframe-revolut",
    "reported_subject": "west-journal_2015-11-21_after-trump-heard-what-his-fox-n",
    "circumstance": "breitbart_2016-10-02_washington-post-hit-piece-exploi",
    "quoted_title": "politico_2016-09-08_flynn-says-trump-absolutely-righ",
    "unrealised": "politico_2015-12-06_clinton-time-for-intensification",
    "agreement": "wash-post_2016-09-04_clinton-s-standing-among-latinos",
    "namesakes": "wash-post_2016-01-20_fiorina-pushed-ahead-and-paid-a-",
    "continued_cue": "breitbart_2016-06-05_elizabeth-warren-donald-trump-is",
    "mixed_marks": "politico_2015-11-29_hillary-clinton-s-pothole-politi",
    "parenthetical": "huff-post_2016-06-17_trump-s-supporters-may-be-the-re",
    "doubled_marks": "nyt_2016-02-01_with-wall-st-center-stage-novel-",
    "short_opening": "nyt_2016-03-21_factory-workers-feel-sting-of-gl",
    "one_clause": "wash-post_2016-02-12_cruz-reboots-his-attacks-on-trum",
    "cue_after": "breitbart_2016-05-18_trump-s-investments-include-comp",
    "as_put": "huff-post_2016-01-12_tuesday-s-morning-email-presiden",
    "introduced": "huff-post_2016-08-05_donald-trump-finally-endorses-ho",
    "loosely_framed": "wash-post_2016-02-21_oregon-occupier-uses-st-amendmen",
    "after_named": "breitbart_2016-02-08_lynch-no-outside-influence-on-fb",
    "after_role": "wash-post_2016-02-09_barbs-and-pleas-before-n-h-vote",
}


@pytest.fixture(scope="module")
def polnear() -> dict[str, tuple[str, list[Quote]]]:
    return polnear_quotes(set(CASES.values()))


def holding(found: dict, case: str, fragment: str) -> list[Quote]:
    return quotes_holding(found, CASES[case], fragment)


def test_reported_speech_inside_a_direct_quote_is_the_quotes_speaker(polnear):
    [quote] = holding(polnear, "nested", "completely truthful with this whole thing")
    assert quote.speaker == "Cecelia Purner" and quote.kind == "direct"
    assert quote.quote.startswith("I just don't think she's been")


def test_voters_who_said_stay_a_group(polnear):
    for quote in holding(polnear, "voters_who", "Wall Street helps the economy"):
        assert quote.speaker is None or "Clinton" not in quote.speaker


def test_the_possessor_of_supporters_is_not_the_speaker(polnear):
    quotes = holding(polnear, "possessive", "the primary has been rigged")
    assert quotes and all(q.speaker is None for q in quotes)
    assert quotes[0].confidence == 0.0


def test_an_agentless_passive_names_nobody(polnear):
    assert all(q.speaker is None for q in holding(polnear, "passive", "she had used a personal email account"))


def test_a_dateline_is_never_a_speaker(polnear):
    _, quotes = polnear[CASES["dateline"]]
    assert all(q.speaker_mention != "WASHINGTON" and q.speaker != "WASHINGTON" for q in quotes)


def test_an_appositive_names_the_speaker(polnear):
    [quote] = holding(polnear, "appositive", "the increased office space was needed")
    assert quote.speaker == "Steven Cheung"


def test_he_is_never_a_womans_name_nor_she_a_mans(polnear):
    for _, quotes in polnear.values():
        for q in quotes:
            first = (q.speaker or "").split()[0].lower() if q.speaker else ""
            if (q.speaker_mention or "").lower() == "he":
                assert first not in FEMALE_NAMES, q
            if (q.speaker_mention or "").lower() == "she":
                assert first not in MALE_NAMES, q


def test_every_named_attribution_carries_a_confidence(polnear):
    for _, quotes in polnear.values():
        for q in quotes:
            assert q.confidence is not None and 0.0 <= q.confidence <= 1.0
            assert (q.confidence > 0) == (q.speaker is not None) and q.resolution


def test_confidence_is_the_rule_s_share_right_shrunk_towards_its_family():
    fitted = Calibration(
        split="t",
        counts={
            "*/direct": (900, 100),
            "surname/direct": (490, 10),
            "surname+beside/direct": (0, 0),
            "pronoun/mixed": (60, 40),
        },
        answer_threshold=0.9,
    )
    family = (490 + 5 * (900 + 5 * 0.5) / 1005) / 505
    assert confidence(Rule.parse("surname"), "direct", "X", fitted) == pytest.approx(family, abs=1e-3)
    # never seen itself: as sure as its family
    assert confidence(Rule.parse("continued-surname+beside+others"), "direct", "X", fitted) == pytest.approx(
        family, abs=1e-3
    )
    assert confidence(Rule.parse("pronoun"), "mixed", "X", fitted) == pytest.approx((60 + 5 * 0.5) / 105, abs=1e-3)
    assert confidence(Rule.parse("surname"), "direct", None, fitted) == 0.0


def test_a_few_wrong_attributions_of_a_rare_rule_pull_it_below_its_family():
    fitted = Calibration(split="t", counts={"*/direct": (900, 100), "odd-name/direct": (1, 4)}, answer_threshold=0.9)
    assert confidence(Rule.parse("odd-name"), "direct", "X", fitted) < confidence(
        Rule.parse("name"), "direct", "X", fitted
    )


def test_the_threshold_keeps_every_attribution_above_it_precise():
    levels = [(0.99, 500, 5), (0.95, 300, 15), (0.7, 100, 40)]
    assert fit_threshold(levels, 0.97) == 0.95
    assert fit_threshold(levels, 0.995) == 1.01


def test_words_inside_the_quotation_are_never_its_speaker(polnear):
    """“… Full panic mode,” said Leslie Wimes: spaCy makes "mode" a subject of "said" too."""
    [quote] = holding(polnear, "inverted", "Full panic mode")
    assert quote.speaker == "Leslie Wimes"
    [quote] = holding(polnear, "before_cue", "We will achieve justice in this case")
    assert quote.speaker == "Chuck Jordan"  # not "We", inside the quote; the parse gives "said" no subject


def test_the_subject_of_the_reported_clause_is_not_the_speaker(polnear):
    """Will believes Christie has been presented with …: spaCy reads "Will" as a modal; "Christie" is what is
    reported, never who reports it."""
    for quote in holding(polnear, "reported_subject", "Christie has\xa0been presented with an opportunity"):
        assert quote.speaker is None or "Christie" not in quote.speaker


def test_a_colon_after_continued_and_a_short_sentence_after_the_quote_are_cues(polnear):
    [quote] = holding(polnear, "continued", "putting all kinds of pressure on Lester")
    assert quote.speaker == "Rush Limbaugh"
    [quote] = holding(polnear, "next_sentence", "crystal clear proof that an entity")
    assert quote.speaker is not None and quote.speaker.endswith("Vitter")  # “…?” Vitter demanded.


def test_a_known_surname_tagged_as_a_common_noun_is_still_the_person(polnear):
    [quote] = holding(polnear, "noun_surname", "bringing the people who voted for me")
    assert quote.speaker == "Bernie Sanders"


def test_he_is_the_main_clause_subject_before_an_embedded_one(polnear):
    """Ryan said Obama has never respected … He says Obama “knows full well …”: "He" is Ryan."""
    [quote] = holding(polnear, "main_clause", "knows full well that the law already says")
    assert quote.speaker is not None and quote.speaker.endswith("Ryan")


def test_an_honorific_picks_the_namesake_of_that_gender(polnear):
    """ "Mrs. Clinton" is Hillary, "He" beside her in a comparison with Sanders is not."""
    [quote] = holding(polnear, "honorific", "single-payer health care system")
    assert quote.speaker is not None and quote.speaker.endswith("Sanders")


def test_a_quote_in_another_subject_s_clause_is_not_the_cue_s(polnear):
    """“as Trump went on about “how the system is rigged,” … Melanie said yes”: the words are Trump's, heard by
    Melanie; her "said" does not report them."""
    for quote in holding(polnear, "circumstance", "how the system is rigged"):
        assert quote.speaker != "Melanie"


def test_a_word_in_a_quoted_title_is_not_the_speaker(polnear):
    """“…,” Flynn, a top Trump surrogate, said Thursday morning on Fox News’s “Fox and Friends.”: spaCy makes
    "Fox" of the show's title the subject of "said"."""
    [quote] = holding(polnear, "quoted_title", "There's a severe disconnect between")
    assert quote.speaker is not None and quote.speaker.endswith("Flynn")


def test_what_someone_is_expected_to_announce_is_not_their_words(polnear):
    """ "she expects President Barack Obama to announce an “intensification”": Obama has said nothing yet."""
    for quote in holding(polnear, "unrealised", "intensification"):
        assert quote.speaker != "Barack Obama"


def test_a_joined_verb_takes_the_subject_it_agrees_with(polnear):
    """ "some Democratic strategists fear that Clinton has already missed … and warn that …": spaCy joins "warn" to
    "missed", whose subject is Clinton; "warn" is the strategists'."""
    for quote in holding(polnear, "agreement", "counting on Hispanic voters to turn out"):
        assert quote.speaker is None or "Clinton" not in quote.speaker


def test_a_surname_shared_by_namesakes_is_the_one_named_most(polnear):
    """An article about Carly Fiorina names her husband Frank once; "Fiorina said" after that is still Carly."""
    [quote] = holding(polnear, "namesakes", "The majority of our employees understand and support this merger")
    assert quote.speaker == "Carly Fiorina"


def test_he_continued_is_a_cue(polnear):
    """ "“Trump’s salespeople would focus on …,” she continued. “And then …”": one quotation in two pieces."""
    [quote] = holding(polnear, "continued_cue", "would focus on how much money people could come up with")
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", "Elizabeth Warren", "continued")
    assert quote.spans is not None and len(quote.spans) == 2


def test_a_curly_quotation_closed_with_a_straight_mark(polnear):
    """ "“Our roads and bridges are potholed and crumbling," she said. "Families …”": the marks do not pair as
    they should, yet "she said" is not inside the quotation."""
    text, _ = polnear[CASES["mixed_marks"]]
    [quote] = holding(polnear, "mixed_marks", "Our roads and bridges are potholed")
    assert quote.speaker == "Hillary Clinton" and quote.kind == "direct"
    assert all("she said" not in text[s:e] for s, e in quote.pieces())
    assert quote.verbatim_in(text)


def test_a_cue_set_off_by_commas_reports_the_words_around_it(polnear):
    """ "Trump, Sexton said, has created a “strange, reality-bending political correctness-free zone.”": one mixed
    quote in two pieces, without "Sexton said"."""
    text, _ = polnear[CASES["parenthetical"]]
    [quote] = holding(polnear, "parenthetical", "has created a “strange, reality-bending")
    assert (quote.kind, quote.speaker) == ("mixed", "Jared Sexton")
    start, end = quote.pieces()[0]
    assert text[start:end] == "Trump"
    assert "Sexton said" not in quote.quote and quote.verbatim_in(text)


def test_doubled_marks_make_a_reported_clause_mixed(polnear):
    """NYT texts quote with '': "A comic tone, she said, would make … ''widen the conversation.''"."""
    [quote] = holding(polnear, "doubled_marks", "would make the subject more accessible")
    assert quote.kind == "mixed" and quote.quote.endswith("''widen the conversation.''")


def test_a_short_quotation_opening_its_sentence_is_a_quotation(polnear):
    """ "''It's embarrassing,'' Mr. Rubel said. ''The stock didn't do well …''": two words, still his words."""
    [quote] = holding(polnear, "short_opening", "It's embarrassing")
    assert (quote.kind, quote.speaker) == ("direct", "Howard Rubel")
    assert quote.spans is not None and len(quote.spans) == 2


def test_two_fragments_of_one_clause_are_one_quote(polnear):
    """ "It stated that Trump is so rattled by Cruz's "surge in the polls" and victory in Iowa "that he …"": the
    clause is one mixed quote, not one per fragment."""
    assert len(holding(polnear, "one_clause", "Trump is so rattled by Cruz")) == 1


def test_a_cue_opening_the_next_sentence(polnear):
    """ "“Who do they think they are?” Trump said of Apple in February, when the company balked …": the question
    mark ends the sentence, the cue opens the next one."""
    [quote] = holding(polnear, "cue_after", "Who do they think they are?")
    assert (quote.kind, quote.speaker) == ("direct", "Donald Trump")


def test_as_someone_put_it(polnear):
    """ "As Vulture put it, “Hello, it’s the Biebs.”"."""
    [quote] = holding(polnear, "as_put", "Hello, it’s the Biebs.")
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", "Vulture", "put")


def test_a_quotation_right_after_its_cue_and_audience(polnear):
    """ "Ryan’s campaign shrugged off Trump’s comments, telling reporters, “Neither Speaker Ryan nor …”": spaCy
    hangs the quotation on "shrugged"; it opens right after "telling reporters,". The campaign is a group."""
    [quote] = holding(polnear, "introduced", "Neither Speaker Ryan nor anyone on his team")
    assert quote.cue == "telling" and quote.speaker_mention == "Ryan’s campaign" and quote.speaker is None


def test_a_fragment_framed_by_no_verb_of_saying_is_never_named_in_answers(polnear):
    """ "his first videos show a “starkly different person”": found, but such words are often another's."""
    [quote] = holding(polnear, "loosely_framed", "starkly different person")
    assert "+framed" in (quote.resolution or "")
    assert quote.confidence is not None and quote.confidence <= UNCHECKED
    assert not quote.trusted(answer_threshold())


def test_he_right_after_a_statement_its_speaker_made_by_name_is_sure(polnear):
    """ "FBI general counsel James Baker said the probe is “ongoing.” He said the FBI has not publicly commented
    …": reported speech by "he", but right after Baker's own, in the same paragraph."""
    [quote] = holding(polnear, "after_named", "the FBI has not publicly commented on the focus")
    assert quote.speaker == "James Baker" and quote.resolution == "pronoun-near+after"
    assert quote.confidence is not None and quote.confidence >= answer_threshold()


def test_he_after_a_statement_named_by_a_role_stays_unsure(polnear):
    """ "the senator said his campaign here was “closing really strong.” He noted that supporters had descended on
    New Hampshire …": the statement before names its speaker by a role, so "he" borrows no certainty from it."""
    [quote] = holding(polnear, "after_role", "supporters had descended on New Hampshire")
    assert "+after" not in (quote.resolution or "") and quote.confidence == UNCHECKED


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Marcelo Claure, SoftBank's chief operating officer, spoke to staff on Friday.\n"
            "“We will grow again, and we will do it together,” he said.",
            "Marcelo Claure",
        ),
        (
            "Prince Andrew gave an interview to the BBC on Saturday.\n"
            "“I have no recollection of ever meeting this lady,” he said.",
            "Prince Andrew",
        ),
    ],
)
def test_he_said_names_a_man_named_just_before_by_his_first_name_or_title(text: str, speaker: str):
    """Web news names people from everywhere: "Marcelo", "Prince" say "he" as "Kevin" and "Mr." do, so the quote
    is named with a pronoun rule of known gender (sure), not "pronoun-unknown" (below the answer threshold)."""
    [quote] = extractor().extract_many([ArticleText("a", text)])[0]
    assert quote.speaker == speaker and quote.resolution == "pronoun-near+beside"
    assert quote.trusted(answer_threshold())


def test_initials_written_together_are_part_of_a_name():
    assert plausible("P.J. Fleck") and plausible("J.D. Vance") and not plausible("FLAGSHARE Sara")


def test_a_rule_is_read_and_written_one_way():
    rule = Rule.parse("continued-relative-pronoun-near+beside+others")
    assert (rule.base, rule.prefixes, rule.flags) == ("pronoun-near", ("continued", "relative"), ("beside", "others"))
    assert str(rule) == "continued-relative-pronoun-near+beside+others" and not rule.by_pronoun
    assert rule.ancestors() == [
        "continued-relative-pronoun-near+beside+others",
        "continued-relative-pronoun-near+others",
        "continued-relative-pronoun-near+beside",
        "continued-relative-pronoun-near",
        "relative-pronoun-near",
        "relative",
        "*+beside",
        "*",
    ]
    assert Rule.parse("pronoun-near").continued().by_pronoun and str(Rule.parse("")) == ""
    assert str(Rule.parse("surname").flagged("after").continued()) == "continued-surname+after"

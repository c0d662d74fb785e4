"""Who "he" is when the entity recogniser missed the name before it or another "he" came between, a reported clause
that goes on after its quoted words, what a quoted word describes, and interview transcripts: on real sentences of
the PolNeAR articles, read in place from shared/."""

from __future__ import annotations

import pytest

from index.models import Quote
from index.quotes.confidence import answer_threshold
from tests.conftest import polnear_quotes, quotes_holding

CASES = {
    "untagged_surname": "breitbart_2016-02-08_former-mexico-leader-calderon-ca",
    "untagged_subject": "wash-post_2016-07-22_republican-assails-elites-as-he-",
    "clause_goes_on": "breitbart_2016-02-20_the-latest-hillary-clinton-tells",
    "transcript": "breitbart_2016-09-25_pence-gennifer-flowers-won-t-be-",
    "labels": "huff-post_2016-05-12_george-zimmerman-auctioning-off-",
    "object_as": "west-journal_2016-09-21_chris-christie-calls-hillary-cli",
    "chain": "nyt_2016-04-23_campaign-for-trump-says-he-ll-re",
}


@pytest.fixture(scope="module")
def polnear() -> dict[str, tuple[str, list[Quote]]]:
    return polnear_quotes(set(CASES.values()))


def holding(found: dict, case: str, fragment: str) -> list[Quote]:
    return quotes_holding(found, CASES[case], fragment)


def test_a_surname_the_recogniser_took_for_an_organisation_is_still_he(polnear):
    """ "Calderon also noted that immigration from Mexico … “[Mexican citizens] don’t want to go …,” he said":
    spaCy tags this "Calderon" ORG; "he" is still Calderon, not Trump named sentences before."""
    [quote] = holding(polnear, "untagged_surname", "[Mexican citizens] don’t want to go")
    assert quote.speaker == "Felipe Calderon"


def test_a_surname_tagged_as_no_person_is_still_he(polnear):
    """ "Clinton's campaign chairman, John Podesta, said in a statement: "…" In virtually every policy realm, Trump
    vowed to put the country's interests before any other … "Americanism, not globalism, will be our credo," he
    said.": spaCy takes this "Trump" for an organisation; "he" is Trump, not Podesta quoted before."""
    [quote] = holding(polnear, "untagged_subject", "Americanism, not globalism, will be our credo")
    assert quote.speaker == "Donald Trump"


def test_a_quotation_opening_a_clause_that_goes_on_is_one_mixed_quote(polnear):
    """ "Bernie Sanders says “the wind is at our backs” despite his loss to Hillary Clinton in the Nevada
    caucuses.": the clause he reports goes on after the quoted words; it is one report, mixed."""
    [quote] = holding(polnear, "clause_goes_on", "the wind is at our backs")
    assert quote.kind == "mixed" and quote.speaker == "Bernie Sanders"
    assert quote.quote.endswith("despite his loss to Hillary Clinton in the Nevada caucuses")


def test_he_follows_the_he_before_it_past_a_name_in_its_clause(polnear):
    """ "But Mr. Manafort went further …: He also openly said that Mr. Trump wanted to coordinate …. ''He gave us
    the mandate …,'' he said": the nearest name is Mr. Trump, inside what "He" said; "he" is that "He",
    Manafort."""
    [quote] = holding(polnear, "chain", "He gave us the mandate to bring together")
    assert quote.speaker == "Paul Manafort" and quote.resolution.startswith("pronoun-chain")
    assert quote.trusted(answer_threshold())


def test_what_a_quoted_word_describes_is_part_of_the_mixed_quote(polnear):
    """ "Chris Christie described Democratic presidential nominee Hillary Clinton as a “disgrace”": the quoted
    word says something of the object; without it the quote reads "as a “disgrace”", about nobody."""
    [quote] = holding(polnear, "object_as", "Democratic presidential nominee Hillary Clinton as a “disgrace”")
    assert (quote.kind, quote.speaker) == ("mixed", "Chris Christie")
    assert quote.quote == "Democratic presidential nominee Hillary Clinton as a “disgrace”"


def test_a_transcript_line_is_its_labelled_speaker_s_words(polnear):
    """ "PENCE: Well, the question really should be why …": the label names Mike Pence, named in the article;
    the line is his, verbatim, and sure enough to be named in answers."""
    [quote] = holding(polnear, "transcript", "Well, the question really should be why")
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", "Mike Pence", ":")
    assert quote.quote.startswith("Well, the question") and quote.trusted(answer_threshold())


def test_a_label_that_names_nobody_is_no_speaker(polnear):
    """ "UPDATE: 5/12 — The website that originally listed the weapon …" is an editor's note."""
    assert holding(polnear, "labels", "The website that originally listed the weapon") == []

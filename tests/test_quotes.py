"""Quote extraction with the real spaCy model on the sample articles and the shared seed article."""

from __future__ import annotations

import json

import pytest

from index.models import Quote
from tests.conftest import SAMPLES, corpus
from tests.fakes import extractor


def sample(name: str) -> str:
    from index.read.readers import parse_document

    [article] = parse_document((SAMPLES / f"{name}.md").read_bytes(), f"{name}.md")
    return article.text


def quotes_of(text: str) -> list[Quote]:
    found = extractor().extract("a", text)
    for q in found:
        assert q.verbatim_in(text) and (q.start, q.end) == (q.pieces()[0][0], q.pieces()[-1][1])
        if q.speaker_start is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker_mention
    return found


def find(quotes: list[Quote], fragment: str) -> Quote:
    matches = [q for q in quotes if fragment in q.quote]
    assert matches, f"no quote with {fragment!r}"
    return matches[0]


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[Quote]]:
    text = json.loads(corpus("seed", "putin-donbas-newsx.jsonl").read_text().splitlines()[0])["text"]
    return text, quotes_of(text)


def test_seed_direct_quote_with_name_after(seed):
    q = find(seed[1], "Ukrainian troops will withdraw")
    assert (q.kind, q.cue, q.speaker, q.speaker_mention) == ("direct", "told", "Vladimir Putin", "Putin")
    assert not q.quote.endswith(",")


def test_seed_pronoun_resolved_and_outlet_is_not_the_speaker(seed):
    q = find(seed[1], "achieve this through military force")
    assert (q.speaker, q.speaker_mention, q.cue) == ("Vladimir Putin", "he", "added")
    assert q.reported_by == "The Kyiv Independent"
    assert all(q.speaker != "The Kyiv Independent" for q in seed[1])


def test_seed_reported_speech_with_role(seed):
    q = find(seed[1], "Ukraine must withdraw its forces")
    assert (q.kind, q.cue, q.speaker, q.role) == ("indirect", "reiterated", "Vladimir Putin", "Russian President")
    assert q.speaker_mention == "Russian President Vladimir Putin"


def test_seed_partial_quote_inside_reported_speech_is_mixed(seed):
    q = find(seed[1], "to fight until the last Ukrainian")
    assert q.kind == "mixed" and q.cue == "claimed" and q.speaker == "Vladimir Putin"
    assert q.quote.startswith("individuals targeting Witkoff")


def test_seed_headings_are_not_speakers(seed):
    assert all(q.speaker_mention and "Addresses" not in q.speaker_mention for q in seed[1])


def test_split_quote_around_attribution_keeps_the_speaker():
    found = quotes_of(sample("harbour-bridge"))
    first = find(found, "We are on schedule")
    second = find(found, "One week of heavy rain")
    assert first.speaker == second.speaker == "Tomas Okafor"
    assert first.speaker_mention == "he"


def test_a_quote_split_around_its_cue_is_one_attribution_in_pieces():
    text = sample("harbour-bridge")
    [q] = [q for q in quotes_of(text) if "People have been patient" in q.quote]
    assert q.speaker == "Helena Marsh" and len(q.pieces()) == 2
    assert q.quote == " … ".join(text[s:e] for s, e in q.pieces())
    assert "told reporters" not in q.quote and "told reporters" in text[q.start : q.end]


def test_pronoun_goes_to_the_person_just_named_not_the_last_speaker():
    q = find(quotes_of(sample("harbour-bridge")), "the new cables had passed")
    assert q.speaker == "Tomas Okafor"


def test_surname_resolves_to_full_name_and_appositive_names_the_speaker():
    found = quotes_of(sample("water-strike"))
    assert find(found, "Every extra percent").speaker == "Martin Vell"
    told = find(found, "offered a rise of 3 percent")
    assert told.speaker == "Martin Vell" and told.role == "Northshore Water's chief executive"


def test_according_to_a_body_is_its_statement():
    q = find(quotes_of(sample("water-strike")), "highest leakage rate")
    assert (q.cue, q.speaker_mention) == ("according to", "the regional water regulator")


def test_multi_sentence_quote_and_colon_lead_in():
    text = (
        'The chairman spoke at length. Ann Lee said: "We will build it. We will pay for it."\n'
        "Mayor Bob Stone told reporters that the vote was close."
    )
    found = quotes_of(text)
    q = find(found, "We will build it")
    assert q.quote == "We will build it. We will pay for it." and q.speaker == "Ann Lee" and q.kind == "direct"
    assert find(found, "the vote was close").speaker == "Bob Stone"


def test_titles_in_quotes_are_not_quotes():
    assert quotes_of('She told "Fox News Sunday" about the plan.') == []


def test_no_quotes_in_plain_text():
    assert quotes_of("The river rose by two metres overnight. Roads were closed.") == []


def test_a_line_opened_by_a_closing_mark_is_still_a_quote():
    """Reader letters often come as ”…” ― Name (the opening mark typed as a closing one)."""
    text = "Readers wrote to us.\n”Mr. Vance embodies the worst of the city. He never listens.” ― Ana Ruiz\n"
    [q] = quotes_of(text)
    assert (q.speaker, q.kind) == ("Ana Ruiz", "direct")
    assert q.quote == "Mr. Vance embodies the worst of the city. He never listens."
    assert text[q.start : q.end] == q.quote


def test_overlapping_short_parses_leave_blas_threads_as_they_were():
    from threadpoolctl import threadpool_info

    from index.text.nlp import one_blas_thread as _one_blas_thread

    def blas() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas()
    _one_blas_thread.__enter__()
    _one_blas_thread.__enter__()
    assert all(n == 1 for n in blas())
    _one_blas_thread.__exit__(None, None, None)
    assert all(n == 1 for n in blas()), "still one thread while another parse runs"
    _one_blas_thread.__exit__(None, None, None)
    assert blas() == before

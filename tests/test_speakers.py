"""Speakers as people across articles: one name can be several people, the same words in several outlets are
one statement, and a speaker's statements come newest first. Articles written for these tests."""

from __future__ import annotations

import pytest

from bot.answer.compose import also_quoted, which_speaker
from bot.answer.models import Answer
from bot.answer.quoting import LEXICAL_WEIGHT, asked_roots, score
from bot.answer.speakers import _same_person
from bot.answer.statements import same_statement
from bot.engine import Engine
from index.models import Article, Quote, QuoteHit, SpeakerInfo

FIRST = (
    "Senators met in Harlow on Monday to debate the new rail budget.\n\n"
    "“The northern line has waited long enough for new trains,” Hillary Clinton said at the opening session.\n\n"
    "“We will not accept another year of delays on the northern line,” Clinton said later.\n\n"
    "“Harlow station needs a second bridge over the river,” Clinton told the committee."
)
SECOND = (
    "The former president visited the Harlow docks on Tuesday.\n\n"
    "“Our ports need deeper channels before the big ships stop coming here,” Bill Clinton said on the quay."
)
RYAN = (
    "“The rail budget must pass before the recess,” Paul Ryan said on Monday.\n\n"
    "Later the Speaker's office released a statement.\n\n"
)
RYAN_FULL = "“We will find the money for the northern line,” Paul D. Ryan said in a letter to members."
DEPOT = "“The depot will stay open through the winter,” union leader Mary Stone said after the meeting."
WIRE = "“Every rail passenger deserves a seat on the morning trains to Harlow,” Bernie Sanders said on Wednesday."


def article(i: str, text: str, source: str, published: str) -> Article:
    return Article(id=i, title=f"Report {i}", text=text, source=source, published=published, url=f"https://x.test/{i}")


@pytest.fixture
def engine(fake_engine: Engine) -> Engine:
    fake_engine.library.ingest(
        [
            article("rail", FIRST, "Harlow Herald", "2026-05-01"),
            article("docks", SECOND, "Harlow Herald", "2026-05-02"),
            article("depot", "Depot news.\n\n" + DEPOT, "Harlow Herald", "2026-04-01"),
            article("wire-a", "Rail news.\n\n" + WIRE, "Coast Times", "2026-05-03"),
            article("ryan-a", "Budget news.\n\n" + RYAN, "Harlow Herald", "2026-05-05"),
            article("ryan-b", "Letters.\n\n" + RYAN_FULL, "Coast Times", "2026-05-06"),
            article("wire-b", "From our partners.\n\n" + WIRE + "\n\nMore later.", "Valley Post", "2026-05-04"),
        ]
    )
    return fake_engine


def test_a_full_name_means_that_person_only(engine: Engine):
    answer = engine.ask("What did Bill Clinton say?")
    assert answer.found and answer.answer.startswith("Bill Clinton said: “Our ports")
    assert "Hillary" not in answer.answer and {c.article_id for c in answer.citations} == {"docks"}


def test_a_surname_shared_by_people_names_the_most_quoted_and_lists_the_others(engine: Engine):
    assert [q.speaker for q in engine.quotes(speaker="Hillary Clinton")] == ["Hillary Clinton"] * 3
    answer = engine.ask("What did Clinton say?")
    assert answer.answer.startswith("Hillary Clinton said:")
    assert answer.answer.endswith("(The articles also quote Bill Clinton; ask by full name for those quotes.)")
    assert all(c.article_id == "rail" for c in answer.citations)


def test_a_name_with_a_middle_initial_is_the_same_person(engine: Engine):
    answer = engine.ask("What did Paul Ryan say?")
    assert answer.found and "also quote" not in answer.answer
    assert {c.article_id for c in answer.citations} == {"ryan-a", "ryan-b"}


def test_same_person_needs_first_and_last_names_and_agreeing_middles():
    assert _same_person("Paul Ryan", "Paul D. Ryan") and _same_person("James B. Comey Jr", "James Comey")
    assert not _same_person("George W. Bush", "George H.W. Bush")
    assert not _same_person("Bill Clinton", "Hillary Clinton") and not _same_person("Clinton", "Bill Clinton")


def test_a_first_names_everyday_form_is_the_same_person_and_junior_is_another():
    assert _same_person("Joe Biden", "Joseph R. Biden Jr") and _same_person("Bill Clinton", "William Jefferson Clinton")
    assert not _same_person("Donald Trump", "Donald Trump Jr")
    assert not _same_person("Donald J. Trump", "Donald J. Trump Jr")


def test_a_full_name_takes_in_its_surname_stored_alone_when_nobody_else_has_it(fake_engine: Engine):
    fake_engine.library.ingest(
        [
            article(
                "b1",
                "Jobs news.\n\n“Overtime pay is long overdue for shift workers,” Joe Biden said.",
                "A",
                "2026-05-01",
            ),
            article(
                "b2",
                "Mr. Biden spoke in Ohio.\n\n“Every shift worker deserves overtime pay,” Mr. Biden said.",
                "B",
                "2026-05-02",
            ),
            article("b3", "Letters.\n\n“The rail plan is sound,” Joseph R. Biden Jr. said.", "C", "2026-05-03"),
        ]
    )
    assert {q.speaker for q in fake_engine.quotes()} == {"Joe Biden", "Biden", "Joseph R. Biden Jr"}
    answer = fake_engine.ask("What did Joe Biden say?")
    assert answer.found and {c.article_id for c in answer.citations} == {"b1", "b2", "b3"}


def test_names_ending_in_s_are_matched_on_whole_words(engine: Engine):
    assert {q.speaker for q in engine.quotes(speaker="Bernie Sanders")} == {"Bernie Sanders"}
    assert {q.speaker for q in engine.quotes(speaker="Sanders")} == {"Bernie Sanders"}
    assert engine.quotes(speaker="Sander") == []


def test_the_same_words_in_two_outlets_are_one_statement(engine: Engine):
    answer = engine.ask("What did Sanders say about rail passengers?")
    assert answer.found and answer.answer.count("Every rail passenger deserves a seat") == 1
    [citation] = answer.citations
    assert citation.article_id == "wire-a" and citation.also_in == ["Valley Post, 2026-05-04"]


def test_a_role_or_a_word_of_it_finds_the_person_given_it(engine: Engine):
    assert engine.ask("What did the union leader say?").answer.startswith("Mary Stone said: “The depot")
    assert engine.ask("What did the union say about the depot?").answer.startswith("Mary Stone said: “The depot")


def test_a_speakers_quotes_come_newest_first(engine: Engine):
    published = {
        "depot": "2026-04-01",
        "rail": "2026-05-01",
        "docks": "2026-05-02",
        "wire-a": "2026-05-03",
        "wire-b": "2026-05-04",
        "ryan-a": "2026-05-05",
        "ryan-b": "2026-05-06",
    }
    dates = [published[q.article_id] for q in engine.quotes()]
    assert dates == sorted(dates, reverse=True)


def test_several_people_equally_quoted_are_asked_about():
    people = [SpeakerInfo(name="Hillary Clinton", quotes=3), SpeakerInfo(name="Bill Clinton", quotes=2)]
    answer = which_speaker("What did Clinton say?", "Clinton", people)
    assert not answer.found
    assert answer.answer == (
        "Which one do you mean: Hillary Clinton (3 quotes) or Bill Clinton (2 quotes)? Ask with the full name, or"
        " just tell me which."
    )
    assert answer.which is not None and answer.which.people == ["Hillary Clinton", "Bill Clinton"]


def test_also_quoted_leaves_an_answer_alone_when_nobody_else_fits():
    answer = Answer(question="q", answer="Bill Clinton said: “x” [1].", found=True)
    assert also_quoted(answer, []) is answer


def test_two_records_of_one_statement_are_the_same_statement():
    def said(words: str) -> Quote:
        return Quote(article_id="a", quote=words, kind="direct", start=0, end=len(words))

    one = said("How many times do we have to see this in our country? In Tulsa, an unarmed man with his hands up")
    other = said("How many times do we have to see this in our country? … In Tulsa, an unarmed man with hands up.")
    assert same_statement(one, other)
    assert not same_statement(one, said("Our ports need deeper channels before the big ships stop coming"))
    assert same_statement(said("No comment."), said("no comment"))  # short: only the very same words
    assert not same_statement(said("Tulsa is unbearable"), said("Tulsa is not unbearable at all, believe me"))


def test_a_topic_is_found_in_a_statement_whatever_its_ending():
    """ "What did Lindsey Graham say about the campaign?" finds "… when you're campaigning for president …"."""
    words = "Trump the dealmaker may emerge here … But when you're campaigning for president, this is one reason"
    quote = Quote(article_id="a", quote=words, kind="direct", start=0, end=len(words))
    hit = QuoteHit(quote_id=1, score=0.25, quote=quote)
    assert score(hit, asked_roots("campaign")) == pytest.approx(0.25 + LEXICAL_WEIGHT)
    assert score(hit, asked_roots("voters")) == pytest.approx(0.25)

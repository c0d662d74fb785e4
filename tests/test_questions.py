"""Question shapes read from the real spaCy parse, on the questions users ask (and the ones the issue found)."""

import pytest

from bot.answer.questions import parse
from tests.fakes import extractor


def shape(question: str):
    return parse(question, extractor().parse)


@pytest.mark.parametrize(
    ("question", "kind", "speaker", "content"),
    [
        ("Who said Ukraine must withdraw from Donbas?", "who_said", None, "Ukraine must withdraw from Donbas"),
        ("who claimed that the leak was a hoax", "who_said", None, "the leak was a hoax"),
        ('Who said "a promise written on a napkin"?', "who_said", None, "a promise written on a napkin"),
        ("Who said “It is one of ...”?", "who_said", None, "It is one of ..."),
        (
            "Who stressed that the wall would be paid for by Mexico?",
            "who_said",
            None,
            "the wall would be paid for by Mexico",
        ),
        ("Which senator argued that the plan was dead?", "who_said", None, "the plan was dead"),
        ("Who called Trump a disgusting fraud?", "who_said", None, "Trump a disgusting fraud"),
        ("What did the Security Council call the test?", "wh", None, None),
        ("What did Putin say about the Witkoff leak?", "what_said", "Putin", "the Witkoff leak"),
        ("What did the Kremlin aide say?", "what_said", "the Kremlin aide", None),
        ("and what did Vladimir Putin say about Crimea?", "what_said", "Vladimir Putin", "Crimea"),
        ("What has Desai said on dividends?", "what_said", "Desai", "dividends"),
        ("Did Putin say anything about NATO?", "what_said", "Putin", "NATO"),
        ("Did Putin say the recording might be a hoax?", "did_say", "Putin", "the recording might be a hoax"),
        ("Did Marsh promise that the bridge would open?", "did_say", "Marsh", "the bridge would open"),
        ("Who unveiled the 28-point plan?", "wh", None, None),
        ("According to whom is the plan illegitimate?", "wh", None, None),
        ("Who did Putin compare the plan to?", "wh", None, None),
        ("What does Trump call the biggest threat to the United States?", "wh", None, None),
        ("What do the articles say about Crimea?", "wh", None, None),
        ("What did Lady Gaga sing?", "wh", None, None),
        ("Is the bridge open?", "general", None, None),
        ("and how did Marsh respond?", "what_said", "Marsh", None),
        ("How did Clinton react to the tweet?", "what_said", "Clinton", "the tweet"),
        ("and what did Sondland tell Trump?", "what_said", "Sondland", None),
        (
            "did Graham say he knows exactly what the GOP platform is?",
            "did_say",
            "Graham",
            "he knows exactly what the GOP platform is",
        ),
        ("Can you tell me who said the war would end?", "who_said", None, "the war would end"),
    ],
)
def test_quote_shapes(question: str, kind: str, speaker: str | None, content: str | None):
    found = shape(question)
    assert (found.kind, found.speaker, found.content) == (kind, speaker, content)


@pytest.mark.parametrize(
    ("question", "wants", "relation"),
    [
        ("Who did she compare Trump to?", "person", "pobj:to"),
        ("According to which newspaper did Trump say he was happy to see Khan voted in?", "outlet", "according to"),
        ("According to whom is the plan illegitimate?", "person", "according to"),
        ("Who unveiled the 28-point plan?", "person", "nsubj"),
        ("When will the harbour bridge reopen?", "date", None),
        ("In what year did Tesla die?", "date", None),
        ("Which city hosts the summit?", "place", None),
        ("How many career sacks did Jared Allen have?", "number", None),
        ("How much did the repairs cost?", "amount", None),
        ("Who is the chair of the IPCC?", "person", None),
    ],
)
def test_what_a_wh_question_wants(question: str, wants: str, relation: str | None):
    found = shape(question)
    assert found.kind == "wh" and found.wants == wants
    if relation is not None:
        assert found.relation == relation


def test_the_question_names_are_kept_apart_from_the_answer():
    assert "Trump" in shape("Who did she compare Trump to?").names
    assert shape("How many career sacks did Jared Allen have?").asked == "sack"


@pytest.mark.parametrize(
    ("question", "role", "subject"),
    [
        ("Who heads the Congressional Black Caucus?", "head", "the Congressional Black Caucus"),
        ("Who is the head of the Congressional Black Caucus?", "head", "the Congressional Black Caucus"),
        ("Who leads the Democratic Party?", "leader", "the Democratic Party"),
        ("Who is the Kremlin's spokesman?", "spokesman", "the Kremlin's"),
        ("Who is the chair of the IPCC?", "chair", "the IPCC"),
        ("Who is the chairman?", None, None),
        ("Who is the vice-chair of the IPCC?", None, None),
        ("Who was the first chair of the IPCC?", None, None),
        ("Who is the General Manager for the Broncos?", None, None),
        ("Who is Trump's campaign manager?", "manager", "Trump's campaign"),
        ("Who is the House Speaker?", "speaker", "the House"),
        ("Who is the Speaker of the House?", "speaker", "the House"),
        ("Who is the Senate Majority Leader?", "leader", "the Senate Majority"),
        ("Who is Speaker Ryan?", None, "Speaker Ryan"),
        ("Who runs the campaign?", None, None),
        ("Who led the Panthers in sacks?", None, None),
        ("Who said the chairman of the caucus lied?", None, None),
    ],
)
def test_someone_asked_for_by_an_office(question: str, role: str | None, subject: str | None):
    found = shape(question)
    assert (found.role, found.subject) == (role, subject)


@pytest.mark.parametrize(
    ("question", "subject"),
    [("Who is Yuri Ushakov?", "Yuri Ushakov"), ("Who is Tim Kaine?", "Tim Kaine"), ("What is NATO?", "NATO")],
)
def test_who_is(question: str, subject: str):
    found = shape(question)
    assert (found.kind, found.subject) == ("who_is", subject)


@pytest.mark.parametrize(
    ("question", "wants", "subject"),
    [
        (
            "Who wrote the article saying Paul Ryan is not ready to support Trump?",
            "author",
            "the article saying Paul Ryan is not ready to support Trump",
        ),
        ("Who is the author of the article about Khan?", "author", "the author of the article about Khan"),
        ("When was the article about Khan published?", "published", "the article about Khan"),
        ("Which outlet reported that Putin rejected the plan?", "outlet", "Putin rejected the plan"),
        ("What articles do you have about Crimea?", "articles", "Crimea"),
        ("Which articles mention Witkoff?", "articles", "Witkoff"),
    ],
)
def test_questions_about_the_articles(question: str, wants: str, subject: str):
    found = shape(question)
    assert (found.kind, found.wants, found.subject) == ("articles", wants, subject)


@pytest.mark.parametrize(
    "question",
    [
        "Who is the author of the Harry Potter books?",
        "When was the first iPhone released?",
        "What channel did ABC launch in 1981?",
        "Who wrote Pride and Prejudice?",
    ],
)
def test_not_about_the_articles(question: str):
    assert shape(question).kind == "wh"


@pytest.mark.parametrize(
    "question",
    [
        "",
        "?",
        "hi",
        "thanks!",
        "🙂",
        "Putin",
        "“”",
        '""',
        "Who said",
        "What did say about?",
        "x" * 1000,
        "said said",
        "Who heads",
        "Who is the head of “”?",
        "Who heads ?",
    ],
)
def test_odd_questions_have_a_shape(question: str):
    assert shape(question).kind in ("who_said", "what_said", "did_say", "who_is", "articles", "wh", "general")


def test_places_and_events_are_whole_names():
    assert shape("When did the Berlin Wall fall?").whole_names == ["the Berlin Wall"]
    assert shape("What did Bernie Sanders say about the wall?").whole_names == []

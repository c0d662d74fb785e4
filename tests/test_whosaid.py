"""Who-said answering from the quote index (fake embedder, real quote extractor), and its pure pieces."""

from __future__ import annotations

import json
import re

import pytest

from bot.answer.compose import quote_answer
from bot.answer.evidence import Evidence
from bot.answer.quoting import topic_words
from bot.cli import main
from bot.engine import Engine, build_engine
from bot.settings import Settings
from index.models import Article, Quote
from tests.conftest import SAMPLES
from tests.fakes import HashEmbedder, extractor


@pytest.fixture
def engine(fake_engine: Engine) -> Engine:
    fake_engine.ingest([str(SAMPLES)])
    return fake_engine


def quoted(text: str) -> list[str]:
    return re.findall(r"“([^”]+)”", text)


def assert_verbatim(engine: Engine, answer) -> None:
    texts = [engine.library.article(c.article_id).text for c in answer.citations]
    for q in quoted(answer.answer):
        for piece in q.split(" … "):
            assert any(piece in t for t in texts), piece
    for c in answer.citations:
        assert engine.library.article(c.article_id).text[c.start : c.end] == c.text


def test_who_said_names_the_speaker_and_quotes_verbatim(engine: Engine):
    answer = engine.ask("Who said people have been patient for far too long?")
    assert answer.found and answer.answer.startswith("Helena Marsh said: “The bridge will be open")
    assert "walk across it … People have been patient for far too long.” [1]" in answer.answer
    assert answer.speaker == "Helena Marsh"
    assert "Marsh told reporters" in answer.citations[0].text
    assert_verbatim(engine, answer)


def test_what_did_speaker_say_about_topic(engine: Engine):
    answer = engine.ask("What did Vell say about household budgets?")
    assert answer.found and answer.answer.startswith("Martin Vell said: “Every extra percent")
    assert all(c.article_id == "sample-water-strike" for c in answer.citations)
    assert_verbatim(engine, answer)


def test_what_did_speaker_say_lists_their_quotes(engine: Engine):
    answer = engine.ask("What did Desai say?")
    assert answer.found and len(answer.citations) >= 2
    # a quoted fragment is shown in the article's sentence: "She called the warning about bills “a scare story” …"
    reported = "About Priya Desai, the article also reports [2]: She called the warning about bills “a scare story”"
    assert reported in answer.answer
    assert "It also reports [3]: Priya Desai, general secretary" in answer.answer, "her name said once"
    assert_verbatim(engine, answer)


def test_a_speaker_named_only_unsurely_is_not_named_as_the_speaker(engine: Engine):
    """Okafor's words are all introduced by "he said": shown as the article's words, not as surely his."""
    assert all(not q.trusted(engine.settings.quotes.confidence_needed) for q in engine.quotes(speaker="Okafor"))
    answer = engine.ask("What did Okafor say?")
    assert not answer.found and "but the article does not make clear who is speaking" in answer.answer
    assert answer.citations and "Tomas Okafor said" not in answer.answer
    assert_verbatim(engine, answer)


def test_role_names_the_speaker(engine: Engine):
    answer = engine.ask("What did the opposition's finance spokesman say?")
    assert "Daniel Greer" in answer.answer


def test_unknown_speaker_is_said_plainly_not_substituted(engine: Engine):
    answer = engine.ask("What did Emmanuel Macron say about the bridge?")
    assert not answer.found and answer.citations == []
    assert answer.answer == "I find no quote from Emmanuel Macron in the articles."


def test_did_say_yes_and_no(engine: Engine):
    yes = engine.ask("Did Hallam say the smear had moved?")
    assert yes.found and yes.answer.startswith("Yes. Peter Hallam said: “I thought it was a smear on my lens")
    assert "took the picture again … The smear had moved.” [1]" in yes.answer
    opposite = engine.ask("Did Hallam say the smear had not moved?")
    assert opposite.found and opposite.answer.startswith("No. Peter Hallam said the opposite: “I thought")
    no = engine.ask("Did Hallam say taxes must rise?")
    assert not no.found
    assert no.answer == "Not that I can find: no statement of Peter Hallam’s in the articles says that."


def test_follow_up_question_uses_the_last_speaker(engine: Engine):
    from bot.conversation import ChatContext, Conversation

    conversation, chat = Conversation(engine), ChatContext()
    first = conversation.ask(chat, "Who said the smear had moved?")
    assert first.speaker == "Peter Hallam"
    follow = conversation.ask(chat, "And what did he say about his lens?")
    assert follow.found and follow.answer.startswith("Peter Hallam said")


def test_remove_takes_the_quotes_too(engine: Engine):
    assert engine.quotes(speaker="Hallam")
    engine.remove("sample-comet")
    assert engine.quotes(speaker="Hallam") == []
    assert not engine.ask("What did Hallam say?").found


def test_quotes_command_json_contract(capsys):
    def make(settings: Settings) -> Engine:
        return build_engine(
            settings.changed(**{"model": "fake/hash-embedder"}), embedder=HashEmbedder(), quotes=extractor()
        )

    main(["ingest", "--samples"], make_engine=make)
    capsys.readouterr()
    assert main(["quotes", "--json", "--speaker", "Desai"], make_engine=make) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and {r["speaker"] for r in rows} == {"Priya Desai"}
    assert set(rows[0]) == {
        "article_id",
        "quote",
        "kind",
        "cue",
        "speaker",
        "speaker_mention",
        "role",
        "start",
        "end",
        "speaker_start",
        "speaker_end",
        "confidence",
        "spans",
    }
    split = [r for r in rows if r["spans"]]
    assert all(r["start"] == r["spans"][0][0] and r["end"] == r["spans"][-1][1] for r in split)
    assert all(0 <= r["confidence"] <= 1 for r in rows)
    assert main(["quotes", "--speaker", "Nobody Atall"], make_engine=make) == 1
    assert main(["quotes", "--article", "sample-comet"], make_engine=make) == 0
    assert "Peter Hallam [direct, said, 0." in capsys.readouterr().out
    assert main(["quotes", "--page", "7"], make_engine=make) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert 0 < len(lines) <= 20 and err.strip().startswith("page ") and "of" in err
    dates = [line.split()[0] for line in lines]
    assert dates == sorted(dates, reverse=True), "newest first"


ARTICLE = Article(id="a", title="T", text="Jo Bloggs said: “It works.” Then she left.")


def evidence(article: Article, start: int, end: int) -> Evidence:
    text = article.text[start:end]
    return Evidence(article=article, start=start, end=end, text=text, score=1, chunk_score=1, overlap=1, chunk_id=-1)


def test_a_quote_not_in_the_article_is_dropped_and_logged_never_raised(caplog):
    forged = Quote(article_id="a", quote="It never works.", kind="direct", speaker="Jo Bloggs", start=0, end=5)
    real = Quote(article_id="a", quote="It works.", kind="direct", speaker="Jo Bloggs", start=17, end=26)
    assert quote_answer("q", [(forged, evidence(ARTICLE, 0, 27))]) is None
    assert "not verbatim" in caplog.text
    answer = quote_answer("q", [(forged, evidence(ARTICLE, 0, 27)), (real, evidence(ARTICLE, 0, 27))])
    assert answer is not None and answer.answer == "Jo Bloggs said: “It works.” [1]" and len(answer.citations) == 1


def test_reported_speech_is_the_article_s_own_sentence_marked_as_reported():
    text = "Jo Bloggs said the plan was “a mess” and would fail. Then she left."
    article = Article(id="r", title="T", text=text)
    start = text.index("the plan")
    reported = Quote(
        article_id="r", quote=text[start : text.index(".")], kind="mixed", speaker="Jo Bloggs", start=start, end=51
    )
    answer = quote_answer("q", [(reported, evidence(article, 0, text.index(".") + 1))])
    assert answer is not None
    assert answer.answer == "The article reports [1]: Jo Bloggs said the plan was “a mess” and would fail.", "once"
    assert "said that" not in answer.answer
    contrary = quote_answer("q", [(reported, evidence(article, 0, text.index(".") + 1))], verb="said the opposite")
    assert contrary is not None and contrary.answer.startswith(
        "Jo Bloggs said the opposite, as the article reports [1]: Jo"
    )


def test_quotes_keep_their_own_spacing_to_stay_verbatim():
    text = "Ann Lee said: “It is obsolete.  ...  Things are different now.” Then she left."
    article = Article(id="s", title="T", text=text)
    start = text.index("It is")
    end = text.index("now.") + 4
    quote = Quote(article_id="s", quote=text[start:end], kind="direct", speaker="Ann Lee", start=start, end=end)
    answer = quote_answer("q", [(quote, evidence(article, 0, end + 1))])
    assert answer is not None and "“It is obsolete.  ...  Things are different now.” [1]" in answer.answer


def test_what_did_y_say_about_z_stays_within_the_scope(engine: Engine):
    assert engine.ask("What did Vell say about household budgets?").found
    scoped = engine.ask("What did Vell say about household budgets?", article_ids=["sample-comet"])
    assert not scoped.found and scoped.citations == []


def test_a_refusal_names_the_topics_the_speaker_is_quoted_on(engine: Engine):
    """The nouns of the statements sure to be theirs, a name of several words as one (not every word of five
    letters: "because", "really")."""
    answer = engine.ask("What did Helena Marsh say about knitting?")
    assert not answer.found and answer.citations == []
    assert answer.answer == (
        "I find no quote from Helena Marsh about knitting in the articles. "
        "Helena Marsh is quoted on Harbour Bridge, Port Elmsley and traffic."
    )


def test_topic_words_are_nouns_with_names_whole():
    doc = extractor().parse("Because Hillary Clinton really wants the wall, voters are angry", entities=False)
    assert dict(topic_words(doc, frozenset())) == {"clinton": "Hillary Clinton", "wall": "wall", "voter": "voters"}

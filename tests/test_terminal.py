from bot.conversation import ChatContext, Conversation
from bot.engine import Engine
from bot.terminal import respond, run_chat
from tests.conftest import SAMPLES


def test_chat_answers_lists_and_removes(fake_engine: Engine):
    fake_engine.ingest([str(SAMPLES)])
    conversation = Conversation(fake_engine)
    assert "who said what" in respond(conversation, "/help")
    assert "sample-comet" in respond(conversation, "/articles")
    answer = respond(conversation, "What did the union say about the strike vote?")
    assert "[1]" in answer and "Coastal Ledger" in answer
    assert respond(conversation, "/remove sample-comet") == "Removed sample-comet."
    assert respond(conversation, "/remove sample-comet") == "No article sample-comet."


def test_follow_up_stays_with_the_last_article(fake_engine: Engine):
    fake_engine.ingest([str(SAMPLES)])
    conversation, chat = Conversation(fake_engine), ChatContext()
    first = conversation.ask(chat, "How much did the company pay its shareholders in dividends?")
    assert first.found and first.citations[0].article_id == "sample-water-strike"
    follow = conversation.ask(chat, "and what about the leakage rate?")
    assert follow.citations[0].article_id == "sample-water-strike"


def test_run_chat_loop_quits_on_empty_line(fake_engine: Engine, capsys):
    lines = iter(["/help", ""])
    assert run_chat(Conversation(fake_engine), read=lambda prompt: next(lines)) == 0
    assert "who said what" in capsys.readouterr().out


def test_the_bots_own_commands_say_where_they_are(fake_engine: Engine):
    conversation = Conversation(fake_engine)
    assert "whosaid follow URL" in respond(conversation, "/follow https://example.com/rss.xml")
    assert "Telegram bot" in respond(conversation, "/watch Putin")
    assert "Telegram bot" in respond(conversation, "/digest")

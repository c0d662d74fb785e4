"""Names typed in lower case are written as the articles write them, so that the parse reads a name there."""

from bot.answer.casing import candidates, recase

QUOTED = ["Steve Witkoff", "Helena Marsh", "Donald J. Trump", "Brian O'Neill"]


def names(words: list[str]) -> list[str]:
    """The store's lookup: the quoted people holding any of these lower-case words."""
    return [n for n in QUOTED if set(words) & {w.lower() for w in n.split()}]


def test_a_surname_or_the_end_of_a_name_is_recased():
    assert recase("who is steve witkoff", names) == "who is Steve Witkoff"
    assert recase("and how did marsh respond?", names) == "and how did Marsh respond?"
    assert recase("what did donald trump say?", names) == "what did Donald Trump say?", "first and last word"
    assert recase("what did o'neill say?", names) == "what did O'Neill say?"


def test_a_first_name_alone_words_that_carry_no_topic_and_typed_capitals_stay():
    assert recase("what did helena say?", names) == "what did helena say?"
    assert recase("What did Steve say?", names) == "What did Steve say?"
    assert "did" not in candidates("what did he say to them about it?")

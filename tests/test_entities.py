from bot.answer.entities import missing_names, names


def test_names_are_capitalised_runs_that_are_not_question_words():
    assert names("What did Emmanuel Macron say about the Donbas?") == [["Emmanuel", "Macron"], ["Donbas"]]
    assert names("Who unveiled the 28-point plan?") == []
    assert names("How many points did the Panthers defense surrender?") == [["Panthers"]]
    assert names("In what year did Tesla die?") == [["Tesla"]]


def test_missing_names():
    passages = ["President Donald Trump last week unveiled a plan.", "Putin’s aide spoke."]
    assert missing_names("What did Trump unveil?", passages) == []
    assert missing_names("What did Putin say?", passages) == []
    assert missing_names("What did Emmanuel Macron say about Trump?", passages) == ["Emmanuel Macron"]


def test_near_forms_count_as_mentions():
    passages = [
        "The United Methodist Church in Germany met in Bendigo.",
        "Wesley preached in India.",
        "The Cretaceous period ended.",
    ]
    for question in [
        "What does the UMC oppose?",
        "What are private schools in German law called?",
        "What party is favored in Bedigo?",
        "What was Wesley's sermon?",
        "What is an Indian private school?",
        "When did the Cretaceous-Paleogene extinction happen?",
        "Approximately how many schools are there?",
    ]:
        assert missing_names(question, passages) == [], question


def test_a_place_or_work_is_mentioned_only_in_full():
    """ "The Berlin Wall" is not Hadrian's Wall (every word of a place's name must be mentioned); a person may be
    named by surname alone."""
    passages = ["The extent of Hadrian's Wall was 73 miles.", "Sanders spoke in Bonn's suburbs."]
    assert missing_names("When did the Berlin Wall fall?", passages, ["the Berlin Wall"]) == ["the Berlin Wall"]
    assert missing_names("How long was Hadrian's Wall?", passages, ["Hadrian's Wall"]) == []
    assert missing_names("What did Bernie Sanders say?", passages) == []

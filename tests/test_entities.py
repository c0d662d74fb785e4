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


def test_a_place_or_work_is_mentioned_only_with_its_words_together():
    """ "The Great Wall of China" is not named by a passage on Hadrian's Wall and another naming China; a typo in
    the question ("Maastrich") still finds the name (a question from XQuAD)."""
    passages = [
        "The extent of Hadrian's Wall was 73 miles.",
        "Great numbers of migrants went to China.",
        "The Maastricht Treaty was signed in 1992.",
    ]
    great_wall = "the Great Wall of China"
    assert missing_names("How long is the Great Wall of China?", passages, [great_wall]) == [great_wall]
    assert missing_names("When was the Maastrich Treaty signed?", passages, ["the Maastrich Treaty"]) == []
    assert missing_names("Who composed The Four Seasons?", ["a four-note theme; seasons"], ["The Four Seasons"]) == [
        "The Four Seasons"
    ]

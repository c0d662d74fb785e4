from index.text.sentences import paragraphs, sentences


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in sentences(text)]


def test_splits_on_terminal_punctuation():
    assert texts("One two. Three four! Five six?") == ["One two.", "Three four!", "Five six?"]


def test_keeps_abbreviations_and_initials():
    text = "Mr. Smith met Dr. Jones at 3 p.m. on Jan. 5 in the U.S. capital. J. R. Ewing agreed."
    assert texts(text) == ["Mr. Smith met Dr. Jones at 3 p.m. on Jan. 5 in the U.S. capital.", "J. R. Ewing agreed."]


def test_initials_written_together_do_not_end_a_sentence():
    text = "“This is a disgusting day,” said Rep. G.K. Butterfield (D-N.C.), head of the caucus. J.R.R. Tolkien wrote."
    assert texts(text) == [
        "“This is a disgusting day,” said Rep. G.K. Butterfield (D-N.C.), head of the caucus.",
        "J.R.R. Tolkien wrote.",
    ]


def test_closing_quotes_stay_with_their_sentence():
    text = "“We will win,” he said. “Nobody doubts it.” Then he left."
    assert texts(text) == ["“We will win,” he said.", "“Nobody doubts it.”", "Then he left."]


def test_lowercase_after_period_does_not_split():
    assert texts("The rate was 2.5 percent. it rose.") == ["The rate was 2.5 percent. it rose."]


def test_line_breaks_end_sentences_and_paragraphs():
    text = "Headline without stop\nFirst sentence. Second one.\n\n  Third  \n"
    assert texts(text) == ["Headline without stop", "First sentence.", "Second one.", "Third"]
    assert [text[s:e] for s, e in paragraphs(text)] == ["Headline without stop", "First sentence. Second one.", "Third"]


def test_offsets_inside_a_window():
    text = "Skip this. Keep this one. And this."
    spans = sentences(text, 11, len(text))
    assert [text[s:e] for s, e in spans] == ["Keep this one.", "And this."]

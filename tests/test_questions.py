import pytest

from bot.answer.questions import parse


@pytest.mark.parametrize(
    ("question", "kind", "speaker", "content"),
    [
        ("Who said Ukraine must withdraw from Donbas?", "who_said", None, "Ukraine must withdraw from Donbas"),
        ("who claimed that the leak was a hoax", "who_said", None, "the leak was a hoax"),
        ('Who said "a promise written on a napkin"?', "who_said", None, "a promise written on a napkin"),
        ("What did Putin say about the Witkoff leak?", "what_said", "Putin", "the Witkoff leak"),
        ("What did the Kremlin aide say?", "what_said", "the Kremlin aide", None),
        ("and what did Vladimir Putin say about Crimea?", "what_said", "Vladimir Putin", "Crimea"),
        ("What has Desai said on dividends?", "what_said", "Desai", "dividends"),
        ("Did Putin say the recording might be a hoax?", "did_say", "Putin", "the recording might be a hoax"),
        ("Did Marsh promise that the bridge would open?", "did_say", "Marsh", "the bridge would open"),
        ("Who unveiled the 28-point plan?", "general", None, None),
        ("According to whom is the plan illegitimate?", "general", None, None),
        ("Who did Putin compare the plan to?", "general", None, None),
        ("How big is the comet?", "general", None, None),
    ],
)
def test_shapes(question: str, kind: str, speaker: str | None, content: str | None):
    shape = parse(question)
    assert (shape.kind, shape.speaker, shape.content) == (kind, speaker, content)

"""Who made a claim, when compression cuts the words that say so (`compress/attribution.py`)."""

from __future__ import annotations

import pytest

from highlights import summarize
from highlights.compress.attribution import speaker_of

NAMED = [
    (", police said", "Police"),
    (", police said on Monday.", "Police"),
    (", the agency said in a statement", "Agency"),
    (", said John Smith, a spokesman", "John Smith"),
    (", according to the county report", "County report"),
    (", a spokesman for the regional water authority told CNN", "Spokesman"),
    (" in two of its piers, police said", "Police"),  # a tail that ends with the attribution
    ("Police said that ", "Police"),
    ("Officials said on Monday that ", "Officials"),
    (" -- police said.", "Police"),
    (", Theresa May said.", "Theresa May"),  # `May` is a name here, not an auxiliary
]
UNNAMED = [
    " he said",
    ", she told reporters on Friday",
    "They said ",
    "Now some residents have told the ",  # not a name: a verb group
    "Sheffield Crown Court was told ",  # who heard it, not who said it
]
NOT_ATTRIBUTIONS = [
    ", and the company said it would close the plant",  # a claim of its own, not who made the kept one
    ", said that 92 crews came last year",
    ", according to UNICEF -- and Sussock wants them on bikes",
    ", which was closed in March",
]


@pytest.mark.parametrize(("deleted", "name"), NAMED)
def test_a_speaker_is_named_as_cnn_labels_a_claim(deleted, name):
    speaker = speaker_of(deleted)
    assert speaker is not None and speaker.name == name


@pytest.mark.parametrize("deleted", UNNAMED)
def test_a_pronoun_speaker_cannot_be_named(deleted):
    speaker = speaker_of(deleted)
    assert speaker is not None and speaker.name is None


@pytest.mark.parametrize("deleted", NOT_ATTRIBUTIONS)
def test_what_is_not_an_attribution_has_no_speaker(deleted):
    assert speaker_of(deleted) is None


def test_a_bullet_keeps_who_made_the_claim_or_keeps_its_attribution():
    text = (
        "Three men were arrested after a fire destroyed the old mill on the river in Millbrook, police said. "
        '"We will rebuild the mill before the winter comes and the river freezes over," he said. '
        "The mill had stood for more than a century."
    )
    summary = summarize(text, method="lead", bullets=2, max_words_per_bullet=20)
    first, second = (h.text for h in summary.highlights)
    assert first.startswith("Police: Three men were arrested") and not first.endswith("police said.")
    assert any(f.reason == "attribution" for f in summary.highlights[0].fixups)
    assert second.endswith("he said.")  # `he` cannot stand in front of the quote: the framing stays

"""What the parse adds to fitting (`compress/syntax.py`, extra `parse`), and that the rules stand alone without it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from highlights import summarize
from highlights.compress import candidate_cuts, guard_reason, syntax
from highlights.compress.deletions import _fitting_cuts

needs_parse = pytest.mark.skipif(not syntax.available(), reason="the extra `parse` (spaCy's small model) is absent")

SUSPECT = (
    'Attorneys for a "high-value" terror suspect who says he was tortured have filed a lawsuit against the '
    "government on Monday."
)
HELD = "Two Australians held by Indonesian authorities for nearly a decade appear to be close to release."
BRIDGE = "The council voted on Monday to rebuild the old river bridge, which was closed in March, police said."


def cut_texts(sentence, cuts):
    return [sentence[c.start : c.end] for c in cuts]


def fitting_cuts(sentence):
    """The cuts fitting may make in `sentence`, with its parse when there is one."""
    return cut_texts(sentence, _fitting_cuts(sentence, syntax.analyse(sentence)))


@pytest.fixture
def without_parse(monkeypatch):
    """As if the extra were not installed."""
    monkeypatch.setattr(syntax, "parser", lambda: None)
    syntax.clear_parses()
    yield
    syntax.clear_parses()


@needs_parse
def test_the_parse_finds_clauses_the_rules_cannot():
    # A participial and a relative clause before the main verb: the rules have no cut for either.
    assert " held by Indonesian authorities for nearly a decade" in fitting_cuts(HELD)
    assert " who says he was tortured" in fitting_cuts(SUSPECT)
    assert " who says he was tortured" not in cut_texts(SUSPECT, candidate_cuts(SUSPECT))


@needs_parse
def test_no_cut_takes_the_main_verb():
    # The rules would cut `Two Australians held by …[ for nearly a decade appear to be close to release]`: the
    # main verb goes with it, and what is left is a noun phrase.
    rules = cut_texts(HELD, candidate_cuts(HELD))
    assert " for nearly a decade appear to be close to release" in rules
    fitting = fitting_cuts(HELD)
    assert not any("appear" in text for text in fitting)


@needs_parse
def test_a_speaker_can_still_go_when_the_main_verb_is_one_of_saying():
    # `police said` is the parse's root; what was said is the main clause, and the attribution may go (a label).
    assert ", police said" in fitting_cuts(BRIDGE)


@needs_parse
def test_sentences_parsed_together_are_parsed_as_alone():
    together = syntax.analyse_all([HELD, "   ", SUSPECT, HELD])
    syntax.clear_parses()
    assert together == [syntax.analyse(HELD), None, syntax.analyse(SUSPECT), syntax.analyse(HELD)]


@needs_parse
def test_an_opening_phrase_goes_with_its_comma():
    sentence = "Last November, authorities in Rome fined a Russian tourist who carved his name into the Colosseum."
    cuts = fitting_cuts(sentence)
    assert "Last November, " in cuts and "Last November" not in cuts


@needs_parse
def test_a_cut_takes_whole_words():
    sentence = 'Frayer co-wrote "Evidence for Neanderthal Jewelry" with three other Croatian scientists last year.'
    for cut in fitting_cuts(sentence):
        assert cut.strip(" ,") and any(ch.isalnum() for ch in cut), cut
        assert not cut.startswith("-") and not cut.endswith("-"), cut


@needs_parse
def test_a_verb_of_saying_goes_only_with_its_speaker():
    sentence = '"You should definitely call him and tell him," a health care lawyer, who was present, said.'
    assert not any(cut.strip(" ,.") == "said" for cut in fitting_cuts(sentence))
    assert ", police said" in fitting_cuts(BRIDGE)


@needs_parse
@pytest.mark.parametrize(
    ("sentence", "not_a_cut"),
    [
        # A relative pronoun the parse hangs across its verb stays with its clause.
        (
            "The three girls crossed the border into Syria, where the teens are believed to have traveled to join "
            "ISIS, a TV network reported.",
            " the teens are believed to have traveled to join ISIS",
        ),
        # A comma that closes the phrase before is not this cut's.
        (
            "The team, which lost by four goals, angrily left the stadium after the match on Saturday night.",
            ", angrily",
        ),
        (
            "Lakhvi, a top leader of the terrorist group Lashkar-e-Taiba, was not present at the hearing.",
            " Lashkar-e-Taiba,",
        ),
    ],
)
def test_a_cut_keeps_the_words_and_commas_of_what_it_leaves(sentence, not_a_cut):
    assert not_a_cut not in fitting_cuts(sentence)


@needs_parse
def test_no_parse_cut_leaves_its_dashes_or_brackets_empty():
    sentence = "Three teams -- Miami Fusion, Tampa Bay Mutiny and Chivas USA -- were disbanded by the league last year."
    for cut in _fitting_cuts(sentence, syntax.analyse(sentence)):
        kept = sentence[: cut.start] + sentence[cut.end :]
        assert "-- --" not in " ".join(kept.split()), sentence[cut.start : cut.end]


def test_a_lone_surrogate_in_a_hand_built_article_is_no_traceback():
    from highlights import Article, Span

    text = "The council voted on Monday to rebuild the old river bridge \ud800 that was closed in March after engineers found deep cracks in two of its piers."
    summary = summarize(Article(text=text, body=[Span(0, len(text))]), length="cnn")
    assert summary.highlights


@needs_parse
def test_every_parse_cut_passes_the_guard():
    for sentence in (SUSPECT, HELD, BRIDGE):
        parsed = syntax.analyse(sentence)
        assert parsed is not None
        assert all(guard_reason(sentence, cut.start, cut.end) is None for cut in parsed.cuts)


@needs_parse
def test_a_fitted_bullet_keeps_its_main_clause():
    text = f"{HELD} Their families said they had waited for years. Officials gave no date for their release."
    summary = summarize(text, method="lead", bullets=1, max_words_per_bullet=12)
    (bullet,) = summary.bullets
    assert bullet.startswith("Two Australians") and "appear to be close to release" in bullet
    assert len(bullet.split()) <= 12


def test_without_the_parse_the_rules_cuts_are_all(without_parse):
    assert not syntax.available() and syntax.analyse(HELD) is None
    for sentence in (SUSPECT, HELD, BRIDGE):
        assert _fitting_cuts(sentence, syntax.analyse(sentence)) == candidate_cuts(sentence)
    summary = summarize(f"{BRIDGE} Work starts in spring.", method="lead", bullets=1, max_words_per_bullet=14)
    assert summary.highlights and summary.highlights[0].words <= 14


@pytest.mark.parametrize("length", ["story", "cnn"])
def test_the_default_length_reads_no_parse(length, example_text, monkeypatch):
    with_parse = summarize(example_text, length=length).bullets
    monkeypatch.setattr(syntax, "parser", lambda: None)
    syntax.clear_parses()
    try:
        without = summarize(example_text, length=length).bullets
    finally:
        syntax.clear_parses()
    if length == "story":  # nothing is fitted at the story length: the same bullets either way
        assert with_parse == without
    else:
        assert all(len(b.split()) <= 15 for b in with_parse + without)


def test_the_story_length_never_loads_the_parser():
    # A process that summarizes at the default length, in a clean interpreter: spaCy stays out of it (its import
    # and model cost a second and 80 MB that only a shorter budget needs), even for a lede of 64 words that is
    # fitted to the default's 60.
    lede = (
        "The city council voted on Monday to rebuild the old river bridge; engineers found deep cracks in two of its "
        "stone piers in March; heavy trucks crossing it every morning could bring down the western span within months; "
        "the work will take two years and cost $40 million; and a ferry will carry cars across the river until it is "
        "done, the mayor said."
    )
    text = (
        f"Council votes to rebuild the river bridge\n\n{lede} The bridge was closed to trucks in April. Residents have "
        "asked for a new crossing for years. The state will pay half of the cost. Work is due to start in the spring."
    )
    code = (
        "import sys; from highlights import summarize; summary = summarize(sys.stdin.read()); "
        "print('spacy' in sys.modules, summary.highlights[0].words, bool(summary.highlights[0].deleted))"
    )
    done = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True)
    loaded, first_words, cut = done.stdout.split()
    assert (loaded, cut) == ("False", "True") and int(first_words) <= 60

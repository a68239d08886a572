"""The guard's checks through their own examples (`highlights.compress.checks`): one test per example of every
check, so a check added with its examples brings its tests. A refused example must be refused by that check
before any other; an allowed one must get past it, and past the whole guard: it is a cut that may be made.
And the word lists the checks read (`compress/words/*.txt`): each says what it is for and ships as package data."""

from __future__ import annotations

from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import pytest

from highlights.compress import MIN_KEPT_WORDS, guard_reason
from highlights.compress.checks import CHECKS, ProposedCut, check, marked_cut, refusing_check

ROOT = Path(__file__).resolve().parents[1]
REFUSED = [(c, example) for c in CHECKS for example in c.refused]
ALLOWED = [(c, example) for c in CHECKS for example in c.allowed]


def example_id(value: object) -> str:
    return value.refuses.__name__ if hasattr(value, "refuses") else str(value)[:50]


@pytest.mark.parametrize(("check", "example"), REFUSED, ids=example_id)
def test_a_refused_example_is_refused_by_its_check_first(check, example):
    sentence, start, end = marked_cut(example)
    assert refusing_check(sentence, start, end) is check
    assert guard_reason(sentence, start, end) == check.name


@pytest.mark.parametrize(("check", "example"), ALLOWED, ids=example_id)
def test_an_allowed_example_gets_past_its_check_and_the_guard(check, example):
    sentence, start, end = marked_cut(example)
    assert not check.refuses(ProposedCut(sentence, start, end))
    assert guard_reason(sentence, start, end) is None


def test_every_check_has_examples_both_ways_and_its_own_function():
    assert len(CHECKS) > 30
    for c in CHECKS:
        assert c.refused and c.allowed, c.name
    assert len({c.refuses.__name__ for c in CHECKS}) == len(CHECKS)


def test_the_guard_names_the_first_check_that_refuses():
    # Cutting `not` here both drops a negation and leaves too few words: the negation's check comes first.
    assert guard_reason(*marked_cut("He did [not] go home.")) == "drops a negation"
    sentence, start, end = marked_cut("He did [quickly] go home.")
    assert len((sentence[:start] + sentence[end:]).split()) < MIN_KEPT_WORDS
    assert guard_reason(sentence, start, end) == "too little left"


def test_an_example_marks_one_deletion():
    assert marked_cut("He did [not] go home.") == ("He did not go home.", 7, 10)
    assert marked_cut("[Later, ]he left.") == ("Later, he left.", 0, 7)
    for unmarked in ("He did not go home.", "He did ]not[ go home.", "He [did] [not] go home."):
        with pytest.raises(ValueError, match="one `\\[` and one `\\]`"):
            marked_cut(unmarked)


def test_a_new_check_runs_after_the_others_and_is_named_by_the_guard():
    sentence = "The old bridge over the river reopened to traffic on Monday[ after two years of repairs]."
    plain, start, end = marked_cut(sentence)
    assert guard_reason(plain, start, end) is None
    try:

        @check("cuts a repair", refused=(sentence,), allowed=())
        def cuts_a_repair(cut: ProposedCut) -> bool:
            return "repairs" in cut.deleted

        assert CHECKS[-1].refuses is cuts_a_repair
        assert guard_reason(plain, start, end) == "cuts a repair"
    finally:
        CHECKS.pop()
    assert guard_reason(plain, start, end) is None


def test_every_word_list_says_what_it_is_for_and_ships_in_the_wheel():
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11's tomllib")
    files = sorted((resources.files("highlights.compress") / "words").iterdir(), key=lambda f: f.name)
    assert len(files) > 20
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = package_data["package-data"]["highlights"]
    for file in files:
        assert any(fnmatch(f"compress/words/{file.name}", pattern) for pattern in patterns), file.name
        lines = file.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# "), f"{file.name} opens with a comment saying what the list is for"
        entries = [line for line in lines if line.strip() and not line.startswith("#")]
        assert entries and len(set(entries)) == len(entries), file.name

"""Property tests (issue #19): whatever the input, summarize() returns a sound result or a HighlightsError.

Each test draws `FuzzCase`s from a grammar of `fuzz_strategies` (every method, compression on and off,
budgets, formats) and checks them with `timed_run`: no exception but HighlightsError, everything the result
renders encodes as UTF-8, every bullet's spans lie in order inside `Summary.text` and rebuild it, and the CPU
time stays within `time_allowed(len(input))`. The "highlights-ci" profile keeps them to seconds and the same
examples every run; HIGHLIGHTS_FUZZ_PROFILE=highlights-fuzz runs thousands of fresh ones.
"""

from __future__ import annotations

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from fuzz_strategies import FUZZ_SETTINGS, GRAMMARS, cases, timed_run

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # trafilatura/lxml on odd markup


@pytest.mark.parametrize("grammar", GRAMMARS)
@FUZZ_SETTINGS
@given(data=st.data())
def test_summarize_holds_its_invariants(grammar: str, data: st.DataObject) -> None:
    timed_run(data.draw(cases(grammar), label="case"))


@FUZZ_SETTINGS
@given(data=st.data())
def test_ingest_and_segment_alone_hold_their_invariants(data: st.DataObject) -> None:
    timed_run(data.draw(cases(stage="segment"), label="case"))


# Large inputs, so that quadratic work overruns the time bound: 40x the grammar's parts gives 50-200 KB,
# which linear code summarizes in well under a second and a quadratic splitter did not (`"!" * 81_884`: 5.5 s
# against an allowance of 5.4 s; 200,000: 32 s). Few examples, each up to a second, and no shrinking: every
# step of it would rerun a slow input (it spent 5 minutes on one), and the size is what matters here.
@pytest.mark.parametrize("grammar", ["pathological", "news"])
@settings(
    FUZZ_SETTINGS, max_examples=min(FUZZ_SETTINGS.max_examples, 6), phases=[Phase.explicit, Phase.reuse, Phase.generate]
)
@given(data=st.data())
def test_large_inputs_stay_within_the_time_bound(grammar: str, data: st.DataObject) -> None:
    timed_run(data.draw(cases(grammar, scale=40), label="case"))

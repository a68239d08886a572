"""Every input the fuzz campaign (issue #19 and benchmarks/fuzz.py) broke summarize() with, kept as a test.

Each input must now give a sound result (`check_summary`: UTF-8 everywhere, spans rebuild every bullet) or
a `HighlightsError`. The inputs that were super-linear run in a child process under a hang guard, and their
CPU time at n and 8n is compared: linear work takes at most 8x as long (the fixed part only lowers the
ratio), so a ratio above 20 is growth, not noise; the quadratic splitter gave 50x and more.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from fuzz_strategies import METHODS, FuzzCase, run_case

HANG_GUARD_S = 60  # the child is killed past this: a regression fails instead of hanging the suite
MAX_GROWTH_FOR_8X = 20

ARTICLE = (
    "Engineers closed the Elm Street bridge on Monday after inspectors found cracks in two of its supports.\n\n"
    "The city said repairs would take at least six weeks and cost about $2 million.\n\n"
    "Commuters were told to use the ferry, which will run every 15 minutes during the morning rush.\n\n"
    '"We are not taking any chances with people\'s safety," the mayor said at a news conference.'
)

# Lone surrogates: summarize() returned them, and to_dict/render/bullets could not be encoded as UTF-8
# (7,269 fuzzed results). Each place a surrogate can reach the output: a chosen sentence, the title, the
# reference highlights block, the start of the text, a reversed pair, and bytes that encode a surrogate.
SURROGATE_ARTICLES = [
    ARTICLE.replace("cracks", "cracks \udc80"),
    ARTICLE.replace("Engineers", "\ud800Engineers"),
    "Bridge \udfff closed\n\n" + ARTICLE,
    "Story highlights\nThe bridge \udbff is shut\n\n" + ARTICLE,
    ARTICLE.replace("ferry", "ferry \udc00\ud800"),
    ARTICLE.encode().replace(b"cracks", b"cracks \xed\xa0\x80"),
    ARTICLE.replace("bridge", "bridge\udc80").encode("utf-8", "surrogateescape"),
    ARTICLE.replace("mayor", "mayor\ud83d").encode("utf-16", "surrogatepass"),
]
# Scraps the property tests shrank failures to: too little to be sure of bullets, but never a crash.
SURROGATE_SCRAPS = ["the\ud800the.\n\n", "\u2022 the\ud800the.\n\n"]


@pytest.mark.parametrize(
    "content", SURROGATE_ARTICLES + SURROGATE_SCRAPS, ids=range(len(SURROGATE_ARTICLES) + len(SURROGATE_SCRAPS))
)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("compress", [True, False], ids=["compress", "whole"])
def test_lone_surrogates_never_reach_the_output(content: str | bytes, method: str, compress: bool) -> None:
    # run_case checks to_dict as JSON, render in every format, every bullet and the spans
    outcome = run_case(FuzzCase(content, method=method, compress=compress))
    assert outcome == "ok" or content in SURROGATE_SCRAPS, outcome


# lxml's HTML parser raised a bare AssertionError on ~1 in 400 fuzzed HTML inputs.
MALFORMED_HTML = [
    "<svg><article><script<html><p>",
    "<svg><article><script<html><p>The mayor said the bridge would close on Monday.</p>",
    "<html><body><svg><article><script<html><p>Text. More text.</p></body></html>",
    "<math><template><svg><article><script<p>",
    "<!doctype html><svg><foreignObject><article><script<html>",
]


@pytest.mark.parametrize("html", MALFORMED_HTML)
@pytest.mark.parametrize("fmt", ["auto", "html"])
def test_malformed_html_is_read_or_refused_cleanly(html: str, fmt: str) -> None:
    for method in METHODS:
        run_case(FuzzCase(html, method=method, format=fmt))  # a sound result or a HighlightsError, nothing else


# Inputs that were super-linear, each at n and 8n characters (CPU seconds):
#   "!" runs: 32 s for 200,000 in the sentence splitter;
#   short lines without punctuation: 4.8 s at 1 MB, 26 s at 2 MB, more than 200 s at 10 MB.
# The small size is timed twice (the best counts), the large once: noise there can only raise the ratio, and
# linear work leaves it a 2.5x margin.
GROWTH_SHAPES = {
    "exclamation marks": ("'!' * n", 125_000),
    "short lines": ("('word word\\n' * (n // 10 + 1))[:n]", 125_000),
    "varied short lines": (
        "''.join(' '.join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) + '\\n' for _ in range(n // 12))",
        125_000,
    ),
    # Found by benchmarks/fuzz.py: markup that trafilatura found no text in went to html.parser (the fallback
    # visible_text), which rescanned the rest of the input at every unclosed tag or comment: 40 KB of `<a `
    # took 12 s, 120 KB of `<!--` 6 s. Fixed in 6d444b3 (visible_text is one linear pass).
    "unclosed tags": ("'<html><body>' + '<a ' * (n // 3)", 2_000),
    "unclosed comments": ("'<html><body>' + '<!--' * (n // 4)", 8_000),
}

_CHILD = textwrap.dedent(
    """
    import json, random, sys, time
    from highlights import HighlightsError, summarize

    WORDS = "the mayor said bridge city river police would close after cracks".split()
    expression, small = sys.argv[1], int(sys.argv[2])
    summarize("Warm up. The models load once.")

    def cpu_seconds(n, repeat):
        text = eval(expression, {"n": n, "rng": random.Random(n), "WORDS": WORDS})
        best = None
        for _ in range(repeat):
            start = time.process_time()
            try:
                summarize(text)
            except HighlightsError:
                pass
            elapsed = time.process_time() - start
            best = elapsed if best is None else min(best, elapsed)
        return best

    print(json.dumps({"small": cpu_seconds(small, 2), "large": cpu_seconds(8 * small, 1)}))
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("shape", GROWTH_SHAPES)
def test_time_grows_linearly_on_inputs_that_were_quadratic(shape: str) -> None:
    expression, small = GROWTH_SHAPES[shape]
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, expression, str(small)], capture_output=True, text=True, timeout=HANG_GUARD_S
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{shape}: summarize() at {small:,} and {8 * small:,} characters ran past {HANG_GUARD_S} s")
    assert done.returncode == 0, done.stderr[-3000:]
    seconds = json.loads(done.stdout.splitlines()[-1])
    growth = seconds["large"] / max(seconds["small"], 0.05)  # a floor: a few ms are mostly timer and GC noise
    assert growth <= MAX_GROWTH_FOR_8X, f"{shape}: 8x the input took {growth:.1f}x the CPU time ({seconds})"

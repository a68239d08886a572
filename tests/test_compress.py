"""Compression: each deletion rule on a sentence written for the test, the guard, the spans invariant, and
faithfulness (every bullet is its source spans joined plus recorded fix-ups) on a validation slice."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import CNNDM, shared_file
from highlights import Budget, Span, render, summarize
from highlights.cli import app
from highlights.compress import CUT_KINDS, RULE_NAMES, Cut, apply_cuts, apply_fixups, compress_sentence, guard_reason
from highlights.ingest import ingest
from highlights.ingest.ptb import detokenize
from highlights.ingest.sources import iter_records
from highlights.segment import segment


def shorten(sentence: str, rules: tuple[str, ...] = RULE_NAMES) -> tuple[str, list[str]]:
    """The compressed text of a one-sentence article and the rules that fired; checks the invariant."""
    result = compress_sentence(sentence, Span(0, len(sentence)), rules)
    joined = " ".join(span.of(sentence) for span in result.spans)
    assert result.joined(sentence) == joined
    assert apply_fixups(joined, result.fixups) == result.text(sentence)
    return result.text(sentence), [name for name, _ in result.deletions]


@pytest.mark.parametrize(
    ("rule", "sentence", "expected"),
    [
        (
            "parenthetical",
            "The mayor (pictured) opened the new bridge over the river.",
            "The mayor opened the new bridge over the river.",
        ),
        (
            "dash-parenthetical",
            "The locked door -- made stronger after the attacks -- kept the pilot out of the cockpit.",
            "The locked door kept the pilot out of the cockpit.",
        ),
        (
            "attribution",
            "Three people were hurt in the fire at the factory, police said.",
            "Police: Three people were hurt in the fire at the factory.",  # whose claim it is stays, CNN's way
        ),
        (
            "attribution",
            "The factory had failed two safety inspections, according to the county report.",
            "County report: The factory had failed two safety inspections.",
        ),
        (
            "quote-framing",
            '"We will rebuild the whole school by next summer," the principal said.',
            'Principal: "We will rebuild the whole school by next summer."',
        ),
        (
            "leading-phrase",
            "On Tuesday, the council voted to close the old library for good.",
            "The council voted to close the old library for good.",
        ),
        (
            "leading-connective",
            "But the council voted to close the old library for good.",
            "The council voted to close the old library for good.",
        ),
        (
            "relative-clause",
            "The driver, who had worked for the firm for years, was arrested at the scene.",
            "The driver was arrested at the scene.",
        ),
        (
            "relative-clause-end",
            "The team lost the final to Leeds, which had been promoted only last season.",
            "The team lost the final to Leeds.",
        ),
        (
            "subordinate-end",
            "The airport reopened its runway on Friday, after the snow was cleared overnight.",
            "The airport reopened its runway on Friday.",
        ),
        (
            "trailing-clause",
            "The storm knocked out power to more than two hundred thousand homes across the state, "
            "and crews from four neighbouring counties expect the repairs to the damaged lines to take most of the week.",
            "The storm knocked out power to more than two hundred thousand homes across the state.",
        ),
    ],
)
def test_each_rule_deletes_its_span(rule, sentence, expected):
    text, fired = shorten(sentence, (rule,))
    assert fired == [rule]
    assert text == expected


def test_rules_work_on_lowercased_text():
    text, fired = shorten("three people were hurt in the fire at the factory, police said.")
    # No capital invented on the claim (the source had none); the speaker's label is CNN's form.
    assert text == "Police: three people were hurt in the fire at the factory."
    assert fired == ["attribution"]


def test_capitalisation_and_final_mark_are_recorded_fixups():
    sentence = "On Tuesday, the council voted to close the library, officials said."
    result = compress_sentence(sentence, Span(0, len(sentence)))
    assert result.joined(sentence) == "the council voted to close the library"
    assert [(f.reason, f.old, f.new) for f in result.fixups] == [
        ("end-punctuation", "", "."),
        ("capitalize", "t", "T"),
        ("attribution", "", "Officials: "),  # the speaker the cut took, as CNN labels a claim
    ]
    assert result.text(sentence) == "Officials: The council voted to close the library."


def test_spans_are_offsets_into_the_article_not_the_sentence():
    article = "Headline words here.\n\nThe mayor (pictured) opened the new bridge over the river on Sunday."
    start = article.index("The mayor")
    result = compress_sentence(article, Span(start, len(article)))
    assert [s.of(article) for s in result.spans] == ["The mayor", "opened the new bridge over the river on Sunday."]
    assert all(start <= s.start < s.end <= len(article) for s in result.spans)
    assert [(name, span.of(article)) for name, span in result.deletions] == [("parenthetical", " (pictured)")]


def test_sentence_without_deletable_span_is_unchanged():
    sentence = "The council voted to close the old library."
    text, fired = shorten(sentence)
    assert text == sentence and fired == []


# --- The guard (each check through its own examples: test_compress_checks.py) ------------------------------


def test_guard_keeps_a_verb():
    sentence = "The new mayor of the small northern town, who was elected in May."
    assert guard_reason(sentence, sentence.index(", who"), len(sentence) - 1) == "no verb left"
    text, _ = shorten(sentence)
    assert "elected" in text


def test_guard_does_not_split_a_quote():
    sentence = '"The storm, which came without warning, destroyed everything we had built," she said.'
    text, fired = shorten(sentence)
    assert "which came without warning" in text
    assert "relative-clause" not in fired
    a = sentence.index(", which")
    assert guard_reason(sentence, a, sentence.index(", destroyed")) == "splits a quote"


def test_guard_keeps_negations():
    sentence = "The company reported a loss for the third year, which nobody on the board had expected."
    text, fired = shorten(sentence, ("relative-clause-end",))
    assert fired == [] and "nobody" in text
    sentence = "Not long after the election, the party split into two rival groups over the budget."
    text, fired = shorten(sentence, ("leading-phrase",))
    assert fired == [] and text.startswith("Not long")


def test_guard_keeps_parentheses_and_dashes_paired():
    sentence = "Actors of color were cast in 79% of the roles (by contrast, others got 3%), a study found."
    assert guard_reason(sentence, sentence.index(", others"), len(sentence) - 1) == "splits a parenthesis"
    sentence = (
        "The locked door -- the very mechanism put in place to protect the cockpit from unruly passengers, "
        "made stronger after the attacks -- was used against a pilot who had left the cockpit for a moment."
    )
    text, _ = shorten(sentence, ("trailing-clause",))
    assert text == sentence


def test_no_clause_cut_inside_a_name_list():
    sentence = (
        "Other banks the gang is suspected of robbing include a Bank of America in McLean, Virginia, "
        "on January 2, a bank in Fairfax on January 16 and a credit union in Arnold on January 30."
    )
    text, fired = shorten(sentence, ("trailing-clause",))
    assert text.startswith("Other banks the gang is suspected of robbing include a Bank of America in McLean, Virginia")
    assert fired == ["trailing-clause"]  # cut at the next break, after the place name


def test_parenthetical_keeps_the_comma_after_it_and_square_brackets():
    text, _ = shorten(
        "The canal will run through Lake Nicaragua (among other areas), the largest lake in the region.",
        ("parenthetical",),
    )
    assert text == "The canal will run through Lake Nicaragua, the largest lake in the region."
    sentence = '"You get used to the life, but [it is hard] when you come back home," the singer told reporters.'
    text, _ = shorten(sentence, ("parenthetical",))
    assert "[it is hard]" in text


def test_leading_and_clause_is_not_a_leading_phrase():
    sentence = "And I can assure you that if the gang caught them, it would not just shout at them, it would hurt them."
    text, fired = shorten(sentence, ("leading-phrase",))
    assert fired == []


def test_guard_refuses_to_leave_too_little():
    sentence = "He left, police said."
    text, fired = shorten(sentence)
    assert text == sentence and fired == []


# --- Through the pipeline ----------------------------------------------------------------------------------

ARTICLE = (
    "Bridge reopens after repairs\n\n"
    "The old river bridge reopened to traffic on Monday after two years of repairs, city officials said. "
    "Engineers replaced every steel cable on the bridge, which had rusted badly in the salty river air. "
    "On Tuesday, more than four thousand cars crossed the bridge before noon, according to the city. "
    "The mayor (pictured) thanked the workers at a small ceremony on the riverbank. "
    "Shops near the bridge said business had doubled since the reopening. "
    "The city plans to paint the bridge green next spring, if the budget allows it."
)


def test_pipeline_compresses_by_default_and_not_when_told_not_to():
    assert summarize(ARTICLE, bullets=3).highlights == summarize(ARTICLE, bullets=3, compress=True).highlights
    plain = summarize(ARTICLE, bullets=3, compress=False)
    compressed = summarize(ARTICLE, bullets=3, compress=True)
    assert all(h.fixups == () for h in plain.highlights)
    assert [h.sentence_index for h in compressed.highlights] == [h.sentence_index for h in plain.highlights]
    assert sum(h.words for h in compressed.highlights) < sum(h.words for h in plain.highlights)
    for h in compressed.highlights:
        assert apply_fixups(" ".join(s.of(compressed.text) for s in h.spans), h.fixups) == h.text


def test_opinion_bullets_keep_the_author_attribution():
    page = (
        "Why the bridge matters\n\n"
        "Maria de la Cruz is a civil engineer and writer. The opinions expressed in this commentary are solely "
        "those of the author.\n\n" + ARTICLE.split("\n\n", 1)[1]
    )
    summary = summarize(page, bullets=2, compress=True)
    assert summary.kind == "opinion"
    first = summary.highlights[0]
    assert first.attribution == "Maria de la Cruz"
    assert first.display == f"Maria de la Cruz: {first.text}"


def test_cli_no_compress_flag_and_json_fixups(tmp_path):
    path = tmp_path / "bridge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    runner = CliRunner()
    plain = json.loads(runner.invoke(app, ["summarize", str(path), "-n", "3", "-f", "json", "--no-compress"]).stdout)
    result = runner.invoke(app, ["summarize", str(path), "-n", "3", "-f", "json"])
    assert result.exit_code == 0
    compressed = json.loads(result.stdout)
    assert any(h["fixups"] for h in compressed["highlights"])
    assert all(h["fixups"] == [] for h in plain["highlights"])
    for h in compressed["highlights"]:
        joined = " ".join(compressed["text"][a:b] for a, b in h["spans"])
        fixed = apply_fixups(joined, tuple(_fixup(f) for f in h["fixups"]))
        assert fixed == h["source_text"]


def _fixup(row: dict):
    from highlights.article import Fixup

    return Fixup(row["position"], row["old"], row["new"], row["reason"])


@pytest.mark.data
@pytest.mark.parametrize(("name", "rows"), [("validation-raw.jsonl.gz", 150), ("validation-lowertok.jsonl.gz", 100)])
def test_every_compressed_bullet_is_source_spans_on_validation_slice(name, rows):
    path = shared_file(CNNDM / name)
    checked = changed = 0
    for n, record in enumerate(iter_records(path)):
        if n >= rows:
            break
        text = detokenize(record.article) if "lowertok" in name else record.article
        plain = summarize(text, format="text", compress=False)
        summary = summarize(text, format="text")
        whole = {h.sentence_index: h for h in plain.highlights}
        # With compression a sentence over the per-bullet budget can be cut to fit, so the choice may differ.
        sentences = segment(ingest(text, format="text")).sentences
        for h in summary.highlights:
            sentence = sentences[h.sentence_index]
            assert all(sentence.span.start <= s.start < s.end <= sentence.span.end for s in h.spans)
            assert all(a.end <= b.start for a, b in zip(h.spans, h.spans[1:]))
            assert apply_fixups(" ".join(s.of(summary.text) for s in h.spans), h.fixups) == h.text
            reasons = ("capitalize", "end-punctuation", "attach-punctuation", "attribution")
            assert all(f.reason in reasons for f in h.fixups)
            assert h.words <= sentence.words
            checked += 1
            changed += h.sentence_index in whole and h.text != whole[h.sentence_index].text
    assert checked > rows  # bullets were produced
    assert changed > checked // 8  # and compression did shorten a good share of them (about a quarter)


def test_service_compresses_unless_asked_not_to_and_returns_the_fixups():
    pytest.importorskip("fastapi", reason="the service needs the `serve` extra (fastapi, uvicorn)")
    from fastapi.testclient import TestClient

    from highlights.service.app import create_app
    from highlights.service.settings import Settings

    client = TestClient(create_app(Settings(warm_up=False)))
    plain = client.post("/v1/highlights", json={"text": ARTICLE, "bullets": 3, "compress": False}).json()
    response = client.post("/v1/highlights", json={"text": ARTICLE, "bullets": 3})
    assert response.status_code == 200
    compressed = response.json()
    assert all(h["fixups"] == [] for h in plain["highlights"])
    assert any(h["fixups"] for h in compressed["highlights"])
    for h in compressed["highlights"]:
        joined = " ".join(compressed["text"][a:b] for a, b in h["spans"])
        assert apply_fixups(joined, tuple(_fixup(f) for f in h["fixups"])) == h["source_text"]


def test_batch_compresses_and_parquet_keeps_the_fixups(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    from highlights.batch.job import Job, run_job
    from highlights.batch.work import Settings
    from highlights.pipeline import Options

    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"id": f"r{k}", "article": ARTICLE}) + "\n" for k in range(3)), encoding="utf-8"
    )
    settings = Settings(Options(compress=True, budget=Budget(bullets=3)), include_text=True)
    run_job(Job([source], tmp_path / "out.jsonl", settings=settings))
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3 and all(any(h["fixups"] for h in row["highlights"]) for row in rows)
    run_job(Job([source], tmp_path / "out.parquet", parquet=True, settings=settings))
    assert pq.ParquetDataset(tmp_path / "out.parquet").read().to_pylist() == rows


def test_each_compressed_bullet_says_what_was_cut_and_why():
    summary = summarize(ARTICLE, bullets=3)
    plain = summarize(ARTICLE, bullets=3, compress=False)
    assert any(h.deleted for h in summary.highlights) and all(not h.deleted for h in plain.highlights)
    for h, whole in zip(summary.highlights, plain.highlights):
        sentence = Span(whole.spans[0].start, whole.spans[-1].end)
        for cut in h.deleted:
            assert cut.kind in CUT_KINDS
            assert sentence.start <= cut.span.start < cut.span.end <= sentence.end
        # Every word of the sentence is either kept or cut, once.
        kept = " ".join(s.of(summary.text) for s in h.spans).split()
        cut_words = sum((d.span.of(summary.text).split() for d in h.deleted), [])
        assert sorted(w.strip(",.;:") for w in kept + cut_words if w.strip(",.;:")) == sorted(
            w.strip(",.;:") for w in sentence.of(summary.text).split() if w.strip(",.;:")
        )
    row = json.loads(render(summary, "json"))
    assert [[d["kind"] for d in h["deleted"]] for h in row["highlights"]] == [
        [d.kind for d in h.deleted] for h in summary.highlights
    ]


def test_a_quotation_s_final_comma_left_detached_by_two_cuts_ends_the_bullet():
    sentence = (
        "'During the assault, the victim apparently suffered a cardiac event which resulted in her death,' "
        "Prosecutor John L. Molinelli said in a statement."
    )
    inner = sentence.index(" which resulted")
    framing = sentence.index(" Prosecutor")
    cuts = [Cut(framing, len(sentence), "quote-framing"), Cut(inner, sentence.index(",'"), "inner-comma")]
    result = apply_cuts(sentence, Span(0, len(sentence)), cuts)
    assert result.text(sentence) == (
        "Prosecutor John L. Molinelli: 'During the assault, the victim apparently suffered a cardiac event.'"
    )
    assert apply_fixups(result.joined(sentence), result.fixups) == result.text(sentence)

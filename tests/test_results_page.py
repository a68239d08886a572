"""BENCHMARKS.md's generated blocks: the page says what benchmarks/results/*.json say, and recording and rendering a
result keep its provenance and its numbers."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))  # the benchmark scripts' own modules, as they import each other

import recording  # noqa: E402
import render_results  # noqa: E402


def test_the_page_shows_what_the_recorded_results_say():
    page = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
    results = render_results.load_results()
    assert set(results) == set(recording.AREAS), "every area has a recorded result"
    assert render_results.render_page(page, results) == page, "run benchmarks/render_results.py"


def test_check_passes_on_the_page_as_committed(capsys):
    assert render_results.main(["--check"]) == 0, capsys.readouterr().err


# --- a made-up result in a made-up checkout ----------------------------------------------------------------------


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A committed tree with a model folder, a benchmark script and a page with one block."""
    root = tmp_path / "checkout"
    models = root / "src" / "highlights" / "models"
    models.mkdir(parents=True)
    (models / "meta.json").write_text('{"format": 1, "models": {}}\n')
    (models / "learned.lgb.txt").write_text("tree\n")
    (root / "benchmarks").mkdir()
    (root / "benchmarks" / "speedy.py").write_text("")
    (root / "BENCHMARKS.md").write_text(
        "# Benchmarks\n\nHand-written prose.\n\n<!-- results:speed -->\nold table\n<!-- /results:speed -->\n\nAfter.\n"
    )
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    return root


COLUMNS = [recording.Column("method"), recording.Column("articles"), recording.Column("articles/s", 1)]
ROWS = [["lead", 1000, 812.3456], ["learned | compressed", 1000, None]]


def _record(checkout: Path, **changes) -> dict:
    run = recording.begin(checkout, [str(checkout / "benchmarks" / "speedy.py"), "DATA", "--record"], **changes)
    path = recording.record(run, "speed", {"methods": ["lead", "learned"]}, COLUMNS, ROWS, ["A note."])
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_record_says_when_where_what_and_keeps_numbers_unrounded(checkout):
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True, text=True).stdout.strip()
    result = _record(checkout)
    assert result["area"] == "speed" and result["commit"] == commit and result["uncommitted"] == []
    assert result["command"] == "benchmarks/speedy.py DATA --record"
    assert result["machine"]["cpus_visible"] >= 1 and result["machine"]["python"]
    assert result["configuration"]["methods"] == ["lead", "learned"]
    assert result["configuration"]["models"]["meta"] == {"format": 1, "models": {}}
    assert len(result["configuration"]["models"]["digest"]) == 64
    assert result["table"]["rows"] == ROWS
    assert result["table"]["columns"][2] == {"name": "articles/s", "digits": 1}


def test_the_model_digest_changes_with_a_model_file(checkout):
    before = recording.models(checkout / "src" / "highlights" / "models")["digest"]
    (checkout / "src" / "highlights" / "models" / "learned.lgb.txt").write_text("another tree\n")
    assert recording.models(checkout / "src" / "highlights" / "models")["digest"] != before


def test_uncommitted_changes_are_refused_or_named(checkout):
    (checkout / "benchmarks" / "speedy.py").write_text("changed = True\n")
    with pytest.raises(recording.RecordError, match="uncommitted changes.*speedy.py.*--allow-dirty"):
        _record(checkout)
    result = _record(checkout, allow_dirty=True)
    assert result["uncommitted"] == ["benchmarks/speedy.py"]
    assert "**Measured with uncommitted changes: benchmarks/speedy.py.**" in render_results.render_block(result)


def test_outputs_of_a_benchmark_do_not_make_the_tree_dirty(checkout):
    (checkout / "BENCHMARKS.md").write_text("edited\n")
    (checkout / "benchmarks" / "results").mkdir()
    (checkout / "benchmarks" / "results" / "quality.json").write_text("{}\n")
    assert recording.uncommitted_paths(checkout) == []


def test_highlights_from_another_checkout_is_refused(tmp_path):
    with pytest.raises(recording.RecordError, match="not from this checkout"):
        recording.check_imported_from(tmp_path)
    args = argparse.Namespace(record=False, allow_dirty=False)
    assert recording.start(args, tmp_path) is None  # nothing is checked when nothing is recorded


def test_a_row_that_does_not_fit_the_columns_is_refused(checkout):
    run = recording.begin(checkout, ["benchmarks/speedy.py"])
    with pytest.raises(ValueError, match="2 cells under 3 columns"):
        recording.result(run, "speed", {}, COLUMNS, [["lead", 3]])
    with pytest.raises(ValueError, match="unknown area"):
        recording.result(run, "sped", {}, COLUMNS, ROWS)


def test_a_block_has_its_provenance_command_and_rounded_table(checkout):
    result = _record(checkout)
    block = render_results.render_block(result)
    lines = block.splitlines()
    assert lines[0].startswith(f"Measured {result['date_utc']} UTC at commit `{result['commit'][:7]}`")
    assert f"model files `{result['configuration']['models']['digest'][:8]}`" in lines[0]
    assert f"on {result['machine']['cpus_visible']} CPUs" in lines[0]
    assert lines[2:5] == ["```", ".venv/bin/python benchmarks/speedy.py DATA --record", "```"]
    assert lines[6:10] == [
        "| method | articles | articles/s |",
        "|---|---|---:|",
        "| lead | 1,000 | 812.3 |",
        "| learned \\| compressed | 1,000 | – |",
    ]
    assert lines[-1] == "A note."


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (recording.interval(28.9512, 28.3249, 29.5701), 2, "28.95 [28.32, 29.57]"),
        (recording.difference(1.1449, 0.951, 1.33, 0.001998), 2, "+1.14 [+0.95, +1.33], p 0.002"),
        (recording.difference(-0.0449), 2, "-0.04"),
        (4368, None, "4,368"),
        (0.4, 0, "0"),
        (True, None, "yes"),
    ],
)
def test_cells_are_rounded_by_the_renderer(value, digits, shown):
    assert render_results.cell(value, digits) == shown


def test_rendering_keeps_the_prose_and_check_fails_until_rendered(checkout, capsys):
    _record(checkout)
    page, results = checkout / "BENCHMARKS.md", checkout / "benchmarks" / "results"
    arguments = ["--page", str(page), "--results", str(results)]
    assert render_results.main(["--check", *arguments]) == 1
    assert "run benchmarks/render_results.py" in capsys.readouterr().err
    assert render_results.main(arguments) == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nHand-written prose.\n\n<!-- results:speed -->\nMeasured ")
    assert text.endswith("A note.\n<!-- /results:speed -->\n\nAfter.\n")
    assert "old table" not in text
    assert render_results.main(["--check", *arguments]) == 0


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        ("<!-- results:speed -->\n<!-- /results:speed -->\n<!-- results:batch -->\n<!-- /results:batch -->\n", "batch"),
        ("no blocks at all\n", "no <!-- results:AREA --> block on the page for speed"),
        ("<!-- results:speed -->\nnever closed\n", "no closing <!-- /results:AREA --> for speed"),
    ],
)
def test_a_page_and_results_that_disagree_are_an_error(checkout, capsys, page, reason):
    _record(checkout)
    (checkout / "BENCHMARKS.md").write_text(page)
    arguments = ["--page", str(checkout / "BENCHMARKS.md"), "--results", str(checkout / "benchmarks" / "results")]
    assert render_results.main(arguments) == 2
    assert reason in capsys.readouterr().err


def test_a_broken_result_file_is_named_not_a_traceback(tmp_path, capsys):
    (tmp_path / "speed.json").write_text("{not json")
    page = tmp_path / "page.md"
    page.write_text("text\n")
    assert render_results.main(["--page", str(page), "--results", str(tmp_path)]) == 2
    assert "speed.json: not JSON" in capsys.readouterr().err
    (tmp_path / "speed.json").write_text('{"area": "speed"}')
    assert render_results.main(["--page", str(page), "--results", str(tmp_path)]) == 2
    assert "speed.json: no date_utc" in capsys.readouterr().err

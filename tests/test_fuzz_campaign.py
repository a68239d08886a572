"""benchmarks/fuzz.py keeps working: a 200-input campaign end to end, and a failure is saved, reloaded, shrunk."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fuzz_strategies import FuzzCase

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz.py"


def load_script():
    spec = importlib.util.spec_from_file_location("fuzz_campaign", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_small_campaign_runs_every_strategy_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "campaign"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--inputs",
            "200",
            "--workers",
            "1",
            "--seed",
            "7",
            "--out",
            str(out),
            "--minimize-seconds",
            "5",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["inputs"] >= 200
    assert all(s["inputs"] > 0 for s in summary["strategies"].values()), summary["strategies"]
    assert {"text", "bytes", "news", "html", "encoded", "pathological", "segment", "hypothesis"} <= set(
        summary["strategies"]
    )
    assert summary["crashes"] == 0 and summary["violations"] == 0, summary["failures"]
    assert summary["inputs_per_second"] > 0 and summary["slowest"]["chars"] is not None
    assert (out / "summary.md").read_text().count("\n") == 3  # header, rule, the campaign's line
    assert (out / "slowest.json").exists()


def test_a_failure_is_saved_reloaded_and_minimized(tmp_path: Path) -> None:
    fuzz = load_script()
    # An unknown format is a programming error (ValueError), so the campaign counts it as a crash.
    case = FuzzCase("The mayor said the bridge would close.", format="no-such-format")
    stats = fuzz.ChunkStats("news")
    fuzz.run_one(case, stats, tmp_path, "test", hang_seconds=None)
    ((signature, failure),) = stats.failures.items()
    assert failure["kind"] == "crash" and failure["count"] == 1 and signature.startswith("ValueError at ")
    record = json.loads(Path(failure["files"][0]).read_text())
    assert FuzzCase.from_json(record["case"]) == case and "Traceback" in record["traceback"]
    smaller = fuzz.minimize(case, signature, time.time() + 30)
    assert len(smaller.content) == 1  # one character that is not space gets past the empty-input check


def test_cases_survive_json_with_surrogates_and_bytes() -> None:
    for content in ("a\ud800b\udfff", b"\xff\xfe\x00a\xed\xa0\x80"):
        case = FuzzCase(content, method="lead", compress=False, bullets=2)
        assert FuzzCase.from_json(json.loads(json.dumps(case.to_json()))) == case

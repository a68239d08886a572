"""Quality of the shipped configuration: Lead-3, the learned method on whole sentences, and the default (learned,
compressed), side by side on both CNN/DailyMail validation sets.

    .venv/bin/python benchmarks/quality.py            # prints each set's eval table and the summary table
    .venv/bin/python benchmarks/quality.py --record   # and writes benchmarks/results/quality.json

Runs `highlights eval` once per set, as a user would (a subprocess, its report in a temporary folder), and reads
its report.json (means, 95% intervals, bullets, words) and per_article.jsonl, from which the paired differences
(the default against whole sentences and against Lead-3) get their interval and p-value from the eval's own
bootstrap (`highlights.evaluate.stats`, same resamples and seed). Lead-3 is also set against the figures the data's
README gives (../shared/data/cnndm/README.md), the check that the harness scores as expected.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

import recording
import render_results
from highlights.evaluate.stats import bootstrap_ci, paired_bootstrap_p

CNNDM = recording.ROOT.parent / "shared" / "data" / "cnndm"
# name: (file, eval options, what the rows are)
SETS = {
    "validation-raw": (CNNDM / "validation-raw.jsonl.gz", [], "CNN"),
    "validation-lowertok": (CNNDM / "validation-lowertok.jsonl.gz", ["--detokenize", "ptb"], "mixed"),
}
# eval system: its row's name
SYSTEMS = {
    "lead-3": "Lead-3",
    "learned:compress=false": "learned, whole sentences",
    "learned": "learned, compressed (default)",
}
DEFAULT, WHOLE, LEAD = "learned", "learned:compress=false", "lead-3"
ROUGE = ("rouge1", "rouge2", "rougeLsum")
# Lead-3 as ../shared/data/cnndm/README.md scores it (R1, R2, RLsum), for the harness check.
README_LEAD3 = {"validation-raw": (28.60, 10.64, 25.39), "validation-lowertok": (39.61, 17.29, 35.93)}


def eval_command(data: Path, options: list[str], out: Path, limit: int | None) -> list[str]:
    systems = [part for system in SYSTEMS for part in ("-s", system)]
    command = ["highlights", "eval", _shown(data), *options, *systems, "--baseline", LEAD, "--out", str(out)]
    return command + (["--limit", str(limit)] if limit else []) + ["--no-plots", "--no-progress"]


def _shown(path: Path) -> str:
    """`path` as the page shows it: relative to the repository root."""
    return os.path.relpath(path, recording.ROOT)


def run_eval(data: Path, options: list[str], out: Path, limit: int | None) -> tuple[dict, dict[str, dict]]:
    """Run the eval; its report.json, and each system's per-article ROUGE scores ({system: {kind: array}})."""
    command = eval_command(data, options, out, limit)
    # The same interpreter, so the checkout whose commit is recorded is the one that runs.
    subprocess.run([sys.executable, "-m", "highlights.cli", *command[1:]], check=True, cwd=recording.ROOT)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    ids: dict[str, list[str]] = {system: [] for system in SYSTEMS}
    scores: dict[str, dict[str, list[float]]] = {system: {kind: [] for kind in ROUGE} for system in SYSTEMS}
    with (out / "per_article.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            ids[row["system"]].append(row["id"])
            for kind in ROUGE:
                scores[row["system"]][kind].append(row[kind])
    if any(ids[system] != ids[LEAD] for system in SYSTEMS):
        raise SystemExit(f"{out / 'per_article.jsonl'}: the systems were not scored on the same articles")
    arrays = {
        system: {kind: np.asarray(values) for kind, values in by_kind.items()} for system, by_kind in scores.items()
    }
    return report, arrays


def paired(scores: dict[str, dict], better: str, base: str, resamples: int, seed: int) -> list[dict]:
    """`better` − `base` for each ROUGE: the mean paired difference, its 95% interval and two-sided p."""
    cells = []
    for kind in ROUGE:
        a, b = scores[base][kind], scores[better][kind]
        spread = bootstrap_ci(b - a, resamples=resamples, seed=seed)
        p = paired_bootstrap_p(a, b, resamples=resamples, seed=seed)
        cells.append(recording.difference(spread.mean, spread.low, spread.high, p))
    return cells


def set_rows(name: str, report: dict, scores: dict[str, dict], complete: bool) -> list[list]:
    """The table's rows for one set: each system, the reference highlights, and the differences (against the data
    README's Lead-3 too when the set was scored `complete`)."""
    meta = report["meta"]
    by_system = {row["system"]: row for row in report["systems"]}
    resamples, seed = meta["resamples"], meta["seed"]
    label = f"{name} ({meta['articles']:,} {SETS[name][2]})"
    rows = []
    for system, shown in SYSTEMS.items():
        row = by_system[system]
        rouge = [recording.interval(**row["rouge"][kind]) for kind in ROUGE]
        rows.append([label if not rows else "", shown, *rouge, row["bullets_per_article"], row["words_per_bullet"]])
    reference = by_system["reference"]
    rows.append(
        ["", "reference highlights", None, None, None, reference["bullets_per_article"], reference["words_per_bullet"]]
    )
    rows.append(["", "default − whole sentences", *paired(scores, DEFAULT, WHOLE, resamples, seed), None, None])
    rows.append(["", "default − Lead-3", *paired(scores, DEFAULT, LEAD, resamples, seed), None, None])
    if complete:  # the README's figures are of the whole set
        lead = by_system[LEAD]["rouge"]
        readme = [recording.difference(lead[kind]["mean"] - value) for kind, value in zip(ROUGE, README_LEAD3[name])]
        rows.append(["", "Lead-3 − the data README's", *readme, None, None])
    return rows


def errors_note(name: str, report: dict) -> list[str]:
    failed = [f"{row['system']} {row['errors']}" for row in report["systems"] if row.get("errors")]
    return [f"Articles a system failed on (scored 0) in {name}: {', '.join(failed)}."] if failed else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join(SETS), help="which sets, comma-separated [default: both]")
    parser.add_argument("--limit", type=int, help="score only the first N articles of each set (a quick try)")
    recording.add_arguments(parser)
    args = parser.parse_args()
    names = args.sets.split(",")
    unknown = [name for name in names if name not in SETS]
    if unknown:
        parser.error(f"unknown set {', '.join(unknown)}; the sets: {', '.join(SETS)}")
    missing = [str(SETS[name][0]) for name in names if not SETS[name][0].exists()]
    if missing:
        sys.exit(f"not here: {', '.join(missing)} (../shared holds the data; it is not shipped)")
    run_record = recording.start_or_exit(args)
    rows, notes, commands, versions = [], [], [], {}
    with tempfile.TemporaryDirectory(prefix="highlights-quality-") as tmp:
        for name in names:
            data, options, _ = SETS[name]
            out = Path(tmp) / name
            report, scores = run_eval(data, options, out, args.limit)
            rows += set_rows(name, report, scores, complete=args.limit is None)
            notes += errors_note(name, report)
            commands.append(" ".join(eval_command(data, options, Path(f"reports/eval-{name}"), args.limit)))
            versions = report["meta"]["versions"]
    columns = [
        recording.Column("set"),
        recording.Column("system"),
        recording.Column("ROUGE-1", 2),
        recording.Column("ROUGE-2", 2),
        recording.Column("ROUGE-Lsum", 2),
        recording.Column("bullets", 2),
        recording.Column("words/bullet", 1),
    ]
    print("\n" + "\n".join(render_results.table([column.as_json() for column in columns], rows)))
    if run_record:
        configuration = {"sets": names, "systems": list(SYSTEMS), "limit": args.limit, "eval_commands": commands}
        configuration["versions"] = versions
        recording.record(run_record, "quality", configuration, columns, rows, notes)


if __name__ == "__main__":
    main()

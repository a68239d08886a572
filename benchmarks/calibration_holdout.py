"""How much of `learned`'s score on validation-raw comes from calibrating on validation-raw itself?

    .venv/bin/python benchmarks/calibration_holdout.py

The shipped calibration offsets (`learned.json`, "calibration": per kind of story, offsets for 2 and 4 bullets and
one per word) are fitted by `highlights train --calibrate validation-lowertok --calibrate-raw validation-raw`, so
validation-raw is in-sample for them. This refits only the offsets on the shipped sentence, bullet and summary
models (`train.calibrate_offsets`, the same search) and scores validation-raw with them, through the whole
pipeline (`highlights eval`'s harness, compressed and whole sentences):

- in-sample: the shipped offsets;
- two-fold: validation-lowertok plus the even raw rows, measured on the odd rows, and the other way round
  (the two halves' scores pooled: every raw article scored by offsets that did not see it);
- tokenized only: validation-lowertok alone (its CNN stories are older ones, with more highlights).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

from highlights.evaluate.data import load_dataset
from highlights.evaluate.harness import evaluate
from highlights.evaluate.systems import build_system
from highlights.score import register
from highlights.score.learned import POLICY_FILE, LearnedScorer, default_model_dir
from highlights.train import calibrate_offsets

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cnndm"
METRICS = ("rouge1", "rouge2", "rougeLsum")


def model_with_offsets(root: Path, name: str, offsets: dict) -> Path:
    """A copy of the shipped model files with `offsets` as the calibration."""
    folder = root / name
    shutil.copytree(default_model_dir(), folder)
    metadata = json.loads((folder / POLICY_FILE).read_text(encoding="utf-8"))
    metadata["calibration"] = offsets
    (folder / POLICY_FILE).write_text(json.dumps(metadata, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return folder


def scores(method: str, articles: list) -> dict[str, np.ndarray]:
    """Per article, ROUGE of `method` compressed and with whole sentences."""
    systems = [build_system(method), build_system(f"{method}:compress=false")]
    compressed, whole = evaluate(systems, articles, memory_articles=0)
    return {
        "compressed": np.stack([compressed.scores(m) for m in METRICS], axis=1),
        "whole": np.stack([whole.scores(m) for m in METRICS], axis=1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokenized", type=Path, default=DATA / "validation-lowertok.jsonl.gz")
    parser.add_argument("--raw", type=Path, default=DATA / "validation-raw.jsonl.gz")
    args = parser.parse_args()

    articles = load_dataset(args.raw).articles
    opener = gzip.open if args.raw.suffix == ".gz" else open
    with opener(args.raw, "rt", encoding="utf-8") as source:
        rows = [line for line in source.read().splitlines() if line.strip()]
    assert len(rows) == len(articles), "every raw row must be a usable article for the halves to line up"
    results: dict[str, dict[str, np.ndarray]] = {"in-sample (shipped offsets)": scores("learned", articles)}
    offsets_used: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pooled = {
            "compressed": np.zeros((len(articles), len(METRICS))),
            "whole": np.zeros((len(articles), len(METRICS))),
        }
        for half in (0, 1):
            fit = root / f"raw-half-{half}.jsonl.gz"
            with gzip.open(fit, "wt", encoding="utf-8") as out:
                out.write("\n".join(rows[half::2]) + "\n")
            offsets = calibrate_offsets(default_model_dir(), [args.tokenized], [fit])
            offsets_used[f"tokenized + raw rows {half}::2"] = offsets
            folder = model_with_offsets(root, f"half-{half}", offsets)
            name = f"learned-calibrated-on-half-{half}"
            register(name)(lambda folder=folder: LearnedScorer(folder))
            other = slice(1 - half, None, 2)
            for kind, table in scores(name, articles[other]).items():
                pooled[kind][other] = table
        results["two-fold (tokenized + the other raw half)"] = pooled
        offsets = calibrate_offsets(default_model_dir(), [args.tokenized])
        offsets_used["tokenized only"] = offsets
        folder = model_with_offsets(root, "tokenized-only", offsets)
        register("learned-calibrated-on-tokenized")(lambda: LearnedScorer(folder))
        results["tokenized only"] = scores("learned-calibrated-on-tokenized", articles)

    for name, offsets in offsets_used.items():
        print(f"offsets, {name}: {json.dumps(offsets, sort_keys=True)}")
    print(f"\n{args.raw.name}, {len(articles)} articles\n")
    print("| calibration offsets fitted on | compressed R1 / R2 / RLsum | whole sentences R1 / R2 / RLsum |")
    print("|---|---|---|")
    for name, table in results.items():
        cells = [" / ".join(f"{v:.2f}" for v in table[kind].mean(axis=0)) for kind in ("compressed", "whole")]
        print(f"| {name} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()

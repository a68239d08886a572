"""Is the calibration split big enough, and do offsets fitted on it help? A two-fold look within that split.

    .venv/bin/python benchmarks/calibration_holdout.py

The calibration offsets (`learned.json`, "calibration": per kind of story, offsets for 2 and 4 bullets and one per
word) are fitted by `highlights train --calibration-split N --calibrate-raw ...` on training rows held out of every
model (`train.calibration_split`; which ones is in `learned.json`'s "training" block), and kept only where a
two-fold check on those rows says they help (`train.checked_offsets`). This rebuilds that split, rates every
held-out article's candidate summaries once with the shipped models (no offsets), and per kind of story splits the
articles in two halves: offsets fitted on the first n articles of one half (the same search) choose the summaries
of the other half, both ways round. The mean ROUGE-1 + 3 × ROUGE-2 of the chosen summaries (whole sentences, no
compression), and their bullets, against n say how much the offsets can gain and whether more rows would still
move them. No validation row is read.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
from pathlib import Path

import numpy as np

from highlights.score.learned import MAX_BULLETS, MIN_BULLETS, POLICY_FILE, default_model_dir
from highlights.train import (
    RatedSummaries,
    _best_offsets,
    checked_offsets,
    chosen_summaries,
    no_offsets,
    rate_calibration_articles,
    training_rows,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cnndm"
SUBSETS = (250, 500, 1000, 2000)


def chosen(articles: list[RatedSummaries], offsets: dict) -> tuple[float, float]:
    """Mean target and mean bullets of the summaries that rating + `offsets` choose."""
    picks = chosen_summaries(articles, offsets)
    return (
        float(np.mean([a.target[k] for a, k in zip(articles, picks)])),
        float(np.mean([a.sizes[k] for a, k in zip(articles, picks)])),
    )


def offsets_text(offsets: dict) -> str:
    sizes = " / ".join(f"{offsets['sizes'][str(m)]:+.1f}" for m in range(MIN_BULLETS, MAX_BULLETS + 1))
    return f"{sizes}, {offsets['per_word']:+.3f}/word"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=default_model_dir())
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the training files named in learned.json")
    parser.add_argument("--limit", type=int, help="the --limit the models were trained with, if any")
    parser.add_argument("--seed", type=int, default=0, help="seed of the subsets drawn from each half")
    args = parser.parse_args()

    metadata = json.loads((args.models / POLICY_FILE).read_text(encoding="utf-8"))
    training = metadata["training"]
    split = training["calibration_split"]
    rows = training_rows(
        args.data / training["data"],
        limit=args.limit,
        calibration_size=split["drawn"],
        seed=split["seed"],
        calibrate_raw=[args.data / name for name in split["raw"]],
    )
    assert len(rows.held_out) == split["held_out_rows"], "the split rebuilt is not the one the models were fitted on"
    print(
        f"{len(rows.held_out)} held-out rows of {training['data']} and {len(rows.raw)} raw rows "
        f"({', '.join(split['raw'])}); shipped offsets: "
        + "; ".join(f"{kind} {offsets_text(o)}" for kind, o in sorted(metadata["calibration"].items()))
    )
    with tempfile.TemporaryDirectory() as tmp:  # the shipped models without their offsets, to rate with
        folder = Path(tmp) / "models"
        shutil.copytree(args.models, folder)
        (folder / POLICY_FILE).write_text(json.dumps({**metadata, "calibration": {}}), encoding="utf-8")
        rated = rate_calibration_articles(folder, rows.held_out, rows.raw)

    print(
        "\n| kind | offsets fitted on | articles | held-out R1 + 3 × R2 | held-out bullets | offsets (2 / 3 / 4, "
        "per word) |"
    )
    print("|---|---|---|---|---|---|")
    rng = random.Random(args.seed)
    checks = []
    for kind, articles in sorted(rated.items()):
        halves = [articles[0::2], articles[1::2]]
        value, bullets = chosen(articles, no_offsets())
        print(f"| {kind} | none | {len(articles)} | {value:.2f} | {bullets:.2f} | 0 |")
        order = [rng.sample(half, len(half)) for half in halves]
        for n in (*[n for n in SUBSETS if n < min(map(len, halves))], min(map(len, halves))):
            fits = [_best_offsets(order[h][:n]) for h in (0, 1)]
            # Each half's offsets choose the other half's summaries; the two halves pooled.
            scored = [chosen(halves[1 - h], fits[h]) for h in (0, 1)]
            weights = [len(halves[1 - h]) for h in (0, 1)]
            value = float(np.average([s[0] for s in scored], weights=weights))
            bullets = float(np.average([s[1] for s in scored], weights=weights))
            print(
                f"| {kind} | {n} of one half, two-fold | {len(articles)} | {value:.2f} | {bullets:.2f} | "
                f"{offsets_text(fits[0])}; {offsets_text(fits[1])} |"
            )
        fitted = _best_offsets(articles)
        value, bullets = chosen(articles, fitted)
        print(f"| {kind} | all (in-sample) | {len(articles)} | {value:.2f} | {bullets:.2f} | {offsets_text(fitted)} |")
        shipped, check = checked_offsets(articles, split["seed"])
        assert shipped == metadata["calibration"].get(kind, no_offsets()), "the check gives other offsets than shipped"
        checks.append(
            f"{kind}: held-out gain {check['held_out_gain']:+.3f} ± {check['standard_error']:.3f} over "
            f"{check['halvings']} halvings, so {offsets_text(shipped) if check['kept'] else 'no offsets'}"
        )
    print("\nThe check in training (`train.checked_offsets`): " + "; ".join(checks))


if __name__ == "__main__":
    main()

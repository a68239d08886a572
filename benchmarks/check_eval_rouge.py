"""Recompute an eval report's ROUGE means straight from rouge-score and the saved predictions.

    python benchmarks/check_eval_rouge.py reports/eval-validation-raw ../shared/data/cnndm/validation-raw.jsonl.gz

Independent of `highlights` (unless `--detokenize-references`): it reads the dataset's `id`/`highlights` with
json and gzip, each system's `predictions/*.jsonl`, scores `"\\n".join(bullets)` against the references joined by
newlines with `RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)`, and compares the mean F1 × 100 with
`report.json` for exact equality. Exit status 1 when any number differs.

`--detokenize-references` instead scores against PTB-detokenized references (`highlights.ingest.ptb`) and
prints how far that moves each mean: the check that scoring lowertok references as given is harmless.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

METRICS = ("rouge1", "rouge2", "rougeLsum")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("report", type=Path)
    parser.add_argument("data", type=Path, help="the JSONL(.gz) the report was made from")
    parser.add_argument("--detokenize-references", action="store_true")
    args = parser.parse_args()
    if args.detokenize_references:
        from highlights.ingest.ptb import detokenize
    else:

        def detokenize(text: str) -> str:
            return text

    opener = gzip.open if args.data.suffix == ".gz" else open
    references = {}
    with opener(args.data, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            lines = [h.strip() for h in str(row.get("highlights") or "").split("\n") if h.strip()]
            references[str(row["id"])] = "\n".join(detokenize(h) for h in lines)
    report = json.loads((args.report / "report.json").read_text(encoding="utf-8"))
    means = {row["system"]: row["rouge"] for row in report["systems"]}
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    differ = 0
    print(
        "| system | articles | "
        + " | ".join(f"{m} report | {m} direct" for m in METRICS)
        + " | equal | largest change |"
    )
    print("|---|---|" + "---|---|" * len(METRICS) + "---|---|")
    for system, relative in report["predictions"].items():
        rows = [json.loads(line) for line in (args.report / relative).read_text(encoding="utf-8").splitlines()]
        direct = {m: [] for m in METRICS}
        for row in rows:
            scores = scorer.score(references[row["id"]], "\n".join(row["bullets"]))
            for m in METRICS:
                direct[m].append(scores[m].fmeasure * 100)
        cells, equal, change = [], True, 0.0
        for m in METRICS:
            mine, theirs = means[system][m]["mean"], float(np.mean(direct[m]))
            equal &= mine == theirs
            change = max(change, abs(mine - theirs))
            cells += [repr(mine), repr(theirs)]
        differ += not equal
        print(f"| {system} | {len(rows)} | " + " | ".join(cells) + f" | {'yes' if equal else 'NO'} | {change:.4f} |")
    return 1 if differ and not args.detokenize_references else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The default pipeline of this checkout against another one, on the same articles: which outputs changed, how
much text the cleaner keeps out, and ROUGE with a paired bootstrap.

    git worktree add /tmp/base a5f34f9
    .venv/bin/python benchmarks/compare_checkouts.py /tmp/base ../shared/data/cnndm/validation-raw.jsonl.gz \
        --extra ../shared/examples/why-we-lost-aleppo.txt

Each side runs in its own process (`PYTHONPATH=<checkout>/src`), writes `to_dict(summarize(article))` for every
row (and every --extra file), and the two are compared here. Fields only one side has (new outputs) are left
out of "changed". ROUGE uses the one protocol (`evaluate/rouge.py`) on the bullets' source text.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUN = """
import json, sys
from highlights import summarize
from highlights.ingest.sources import iter_records
from highlights.render import to_dict
texts = [r.article for r in iter_records(sys.argv[1]) if r.article] + [open(p).read() for p in sys.argv[3:]]
with open(sys.argv[2], "w") as out:
    for text in texts:
        out.write(json.dumps(to_dict(summarize(text)), sort_keys=True) + "\\n")
"""


def run(checkout: Path, data: str, extra: list[str], out: Path) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(checkout / "src")}
    subprocess.run([sys.executable, "-c", RUN, data, str(out), *extra], env=env, check=True)
    return [json.loads(line) for line in out.read_text().splitlines()]


def removed_chars(rows: list[dict]) -> tuple[int, int, Counter]:
    reasons: Counter[str] = Counter()
    for row in rows:
        for region in row["removed"]:
            reasons[region["reason"]] += region["span"][1] - region["span"][0]
    return sum(len(row["text"]) for row in rows), sum(reasons.values()), reasons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="the other checkout (its src/ is imported)")
    parser.add_argument("data", help="rows with id, article, highlights")
    parser.add_argument("--extra", nargs="*", default=[], help="article files run too (e.g. the seed page)")
    args = parser.parse_args()

    sys.path.insert(0, str(HERE.parent / "src"))
    from highlights.evaluate.rouge import rouge
    from highlights.ingest.sources import iter_records

    with tempfile.TemporaryDirectory() as tmp:
        before = run(args.other, args.data, args.extra, Path(tmp) / "before.jsonl")
        after = run(HERE.parent, args.data, args.extra, Path(tmp) / "after.jsonl")
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if any(a[k] != b.get(k) for k in a)]
    print(f"{len(before)} outputs, {len(changed)} changed (fields both sides have): {changed[:40]}")
    extra_start = len(before) - len(args.extra)
    for i, path in enumerate(args.extra):
        print(f"  {path}: {'changed' if extra_start + i in changed else 'unchanged'}")
    for name, rows in (("before", before), ("after", after)):
        total, kept_out, reasons = removed_chars(rows[:extra_start])
        print(
            f"kept out of the body, {name}: {kept_out:,} of {total:,} characters ({kept_out / total:.3%}) "
            f"{dict(reasons)}"
        )
    references = [record.highlights for record in iter_records(args.data) if record.article]

    def scores(rows: list[dict]) -> list[dict[str, float]]:
        return [rouge([h["source_text"] for h in row["highlights"]], ref) for row, ref in zip(rows, references)]

    a, b = scores(before), scores(after)
    rng = random.Random(0)
    for measure in ("rouge1", "rouge2", "rougeLsum"):
        diffs = [y[measure] - x[measure] for x, y in zip(a, b)]
        n = len(diffs)
        boots = sorted(sum(rng.choice(diffs) for _ in range(n)) / n for _ in range(1000))
        mean_a, mean_b = sum(x[measure] for x in a) / n, sum(y[measure] for y in b) / n
        print(
            f"{measure}: {mean_a:.2f} -> {mean_b:.2f} ({mean_b - mean_a:+.2f}, 95% interval "
            f"{boots[25]:+.2f} .. {boots[975]:+.2f})"
        )


if __name__ == "__main__":
    main()

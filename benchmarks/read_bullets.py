"""Bullets to read as an editor would: N bullets of randomly drawn articles, each with what was cut.

    python benchmarks/read_bullets.py ../shared/data/cnndm/validation-raw.jsonl.gz --length cnn --count 50 --seed 22

Articles are drawn by `--seed` from the file's usable rows; every bullet of a drawn article is printed until
`--count` are, with `[whole]` for a sentence left whole, or the sentence it was cut from and what went. The
judging is the reader's: BENCHMARKS.md says what was found and with which command.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from highlights import summarize
from highlights.ingest.sources import iter_records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--length", default="story", help="the summarize length option (story, cnn)")
    parser.add_argument("--method", default=None)
    args = parser.parse_args(argv)
    rows = [r for r in iter_records(args.data) if r.error is None and r.article and r.article.strip()]
    random.Random(args.seed).shuffle(rows)
    printed = 0
    for row in rows:
        summary = summarize(row.article, length=args.length, method=args.method)
        for h in summary.highlights:
            if printed == args.count:
                return 0
            printed += 1
            print(f"{printed}. {h.display}" + ("" if h.deleted else "  [whole]"))
            if h.deleted:
                sentence = summary.text[h.spans[0].start : max(h.spans[-1].end, h.deleted[-1].span.end)]
                print(f"    from: {sentence}")
                print(f"    cut:  {' | '.join(d.span.of(summary.text) for d in h.deleted)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

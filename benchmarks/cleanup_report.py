"""What the scraped-text cleaner keeps out of the body on a dataset: counts per reason and every example.

    python benchmarks/cleanup_report.py ../shared/data/cnndm/validation-raw.jsonl.gz [--show 40]

Rules must leave ordinary articles alone: on single-paragraph dataset rows only datelines and clear
boilerplate should go.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from highlights.ingest.sources import iter_records
from highlights.ingest.text import parse_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--show", type=int, default=40, help="examples to print per reason (datelines: counts)")
    args = parser.parse_args()

    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    removed_chars = total_chars = articles = 0
    for record in iter_records(args.path):
        if record.article is None:
            continue
        article = parse_text(record.article)
        articles += 1
        total_chars += len(article.text)
        for removed in article.removed:
            counts[removed.reason] += 1
            removed_chars += len(removed.span)
            examples[removed.reason].append(" ".join(removed.span.of(article.text).split())[:100])

    print(
        f"{articles} articles; removed {removed_chars:,} of {total_chars:,} characters "
        f"({100 * removed_chars / max(total_chars, 1):.3f}%)"
    )
    for reason, count in counts.most_common():
        print(f"\n{reason}: {count}")
        if reason == "dateline":
            for text, n in Counter(examples[reason]).most_common(10):
                print(f"  {n:5d}  {text!r}")
        else:
            for text in examples[reason][: args.show]:
                print(f"  {text!r}")


if __name__ == "__main__":
    main()

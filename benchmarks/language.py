"""Language detection and the prose check: cost per article, model load, and how they judge real text (issue #20).

    .venv/bin/python benchmarks/language.py                 # ../shared/data: CNN validation-raw and the dev pages
    .venv/bin/python benchmarks/language.py --limit 300     # a quicker look

Prints (all CPU time of this process, so other processes on a shared machine count less):
- model load time and the resident memory it adds;
- per article of validation-raw: `check_prose` on the ingested body, `detect_language` on the pipeline's sample;
- validation-raw through `summarize()`: languages found, articles with a warning, lines kept out as not prose;
- every CNN highlight cut to its first 1-6 and 8 words, and whole: how many got a language other than English;
- the dev pages through `summarize(page_text)`: languages, methods, warnings, refusals, and agreement with the
  language each page declares in `<html lang>`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def rows(path: Path, limit: int | None = None) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line, _ in zip(lines, range(limit or 10**9))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cnn", type=Path, default=SHARED / "cnndm" / "validation-raw.jsonl.gz")
    parser.add_argument("--pages", type=Path, default=SHARED / "pages" / "dev.jsonl.gz")
    parser.add_argument("--limit", type=int, default=None, help="CNN stories to use (default: all)")
    args = parser.parse_args()

    from highlights import HighlightsError, summarize
    from highlights.ingest import ingest, language
    from highlights.ingest.prose import check_prose
    from highlights.pipeline import _language_sample

    before, start = rss_mib(), time.process_time()
    language.load()
    print(f"model load: {time.process_time() - start:.2f} s CPU, +{rss_mib() - before:.0f} MiB resident")

    stories = rows(args.cnn, args.limit)
    articles = [ingest(row["article"]) for row in stories]
    start = time.process_time()
    for article in articles:
        check_prose(article.text, article.body)
    prose_ms = 1000 * (time.process_time() - start) / len(articles)
    samples = [_language_sample(article) for article in articles]
    start = time.process_time()
    for sample in samples:
        language.detect_language(sample)
    detect_ms = 1000 * (time.process_time() - start) / len(articles)
    print(f"per CNN story ({len(articles)}): check_prose {prose_ms:.3f} ms, detect_language {detect_ms:.3f} ms CPU")

    languages, warned, kept_out = Counter(), 0, 0
    for row in stories:
        summary = summarize(row["article"])
        languages[summary.language] += 1
        warned += bool(summary.warnings)
        kept_out += sum(r.reason.startswith("not-prose") for r in summary.removed)
    print(
        f"validation-raw through summarize(): languages {dict(languages)}, with a warning {warned}, "
        f"lines kept out as not prose {kept_out}"
    )

    highlights = [re.sub(r" ([.,!?'])", r"\1", h) for row in stories for h in row["highlights"].split("\n")]
    cuts = [" ".join(h.split()[:k]) if k else h for k in (1, 2, 3, 4, 5, 6, 8, None) for h in highlights]
    wrong = [text for text in cuts if language.detect_language(text).code not in ("en", language.UNDETERMINED)]
    print(
        f"CNN highlights cut to 1-6, 8 words and whole: {len(cuts)} texts, {len(wrong)} taken for another "
        f"language{': ' + repr(wrong[:5]) if wrong else ''}"
    )

    if not args.pages.exists():
        return
    found, methods, warnings, refused, agree, declared = Counter(), Counter(), Counter(), [], 0, 0
    for page in rows(args.pages):
        lang = re.search(r"<html[^>]*\blang=\"?([A-Za-z]{2,3})", page["html"][:3000])
        try:
            summary = summarize(page["page_text"])
        except HighlightsError as error:
            refused.append(f"{page['url'][:60]}: {error}")
            continue
        found[summary.language] += 1
        methods[summary.method] += 1
        warnings.update(w.split(";")[0] for w in summary.warnings)
        if lang:
            declared += 1
            agree += summary.language == lang.group(1).lower()
            if summary.language != lang.group(1).lower():
                print(f"  declares {lang.group(1)}, found {summary.language}: {page['url'][:80]}")
    print(f"dev pages: languages {dict(found)}, methods {dict(methods)}, refused {len(refused)} {refused}")
    print(f"  found the declared <html lang> on {agree} of {declared} pages that declare one")
    for warning, count in warnings.most_common():
        print(f"  {count} x {warning}")


if __name__ == "__main__":
    main()

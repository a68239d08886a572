"""Compression ablation: the same method with and without the compression stage (issue #8).

    python benchmarks/compression.py ../shared/data/cnndm/validation-raw.jsonl.gz --method centrality
    python benchmarks/compression.py ../shared/data/cnndm/validation-lowertok.jsonl.gz --method lead

Prints Markdown: ROUGE-1/2/Lsum (F1 × 100, `evaluate.rouge.rouge`, mean over articles, 95% bootstrap CI)
for `summarize(..., compress=False)` and `compress=True`, the paired bootstrap p-value of "compressed beats
plain" per measure, words per bullet against the references, how often each rule fired, seconds for each
pipeline run side by side, and a check that every compressed bullet is its source spans joined plus its
recorded fix-ups. `--review N` also prints N random compressed bullets (original → compressed) for reading.
Lowercased PTB files (name contains "lowertok") are detokenized first (`ingest.ptb.detokenize`).
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

import numpy as np

from highlights import Span, summarize
from highlights.compress import apply_fixups, compress_sentence
from highlights.evaluate.rouge import ROUGE_TYPES, rouge
from highlights.ingest.ptb import detokenize
from highlights.ingest.sources import iter_records


def paired_bootstrap(a: np.ndarray, b: np.ndarray, samples: int, rng: np.random.Generator) -> tuple[float, ...]:
    """Mean of b - a, its 95% CI, and the one-sided p-value of "b is not better than a" by resampling articles."""
    diff = b - a
    idx = rng.integers(0, len(diff), size=(samples, len(diff)))
    means = diff[idx].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    p = float((np.sum(means <= 0) + 1) / (samples + 1))
    return float(diff.mean()), float(low), float(high), p


def ci(values: np.ndarray, samples: int, rng: np.random.Generator) -> tuple[float, float]:
    idx = rng.integers(0, len(values), size=(samples, len(values)))
    return tuple(np.percentile(values[idx].mean(axis=1), [2.5, 97.5]))


def distribution(counts: list[int]) -> str:
    q = np.percentile(counts, [10, 25, 50, 75, 90])
    return f"{np.mean(counts):.1f} | " + " / ".join(f"{v:g}" for v in q)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--method", default="centrality")
    parser.add_argument("--skip", type=int, default=0, help="start at this row (0-based)")
    parser.add_argument("--limit", type=int, default=None, help="rows to read after --skip")
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--review", type=int, default=0, help="print this many random compressed bullets")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    lowertok = "lowertok" in args.data

    plain_scores, comp_scores = {k: [] for k in ROUGE_TYPES}, {k: [] for k in ROUGE_TYPES}
    words = {"reference": [], "plain": [], "compressed": []}
    fired: Counter[str] = Counter()
    seconds = {"plain": 0.0, "compressed": 0.0, "stage": 0.0}
    bullets = unfaithful = 0
    pairs: list[tuple[str, str, str]] = []  # (id, original sentence, compressed bullet)
    for n, record in enumerate(iter_records(args.data)):
        if n < args.skip:
            continue
        if args.limit is not None and n >= args.skip + args.limit:
            break
        if record.article is None or not record.highlights:
            continue
        text = detokenize(record.article) if lowertok else record.article
        runs = {}
        for compress in ((False, True) if n % 2 else (True, False)):  # alternate which goes first
            start = time.perf_counter()
            runs[compress] = summarize(text, method=args.method, format="text", compress=compress)
            seconds["compressed" if compress else "plain"] += time.perf_counter() - start
        plain, comp = runs[False], runs[True]
        for name, value in rouge([h.text for h in plain.highlights], record.highlights).items():
            plain_scores[name].append(value)
        for name, value in rouge([h.text for h in comp.highlights], record.highlights).items():
            comp_scores[name].append(value)
        words["reference"] += [len(h.split()) for h in record.highlights]
        words["plain"] += [h.words for h in plain.highlights]
        words["compressed"] += [h.words for h in comp.highlights]
        for p, c in zip(plain.highlights, comp.highlights):
            bullets += 1
            source = Span(p.spans[0].start, p.spans[-1].end)  # the whole selected sentence
            joined = " ".join(s.of(comp.text) for s in c.spans)
            inside = c.sentence_index == p.sentence_index and all(
                source.start <= s.start <= s.end <= source.end for s in c.spans)
            ordered = all(a.end <= b.start for a, b in zip(c.spans, c.spans[1:]))
            if apply_fixups(joined, c.fixups) != c.text or not inside or not ordered:
                unfaithful += 1
            sentence = source.of(comp.text)
            start = time.perf_counter()
            deletions = compress_sentence(comp.text, source).deletions
            seconds["stage"] += time.perf_counter() - start
            for rule, _ in deletions:
                fired[rule] += 1
            if c.text != p.text:
                pairs.append((record.id, " ".join(sentence.split()), c.text))

    rng = np.random.default_rng(args.seed)
    articles = len(plain_scores["rouge1"])
    print(f"### {args.data.split('/')[-1]} — method `{args.method}`, {articles} articles\n")
    print("| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum |\n|---|---|---|---|")
    for label, scores in (("without compression", plain_scores), ("with compression", comp_scores)):
        cells = []
        for name in ROUGE_TYPES:
            values = np.asarray(scores[name])
            low, high = ci(values, args.bootstrap, rng)
            cells.append(f"{values.mean():.2f} [{low:.2f}, {high:.2f}]")
        print(f"| {label} | " + " | ".join(cells) + " |")
    cells = []
    for name in ROUGE_TYPES:
        mean, low, high, p = paired_bootstrap(np.asarray(plain_scores[name]), np.asarray(comp_scores[name]),
                                              args.bootstrap, rng)
        cells.append(f"{mean:+.2f} [{low:+.2f}, {high:+.2f}] p={p:.4f}")
    print("| difference (paired bootstrap, one-sided p) | " + " | ".join(cells) + " |\n")
    print("| words per bullet | mean | p10 / p25 / median / p75 / p90 |\n|---|---|---|")
    for label, counts in words.items():
        print(f"| {label} | {distribution(counts)} |")
    print(f"\nBullets changed by compression: {len(pairs)} of {bullets}; spans + fix-ups reproduce the text: "
          f"{bullets - unfaithful} of {bullets}.")
    print("Deletions by rule: " + ", ".join(f"{rule} {count}" for rule, count in fired.most_common()))
    print(f"Pipeline seconds, side by side: plain {seconds['plain']:.1f}, compressed {seconds['compressed']:.1f} "
          f"(×{seconds['compressed'] / seconds['plain']:.2f}; {articles / seconds['compressed']:.0f} articles/s "
          f"with compression on this process's core); the compression stage alone: {seconds['stage']:.2f} s "
          f"({1000 * seconds['stage'] / articles:.2f} ms per article, "
          f"{100 * seconds['stage'] / seconds['plain']:.1f}% of the plain pipeline)")
    if args.review:
        print(f"\n#### {args.review} random compressed bullets (seed {args.seed})\n")
        for k, (rid, before, after) in enumerate(random.Random(args.seed).sample(pairs, min(args.review, len(pairs))), 1):
            print(f"{k}. `{rid}`\n   - original: {before}\n   - compressed: {after}")


if __name__ == "__main__":
    main()

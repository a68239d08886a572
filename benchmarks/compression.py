"""Compression ablation: the same method without compression, with the rule-only policy (`compress_sentence`:
every rule in a fixed order) and with the default learned policy (`compress=True`: the deletion model rates
every candidate cut), issue #8.

    python benchmarks/compression.py ../shared/data/cnndm/validation-raw.jsonl.gz --method centrality
    python benchmarks/compression.py ../shared/data/cnndm/validation-lowertok.jsonl.gz --method lead

Prints Markdown: ROUGE-1/2/Lsum (F1 × 100, `evaluate.rouge.rouge`, mean over articles, 95% bootstrap CI)
for each, the paired bootstrap p-value of "compressed beats plain" per measure, words per bullet against the
references, how often each kind of cut was made, seconds for the plain and learned pipeline runs side by side,
and a check that every compressed bullet is its source spans joined plus its recorded fix-ups.
`--review N` also prints N random bullets the learned policy changed (original → compressed) for reading.
`--oracle` adds an upper bound that is not a system: for each bullet in turn, the one candidate cut
(`compress.candidate_cuts`) that raises the article's ROUGE-1 + ROUGE-Lsum against its references most, if any
does — how much the candidates leave to a perfect deletion model.
Lowercased PTB files (name contains "lowertok") are detokenized first (`ingest.ptb.detokenize`).
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from highlights import Span, summarize
from highlights.compress import apply_cuts, apply_fixups, candidate_cuts, compress_sentence
from highlights.evaluate.rouge import ROUGE_TYPES, rouge
from highlights.ingest import ingest
from highlights.ingest.ptb import detokenize
from highlights.ingest.sources import iter_records
from highlights.segment import segment


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


LABELS = {
    "plain": "without compression",
    "rules": "rules only",
    "learned": "learned deletions (default)",
    "oracle": "upper bound: best single cut per bullet, chosen with the references",
}


def oracle_bullets(text: str, sources: list[Span], bullets: list[str], references: list[str]) -> list[str]:
    """Each bullet in turn takes the one candidate cut that raises ROUGE-1 + ROUGE-Lsum most, if any does."""

    def value(texts: list[str]) -> float:
        scores = rouge(texts, references)
        return scores["rouge1"] + scores["rougeLsum"]

    best = list(bullets)
    best_value = value(best)
    for k, source in enumerate(sources):
        choice = None
        for cut in candidate_cuts(source.of(text)):
            trial = list(best)
            trial[k] = apply_cuts(text, source, [cut]).text(text)
            trial_value = value(trial)
            if trial_value > best_value:
                best_value, choice = trial_value, trial[k]
        if choice is not None:
            best[k] = choice
    return best


@dataclass
class Tally:
    """What the runs measured so far, per system (`plain`, `rules`, `learned`, `oracle`)."""

    systems: tuple[str, ...]
    scores: dict[str, dict[str, list[float]]] = field(init=False)  # system -> ROUGE type -> one per article
    words: dict[str, list[int]] = field(init=False)  # words per bullet, per system and of the references
    fired: Counter[str] = field(default_factory=Counter)  # cuts the learned policy made, by kind
    seconds: dict[str, float] = field(default_factory=lambda: {"plain": 0.0, "learned": 0.0})
    bullets: int = 0
    unfaithful: int = 0  # compressed bullets that are not their spans joined plus their fix-ups
    pairs: list[tuple[str, str, str]] = field(default_factory=list)  # (id, original sentence, compressed bullet)

    def __post_init__(self) -> None:
        self.scores = {system: {k: [] for k in ROUGE_TYPES} for system in self.systems}
        self.words = {"reference": [], **{system: [] for system in self.systems}}


def rows(data: str, skip: int, limit: int | None):
    """(row number, record) of the usable rows from `skip` on, `limit` rows read at most."""
    for n, record in enumerate(iter_records(data)):
        if n < skip:
            continue
        if limit is not None and n >= skip + limit:
            break
        if record.article is not None and record.highlights:
            yield n, record


def measure(tally: Tally, n: int, record, text: str, method: str, oracle: bool) -> None:
    """Run the article plain and with learned compression (timed), derive the rules-only and oracle bullets, and
    add their scores, lengths, cuts and faithfulness to `tally`."""
    article = segment(ingest(text, format="text"))  # as summarize() builds it; both runs share it
    runs = {}
    for compress in (False, True) if n % 2 else (True, False):  # alternate which goes first
        start = time.perf_counter()
        runs[compress] = summarize(article, method=method, compress=compress)
        tally.seconds["learned" if compress else "plain"] += time.perf_counter() - start
    plain, comp = runs[False], runs[True]
    sources = [Span(p.spans[0].start, p.spans[-1].end) for p in plain.highlights]  # the selected sentences
    bullets_of = {
        "plain": [h.text for h in plain.highlights],
        "rules": [compress_sentence(plain.text, source).text(plain.text) for source in sources],
        "learned": [h.text for h in comp.highlights],
    }
    if oracle:
        bullets_of["oracle"] = oracle_bullets(plain.text, sources, bullets_of["plain"], record.highlights)
    for system, texts in bullets_of.items():
        for name, value in rouge(texts, record.highlights).items():
            tally.scores[system][name].append(value)
        tally.words[system] += [len(t.split()) for t in texts]
    tally.words["reference"] += [len(h.split()) for h in record.highlights]
    tally.fired.update(cut.kind for h in comp.highlights for cut in h.deleted)
    for p, c, source in zip(plain.highlights, comp.highlights, sources):
        tally.bullets += 1
        joined = " ".join(s.of(comp.text) for s in c.spans)
        inside = c.sentence_index == p.sentence_index and all(
            source.start <= s.start <= s.end <= source.end for s in c.spans
        )
        ordered = all(a.end <= b.start for a, b in zip(c.spans, c.spans[1:]))
        if apply_fixups(joined, c.fixups) != c.text or not inside or not ordered:
            tally.unfaithful += 1
        if c.text != p.text:
            tally.pairs.append((record.id, " ".join(source.of(comp.text).split()), c.text))


def print_scores(tally: Tally, samples: int, rng: np.random.Generator) -> None:
    """Each system's ROUGE with its CI, then each compressed one against plain, paired."""
    print("| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum |\n|---|---|---|---|")
    for system in tally.systems:
        cells = []
        for name in ROUGE_TYPES:
            values = np.asarray(tally.scores[system][name])
            low, high = ci(values, samples, rng)
            cells.append(f"{values.mean():.2f} [{low:.2f}, {high:.2f}]")
        print(f"| {LABELS[system]} | " + " | ".join(cells) + " |")
    for system in tally.systems[1:]:
        cells = []
        for name in ROUGE_TYPES:
            mean, low, high, p = paired_bootstrap(
                np.asarray(tally.scores["plain"][name]), np.asarray(tally.scores[system][name]), samples, rng
            )
            cells.append(f"{mean:+.2f} [{low:+.2f}, {high:+.2f}] p={p:.4f}")
        print(f"| {system} − plain (paired bootstrap, one-sided p) | " + " | ".join(cells) + " |")


def print_report(tally: Tally, args: argparse.Namespace) -> None:
    rng = np.random.default_rng(args.seed)
    articles = len(tally.scores["plain"]["rouge1"])
    print(f"### {args.data.split('/')[-1]} — method `{args.method}`, {articles} articles\n")
    print_scores(tally, args.bootstrap, rng)
    print()
    print("| words per bullet | mean | p10 / p25 / median / p75 / p90 |\n|---|---|---|")
    for label, counts in tally.words.items():
        print(f"| {label} | {distribution(counts)} |")
    bullets, seconds = tally.bullets, tally.seconds
    print(
        f"\nBullets the learned policy changed: {len(tally.pairs)} of {bullets}; spans + fix-ups reproduce the "
        f"text: {bullets - tally.unfaithful} of {bullets}."
    )
    print("Cuts made by the learned policy, by kind: " + ", ".join(f"{k} {c}" for k, c in tally.fired.most_common()))
    print(
        f"Pipeline seconds, side by side: plain {seconds['plain']:.1f}, learned compression "
        f"{seconds['learned']:.1f} (×{seconds['learned'] / seconds['plain']:.2f}; "
        f"{articles / seconds['learned']:.0f} articles/s with compression on this process's core)"
    )
    if args.review:
        print(f"\n#### {args.review} random bullets the learned policy compressed (seed {args.seed})\n")
        review = random.Random(args.seed).sample(tally.pairs, min(args.review, len(tally.pairs)))
        for k, (rid, before, after) in enumerate(review, 1):
            print(f"{k}. `{rid}`\n   - original: {before}\n   - compressed: {after}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--method", default="centrality")
    parser.add_argument("--skip", type=int, default=0, help="start at this row (0-based)")
    parser.add_argument("--limit", type=int, default=None, help="rows to read after --skip")
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--review", type=int, default=0, help="print this many random compressed bullets")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--oracle", action="store_true", help="add the best-single-cut upper bound")
    args = parser.parse_args()
    lowertok = "lowertok" in args.data

    tally = Tally(("plain", "rules", "learned") + (("oracle",) if args.oracle else ()))
    for n, record in rows(args.data, args.skip, args.limit):
        text = detokenize(record.article) if lowertok else record.article
        measure(tally, n, record, text, args.method, args.oracle)
    print_report(tally, args)


if __name__ == "__main__":
    main()

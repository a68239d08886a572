"""Would choosing the bullets with compression in mind gain more? Issue #8's question, asked two ways.

    python benchmarks/compression_selection.py ../shared/data/cnndm/validation-raw.jsonl.gz \
        ../shared/data/cnndm/validation-lowertok.jsonl.gz

`learned` rates every candidate set of 2-4 of an article's five best sentences and compresses the set it
chooses. For every candidate set of every article (articles as `highlights eval` prepares them; lowertok
files as with `--detokenize ptb`; articles of fewer than five sentences are left out, as calibration leaves
them out) this compresses the set as the pipeline would and scores it whole and compressed
(`evaluate.rouge.rouge`). Then it prints, per file:

- the shipped choice, whole and compressed: what `highlights eval` measures, on these articles;
- an upper bound that is not a system: the set whose *compressed* ROUGE-1 + 3 × ROUGE-2 is best, chosen with
  the references, against the set whose whole-sentence score is best, then compressed. The difference is all
  that a selection aware of compression could add, were it perfect;
- the size and length offsets (`highlights train --calibrate`) refitted on all files together with the
  compressed sets' scores as the target (each of `TARGETS`), and what the offsets then choose.

Development numbers on the validation sets (in-sample, as the shipped calibration is); nothing here is a model.
"""

from __future__ import annotations

import argparse
import json
import time
from multiprocessing import get_context

import numpy as np

from highlights.article import source_pieces
from highlights.compress import apply_cuts
from highlights.compress.deletions import deletion_model
from highlights.evaluate.data import load_dataset, prepare
from highlights.evaluate.rouge import rouge
from highlights.options import DEFAULT_MAX_WORDS_PER_BULLET
from highlights.pipeline import _bullet_span
from highlights.score.learned import LearnedScorer, story_kind, summary_sizes
from highlights.train import RatedSummaries, _best_offsets

SIZES = summary_sizes(5)
# Per candidate set: size, whole R1 / R2 / RLsum, compressed R1 / R2 / RLsum.
SIZE, WHOLE, COMPRESSED = 0, slice(1, 4), slice(4, 7)
TARGETS = {
    "r1+3r2": lambda t: t[..., 4] + 3 * t[..., 5],  # what calibration maximizes, on the compressed sets
    "r1+rlsum": lambda t: t[..., 4] + t[..., 6],  # issue #8's two measures
}

_scorer = _deletions = None


def _load() -> None:
    global _scorer, _deletions
    _scorer, _deletions = LearnedScorer().load(), deletion_model().load()


def rated_sets(job: tuple[str, list[str], str]):
    """(story kind, rating with the shipped offsets, whole words, rows of the table above) of one article."""
    text, references, detokenize = job
    article = prepare(text, detokenize)
    if summary_sizes(len(article.sentences)) != SIZES:
        return None
    candidates, rating = _scorer.rate(article, _scorer.score(article), SIZES, DEFAULT_MAX_WORDS_PER_BULLET)
    if not candidates.sets:
        return None
    rows = []
    for members in candidates.sets:
        bullets = [(i, _bullet_span(article, i, DEFAULT_MAX_WORDS_PER_BULLET)) for i in members]
        ranked = _deletions.ranked_cuts(article, bullets)
        compressed = [
            apply_cuts(article.text, span, cuts).text(article.text) for (_, span), cuts in zip(bullets, ranked)
        ]
        whole = [" ".join(p.of(article.text) for p in source_pieces(article.text, span)) for _, span in bullets]
        w, c = rouge(whole, references), rouge(compressed, references)
        rows.append([len(members), w["rouge1"], w["rouge2"], w["rougeLsum"], c["rouge1"], c["rouge2"], c["rougeLsum"]])
    return story_kind(_scorer.features(article)), rating, candidates.words, np.asarray(rows)


def table(path: str, workers: int) -> dict:
    detokenize = "ptb" if "lowertok" in path else "none"
    jobs = [(a.text, a.references, detokenize) for a in load_dataset(path).articles]
    # Spawned, not forked: a parent that has run LightGBM (OpenMP) can hang forked children.
    with get_context("spawn").Pool(workers, initializer=_load) as pool:
        found = [r for r in pool.map(rated_sets, jobs, chunksize=20) if r is not None]
    width = max(len(r[1]) for r in found)
    rating = np.full((len(found), width), -np.inf)
    words = np.zeros((len(found), width))
    rows = np.zeros((len(found), width, 7))
    for j, (_, r, w, t) in enumerate(found):
        rating[j, : len(r)], words[j, : len(w)], rows[j, : len(t)] = r, w, t
    return {
        "kind": np.asarray([k for k, *_ in found]),
        "rating": rating,
        "words": words,
        "rows": rows,
        "articles": len(jobs),
    }


def mean_of(rows: np.ndarray, pick: np.ndarray, columns: slice) -> str:
    return " / ".join(f"{v:.2f}" for v in rows[np.arange(len(pick)), pick, columns].mean(axis=0))


def refit(tables: list[dict], target) -> dict:
    """Calibration's offsets (`train._best_offsets`), the rating taken without the shipped ones."""
    by_kind: dict[str, list[RatedSummaries]] = {}
    for t in tables:
        for j in range(len(t["rating"])):
            valid = np.isfinite(t["rating"][j])
            by_kind.setdefault(t["kind"][j], []).append(
                RatedSummaries(
                    t["base"][j][valid],
                    t["rows"][j, valid, SIZE].astype(int),
                    t["words"][j][valid],
                    target(t["rows"][j, valid]),
                )
            )
    return {kind: _best_offsets(rated) for kind, rated in by_kind.items()}


def offsets_of(t: dict, calibration: dict) -> np.ndarray:
    """What `calibration` adds to the rating of each candidate set (its size offset and per-word offset)."""
    added = np.zeros_like(t["rating"])
    for j, kind in enumerate(t["kind"]):
        offsets = calibration.get(kind, {"sizes": {}, "per_word": 0.0})
        added[j] = [offsets["sizes"].get(str(int(s)), 0.0) for s in t["rows"][j, :, SIZE]]
        added[j] += offsets["per_word"] * t["words"][j]
    return added


def without_offsets(t: dict, shipped: dict) -> np.ndarray:
    """The summary model's own rating: `rate` adds the shipped offsets, which a refit replaces."""
    return np.where(np.isfinite(t["rating"]), t["rating"] - offsets_of(t, shipped), -np.inf)


def choose(t: dict, calibration: dict) -> np.ndarray:
    return np.argmax(np.where(np.isfinite(t["rating"]), t["base"] + offsets_of(t, calibration), -np.inf), axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    shipped = LearnedScorer()._metadata.get("calibration", {})  # the offsets `rate` adds (JSON only)
    tables = []
    for path in args.paths:
        start = time.perf_counter()
        t = table(path, args.workers)
        t["base"] = without_offsets(t, shipped)
        tables.append(t)
        rows, valid = t["rows"], np.isfinite(t["rating"])
        chosen = np.argmax(t["rating"], axis=1)
        best_whole = np.argmax(np.where(valid, rows[..., 1] + 3 * rows[..., 2], -np.inf), axis=1)
        best_compressed = np.argmax(np.where(valid, TARGETS["r1+3r2"](rows), -np.inf), axis=1)
        print(
            f"\n**{path.rsplit('/', 1)[-1]}**: {len(rows)} of {t['articles']} articles "
            f"({time.perf_counter() - start:.0f} s)\n"
        )
        print("| choice | whole sentences R1 / R2 / RLsum | compressed R1 / R2 / RLsum |")
        print("|---|---|---|")
        print(f"| shipped (`learned`) | {mean_of(rows, chosen, WHOLE)} | {mean_of(rows, chosen, COMPRESSED)} |")
        print(
            f"| best whole set, with the references | {mean_of(rows, best_whole, WHOLE)} | "
            f"{mean_of(rows, best_whole, COMPRESSED)} |"
        )
        print(
            f"| best compressed set, with the references | {mean_of(rows, best_compressed, WHOLE)} | "
            f"{mean_of(rows, best_compressed, COMPRESSED)} |"
        )
        print(f"\nThe two best sets are the same set in {np.mean(best_whole == best_compressed):.1%} of articles.")
    print("\nOffsets refitted with the compressed sets' scores as the target (all files together):\n")
    print(
        "| target | offsets | "
        + " | ".join(f"{p.rsplit('/', 1)[-1]} compressed R1 / R2 / RLsum" for p in args.paths)
        + " |"
    )
    print("|---|---|" + "---|" * len(args.paths))
    print(
        f"| shipped | `{json.dumps(shipped)}` | "
        + " | ".join(mean_of(t["rows"], choose(t, shipped), COMPRESSED) for t in tables)
        + " |"
    )
    for name, target in TARGETS.items():
        fitted = refit(tables, target)
        print(
            f"| {name} | `{json.dumps(fitted)}` | "
            + " | ".join(mean_of(t["rows"], choose(t, fitted), COMPRESSED) for t in tables)
            + " |"
        )


if __name__ == "__main__":
    main()

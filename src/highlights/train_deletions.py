"""Build the deletion model that drives compression (`compress/deletions.py`): the last step of `highlights train`.

1. Summarize every training article with the learned scorer just built (the article made as
   `highlights eval --detokenize ptb` makes it), so the model learns on the sentences it will see.
2. For every candidate cut of every chosen sentence (`compress.candidate_cuts`), the label is how much making
   that cut alone changes the summary's ROUGE-1 + ROUGE-2 F1 against the reference highlights. Each sentence
   also records which of its words appear in the references: the labels of the word model, and the keep
   prior, counted on the other half of the articles for the training features (a row's own references never
   reach its features).
3. The word model (LightGBM, binary) is fitted on each half and predicts the other, so the cut model learns
   from word chances of unseen articles; the shipped one is fitted on both halves.
4. Fit the cut model (LightGBM regression) twice out of fold to set the threshold a cut's predicted gain
   must clear, per kind of story (on the training rows only: the threshold that gains most when each sentence
   takes the cuts that clear it as compression makes them), then once on all rows for the shipped model.

Seeded and built in a fixed order: the same data and models give the same files.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from highlights.article import Article, Span
from highlights.compress import CUT_KINDS, Cut, apply_cuts, candidate_cuts
from highlights.compress.deletions import (
    CATEGORICAL,
    DELETION_FEATURES,
    METADATA_FILE,
    MODEL_FILE,
    OPENING_WORDS,
    WORD_FEATURES,
    WORD_MODEL_FILE,
    DeletionContext,
    KeepPrior,
    bullet_tokens,
    deletion_features,
    model_meta,
    story_kind,
    summary_contexts,
    word_features,
)
from highlights.errors import HighlightsError
from highlights.evaluate.rouge import rouge_1_2
from highlights.ingest.ptb import ptb_article
from highlights.model_folder import write_meta
from highlights.options import Budget
from highlights.score.learned import LearnedScorer
from highlights.tokens import RougeTokens, rouge_tokens
from highlights.train_lightgbm import fit_lightgbm

DELETION_MODEL = {
    "objective": "regression",
    "num_leaves": 31,
    "learning_rate": 0.1,
    "min_data_in_leaf": 100,
    "rounds": 200,
}
WORD_MODEL = {"objective": "binary", "num_leaves": 63, "learning_rate": 0.1, "min_data_in_leaf": 200, "rounds": 150}
GAIN_CLIP = 10.0  # labels beyond ±10 ROUGE points are rare and mostly one-word references
MIN_PRIOR_COUNT = 20  # words seen fewer times in chosen sentences get the overall rate
PRIOR_SMOOTHING = 20.0
THRESHOLD_GRID = np.round(np.arange(-1.0, 2.01, 0.25), 2)


@dataclass
class BulletExample:
    """One chosen sentence of a training summary, with its cuts and what each cut alone does to ROUGE."""

    sentence: str
    tokens: RougeTokens  # the sentence's words as the deletion features see them (`bullet_tokens`)
    kept: list[bool]  # whether each word appears in the reference highlights
    cuts: list[Cut]
    gains: list[float]


@dataclass
class SummaryExample:
    article: Article
    bullets: list[tuple[int, Span]]
    examples: list[BulletExample]


@lru_cache(maxsize=1)
def _scorer(model_dir: str):
    return LearnedScorer(Path(model_dir)).load()


def summary_example(text: str, highlights: list[str], model_dir: str) -> SummaryExample | None:
    article = ptb_article(text)
    if not article.sentences:
        return None
    scorer = _scorer(model_dir)
    chosen = scorer.choose(article, scorer.score(article), Budget())
    if not chosen:
        return None
    bullets = [(i, article.sentences[i].span) for i in chosen]
    reference = rouge_tokens("\n".join(highlights))
    in_reference = set(reference)
    base_tokens = [bullet_tokens(article, index, span).stems for index, span in bullets]
    base = sum(rouge_1_2(base_tokens, reference))
    examples = []
    for k, (index, span) in enumerate(bullets):
        sentence = span.of(article.text)
        cuts = candidate_cuts(sentence)
        gains = []
        for cut in cuts:
            cut_tokens = list(base_tokens)
            cut_tokens[k] = rouge_tokens(apply_cuts(article.text, span, [cut]).text(article.text))
            gains.append(round(sum(rouge_1_2(cut_tokens, reference)) - base, 4))
        tokens = bullet_tokens(article, index, span)
        examples.append(BulletExample(sentence, tokens, [t in in_reference for t in tokens.stems], cuts, gains))
    return SummaryExample(article, bullets, examples)


def _chunk(job: tuple[list[tuple[str, list[str]]], str]) -> list[SummaryExample | None]:
    rows, model_dir = job
    return [summary_example(text, highlights, model_dir) for text, highlights in rows]


def summary_examples(
    rows: list[tuple[str, list[str]]], model_dir: Path, workers: int = 1, chunk: int = 256
) -> list[SummaryExample | None]:
    """One entry per row, in row order (None where the scorer chose nothing)."""
    jobs = [(rows[k : k + chunk], str(model_dir)) for k in range(0, len(rows), chunk)]
    if workers <= 1:
        return [example for job in jobs for example in _chunk(job)]
    with ProcessPoolExecutor(workers) as pool:
        return [example for result in pool.map(_chunk, jobs) for example in result]


def keep_prior(examples: list[SummaryExample]) -> KeepPrior:
    """Per word: the share of its occurrences in chosen sentences that the reference highlights contain."""
    seen: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for summary in examples:
        for bullet in summary.examples:
            seen.update(bullet.tokens.stems)
            kept.update(t for t, k in zip(bullet.tokens.stems, bullet.kept) if k)
    total = sum(seen.values())
    default = sum(kept.values()) / total if total else 0.0
    rates = {
        t: round((kept[t] + PRIOR_SMOOTHING * default) / (n + PRIOR_SMOOTHING), 4)
        for t, n in sorted(seen.items())
        if n >= MIN_PRIOR_COUNT
    }
    return KeepPrior(rates, round(default, 4))


@dataclass
class DeletionRows:
    features: np.ndarray
    gains: np.ndarray
    sentence: np.ndarray  # which chosen sentence each row is a cut of (for thresholds)
    kind: list[str]  # story kind of each chosen sentence
    spans: np.ndarray  # each cut's (start, end) in its sentence, to skip overlaps as `apply_cuts` does


@dataclass
class WordRows:
    contexts: list[list[DeletionContext]]  # per summary, per bullet
    features: np.ndarray  # one row per word of every chosen sentence, in order
    kept: np.ndarray
    sizes: list[int]  # words per chosen sentence, in order


def word_rows(examples: list[SummaryExample], prior: KeepPrior) -> WordRows:
    contexts, blocks, kept, sizes = [], [], [], []
    for summary in examples:
        contexts.append(summary_contexts(summary.article, summary.bullets, prior))
        for example, context in zip(summary.examples, contexts[-1]):
            blocks.append(word_features(example.tokens.stems, context, prior))
            kept.extend(example.kept)
            sizes.append(len(example.kept))
    features = np.vstack(blocks) if blocks else np.zeros((0, len(WORD_FEATURES)), np.float32)
    return WordRows(contexts, features, np.asarray(kept, np.float64), sizes)


def fit_words(features: np.ndarray, kept: np.ndarray, seed: int, threads: int):
    return fit_lightgbm(features, kept, list(WORD_FEATURES), WORD_MODEL, seed, threads)


def deletion_rows(
    examples: list[SummaryExample], prior: KeepPrior, words: WordRows, word_keep: np.ndarray
) -> DeletionRows:
    """The cut rows of `examples`, given their word rows and the word model's chances for those words."""
    blocks: list[np.ndarray] = []
    gains: list[float] = []
    sentence_of: list[int] = []
    kinds: list[str] = []
    spans: list[tuple[int, int]] = []
    chances = iter(np.split(word_keep, np.cumsum(words.sizes)[:-1]) if words.sizes else [])
    for summary, contexts in zip(examples, words.contexts):
        for example, context in zip(summary.examples, contexts):
            keep = next(chances)
            if not example.cuts:
                continue
            blocks.append(deletion_features(example.sentence, example.tokens, example.cuts, context, prior, keep))
            gains.extend(example.gains)
            spans.extend((cut.start, cut.end) for cut in example.cuts)
            sentence_of.extend([len(kinds)] * len(example.cuts))
            kinds.append(story_kind(context))
    if not blocks:
        return DeletionRows(
            np.zeros((0, len(DELETION_FEATURES)), np.float32), np.zeros(0), np.zeros(0, int), [], np.zeros((0, 2), int)
        )
    return DeletionRows(
        np.vstack(blocks),
        np.asarray(gains),
        np.asarray(sentence_of),
        kinds,
        np.asarray(spans, dtype=np.int_).reshape(-1, 2),
    )


def fit_deletions(rows: DeletionRows, seed: int, threads: int):
    return fit_lightgbm(
        rows.features,
        np.clip(rows.gains, -GAIN_CLIP, GAIN_CLIP),
        list(DELETION_FEATURES),
        DELETION_MODEL,
        seed,
        threads,
        categorical=CATEGORICAL,
    )


def best_thresholds(rows: DeletionRows, predicted: np.ndarray) -> dict[str, dict]:
    """Per story kind, the grid threshold under which making cuts as `compress.apply_cuts` makes them (every cut
    that clears the threshold, best-rated first, none overlapping one already made) gains most in total,
    counting each cut's own gain; with the gain per sentence at each threshold."""
    # The cuts made at a threshold are a prefix of those made at the lowest one: overlaps are decided in rating
    # order, so one pass per sentence gives them all.
    made: dict[int, list[int]] = {}
    for row in np.lexsort((np.arange(len(predicted)), -predicted)):  # best-rated first, ties in row order
        start, end = rows.spans[row]
        earlier = made.setdefault(int(rows.sentence[row]), [])
        if all(end <= rows.spans[r][0] or start >= rows.spans[r][1] for r in earlier):
            earlier.append(int(row))
    result = {}
    for kind in sorted(set(rows.kind)):
        sentences = [sentence for sentence in made if rows.kind[sentence] == kind]
        cuts = [row for sentence in sentences for row in made[sentence]]
        gain = {float(t): sum(rows.gains[r] for r in cuts if predicted[r] > t) / len(sentences) for t in THRESHOLD_GRID}
        result[kind] = {
            "threshold": max(gain, key=lambda t: (gain[t], t)),
            "sentences": len(sentences),
            "gain_per_sentence": {str(t): round(g, 4) for t, g in gain.items()},
        }
    return result


def train_deletion_model(
    rows: list[tuple[str, list[str]]], model_dir: Path, *, workers: int = 2, seed: int = 13, log=print
) -> tuple[Path, Path, Path, Path]:
    """Fit the deletion model on `rows` (lowercased PTB articles and their highlights) with the learned scorer
    in `model_dir`, and write its three files there (and its entry in the folder's meta.json)."""
    start = time.perf_counter()
    log("summarizing the training articles; rating every candidate cut of the chosen sentences")
    examples = [e for e in summary_examples(rows, model_dir, workers) if e is not None]
    folds = [examples[0::2], examples[1::2]]
    # Out of fold: each half's features use the keep prior counted on the other half, and word chances from a
    # word model fitted on the other half.
    priors = [keep_prior(folds[1]), keep_prior(folds[0])]
    words = [word_rows(folds[0], priors[0]), word_rows(folds[1], priors[1])]
    if not all(len(w.kept) for w in words):
        raise HighlightsError(
            "too few chosen sentences in the training summaries to fit the deletion model; use more rows"
        )
    log(f"{sum(len(w.kept) for w in words)} words of chosen sentences; fitting the word model out of fold")
    word_keep = [
        fit_words(words[1].features, words[1].kept, seed, workers).predict(words[0].features, num_threads=workers),
        fit_words(words[0].features, words[0].kept, seed, workers).predict(words[1].features, num_threads=workers),
    ]
    halves = [deletion_rows(folds[h], priors[h], words[h], word_keep[h]) for h in (0, 1)]
    log(f"{sum(len(h.gains) for h in halves)} candidate cuts in {len(examples)} summaries; fitting out of fold")
    if not all(len(h.gains) for h in halves):
        raise HighlightsError(
            "too few candidate cuts in the training summaries to fit the deletion model "
            f"({len(halves[0].gains)} and {len(halves[1].gains)} in the two halves); use more rows"
        )
    predicted = [
        fit_deletions(halves[1], seed, workers).predict(halves[0].features, num_threads=workers),
        fit_deletions(halves[0], seed, workers).predict(halves[1].features, num_threads=workers),
    ]
    offset = int(halves[0].sentence.max()) + 1 if len(halves[0].sentence) else 0
    both = DeletionRows(
        np.vstack([h.features for h in halves]),
        np.concatenate([h.gains for h in halves]),
        np.concatenate([halves[0].sentence, halves[1].sentence + offset]),
        halves[0].kind + halves[1].kind,
        np.concatenate([h.spans for h in halves]),
    )
    thresholds = best_thresholds(both, np.concatenate(predicted))
    log("thresholds: " + ", ".join(f"{kind} {t['threshold']:+.2f}" for kind, t in thresholds.items()))
    model = fit_deletions(both, seed, workers)
    word_model = fit_words(
        np.vstack([w.features for w in words]), np.concatenate([w.kept for w in words]), seed, workers
    )
    prior = keep_prior(examples)
    log(f"deletion model fitted in {time.perf_counter() - start:.0f} s")
    model_path, metadata_path = model_dir / MODEL_FILE, model_dir / METADATA_FILE
    word_path = model_dir / WORD_MODEL_FILE
    model.save_model(str(model_path))
    word_model.save_model(str(word_path))
    metadata: dict[str, Any] = {
        "features": list(DELETION_FEATURES),
        "kinds": list(CUT_KINDS),
        "opening_words": list(OPENING_WORDS),
        "word_features": list(WORD_FEATURES),
        "thresholds": {kind: t["threshold"] for kind, t in thresholds.items()},
        "keep_prior": {"default": prior.default, "rates": prior.rates},
        "training": {
            "summaries": len(examples),
            "cuts": int(len(both.gains)),
            "seed": seed,
            "model": DELETION_MODEL,
            "target": "rouge1 + rouge2 gain of the summary from the cut alone",
            "word_model": WORD_MODEL,
            "word_target": "the word appears in the reference highlights",
            "words": int(sum(len(w.kept) for w in words)),
            "threshold_fit": thresholds,
        },
    }
    for kind in ("agency_dateline", "other"):  # a kind the rows lack keeps every cut the model favours
        metadata["thresholds"].setdefault(kind, 0.0)
    metadata_path.write_text(json.dumps(metadata, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return model_path, word_path, metadata_path, write_meta(model_dir, model_meta())

"""Build the learned scorer's model from CNN/DailyMail training rows: `highlights train`.

Steps, each a function: build each lowercased PTB-tokenized article as `highlights eval --detokenize ptb`
does (`ingest.ptb.ptb_article`: sentences cut at sentence-final tokens), compute `features.article_features`
with a term prior counted out of fold, label each sentence by the greedy ROUGE oracle against the reference
highlights, fit the sentence and bullet-count LightGBM models, and write them in LightGBM's text format plus a
JSON file of what inference needs (feature names, bullet limits, the term prior). Everything is seeded and
built in a fixed order, so the same data gives the same files.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from highlights.errors import HighlightsError
from highlights.evaluate.oracle import greedy_oracle
from highlights.ingest.ptb import ptb_article, ptb_sentences
from highlights.ingest.sources import iter_records
from highlights.score.features import FEATURE_NAMES, TermPrior, article_features, content_terms, normalize
from highlights.score.learned import (
    ARTICLE_FEATURES, BULLET_MODEL_FILE, MAX_BULLETS, MIN_BULLETS, MODEL_FILE, POLICY_FILE,
)

SEED = 13
ORACLE_SENTENCES = 4
MIN_TERM_ARTICLES = 30  # terms in fewer training articles get the corpus-wide rate


@dataclass
class Examples:
    """Feature rows of many articles, grouped: `groups[k]` consecutive rows belong to article k."""

    features: np.ndarray  # rows × len(FEATURE_NAMES), float32
    oracle: np.ndarray  # 1 where the sentence is in the greedy oracle summary
    groups: np.ndarray  # sentences per article

    def article_rows(self) -> np.ndarray:
        """Index of each article's first sentence row (where its article-level features are read)."""
        return np.cumsum(np.r_[0, self.groups[:-1]])

    def oracle_counts(self) -> np.ndarray:
        """Sentences in each article's oracle summary."""
        return np.add.reduceat(self.oracle.astype(np.int32), self.article_rows())


def article_example(text: str, highlights: list[str], prior: TermPrior) -> tuple:
    # The article is built exactly as `highlights eval --detokenize ptb` builds it, so the features are
    # those the scorer computes at inference.
    article = ptb_article(text)
    sentences = [s.text for s in article.sentences]
    features = article_features(article, prior)
    chosen = set(greedy_oracle(sentences, highlights, ORACLE_SENTENCES))
    return features, [1 if i in chosen else 0 for i in range(len(sentences))]


def read_rows(path: Path, limit: int | None = None) -> list[tuple[str, list[str]]]:
    """(article, reference highlights) of every usable row, in file order."""
    rows = []
    for record in iter_records(path):
        if record.error is None and record.highlights and ptb_sentences(record.article):
            rows.append((record.article, record.highlights))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def term_prior(rows: list[tuple[str, list[str]]], min_articles: int = MIN_TERM_ARTICLES,
               smoothing: float = 10.0) -> TermPrior:
    """Per content term: the share of articles containing it whose highlights contain it too (smoothed)."""
    seen: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for article, highlights in rows:
        in_article = set(content_terms(normalize(article)))
        seen.update(in_article)
        kept.update(in_article & set(content_terms(normalize(" ".join(highlights)))))
    total = sum(seen.values())
    default = sum(kept.values()) / total if total else 0.0
    rates = {
        term: round((kept[term] + smoothing * default) / (count + smoothing), 5)
        for term, count in sorted(seen.items())
        if count >= min_articles
    }
    return TermPrior(rates, round(default, 5))


def _chunk_examples(job: tuple[list[tuple[str, list[str]]], TermPrior]) -> list[tuple]:
    rows, prior = job
    return [article_example(a, h, prior) for a, h in rows]


def build_examples(rows: list[tuple[str, list[str]]], priors: list[TermPrior], workers: int = 1,
                   chunk: int = 256) -> Examples:
    """Features and labels for `rows`, in order. Row k's features use `priors[k % len(priors)]`: training
    passes priors counted on the other fold, so a row's own labels never leak into its term-prior features."""
    jobs = []
    for fold, prior in enumerate(priors):
        part = rows[fold :: len(priors)]
        jobs += [(part[i : i + chunk], prior) for i in range(0, len(part), chunk)]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = [r for part in pool.map(_chunk_examples, jobs) for r in part]
    else:
        results = [r for part in map(_chunk_examples, jobs) for r in part]
    results = [r for r in results if r[1]]  # articles left without sentences teach nothing
    return Examples(
        features=np.concatenate([r[0] for r in results]),
        oracle=np.concatenate([np.asarray(r[1], dtype=np.int8) for r in results]),
        groups=np.asarray([len(r[1]) for r in results], dtype=np.int32),
    )


LGB_PARAMS = {
    "learning_rate": 0.1,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "verbose": -1,
    # Same data, same seed, same model: row-wise histograms and deterministic mode make LightGBM repeatable.
    "deterministic": True,
    "force_row_wise": True,
}
SENTENCE_MODEL = {"objective": "binary", "num_leaves": 31, "rounds": 150}
BULLET_MODEL = {"objective": "regression", "num_leaves": 15, "min_data_in_leaf": 200, "rounds": 100}


def _lightgbm_train(features: np.ndarray, labels: np.ndarray, names: list[str], settings: dict, seed: int,
                    threads: int):
    import lightgbm

    settings = dict(settings)
    rounds = settings.pop("rounds")
    params = {**LGB_PARAMS, **settings, "seed": seed, "num_threads": threads}
    return lightgbm.train(params, lightgbm.Dataset(features, labels, feature_name=names), num_boost_round=rounds)


def fit_sentence_model(examples: Examples, seed: int = SEED, threads: int = 2):
    """P(sentence is in the oracle summary) from its features."""
    return _lightgbm_train(examples.features, examples.oracle, list(FEATURE_NAMES), SENTENCE_MODEL, seed, threads)


def fit_bullet_model(examples: Examples, seed: int = SEED, threads: int = 2):
    """How many sentences the oracle takes, from the article-level features (CNN wants fewer than Daily Mail)."""
    columns = [FEATURE_NAMES.index(name) for name in ARTICLE_FEATURES]
    features = examples.features[examples.article_rows()][:, columns]
    return _lightgbm_train(features, examples.oracle_counts().astype(np.float64), list(ARTICLE_FEATURES),
                           BULLET_MODEL, seed, threads)


@dataclass(frozen=True)
class TrainResult:
    articles: int
    sentences: int
    seconds: float
    files: tuple[Path, ...]


def train(data: Path, out_dir: Path, *, limit: int | None = None, workers: int = 2, seed: int = SEED,
          log=print) -> TrainResult:
    """Build the learned scorer's files in `out_dir` from a lowercased PTB-tokenized dataset."""
    start = time.perf_counter()
    rows = read_rows(data, limit)
    if len(rows) < 2:
        raise HighlightsError(f"{data}: too few usable rows to train on ({len(rows)})")
    log(f"{len(rows)} articles read; counting term priors")
    # Out-of-fold priors for the training features; the shipped prior counts every row.
    even, odd = term_prior(rows[0::2]), term_prior(rows[1::2])
    log("building features and oracle labels")
    examples = build_examples(rows, [odd, even], workers=workers)
    log(f"{examples.oracle.size} sentences; fitting")
    sentence_model = fit_sentence_model(examples, seed, workers)
    bullet_model = fit_bullet_model(examples, seed, workers)
    prior = term_prior(rows)

    out_dir.mkdir(parents=True, exist_ok=True)
    files = (out_dir / MODEL_FILE, out_dir / BULLET_MODEL_FILE, out_dir / POLICY_FILE)
    sentence_model.save_model(str(files[0]))
    bullet_model.save_model(str(files[1]))
    metadata = {
        "features": list(FEATURE_NAMES),
        "article_features": list(ARTICLE_FEATURES),
        "bullets": {"minimum": MIN_BULLETS, "maximum": MAX_BULLETS},
        "training": {"data": Path(data).name, "articles": int(examples.groups.size),
                     "sentences": int(examples.oracle.size), "seed": seed, "sentence_model": SENTENCE_MODEL,
                     "bullet_model": BULLET_MODEL, "oracle_sentences": ORACLE_SENTENCES},
        "term_prior": {"default": prior.default, "rates": prior.rates},
    }
    files[2].write_text(json.dumps(metadata, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return TrainResult(int(examples.groups.size), int(examples.oracle.size), time.perf_counter() - start, files)

"""Build the learned scorer's models from CNN/DailyMail training rows: `highlights train`.

Steps, each a function:
1. Build each lowercased PTB-tokenized article as `highlights eval --detokenize ptb` does (`ingest.ptb.ptb_article`:
   sentences cut at sentence-final tokens), compute `features.article_features` with a term prior counted on the
   other half of the rows, and label each sentence by the greedy ROUGE oracle against the reference highlights.
2. Fit the phrase model (logistic regression over words and word pairs) on each half and fill the other half's
   `phrase_score` column with it, so that no row's own label reaches its features; the shipped one sees all rows.
3. Fit the sentence model (LightGBM, P(sentence in the oracle summary)) and the bullet-count model.
4. Score each half with a sentence model fitted on the other half, form every article's candidate summaries
   (`score.candidates`) from those scores, and fit the summary model to predict each candidate's ROUGE-1 + 3 ×
   ROUGE-2 against the reference (centred per article: only the order within an article matters).
5. Write the LightGBM models in their text format and a JSON file of what inference needs (feature names,
   bullet limits, the term prior, the phrase weights). No pickle.
6. With those models, fit the calibration offsets (how many bullets and words each kind of story gets) on
   training rows held out of every model (`calibration_split`), never on validation rows.
7. With those models and offsets, fit the deletion model that compression uses (`train_deletions.py`).

Everything is seeded and built in a fixed order, so the same data gives the same files.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from highlights.article import Article
from highlights.errors import HighlightsError
from highlights.evaluate.oracle import greedy_oracle
from highlights.evaluate.rouge import rouge_1_2
from highlights.ingest.ptb import ptb_article, ptb_sentences
from highlights.ingest.sources import iter_records
from highlights.model_folder import write_meta
from highlights.score.candidates import CANDIDATE_FEATURES, candidate_summaries
from highlights.score.features import (
    ARTICLE_FEATURES,
    FEATURE_NAMES,
    NO_PHRASES,
    Lexicon,
    PhraseModel,
    TermPrior,
    article_features_and_view,
    phrases,
    sentence_view,
)
from highlights.score.learned import (
    BULLET_MODEL_FILE,
    MAX_BULLETS,
    MIN_BULLETS,
    MODEL_FILE,
    PHRASE_FILE,
    POLICY_FILE,
    SUMMARY_MODEL_FILE,
    summary_sizes,
)
from highlights.score.learned import model_meta as learned_model_meta
from highlights.tokens import content_terms_of, ptb_tokens, rouge_tokens
from highlights.train_deletions import train_deletion_model
from highlights.train_lightgbm import fit_lightgbm

SEED = 13
ORACLE_SENTENCES = 4
MIN_TERM_ARTICLES = 30  # terms in fewer training articles get the corpus-wide rate
MIN_PHRASE_SENTENCES = 20  # phrases in fewer training sentences are not in the phrase model
PHRASE_L2 = 1.0
ROUGE2_WEIGHT = 3.0  # the summary model's target: ROUGE-1 + 3 × ROUGE-2 (ROUGE-2 is the harder to move)
_PHRASE_COLUMN = FEATURE_NAMES.index("phrase_score")


@dataclass
class Examples:
    """Feature rows of many articles, grouped: `groups[k]` consecutive rows belong to article k.

    Beside the features, what the later steps need of each sentence, kept compact (one string per sentence):
    its normalized tokens, its ROUGE tokens, its word count; and each article's reference ROUGE tokens.
    """

    features: np.ndarray  # rows × len(FEATURE_NAMES), float32
    oracle: np.ndarray  # 1 where the sentence is in the greedy oracle summary
    groups: np.ndarray  # sentences per article
    folds: np.ndarray  # per article: 0 or 1, the half of the rows it came from
    tokens: list[str]  # per sentence: normalized tokens joined by spaces
    rouge: list[str]  # per sentence: ROUGE tokens joined by spaces
    words: np.ndarray  # per sentence: words as the pipeline counts them
    references: list[str]  # per article: ROUGE tokens of the reference highlights joined by spaces

    def article_rows(self) -> np.ndarray:
        """Index of each article's first sentence row (where its article-level features are read)."""
        return np.cumsum(np.r_[0, self.groups[:-1]])

    def oracle_counts(self) -> np.ndarray:
        """Sentences in each article's oracle summary."""
        return np.add.reduceat(self.oracle.astype(np.int32), self.article_rows())

    def sentence_folds(self) -> np.ndarray:
        return np.repeat(self.folds, self.groups)


# One article's training rows: sentence features, oracle labels (1: in the oracle summary), feature tokens and
# ROUGE tokens per sentence (space-joined), words per sentence, and the reference's ROUGE tokens (space-joined).
ArticleRows = tuple[np.ndarray, list[int], list[str], list[str], list[int], str]


def article_example(text: str, highlights: list[str], prior: TermPrior) -> ArticleRows:
    # The article is built exactly as `highlights eval --detokenize ptb` builds it, so the features are
    # those the scorer computes at inference (the phrase column is filled later, out of fold).
    article = ptb_article(text)
    features, view = article_features_and_view(article, Lexicon(prior, NO_PHRASES))
    rouge = article.tokens.rouge_stems()
    reference = rouge_tokens("\n".join(highlights))
    chosen = set(greedy_oracle(rouge, reference, ORACLE_SENTENCES))
    return (
        features,
        [1 if i in chosen else 0 for i in range(len(rouge))],
        [" ".join(t) for t in view.tokens],
        [" ".join(t) for t in rouge],
        [s.words for s in article.sentences],
        " ".join(reference),
    )


def read_rows(path: Path, limit: int | None = None) -> list[tuple[str, list[str]]]:
    """(article, reference highlights) of every usable row, in file order."""
    rows = []
    for record in iter_records(path):
        if record.error is None and record.article is not None and record.highlights and ptb_sentences(record.article):
            rows.append((record.article, record.highlights))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def read_raw_rows(path: Path) -> list[tuple[str, list[str]]]:
    """(raw article, reference highlights) of every usable row of a raw-text file, in file order."""
    return [
        (record.article, record.highlights)
        for record in iter_records(path)
        if record.error is None and record.highlights and record.article is not None and record.article.strip()
    ]


_PTB_BRACKETS = re.compile(r"-[lr][rsc]b-")
_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]+")
KEY_CHARACTERS = 400


def article_key(text: str) -> str:
    """The first 400 letters and digits of the lowercased article: the same for a raw article and its lowercased
    PTB-tokenized twin, whose ids differ (`-lrb-` and the like dropped; 400, because the two forms part at
    things like "2½" against "2 1/2" further in)."""
    return _NOT_LETTER_OR_DIGIT.sub("", _PTB_BRACKETS.sub(" ", text.lower()))[:KEY_CHARACTERS]


@dataclass(frozen=True)
class CalibrationSplit:
    """Which training rows are held out of every model to fit the calibration offsets on: `size` rows drawn by
    `seed`, plus every row whose article is also a raw calibration article (`raw_twins`)."""

    held_out: tuple[int, ...]  # row indices, ascending
    size: int
    raw_twins: int
    seed: int

    def parts(
        self, rows: list[tuple[str, list[str]]]
    ) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
        """(rows the models are fitted on, rows held out), each in file order."""
        held = set(self.held_out)
        return [r for k, r in enumerate(rows) if k not in held], [rows[k] for k in self.held_out]

    def description(self) -> dict[str, Any]:
        return {
            "held_out_rows": len(self.held_out),
            "drawn": self.size,
            "raw_twins": self.raw_twins,
            "seed": self.seed,
            "rule": f"the {self.size} rows with the lowest sha256 of the seed and the article's first "
            f"{KEY_CHARACTERS} letters and digits, plus every row whose article is a raw calibration "
            "article (the same letters and digits)",
        }


def calibration_split(
    rows: list[tuple[str, list[str]]], size: int, seed: int = SEED, raw_rows: Sequence[tuple[str, list[str]]] = ()
) -> CalibrationSplit:
    """Hold out `size` rows drawn by a hash of the seed and the article (so the draw does not depend on file
    order, and copies of one story go the same way), and every row that is the twin of a raw calibration row:
    that story is calibrated on, so no model may have seen it."""
    if not 0 <= size <= len(rows):
        raise HighlightsError(f"cannot hold out {size} of {len(rows)} training rows for calibration")
    keys = [article_key(text) for text, _ in rows]
    rank = sorted(range(len(rows)), key=lambda k: (hashlib.sha256(f"{seed}\n{keys[k]}".encode()).hexdigest(), k))
    drawn = set(rank[:size])
    raw_keys = {article_key(text) for text, _ in raw_rows}
    twins = {k for k, key in enumerate(keys) if key in raw_keys}
    return CalibrationSplit(tuple(sorted(drawn | twins)), size, len(twins - drawn), seed)


def term_prior(
    rows: list[tuple[str, list[str]]], min_articles: int = MIN_TERM_ARTICLES, smoothing: float = 10.0
) -> TermPrior:
    """Per content term: the share of articles containing it whose highlights contain it too (smoothed)."""
    seen: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for article, highlights in rows:
        in_article = set(content_terms_of(ptb_tokens(article)))
        seen.update(in_article)
        kept.update(in_article & set(content_terms_of(ptb_tokens(" ".join(highlights)))))
    total = sum(seen.values())
    default = sum(kept.values()) / total if total else 0.0
    rates = {
        term: round((kept[term] + smoothing * default) / (count + smoothing), 5)
        for term, count in sorted(seen.items())
        if count >= min_articles
    }
    return TermPrior(rates, round(default, 5))


def _chunk_examples(job: tuple[list[tuple[str, list[str]]], TermPrior]) -> list[ArticleRows]:
    rows, prior = job
    return [article_example(a, h, prior) for a, h in rows]


def build_examples(
    rows: list[tuple[str, list[str]]], priors: list[TermPrior], workers: int = 1, chunk: int = 256
) -> Examples:
    """Features and labels for `rows`, fold by fold: row k is in fold `k % len(priors)` and its features use
    that fold's prior; training passes priors counted on the other fold, so a row's own labels never leak
    into its term-prior features. Articles come out fold 0 first, then fold 1, each in file order."""
    jobs, job_folds = [], []
    for fold, prior in enumerate(priors):
        fold_rows = rows[fold :: len(priors)]
        for i in range(0, len(fold_rows), chunk):
            jobs.append((fold_rows[i : i + chunk], prior))
            job_folds.append(fold)
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            parts = list(pool.map(_chunk_examples, jobs))
    else:
        parts = list(map(_chunk_examples, jobs))
    results: list[ArticleRows] = []
    folds: list[int] = []
    for fold, part in zip(job_folds, parts):
        for r in part:
            if r[1]:  # articles left without sentences teach nothing
                results.append(r)
                folds.append(fold)
    return Examples(
        features=np.concatenate([r[0] for r in results]),
        oracle=np.concatenate([np.asarray(r[1], dtype=np.int8) for r in results]),
        groups=np.asarray([len(r[1]) for r in results], dtype=np.int32),
        folds=np.asarray(folds, dtype=np.int8),
        tokens=[t for r in results for t in r[2]],
        rouge=[t for r in results for t in r[3]],
        words=np.asarray([w for r in results for w in r[4]], dtype=np.int32),
        references=[r[5] for r in results],
    )


def fit_phrase_model(
    sentences: list[list[str]], labels: np.ndarray, min_sentences: int = MIN_PHRASE_SENTENCES, l2: float = PHRASE_L2
) -> PhraseModel:
    """Logistic regression (L2, L-BFGS from zeros: deterministic) of the oracle label on the sentence's
    distinct known phrases, as a binary vector scaled to unit length (what `PhraseModel.score` computes)."""
    import scipy.sparse
    from scipy.optimize import minimize

    counts = Counter(p for tokens in sentences for p in set(phrases(tokens)))
    vocabulary = {p: j for j, p in enumerate(sorted(p for p, c in counts.items() if c >= min_sentences))}
    y = np.asarray(labels, dtype=np.float64)
    if not vocabulary or y.min() == y.max():
        rate = min(max(y.mean() if y.size else 0.5, 1e-3), 1 - 1e-3)
        return PhraseModel({}, round(float(np.log(rate / (1 - rate))), 5))
    indices, pointers, values = [], [0], []
    for tokens in sentences:
        known = sorted({vocabulary[p] for p in phrases(tokens) if p in vocabulary})
        if known:
            indices += known
            values += [1.0 / np.sqrt(len(known))] * len(known)
        pointers.append(len(indices))
    x = scipy.sparse.csr_matrix((values, indices, pointers), shape=(len(sentences), len(vocabulary)))
    xt = x.T.tocsr()

    def loss_and_gradient(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w[:-1] + w[-1]
        error = 1.0 / (1.0 + np.exp(-z)) - y
        loss = np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * (w[:-1] @ w[:-1])
        return loss, np.r_[xt @ error + l2 * w[:-1], error.sum()]

    w = minimize(
        loss_and_gradient, np.zeros(len(vocabulary) + 1), jac=True, method="L-BFGS-B", options={"maxiter": 150}
    ).x
    return PhraseModel({p: round(float(w[j]), 5) for p, j in vocabulary.items()}, round(float(w[-1]), 5))


def fit_phrase_models(examples: Examples) -> PhraseModel:
    """Fill the `phrase_score` column of each fold with a phrase model fitted on the other fold, and return
    the one fitted on every sentence (the shipped one)."""
    folds = examples.sentence_folds()
    tokens = [t.split() for t in examples.tokens]
    for fold in (0, 1):
        other = np.flatnonzero(folds != fold)
        model = fit_phrase_model([tokens[i] for i in other], examples.oracle[other])
        rows = np.flatnonzero(folds == fold)
        for start in range(0, len(rows), 20_000):  # in chunks: scoring builds arrays over all their tokens
            chunk = rows[start : start + 20_000]
            examples.features[chunk, _PHRASE_COLUMN] = model.score_all([tokens[row] for row in chunk])
    return fit_phrase_model(tokens, examples.oracle)


# The sentence and summary models run on every article: half the trees at twice the rate scored as well on
# validation as 150 and 100 trees at 0.1 (BENCHMARKS.md, "Learned method") and cost half the prediction time.
SENTENCE_MODEL = {"objective": "binary", "num_leaves": 31, "learning_rate": 0.2, "rounds": 75}
BULLET_MODEL = {"objective": "regression", "num_leaves": 15, "min_data_in_leaf": 200, "rounds": 100}
SUMMARY_MODEL = {
    "objective": "regression",
    "num_leaves": 31,
    "min_data_in_leaf": 200,
    "learning_rate": 0.2,
    "rounds": 50,
}


def fit_sentence_model(examples: Examples, seed: int = SEED, threads: int = 2, rows: np.ndarray | None = None):
    """P(sentence is in the oracle summary) from its features (of every sentence, or of the `rows` mask)."""
    features, labels = (
        (examples.features, examples.oracle) if rows is None else (examples.features[rows], examples.oracle[rows])
    )
    return fit_lightgbm(features, labels, list(FEATURE_NAMES), SENTENCE_MODEL, seed, threads)


def fit_bullet_model(examples: Examples, seed: int = SEED, threads: int = 2):
    """How many sentences the oracle takes, from the article-level features (CNN wants fewer than Daily Mail)."""
    columns = [FEATURE_NAMES.index(name) for name in ARTICLE_FEATURES]
    features = examples.features[examples.article_rows()][:, columns]
    return fit_lightgbm(
        features, examples.oracle_counts().astype(np.float64), list(ARTICLE_FEATURES), BULLET_MODEL, seed, threads
    )


def out_of_fold_scores(examples: Examples, seed: int = SEED, threads: int = 2) -> np.ndarray:
    """Each sentence's score from a sentence model fitted on the other fold: what the summary model learns
    from must look like scores of unseen articles, not of the articles the sentence model memorised."""
    folds = examples.sentence_folds()
    scores = np.zeros(len(folds))
    for fold in (0, 1):
        rows = folds == fold
        if rows.any() and (~rows).any():
            model = fit_sentence_model(examples, seed, threads, rows=~rows)
            scores[rows] = model.predict(examples.features[rows], raw_score=True, num_threads=threads)
    return scores


def candidate_examples(
    examples: Examples, scores: np.ndarray, priors: list[TermPrior], bullet_model, log=print
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every article's candidate summaries (features, target, candidates per article), built from `scores`
    exactly as `LearnedScorer.choose` builds them at inference."""
    article_columns = [FEATURE_NAMES.index(name) for name in ARTICLE_FEATURES]
    predicted = bullet_model.predict(examples.features[examples.article_rows()][:, article_columns])
    tables, targets, counts = [], [], []
    start = 0
    for k, (n, fold, reference) in enumerate(zip(examples.groups, examples.folds, examples.references)):
        rows = slice(start, start + n)
        start += n
        view = sentence_view([t.split() for t in examples.tokens[rows]], priors[fold])
        candidates = candidate_summaries(
            scores[rows],
            examples.features[rows],
            view,
            float(predicted[k]),
            examples.words[rows].tolist(),
            sizes=summary_sizes(n),
            max_words_per_bullet=None,
        )
        if not candidates.sets:
            continue
        sentences = examples.rouge[rows]
        reference_tokens = reference.split()
        set_rouge = []
        for members in candidates.sets:
            r1, r2 = rouge_1_2([sentences[i].split() for i in members], reference_tokens)
            set_rouge.append(r1 + ROUGE2_WEIGHT * r2)
        target = np.asarray(set_rouge)
        tables.append(candidates.features)
        targets.append(target - target.mean())  # only the order within an article matters
        counts.append(len(target))
        if log and (k + 1) % 10000 == 0:
            log(f"  candidates of {k + 1} articles")
    return np.concatenate(tables), np.concatenate(targets), np.asarray(counts)


def fit_summary_model(features: np.ndarray, targets: np.ndarray, seed: int = SEED, threads: int = 2):
    """A candidate summary's ROUGE (centred per article) from its features."""
    return fit_lightgbm(features, targets, list(CANDIDATE_FEATURES), SUMMARY_MODEL, seed, threads)


SIZE_OFFSET_GRID = np.arange(-10.0, 10.5, 0.5)  # in units of the summary model's target
PER_WORD_GRID = np.round(np.arange(-0.5, 0.5001, 0.025), 3)  # the same units per word of the summary


@dataclass(frozen=True)
class RatedSummaries:
    """One calibration article's candidate summaries: the summary model's rating (no offsets), their sizes and
    words, and their ROUGE-1 + 3 × ROUGE-2 against the reference."""

    rating: np.ndarray
    sizes: np.ndarray
    words: np.ndarray
    target: np.ndarray


def _best_offsets(articles: list[RatedSummaries]) -> dict[str, Any]:
    """The per-word offset, and offsets for the smallest and largest sizes (the middle one fixed at 0), that
    maximize the mean target of the summaries chosen by rating + offsets. Ties go to offsets nearest zero."""
    sizes = list(range(MIN_BULLETS, MAX_BULLETS + 1))
    middle = len(sizes) // 2
    width = max(len(a.rating) for a in articles)

    def padded(name: str, fill: float) -> np.ndarray:
        out = np.full((len(articles), width), fill, dtype=np.float64)
        for row, article in enumerate(articles):
            values = getattr(article, name)
            out[row, : len(values)] = values
        return out

    rating, size, words, target = padded("rating", -np.inf), padded("sizes", 0), padded("words", 0), padded("target", 0)
    rows = np.arange(len(articles))
    best: dict[str, Any] | None = None
    best_key: tuple[float, float, float] | None = None
    for per_word in PER_WORD_GRID:
        adjusted = rating + per_word * words
        # The best-rated summary of each size, per article: what the size offsets then choose among.
        best_rating = np.full((len(articles), len(sizes)), -np.inf)
        best_target = np.zeros((len(articles), len(sizes)))
        for column, m in enumerate(sizes):
            of_size = np.where(size == m, adjusted, -np.inf)
            pick = np.argmax(of_size, axis=1)
            best_rating[:, column] = of_size[rows, pick]
            best_target[:, column] = target[rows, pick]
        for low in SIZE_OFFSET_GRID:
            for high in SIZE_OFFSET_GRID:
                offsets = np.zeros(len(sizes))
                offsets[:middle], offsets[middle + 1 :] = low, high
                pick = np.argmax(best_rating + offsets, axis=1)
                value = best_target[rows, pick].mean()
                key = (round(float(value), 9), -abs(float(per_word)), -abs(low) - abs(high))
                if best_key is None or key > best_key:
                    best_key = key
                    best = {"sizes": {str(m): float(o) for m, o in zip(sizes, offsets)}, "per_word": float(per_word)}
    assert best is not None  # the grids are not empty
    return best


CHECK_HALVINGS = 5  # random halvings of the calibration articles in the two-fold check of the offsets


def no_offsets() -> dict[str, Any]:
    return {"sizes": {str(m): 0.0 for m in range(MIN_BULLETS, MAX_BULLETS + 1)}, "per_word": 0.0}


def chosen_summaries(articles: Sequence[RatedSummaries], offsets: dict[str, Any]) -> list[int]:
    """Per article, which of its summaries the rating plus `offsets` chooses."""
    chosen = []
    for article in articles:
        size_offsets = np.asarray([offsets["sizes"].get(str(m), 0.0) for m in article.sizes])
        chosen.append(int(np.argmax(article.rating + size_offsets + offsets["per_word"] * article.words)))
    return chosen


def chosen_targets(articles: Sequence[RatedSummaries], offsets: dict[str, Any]) -> np.ndarray:
    return np.asarray([a.target[k] for a, k in zip(articles, chosen_summaries(articles, offsets))], dtype=np.float64)


def checked_offsets(articles: list[RatedSummaries], seed: int = SEED) -> tuple[dict[str, Any], dict[str, Any]]:
    """The offsets fitted on all `articles` (`_best_offsets`) if they hold on articles they were not fitted on,
    else none; and the check's figures. The check: fitted on one half, they choose the other half's summaries
    (both ways, over CHECK_HALVINGS random halvings); they are kept when that beats no offsets by more than
    one standard error (the one-standard-error rule: the simpler model unless the other is clearly better)."""
    base = chosen_targets(articles, no_offsets())
    gain = np.zeros(len(articles))
    for halving in range(CHECK_HALVINGS):
        order = np.random.default_rng([seed, halving]).permutation(len(articles))
        halves = [order[0::2], order[1::2]]
        for fit, other in (halves, halves[::-1]):
            offsets = _best_offsets([articles[k] for k in fit])
            gain[other] += (chosen_targets([articles[k] for k in other], offsets) - base[other]) / CHECK_HALVINGS
    error = float(gain.std(ddof=1) / np.sqrt(len(gain))) if len(gain) > 1 else float("inf")
    kept = bool(gain.mean() > error)
    check = {
        "articles": len(articles),
        "held_out_gain": round(float(gain.mean()), 4),
        "standard_error": round(error, 4),
        "kept": kept,
        "halvings": CHECK_HALVINGS,
    }
    return (_best_offsets(articles) if kept else no_offsets()), check


def _calibration_articles(
    tokenized: Sequence[tuple[str, list[str]]], raw: Sequence[tuple[str, list[str]]]
) -> Iterator[tuple[Article, list[str]]]:
    """(article, reference highlights) of calibration rows: tokenized ones built as training builds them, raw
    ones as `highlights eval` builds them (ingest and sentence splitting)."""
    from highlights.evaluate.data import prepare

    for text, highlights in tokenized:
        yield ptb_article(text), highlights
    for text, highlights in raw:
        yield prepare(text), highlights


def rate_calibration_articles(
    model_dir: Path, tokenized: Sequence[tuple[str, list[str]]], raw: Sequence[tuple[str, list[str]]] = ()
) -> dict[str, list[RatedSummaries]]:
    """Per kind of story (agency dateline or not), every calibration article's candidate summaries as the model
    in `model_dir` rates them (without offsets: `model_dir` has none yet), with their ROUGE-1 + 3 × ROUGE-2."""
    from highlights.score.learned import LearnedScorer, story_kind
    from highlights.select import DEFAULT_MAX_WORDS_PER_BULLET

    scorer = LearnedScorer(model_dir).load()
    sizes = summary_sizes(MAX_BULLETS + 1)
    articles: dict[str, list[RatedSummaries]] = {"agency_dateline": [], "other": []}
    for article, highlights in _calibration_articles(tokenized, raw):
        if summary_sizes(len(article.sentences)) != sizes:
            continue  # too short to choose a size
        candidates, rating = scorer.rate(article, scorer.score(article), sizes, DEFAULT_MAX_WORDS_PER_BULLET)
        if not candidates.sets:
            continue
        reference = rouge_tokens("\n".join(highlights))
        tokens = {i: rouge_tokens(article.sentences[i].text) for members in candidates.sets for i in members}
        target = []
        for members in candidates.sets:
            r1, r2 = rouge_1_2([tokens[i] for i in members], reference)
            target.append(r1 + ROUGE2_WEIGHT * r2)
        articles[story_kind(scorer.features(article))].append(
            RatedSummaries(rating, np.asarray([len(m) for m in candidates.sets]), candidates.words, np.asarray(target))
        )
    return articles


def calibrate_offsets(
    model_dir: Path,
    tokenized: Sequence[tuple[str, list[str]]],
    raw: Sequence[tuple[str, list[str]]] = (),
    seed: int = SEED,
) -> tuple[dict[str, dict], dict[str, dict]]:
    """Per kind of story (agency dateline or not), offsets added to the summary model's rating: one for a 2-
    and one for a 4-bullet summary, and one per word of the summary, chosen to maximize ROUGE-1 + 3 × ROUGE-2 on
    rows no model saw (`tokenized`: in the training format, the held-out training rows; `raw`: raw text), and
    kept only where a two-fold check on those rows says they help (`checked_offsets`); with the checks. They
    cannot learn what newer stories want: CNN stories of the training split carry 3.6 highlights on average,
    those of the validation split 2.5."""
    rated = rate_calibration_articles(model_dir, tokenized, raw)
    checked = {kind: checked_offsets(articles, seed) for kind, articles in rated.items() if articles}
    return {kind: offsets for kind, (offsets, _) in checked.items()}, {kind: c for kind, (_, c) in checked.items()}


@dataclass(frozen=True)
class TrainResult:
    articles: int
    sentences: int
    seconds: float
    files: tuple[Path, ...]


@dataclass(frozen=True)
class TrainingRows:
    """The rows of a training file split for `train`: those the models are fitted on, those held out to fit the
    calibration offsets on (`calibration`), and the raw-text calibration rows."""

    fit: list[tuple[str, list[str]]]
    held_out: list[tuple[str, list[str]]]
    raw: list[tuple[str, list[str]]]
    calibration: CalibrationSplit


def training_rows(
    data: Path,
    *,
    limit: int | None = None,
    calibration_size: int = 0,
    seed: int = SEED,
    calibrate_raw: Sequence[Path] = (),
) -> TrainingRows:
    """Read `data` (its first `limit` usable rows) and the raw calibration files, and split off the calibration
    rows (`calibration_split`)."""
    rows = read_rows(data, limit)
    raw = [row for path in calibrate_raw for row in read_raw_rows(path)]
    split = calibration_split(rows, calibration_size, seed, raw)
    fit, held_out = split.parts(rows)
    if len(fit) < 2:
        held = f" once {len(held_out)} are held out for calibration" if held_out else ""
        raise HighlightsError(f"{data}: too few usable rows to train on ({len(fit)}{held})")
    return TrainingRows(fit, held_out, raw, split)


def train(
    data: Path,
    out_dir: Path,
    *,
    limit: int | None = None,
    workers: int = 2,
    seed: int = SEED,
    calibration_size: int = 0,
    calibrate_raw: Sequence[Path] = (),
    log=print,
) -> TrainResult:
    """Build the learned scorer's files in `out_dir` from a lowercased PTB-tokenized dataset. With
    `calibration_size` rows of it held out (`calibration_split`) or raw-text rows to `calibrate_raw` on (their
    twins in `data` held out too), also the offsets that set the summaries' size and length (`calibrate_offsets`)."""
    start = time.perf_counter()
    data_rows = training_rows(
        data, limit=limit, calibration_size=calibration_size, seed=seed, calibrate_raw=calibrate_raw
    )
    rows, held_out, raw = data_rows.fit, data_rows.held_out, data_rows.raw
    log(
        f"{len(rows)} articles to fit on, {len(held_out)} held out for calibration "
        f"({data_rows.calibration.raw_twins} of them as twins of the {len(raw)} raw calibration rows); "
        "counting term priors"
    )
    # Out-of-fold priors for the training features (fold 0 = even rows gets the prior of the odd ones).
    priors = [term_prior(rows[1::2]), term_prior(rows[0::2])]
    log("building features and oracle labels")
    examples = build_examples(rows, priors, workers=workers)
    log(f"{examples.oracle.size} sentences; fitting the phrase models")
    phrase_model = fit_phrase_models(examples)
    log("fitting the sentence and bullet models")
    sentence_model = fit_sentence_model(examples, seed, workers)
    bullet_model = fit_bullet_model(examples, seed, workers)
    log("scoring out of fold; building candidate summaries")
    candidates, targets, _ = candidate_examples(
        examples, out_of_fold_scores(examples, seed, workers), priors, bullet_model, log
    )
    log(f"{len(targets)} candidate summaries; fitting the summary model")
    summary_model = fit_summary_model(candidates, targets, seed, workers)
    prior = term_prior(rows)

    out_dir.mkdir(parents=True, exist_ok=True)
    write_meta(out_dir, learned_model_meta())  # first: calibration and the deletion model load these models
    files: tuple[Path, ...] = (
        out_dir / MODEL_FILE,
        out_dir / BULLET_MODEL_FILE,
        out_dir / SUMMARY_MODEL_FILE,
        out_dir / POLICY_FILE,
        out_dir / PHRASE_FILE,
    )
    sentence_model.save_model(str(files[0]))
    bullet_model.save_model(str(files[1]))
    summary_model.save_model(str(files[2]))
    metadata: dict[str, Any] = {
        "features": list(FEATURE_NAMES),
        "article_features": list(ARTICLE_FEATURES),
        "candidate_features": list(CANDIDATE_FEATURES),
        "bullets": {"minimum": MIN_BULLETS, "maximum": MAX_BULLETS},
        "training": {
            "data": Path(data).name,
            "articles": int(examples.groups.size),
            "sentences": int(examples.oracle.size),
            "candidate_summaries": int(len(targets)),
            "seed": seed,
            "sentence_model": SENTENCE_MODEL,
            "bullet_model": BULLET_MODEL,
            "summary_model": SUMMARY_MODEL,
            "summary_target": f"rouge1 + {ROUGE2_WEIGHT} * rouge2",
            "oracle_sentences": ORACLE_SENTENCES,
        },
        "term_prior": {"default": prior.default, "rates": prior.rates},
        "calibration": {},
    }
    files[3].write_text(json.dumps(metadata, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    phrases_json = {
        "bias": phrase_model.bias,
        "min_sentences": MIN_PHRASE_SENTENCES,
        "l2": PHRASE_L2,
        "weights": phrase_model.weights,
    }
    files[4].write_text(json.dumps(phrases_json, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    if held_out or raw:
        log(f"calibrating summary size and length on {len(held_out)} held-out rows and {len(raw)} raw rows")
        metadata["calibration"], checks = calibrate_offsets(out_dir, held_out, raw, seed)
        log(
            "calibration check (held-out gain, standard error): "
            + ", ".join(
                f"{kind} {c['held_out_gain']:+.3f} ± {c['standard_error']:.3f}, {'kept' if c['kept'] else 'none'}"
                for kind, c in checks.items()
            )
        )
        metadata["training"]["calibration_split"] = {
            **data_rows.calibration.description(),
            "raw": [Path(p).name for p in calibrate_raw],
            "raw_rows": len(raw),
            "check": checks,
        }
        files[3].write_text(json.dumps(metadata, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    files += train_deletion_model(rows, out_dir, workers=workers, seed=seed, log=log)
    return TrainResult(int(examples.groups.size), int(examples.oracle.size), time.perf_counter() - start, files)

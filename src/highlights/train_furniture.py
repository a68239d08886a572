"""Build the page-furniture model (`ingest/furniture.py`): `highlights train-furniture`.

Training data, and nothing else from the pages' source benchmark:
1. the development pages (`page_text` + people's `gold_body`), and the main text of their HTML as the HTML path
   gives it to the model: a line is body when most of its word trigrams occur in the gold body (a line under
   three words: when its words occur there and a neighbouring long line is body, so a menu entry that happens
   to be a word of the story is not);
2. synthetic pages: CNN/DailyMail training articles, laid out as a page would give them (a paragraph a line,
   with or without blank lines; hard-wrapped at 72 columns; the whole story on one line; or with no furniture at
   all), wrapped in the furniture of a development page (its lines before and after its body, and captions or
   ads from inside it). Every line of the article is body.

The decode's switch cost is chosen on out-of-fold predictions of the training pages' texts, and the offset towards
body for an extractor's main text (`FurnitureModel.extracted_offset`) on those of their HTML main texts (a page's
two texts always in one fold). `benchmarks/pages.py --folds K --trainer highlights.train_furniture:train_fold`
scores pages the model never saw (trained on the other folds, synthetic pages made from their furniture only).
Seeded: the same data gives the same files.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from highlights.errors import HighlightsError
from highlights.evaluate.pages import body_match, body_scores
from highlights.ingest.furniture import (
    FORMAT,
    META_FILE,
    MODEL_FILES,
    Line,
    context_features,
    feature_count,
    line_features,
    model_meta,
    page_lines,
    shift_log_odds,
    viterbi,
)
from highlights.ingest.html import main_text
from highlights.model_folder import write_meta

SEED = 13
MODEL = {
    "objective": "binary",
    "num_leaves": 15,
    "learning_rate": 0.1,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
}
ROUNDS = 150
SWITCH_COSTS = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)
EXTRACTED_OFFSETS = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 10.0, 12.0)
SYNTHETIC_PER_ARTICLE = 1
_WORD = re.compile(r"\w+")


@dataclass
class Page:
    text: str
    lines: list[Line]
    labels: list[int]  # 1: body
    group: int = 0  # the development page it comes from (its page text and its HTML's main text share one)


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _WORD.findall(text)]


def label_lines(page_text: str, gold_body: str, group: int = 0) -> Page:
    """Lines of a development page, each labelled body (1) or furniture (0) from the people's annotation."""
    gold = _tokens(gold_body)
    trigrams = set(zip(gold, gold[1:], gold[2:]))
    joined = f" {' '.join(gold)} "
    lines = page_lines(page_text)
    labels: list[int | None] = []
    for line in lines:
        words = _tokens(line.text)
        if len(words) >= 3:
            grams = list(zip(words, words[1:], words[2:]))
            labels.append(int(sum(g in trigrams for g in grams) >= 0.5 * len(grams)))
        elif words and f" {' '.join(words)} " in joined:
            labels.append(None)  # decided by its neighbours below
        else:
            labels.append(0)
    resolved = []
    for i, label in enumerate(labels):
        if label is None:
            before = next((labels[j] for j in range(i - 1, -1, -1) if labels[j] is not None), 0)
            after = next((labels[j] for j in range(i + 1, len(labels)) if labels[j] is not None), 0)
            label = int(bool(before or after))
        resolved.append(label)
    return Page(page_text, lines, resolved, group)


@dataclass
class Furniture:
    """The furniture of one development page, to wrap other articles in."""

    head: list[str]  # lines before the body
    inner: list[str]  # furniture lines inside the body (captions, ads)
    tail: list[str]  # lines after the body


def furniture_of(page: Page) -> Furniture | None:
    body = [i for i, label in enumerate(page.labels) if label]
    if not body:
        return None
    first, last = body[0], body[-1]
    texts = [line.text for line in page.lines]
    inner = [texts[i] for i in range(first, last + 1) if not page.labels[i]]
    return Furniture(texts[:first], inner, texts[last + 1 :])


def _paragraphs(article: str, rng: random.Random) -> list[str]:
    from highlights.article import Span
    from highlights.segment import sentence_spans

    sentences = [span.of(article) for span in sentence_spans(article, Span(0, len(article)))]
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.choice((1, 1, 2, 2, 3, 4))
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    return paragraphs


def _wrap(paragraph: str, width: int = 72) -> list[str]:
    lines, current = [], ""
    for word in paragraph.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current] if current else lines


def synthetic_page(article: str, furniture: Furniture | None, rng: random.Random) -> tuple[str, list[int]]:
    """A CNN/DailyMail article laid out as a page and wrapped in `furniture` (None: a clean article)."""
    paragraphs = _paragraphs(article, rng)
    style = rng.choice(("blank", "blank", "plain", "wrapped", "one-line"))
    parts: list[tuple[str, int]] = []  # (line, label); "" is a blank line
    for k, paragraph in enumerate(paragraphs):
        if furniture is not None and furniture.inner and k and rng.random() < 0.15:
            parts += [(rng.choice(furniture.inner), 0), ("", 0)]
        if style == "wrapped":
            parts += [(line, 1) for line in _wrap(paragraph)] + [("", 0)]
        elif style == "one-line":
            parts += [(paragraph, 1)]
        else:
            parts += [(paragraph, 1)] + ([("", 0)] if style == "blank" else [])
    if style == "one-line":
        parts = [(" ".join(p for p, _ in parts), 1)]
    if furniture is not None:
        gap = [("", 0)] if rng.random() < 0.5 else []
        parts = [(line, 0) for line in furniture.head] + gap + parts + gap + [(line, 0) for line in furniture.tail]
    text = "\n".join(line for line, _ in parts)
    labels = [label for line, label in parts if line.strip()]
    return text, labels


def read_pages(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def read_articles(path: Path, limit: int | None = None) -> list[str]:
    articles = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            articles.append(json.loads(line)["article"])
            if limit is not None and len(articles) >= limit:
                break
    return articles


@dataclass
class Example:
    """The rows of one page: its line features, labels, and the development page it comes from (a synthetic
    page: the one whose furniture wraps it; a clean synthetic page: a group of its own, below zero)."""

    features: np.ndarray
    labels: np.ndarray
    group: int


def build_examples(pages: list[Page], articles: list[str], seed: int = SEED) -> list[Example]:
    """The labelled pages, plus each article laid out as a page and wrapped in one of their furniture."""
    rng = random.Random(seed)
    wrappers = [(page.group, f) for page, f in ((page, furniture_of(page)) for page in pages) if f is not None]
    examples = [
        Example(line_features(page.text, page.lines), np.asarray(page.labels, dtype=np.float64), page.group)
        for page in pages
        if page.lines
    ]
    for k, article in enumerate(articles):
        group, furniture = rng.choice(wrappers) if wrappers and rng.random() < 0.85 else (-1 - k, None)
        text, labels = synthetic_page(article, furniture, rng)
        lines = page_lines(text)
        assert len(lines) == len(labels)
        if lines:
            examples.append(Example(line_features(text, lines), np.asarray(labels, dtype=np.float64), group))
    return examples


def fit(features: np.ndarray, labels: np.ndarray, seed: int = SEED, threads: int = 2):
    import lightgbm

    params = {
        **MODEL,
        "seed": seed,
        "num_threads": threads,
        "verbose": -1,
        "deterministic": True,
        "force_row_wise": True,
    }
    return lightgbm.train(params, lightgbm.Dataset(features, labels), num_boost_round=ROUNDS)


def _folds(n: int, k: int, seed: int) -> list[list[int]]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def _fold_of_groups(examples: list[Example], k: int, seed: int) -> list[int]:
    groups = sorted({example.group for example in examples})
    fold_of = {}
    for fold, members in enumerate(_folds(len(groups), k, seed)):
        for i in members:
            fold_of[groups[i]] = fold
    return [fold_of[example.group] for example in examples]


@dataclass
class TwoPass:
    first: object
    second: object


def _out_of_fold(
    features: list[np.ndarray], labels: list[np.ndarray], folds: list[int], k: int, seed: int, threads: int
) -> list[np.ndarray]:
    """Each page's predictions from a model fitted on the other folds."""
    result: list[np.ndarray] = [np.zeros(0)] * len(features)
    for fold in range(k):
        rows = [i for i, f in enumerate(folds) if f != fold]
        model = fit(
            np.vstack([features[i] for i in rows]),
            np.concatenate([labels[i] for i in rows]),
            seed=seed,
            threads=threads,
        )
        for i, f in enumerate(folds):
            if f == fold:
                result[i] = model.predict(features[i])
    return result


def fit_two_pass(
    examples: list[Example],
    seed: int = SEED,
    threads: int = 2,
    k: int = 4,
) -> tuple[TwoPass, list[np.ndarray]]:
    """The line model on every row, and the context model on the line model's out-of-fold probabilities (so it
    learns how far to trust them on pages the line model has not seen). Also returns every page's out-of-fold
    probabilities from the whole two-pass model, for choosing the decode's switch cost."""
    folds = _fold_of_groups(examples, k, seed)
    features, labels = [e.features for e in examples], [e.labels for e in examples]
    first_probabilities = _out_of_fold(features, labels, folds, k, seed, threads)
    first = fit(np.vstack(features), np.concatenate(labels), seed=seed, threads=threads)
    stacked = [np.hstack([f, context_features(p)]) for f, p in zip(features, first_probabilities)]
    probabilities = _out_of_fold(stacked, labels, folds, k, seed, threads)
    second = fit(np.vstack(stacked), np.concatenate(labels), seed=seed, threads=threads)
    return TwoPass(first, second), probabilities


def body_f1(predicted: list[str], gold: list[str]) -> float:
    """Body extraction as `../shared/data/pages/README.md` scores it (`highlights eval-pages`)."""
    return body_scores(body_match(g, p) for p, g in zip(predicted, gold)).f1


def decoded_bodies(pages: list[Page], probabilities: list[np.ndarray], switch_cost: float) -> list[str]:
    bodies = []
    for page, probs in zip(pages, probabilities):
        keep = viterbi(probs, switch_cost) if len(probs) else []
        bodies.append("\n".join(line.text for line, body in zip(page.lines, keep) if body))
    return bodies


def choose_switch_cost(pages: list[Page], golds: list[str], probabilities: list[np.ndarray]) -> tuple[float, dict]:
    scores = {cost: body_f1(decoded_bodies(pages, probabilities, cost), golds) for cost in SWITCH_COSTS}
    return max(scores, key=lambda cost: (scores[cost], -cost)), scores


Row = tuple[str, str, int, bool]  # text, gold body, page group, whether an HTML extractor gave the text


def page_rows(page_text: str, html: str | None, gold_body: str, group: int) -> list[Row]:
    """A development page as training rows: its page text, and the main text of its HTML (what the HTML path
    gives the model), both labelled from the same gold body."""
    rows = [(page_text, gold_body, group, False)]
    if html:
        try:
            text, extracted = main_text(html)
        except HighlightsError:
            return rows
        rows.append((text, gold_body, group, extracted is not None and getattr(extracted, "text", None) == text))
    return rows


def choose_extracted_offset(
    pages: list[Page], golds: list[str], probabilities: list[np.ndarray], switch_cost: float
) -> tuple[float, dict]:
    """The log-odds towards body that decodes extractors' main texts best (`FurnitureModel.extracted_offset`)."""
    scores = {
        offset: body_f1(decoded_bodies(pages, [shift_log_odds(p, offset) for p in probabilities], switch_cost), golds)
        for offset in EXTRACTED_OFFSETS
    }
    return max(scores, key=lambda offset: (scores[offset], -offset)), scores


def build_model(
    rows: list[Row],
    articles: list[str],
    out_dir: Path,
    *,
    seed: int = SEED,
    threads: int = 2,
    log: Callable[[str], None] = print,
) -> dict:
    """Fit the model on `page_rows` rows plus synthetic pages; write it and its meta."""
    labelled = [
        (label_lines(text, gold_body, group), gold_body, extracted) for text, gold_body, group, extracted in rows
    ]
    labelled = [row for row in labelled if row[0].lines]
    pages = [page for page, _, _ in labelled]
    golds = [gold_body for _, gold_body, _ in labelled]
    log(f"{len(pages)} pages ({sum(len(p.lines) for p in pages):,} lines), {len(articles)} articles")
    model, probabilities = fit_two_pass(build_examples(pages, articles, seed), seed=seed, threads=threads)
    # build_examples puts the labelled pages first, in order: their out-of-fold probabilities choose the cost
    # (on page texts) and the offset for extractors' main texts.
    texts = [k for k, (_, _, extracted) in enumerate(labelled) if not extracted]
    mains = [k for k, (_, _, extracted) in enumerate(labelled) if extracted]
    switch_cost, scores = choose_switch_cost(
        [pages[k] for k in texts], [golds[k] for k in texts], [probabilities[k] for k in texts]
    )
    log("switch cost on out-of-fold predictions: " + ", ".join(f"{c:g}: {f:.4f}" for c, f in scores.items()))
    offset, offsets = choose_extracted_offset(
        [pages[k] for k in mains], [golds[k] for k in mains], [probabilities[k] for k in mains], switch_cost
    )
    log("extracted-text offset: " + ", ".join(f"{o:g}: {f:.4f}" for o, f in offsets.items()))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, booster in zip(MODEL_FILES, (model.first, model.second)):
        (out_dir / name).write_text(booster.model_to_string(), encoding="utf-8")  # type: ignore[attr-defined]
    meta = {
        "format": FORMAT,
        "features": feature_count(),
        "switch_cost": switch_cost,
        "extracted_offset": offset,
        "seed": seed,
        "page_texts": len(texts),
        "main_texts": len(mains),
        "articles": len(articles),
        "out_of_fold_f1": {"page_texts": round(scores[switch_cost], 4), "main_texts": round(offsets[offset], 4)},
    }
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    write_meta(out_dir, model_meta())
    return meta


def train(
    pages_path: Path,
    articles_path: Path,
    out_dir: Path,
    *,
    articles_limit: int | None = None,
    seed: int = SEED,
    threads: int = 2,
    log: Callable[[str], None] = print,
) -> dict:
    """The shipped model: every development page, plus CNN/DailyMail training articles as synthetic pages."""
    rows = [
        r
        for i, row in enumerate(read_pages(pages_path))
        for r in page_rows(row["page_text"], row.get("html"), row["gold_body"], i)
    ]
    return build_model(rows, read_articles(articles_path, articles_limit), out_dir, seed=seed, threads=threads, log=log)


# The checkout's sibling `shared/` (see README): the raw CNN/DailyMail training sample.
DEFAULT_ARTICLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "cnndm" / "train-raw-sample.jsonl.gz"


def train_fold(train_pages: list, workdir: Path, seed: int = SEED) -> dict:
    """Cross-validation hook of `benchmarks/pages.py --folds K [--seeds ...]`: a model of these pages only, and
    the ingest option that uses it."""
    rows = [r for i, page in enumerate(train_pages) for r in page_rows(page.page_text, page.html, page.gold_body, i)]
    build_model(rows, read_articles(DEFAULT_ARTICLES), workdir, seed=seed, log=lambda message: None)
    return {"furniture_model": workdir}

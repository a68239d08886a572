"""Ablations of the learned method: its feature groups, its two selection stages, and what each part costs.

    .venv/bin/python benchmarks/ablation.py --train-limit 10000

retrains the sentence model without each feature group and prints a Markdown table of ROUGE on the full
validation-lowertok. Each variant is the shipped recipe (`highlights.train`: out-of-fold term priors and
phrase scores, oracle labels, the same LightGBM settings and seed) with one group's columns held at zero in
training and at inference, so it is the model that would be shipped without those features. To isolate the
sentence scores, bullets are chosen greedily here (`select()`, default budget, the shipped bullet model).
Validation features use the term prior and phrase model of the same training rows. Sentences come from
`ptb_article`, exactly as `highlights eval --detokenize ptb` builds them; ROUGE is the project's protocol.

    .venv/bin/python benchmarks/ablation.py --stages

compares, with the shipped models, the two ways of turning sentence scores into bullets on both validation
sets: greedy (`select()` with the bullet model's count) and the summary model (`LearnedScorer.choose`).

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/ablation.py --timing

times each part of the learned scorer on validation-raw, one article after another on one thread.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from highlights.evaluate.rouge import rouge
from highlights.ingest.ptb import ptb_article
from highlights.options import Budget
from highlights.score.centrality import pagerank
from highlights.score.features import (
    ARTICLE_FEATURES,
    FEATURE_NAMES,
    Lexicon,
    article_features,
    article_features_and_view,
    cosine_matrix,
    sentence_view,
)
from highlights.score.learned import LearnedScorer
from highlights.select import select
from highlights.tokens import content_terms_of, ptb_tokens_all
from highlights.train import build_examples, fit_phrase_models, fit_sentence_model, read_rows, term_prior

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cnndm"
GROUPS = {
    "position": ("index", "relative_position", "is_first", "in_first_three"),
    "length": ("words", "words_vs_article_mean", "content_words"),
    "article": ARTICLE_FEATURES,
    "centrality": (
        "pagerank",
        "centroid_cosine",
        "mean_similarity",
        "max_similarity",
        "term_salience",
        "term_salience_max",
    ),
    "overlap": ("overlap_with_first", "overlap_with_lead_three", "new_terms_share"),
    "content": (
        "digits",
        "has_quote",
        "starts_with_quote",
        "quoted_share",
        "said",
        "first_person",
        "question",
        "colon",
        "furniture",
        "bracketed",
    ),
    "term prior": ("term_prior_mean", "term_prior_max", "term_prior_sum"),
    "phrases": ("phrase_score",),
}


def score_variant(model, features: np.ndarray, dropped: list[int]) -> np.ndarray:
    features = features.copy()
    features[:, dropped] = 0.0
    return model.predict(features, raw_score=True, num_threads=2)


def rouge_of(articles, features_per_article, scores, counts) -> np.ndarray:
    totals = np.zeros(3)
    start = 0
    budget = Budget()
    for (article, references), features, count in zip(articles, features_per_article, counts):
        end = start + len(features)
        chosen = select(article, scores[start:end], budget, bullets=count)
        r = rouge([article.sentences[i].text for i in chosen], references)
        totals += (r["rouge1"], r["rouge2"], r["rougeLsum"])
        start = end
    return totals / len(articles)


def timing(limit: int = 1000) -> None:
    from highlights.evaluate.data import load_dataset, prepare

    scorer = LearnedScorer().load()
    articles = [prepare(a.text) for a in load_dataset(DATA / "validation-raw.jsonl.gz", limit=limit).articles]
    tokens = {id(a): ptb_tokens_all([s.text for s in a.sentences]) for a in articles}
    terms = {id(a): [content_terms_of(t) for t in tokens[id(a)]] for a in articles}
    similarity = {id(a): cosine_matrix(terms[id(a)])[0] for a in articles}
    rows, views = {}, {}
    for a in articles:
        rows[id(a)], views[id(a)] = article_features_and_view(a, scorer.lexicon)
    scores = {id(a): scorer.sentence_model.predict(rows[id(a)], raw_score=True, num_threads=1) for a in articles}
    article_columns = [FEATURE_NAMES.index(name) for name in ARTICLE_FEATURES]
    parts = {
        "all features (one pass)": lambda a: article_features(a, scorer.lexicon),
        "PTB tokens (training form)": lambda a: ptb_tokens_all([s.text for s in a.sentences]),
        "content terms": lambda a: [content_terms_of(t) for t in tokens[id(a)]],
        "centrality: tf-idf cosine": lambda a: cosine_matrix(terms[id(a)]),
        "centrality: PageRank": lambda a: pagerank(similarity[id(a)]),
        "sentence model predict": lambda a: scorer.sentence_model.predict(rows[id(a)], raw_score=True, num_threads=1),
        "bullet model predict": lambda a: scorer.bullet_model.predict(rows[id(a)][:1, article_columns], num_threads=1),
        "phrase model": lambda a: scorer.lexicon.phrases.score_all(tokens[id(a)]),
        "sentence view (terms, tf-idf)": lambda a: sentence_view(tokens[id(a)], scorer.lexicon.prior),
        "candidate summaries and summary model": lambda a: choose_only(a),
        "greedy selection instead": lambda a: select(a, scores[id(a)], Budget(), bullets=3),
    }

    def choose_only(article):
        # The scorer keeps the features of the article it scored last; hand it this one's, so only the
        # candidate summaries, the bullet model and the summary model are timed.
        scorer._recent.value = (article, rows[id(article)], views[id(article)])
        return scorer.choose(article, scores[id(article)], Budget())

    print("| part | ms/article |")
    print("|---|---|")
    for name, part in parts.items():
        started = time.perf_counter()
        for article in articles:
            part(article)
        print(f"| {name} | {(time.perf_counter() - started) * 1000 / len(articles):.3f} |")


def stages() -> None:
    """Greedy selection against the summary model, shipped models, both validation sets."""
    from highlights.evaluate.data import load_dataset, prepare

    scorer = LearnedScorer().load()
    print(
        "| set | greedy (bullet model count) R1 / R2 / RLsum | summary model R1 / R2 / RLsum "
        "| bullets greedy / summary |"
    )
    print("|---|---|---|---|")
    for name, detokenize in (("validation-lowertok.jsonl.gz", "ptb"), ("validation-raw.jsonl.gz", "none")):
        totals, bullets = np.zeros((2, 3)), np.zeros(2)
        items = load_dataset(DATA / name).articles
        for item in items:
            article = prepare(item.text, detokenize)
            scores = scorer.score(article)
            greedy = select(article, scores, Budget(), bullets=scorer.bullet_count(article, scores))
            chosen = scorer.choose(article, scores, Budget())
            for k, picked in enumerate((greedy, chosen)):
                r = rouge([article.sentences[i].text for i in picked], item.references)
                totals[k] += (r["rouge1"], r["rouge2"], r["rougeLsum"])
                bullets[k] += len(picked)
        g, c = totals / len(items)
        print(
            f"| {name.split('.')[0]} ({len(items):,}) | {g[0]:.2f} / {g[1]:.2f} / {g[2]:.2f} | "
            f"{c[0]:.2f} / {c[1]:.2f} / {c[2]:.2f} | {bullets[0] / len(items):.2f} / {bullets[1] / len(items):.2f} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train-limit", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timing", action="store_true", help="time the scorer's parts instead")
    parser.add_argument("--stages", action="store_true", help="greedy selection vs the summary model instead")
    args = parser.parse_args()
    if args.timing:
        return timing()
    if args.stages:
        return stages()

    rows = read_rows(DATA / "train-lowertok.jsonl.gz", args.train_limit)
    examples = build_examples(rows, [term_prior(rows[1::2]), term_prior(rows[0::2])], workers=args.workers)
    lexicon = Lexicon(term_prior(rows), fit_phrase_models(examples))
    shipped = LearnedScorer().load()  # the shipped bullet model: only the sentence model varies
    validation = [(ptb_article(a), h) for a, h in read_rows(DATA / "validation-lowertok.jsonl.gz")]
    validation = [(a, h) for a, h in validation if a.sentences]
    features = [article_features(a, lexicon) for a, _ in validation]
    stacked = np.concatenate(features)
    counts = [shipped.bullet_count(a, np.zeros(len(a.sentences))) for a, _ in validation]

    print(f"train articles: {examples.groups.size}, validation articles: {len(validation)}")
    print("| features | ROUGE-1 | ROUGE-2 | ROUGE-Lsum |")
    print("|---|---|---|---|")
    for name, group in [("all", ()), *GROUPS.items()]:
        dropped = [FEATURE_NAMES.index(f) for f in group]
        train_features = examples.features.copy()
        train_features[:, dropped] = 0.0
        model = fit_sentence_model(replace(examples, features=train_features), threads=args.workers)
        scores = score_variant(model, stacked, dropped)
        r1, r2, rl = rouge_of(validation, features, scores, counts)
        label = "all" if name == "all" else f"without {name}"
        print(f"| {label} | {r1:.2f} | {r2:.2f} | {rl:.2f} |", flush=True)


if __name__ == "__main__":
    main()

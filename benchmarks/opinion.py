"""Opinion pieces held out: is the sentence and summary models' `opinion` feature worth having?

    .venv/bin/python benchmarks/opinion.py

CNN opinion pieces (marked by the "opinions expressed in this commentary" disclaimer) are argued through
their whole length, and their highlights come from anywhere in them: in the training split the greedy oracle
takes 15% of its sentences from the first three of an opinion piece against 35% of a CNN news story's. The
validation sets hold almost none of them (1 of 4,368 tokenized rows, 3 of the 1,000 raw ones), so this script
measures on training rows the models did not see: the learned recipe (`highlights.train`: out-of-fold term
priors and phrase scores, oracle labels, the same LightGBM settings and seed) is fitted on the even training
rows (fold 0) twice, with the `opinion` column as computed and held at zero (what the recipe was without it),
and both choose summaries for the odd rows (fold 1). The summary model learns from out-of-fold scores of two
halves of fold 0, as `highlights train` does on its two folds. No calibration offsets (they are fitted on
validation). ROUGE is the project's protocol, against each row's highlights; p is the paired bootstrap of
"with" against "without".
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from highlights.evaluate.rouge import rouge
from highlights.evaluate.stats import paired_bootstrap_p
from highlights.ingest.ptb import ptb_article
from highlights.score.candidates import candidate_summaries
from highlights.score.features import ARTICLE_FEATURES, FEATURE_NAMES, sentence_view
from highlights.score.learned import summary_sizes
from highlights.train import (
    Examples,
    build_examples,
    candidate_examples,
    fit_bullet_model,
    fit_phrase_models,
    fit_sentence_model,
    fit_summary_model,
    out_of_fold_scores,
    read_rows,
    term_prior,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cnndm"
OPINION = FEATURE_NAMES.index("opinion")
METRICS = ("rouge1", "rouge2", "rougeLsum")
INDEX, DATELINE = FEATURE_NAMES.index("index"), FEATURE_NAMES.index("agency_dateline")


def where_the_oracle_looks(examples: Examples) -> list[str]:
    """Per kind of training article: how many, the share of oracle sentences among its first three, and the
    median position of an oracle sentence."""
    article = np.repeat(np.arange(examples.groups.size), examples.groups)
    first_row = examples.features[examples.article_rows()]
    kinds = {
        "opinion pieces": first_row[:, OPINION] > 0,
        "CNN news (dateline, not opinion)": (first_row[:, DATELINE] > 0) & (first_row[:, OPINION] == 0),
    }
    lines = []
    for name, articles in kinds.items():
        chosen = (examples.oracle > 0) & articles[article]
        index = examples.features[chosen, INDEX]
        lines.append(
            f"{name}: {int(articles.sum())} articles, {100 * np.mean(index < 3):.0f}% of oracle sentences "
            f"in the first three, median oracle sentence {np.median(index):.0f}"
        )
    return lines


def subset(examples: Examples, keep: np.ndarray) -> Examples:
    """The articles of `keep` (a mask over articles)."""
    rows = np.repeat(keep, examples.groups)
    index = np.flatnonzero(rows)
    return Examples(
        examples.features[rows],
        examples.oracle[rows],
        examples.groups[keep],
        examples.folds[keep],
        [examples.tokens[i] for i in index],
        [examples.rouge[i] for i in index],
        examples.words[rows],
        [r for r, k in zip(examples.references, keep) if k],
    )


def chosen_sentences(examples: Examples, zero_opinion: bool, train_prior, test_prior) -> list[tuple[int, ...]]:
    """Fit the recipe on fold 0 and return the summary it chooses for each fold-1 article (sentence indices)."""
    features = examples.features.copy()
    if zero_opinion:
        features[:, OPINION] = 0.0
    examples = replace(examples, features=features)
    train = subset(examples, examples.folds == 0)
    test = subset(examples, examples.folds == 1)
    train = replace(train, folds=(np.arange(train.groups.size) % 2).astype(np.int8))
    sentence_model = fit_sentence_model(train)
    bullet_model = fit_bullet_model(train)
    candidates, targets, _ = candidate_examples(
        train, out_of_fold_scores(train), [train_prior, train_prior], bullet_model, log=None
    )
    summary_model = fit_summary_model(candidates, targets)

    scores = sentence_model.predict(test.features, raw_score=True)
    columns = [FEATURE_NAMES.index(name) for name in ARTICLE_FEATURES]
    predicted = bullet_model.predict(test.features[test.article_rows()][:, columns])
    chosen, start = [], 0
    for k, n in enumerate(test.groups):
        rows = slice(start, start + n)
        start += n
        view = sentence_view([t.split() for t in test.tokens[rows]], test_prior)
        found = candidate_summaries(
            scores[rows],
            test.features[rows],
            view,
            float(predicted[k]),
            test.words[rows].tolist(),
            sizes=summary_sizes(n),
            max_words_per_bullet=None,
        )
        if found.sets:
            chosen.append(found.sets[int(np.argmax(summary_model.predict(found.features)))])
        else:
            chosen.append(tuple(range(min(n, 3))))
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=DATA / "train-lowertok.jsonl.gz")
    parser.add_argument("--limit", type=int, default=None, help="first N usable training rows")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    start = time.perf_counter()
    rows = read_rows(args.train, args.limit)
    priors = [term_prior(rows[1::2]), term_prior(rows[0::2])]
    examples = build_examples(rows, priors, workers=args.workers)
    fit_phrase_models(examples)
    print(f"{examples.groups.size} articles, {time.perf_counter() - start:.0f} s", flush=True)
    print("\n".join(where_the_oracle_looks(examples)), flush=True)
    # Fold 1's articles as the pipeline sees them: the texts of the sentences the examples were built from.
    tests = [
        (article, highlights)
        for article, highlights in ((ptb_article(text), h) for text, h in rows[1::2])
        if article.sentences
    ]
    assert len(tests) == int((examples.folds == 1).sum())

    results, bullets = {}, {}
    arms = ("with opinion", "without (opinion held at 0)")
    # Fold 0's models see fold 0's prior (counted on fold 1) in their features, and fold 1's features carry
    # the prior counted on fold 0: out of fold on both sides, as the cached features were built.
    for arm, zero in zip(arms, (False, True)):
        chosen = chosen_sentences(examples, zero, priors[0], priors[1])
        results[arm] = np.asarray(
            [
                [rouge([article.sentences[i].text for i in members], highlights)[m] for m in METRICS]
                for (article, highlights), members in zip(tests, chosen)
            ]
        )
        bullets[arm] = np.asarray([len(m) for m in chosen])
        print(f"{arm}: {time.perf_counter() - start:.0f} s", flush=True)
    lead = np.asarray(
        [
            [rouge([s.text for s in article.sentences[:3]], highlights)[m] for m in METRICS]
            for article, highlights in tests
        ]
    )
    opinion = np.asarray([article.kind == "opinion" for article, _ in tests])

    with_, without = results[arms[0]], results[arms[1]]
    print(
        f"\nTraining rows {args.train.name}: fitted on {int((examples.folds == 0).sum())} (fold 0), "
        f"measured on {len(tests)} (fold 1), {time.perf_counter() - start:.0f} s\n"
    )
    print(
        "| fold-1 articles | n | with opinion R1 / R2 / RLsum | without | difference | p (each) | Lead-3 "
        "| bullets with / without |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, mask in (("opinion pieces", opinion), ("the rest", ~opinion), ("all", np.ones_like(opinion))):
        if not mask.any():
            continue
        w, o = with_[mask].mean(axis=0), without[mask].mean(axis=0)
        p = [paired_bootstrap_p(with_[mask][:, j], without[mask][:, j]) for j in range(len(METRICS))]
        print(
            f"| {label} | {int(mask.sum())} | {' / '.join(f'{v:.2f}' for v in w)} "
            f"| {' / '.join(f'{v:.2f}' for v in o)} | {' / '.join(f'{v:+.2f}' for v in w - o)} "
            f"| {' / '.join(f'{v:.3f}' for v in p)} | {' / '.join(f'{v:.2f}' for v in lead[mask].mean(axis=0))} "
            f"| {bullets[arms[0]][mask].mean():.2f} / {bullets[arms[1]][mask].mean():.2f} |"
        )


if __name__ == "__main__":
    main()

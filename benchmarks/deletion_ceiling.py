"""How far deleting words can take CNN-length bullets: the ceilings that bound `--length cnn` (issue #22).

    python benchmarks/deletion_ceiling.py ../shared/data/cnndm/train-raw-sample.jsonl.gz --words 15
    python benchmarks/deletion_ceiling.py /tmp/held-lowertok.jsonl --limit 1000 --words 15

For each article, the sentences the default method chooses (whole, `compress=false`) are cut to at most N words
of ROUGE tokens each, three ways, none of which needs to leave a sentence:

- "word model": the N words the deletion model's word model (`compress/deletions.py`) rates likeliest to be in
  the highlights, in their order: what any deletion ruled by that model could reach if grammar cost nothing;
- "reference oracle": the words that are in the reference highlights, the first N: what deletion could reach
  with a perfect word model;
- "first N": each sentence's first N words.

Beside them, the shipped pipeline at the default length and at `max_words_per_bullet=N` (grammatical bullets).
ROUGE-1/2/Lsum F1 × 100 as the project reports it (`evaluate.rouge`), mean over the articles. If the word
model's ceiling is below the default's ROUGE-1 by more than a target allows, no choice of cuts meets that
target: the word model has to get better first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from highlights import Summarizer
from highlights.compress.deletions import bullet_tokens, deletion_model, summary_contexts
from highlights.errors import HighlightsError
from highlights.evaluate.data import load_dataset, prepare
from highlights.evaluate.rouge import ROUGE_TYPES, rouge
from highlights.ingest import ptb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="JSONL / CSV / Parquet with id, article, highlights")
    parser.add_argument("--limit", type=int, help="the first N usable rows")
    parser.add_argument("--words", type=int, default=15, help="words per bullet [15]")
    args = parser.parse_args(argv)
    detokenize = "ptb" if "lowertok" in args.data.name else "none"
    try:
        articles = load_dataset(args.data, limit=args.limit).articles
    except HighlightsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    whole = Summarizer(compress=False)
    shipped = {
        "shipped, default length": Summarizer(),
        f"shipped, {args.words} words": Summarizer(max_words_per_bullet=args.words),
    }
    words = deletion_model().load()
    totals: dict[str, np.ndarray] = {}
    lengths: dict[str, list[int]] = {}
    for row in articles:
        references = [ptb.detokenize(r) for r in row.references] if detokenize == "ptb" else row.references
        article = prepare(row.text, detokenize)
        summary = whole.summarize(article)
        bullets = [(h.sentence_index, article.sentences[h.sentence_index].span) for h in summary.highlights]
        tokens = [bullet_tokens(article, i, span) for i, span in bullets]
        chances = words.word_keep([t.stems for t in tokens], summary_contexts(article, bullets, words.prior))
        in_reference = {stem for r in references for stem in _stems(r)}
        variants: dict[str, list[str]] = {
            "whole sentences (default's choice)": [],
            "word model": [],
            "reference oracle": [],
            "first N": [],
        }
        for (_, span), found, chance in zip(bullets, tokens, chances):
            text = span.of(article.text)
            surface = [text[a:b] for a, b in zip(found.starts, found.ends)]
            n = len(surface)
            variants["whole sentences (default's choice)"].append(" ".join(surface))
            likeliest = set(np.argsort(-chance, kind="stable")[: args.words].tolist())
            variants["word model"].append(" ".join(w for k, w in enumerate(surface) if k in likeliest))
            hits = [k for k in range(n) if found.stems[k] in in_reference][: args.words]
            variants["reference oracle"].append(" ".join(surface[k] for k in hits))
            variants["first N"].append(" ".join(surface[: args.words]))
        for name, pipeline in shipped.items():
            variants[name] = [h.display for h in pipeline.summarize(article).highlights]
        for name, made in variants.items():
            scores = rouge(made, references)
            totals[name] = totals.get(name, np.zeros(3)) + [scores[k] for k in ROUGE_TYPES]
            lengths.setdefault(name, []).extend(len(b.split()) for b in made if b.strip())

    print(f"{args.data.name}: {len(articles):,} articles, bullets of at most {args.words} words\n")
    print("| bullets | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | words/bullet |")
    print("|---|---:|---:|---:|---:|")
    for name, total in totals.items():
        r1, r2, rl = total / len(articles)
        print(f"| {name} | {r1:.2f} | {r2:.2f} | {rl:.2f} | {np.mean(lengths[name]):.1f} |")
    return 0


def _stems(text: str) -> list[str]:
    from highlights.tokens import rouge_tokens

    return rouge_tokens(text)


if __name__ == "__main__":
    sys.exit(main())

"""Could dependency-subtree cuts fit CNN's length where today's candidate cuts cannot? (issue #22's next step)

    python benchmarks/subtree_fit.py ../shared/data/cnndm/train-raw-sample.jsonl.gz --articles 150

For each article, the learned method's five best statements (`compress/fit.statements`) longer than `--limit`
words: whether today's candidate cuts fit them (`compress/fit.words_after_fitting`, the guard vetting each cut),
and whether deleting dependency subtrees could (spaCy's small English model, extra `judge`): subtrees whose
relation to their head is optional (prepositional phrases, adverbial, relative and participial clauses,
appositives, adverbs, conjuncts with their conjunction, parentheticals), never the root or a subtree holding it,
taken longest first until the sentence fits. That choice is crude (it prints examples of what it leaves), so the
second figure is how far such cuts reach, not bullets to ship: a deletion model would have to rate them.
Reads training rows only.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

from highlights.compress.deletions import deletion_model
from highlights.compress.fit import statements, words_after_fitting
from highlights.evaluate.data import prepare
from highlights.evaluate.grammar import parser as spacy_parser
from highlights.ingest.sources import iter_records
from highlights.score import get_scorer

OPTIONAL = {"prep", "advcl", "relcl", "appos", "acl", "npadvmod", "advmod", "parataxis", "conj", "agent", "dep"}


def subtree_fit(doc, limit: int) -> tuple[int, list[int]]:
    """Words left once optional subtrees are deleted longest first until at most `limit` remain, and the kept
    token indices."""
    root = next(t for t in doc if t.dep_ == "ROOT")
    spans = []
    for token in doc:
        if token.dep_ not in OPTIONAL or token.i == root.i:
            continue
        sub = list(token.subtree)
        start, end = sub[0].i, sub[-1].i
        if start > 0 and (doc[start - 1].text in (",", "--") or (token.dep_ == "conj" and doc[start - 1].dep_ == "cc")):
            start -= 1
        if not start <= root.i <= end:
            spans.append((start, end))
    words = sum(1 for t in doc if not t.is_punct)
    removed: set[int] = set()
    for start, end in sorted(spans, key=lambda s: s[0] - s[1]):
        if words - sum(1 for k in removed if not doc[k].is_punct) <= limit:
            break
        span = set(range(start, end + 1))
        if not span & removed:
            removed |= span
    left = words - sum(1 for k in removed if not doc[k].is_punct)
    return left, [t.i for t in doc if t.i not in removed]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--limit", type=int, default=15)
    parser.add_argument("--examples", type=int, default=8)
    args = parser.parse_args(argv)
    nlp = spacy_parser()
    scorer, deletions = get_scorer("learned"), deletion_model()
    total = by_rules = by_subtrees = 0
    left_words: list[int] = []
    examples: list[str] = []
    for record in itertools.islice(iter_records(args.data), args.articles):
        if record.error or not record.article:
            continue
        article = prepare(record.article)
        if not article.sentences:
            continue
        scores = scorer.score(article)
        eligible = statements(article.sentences)
        top = [int(i) for i in np.argsort(-scores, kind="stable") if eligible[int(i)]][:5]
        _, fitted = words_after_fitting(article, scores, args.limit, deletions, 3, eligible)
        for index in top:
            sentence = article.sentences[index]
            if sentence.words <= args.limit:
                continue
            total += 1
            by_rules += index in fitted
            doc = nlp(sentence.text)
            left, kept = subtree_fit(doc, args.limit)
            if left <= args.limit:
                by_subtrees += 1
                left_words.append(left)
                if index not in fitted and len(examples) < args.examples:
                    examples.append(" ".join(doc[k].text for k in kept))
    if not total:
        print("no candidate over the limit")
        return 0
    print(
        f"the learned method's top-5 statements over {args.limit} words: {total}; today's cuts fit {by_rules} "
        f"({by_rules / total:.0%}); subtree cuts could fit {by_subtrees} ({by_subtrees / total:.0%}), "
        f"leaving {np.mean(left_words):.1f} words on average"
    )
    for example in examples:
        print(f"- {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Lead-3 exactly as `data/cnndm/README.md` computed its reference points, without any `highlights` code.

    python benchmarks/lead3_reference.py ../shared/data/cnndm/validation-raw.jsonl.gz --split nupunkt
    python benchmarks/lead3_reference.py ../shared/data/cnndm/validation-lowertok.jsonl.gz --split tokens

`nupunkt`: the row's article as is, `nupunkt.sent_tokenize`, first three sentences. `tokens`: the tokenized
article split after every `.`, `!` or `?` token, first three. Prints R1/R2/RLsum (rouge-score, stemmer, F1 × 100,
one sentence per line, mean over rows): the baseline the `highlights eval` Lead-3 is compared with.
"""

from __future__ import annotations

import argparse
import gzip
import json

import numpy as np
from rouge_score import rouge_scorer


def token_sentences(text: str) -> list[str]:
    sentences, current = [], []
    for token in text.split():
        current.append(token)
        if token in (".", "!", "?"):
            sentences.append(" ".join(current))
            current = []
    return sentences + ([" ".join(current)] if current else [])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--split", choices=("nupunkt", "tokens"), required=True)
    args = parser.parse_args()
    if args.split == "nupunkt":
        import nupunkt

        split = nupunkt.sent_tokenize
    else:
        split = token_sentences
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    scores = []
    with gzip.open(args.data, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            scores.append(scorer.score(row["highlights"], "\n".join(split(row["article"])[:3])))
    means = [float(np.mean([s[k].fmeasure * 100 for s in scores])) for k in ("rouge1", "rouge2", "rougeLsum")]
    print(f"{len(scores)} rows: R1 {means[0]:.2f} / R2 {means[1]:.2f} / RLsum {means[2]:.2f}")


if __name__ == "__main__":
    main()

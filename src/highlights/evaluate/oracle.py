"""Greedy extractive oracle: the sentences that maximise ROUGE against the reference (Nallapati et al. 2017).

It is both an eval peer (the extractive upper bound) and the source of training labels. Scoring uses the
ROUGE tokens eval scores (`tokens.rouge_tokens`: rouge-score's tokenizer and stemmer) on counts cached per
sentence, so it is fast and matches eval.
"""

from __future__ import annotations

from collections import Counter

from highlights.evaluate.rouge import f1
from highlights.tokens import rouge_tokens


def _ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def greedy_oracle(sentences: list[str], reference: list[str] | str, max_sentences: int = 4) -> list[int]:
    """Indices (article order) of sentences added greedily while ROUGE-1 + ROUGE-2 F1 keeps rising."""
    ref_text = reference if isinstance(reference, str) else "\n".join(reference)
    ref_tokens = rouge_tokens(ref_text)
    if not ref_tokens or not sentences:
        return []
    ref_grams = [_ngrams(ref_tokens, 1), _ngrams(ref_tokens, 2)]
    ref_sizes = [sum(g.values()) for g in ref_grams]
    sent_grams = [[_ngrams(toks, 1), _ngrams(toks, 2)] for toks in map(rouge_tokens, sentences)]

    chosen: list[int] = []
    current: list[Counter] = [Counter(), Counter()]
    best = 0.0
    while len(chosen) < max_sentences:
        best_i, best_score = -1, best
        for i, grams in enumerate(sent_grams):
            if i in chosen:
                continue
            score = 0.0
            for n in range(2):
                merged = current[n] + grams[n]
                overlap = sum((merged & ref_grams[n]).values())
                score += f1(overlap, sum(merged.values()), ref_sizes[n])
            if score > best_score:
                best_i, best_score = i, score
        if best_i < 0:
            break
        chosen.append(best_i)
        best = best_score
        for n in range(2):
            current[n] = current[n] + sent_grams[best_i][n]
    return sorted(chosen)

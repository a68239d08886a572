"""Greedy extractive oracle: the sentences that maximise ROUGE against the reference (Nallapati et al. 2017).

It is both an eval peer (the extractive upper bound) and the source of training labels. It reads sentences as
ROUGE tokens (an article's are `Article.tokens.rouge_stems()`, the reference's `tokens.rouge_tokens`), the
tokens eval scores, and counts their n-grams once per sentence, so it is fast and matches eval.
"""

from __future__ import annotations

from collections import Counter

from highlights.evaluate.rouge import f1


def _ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def greedy_oracle(sentences: list[list[str]], reference: list[str], max_sentences: int = 4) -> list[int]:
    """Indices (article order) of sentences added greedily while ROUGE-1 + ROUGE-2 F1 keeps rising; sentences
    and reference are ROUGE tokens (the reference's of its bullets joined by newlines). N-grams do not run from
    one sentence into the next."""
    if not reference or not sentences:
        return []
    ref_grams = [_ngrams(reference, 1), _ngrams(reference, 2)]
    ref_sizes = [sum(g.values()) for g in ref_grams]
    sent_grams = [[_ngrams(tokens, 1), _ngrams(tokens, 2)] for tokens in sentences]

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

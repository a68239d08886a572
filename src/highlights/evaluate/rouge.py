"""ROUGE exactly as the project reports it: Google's rouge-score, R1/R2/RLsum F1 × 100, Porter stemming.

rouge-score counts and matches; the tokens are the project's one ROUGE tokenizer (`tokens.rouge_tokens`), which
is rouge-score 0.1.2's tokenizer and stemmer with the stems cached (tests check both the tokens and the scores
against rouge-score's own).

rougeLsum treats each line as a sentence, so bullets are joined with newlines on both sides; joining them
with spaces silently turns rougeLsum into rougeL (several points lower).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from highlights.tokens import rouge_tokens

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


class RougeTokenizer:
    """What `RougeScorer(tokenizer=...)` calls: rouge-score's tokenizer interface over `rouge_tokens`."""

    def tokenize(self, text: str) -> list[str]:
        return rouge_tokens(text)


@lru_cache(maxsize=1)
def _scorer():
    # Imported on first use: rouge-score imports nltk, about a second, which only scoring needs.
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=RougeTokenizer())


def as_lines(bullets: list[str] | str) -> str:
    """One bullet per line, blank lines dropped; the form rougeLsum needs."""
    if isinstance(bullets, str):
        bullets = bullets.split("\n")
    return "\n".join(b.strip() for b in bullets if b.strip())


def rouge(prediction: list[str] | str, reference: list[str] | str) -> dict[str, float]:
    """F1 × 100 for rouge1, rouge2 and rougeLsum of one prediction against one reference."""
    scores = _scorer().score(as_lines(reference), as_lines(prediction))
    return {name: scores[name].fmeasure * 100.0 for name in ROUGE_TYPES}


# Training scores thousands of candidate summaries per second, from sentences tokenized once. These give
# rouge-score's ROUGE-1 and ROUGE-2 F1 exactly (the same counting, checked in tests).


def f1(overlap: int, predicted: int, reference: int) -> float:
    """F1 of `overlap` matches among `predicted` and `reference` counts (0 without a match)."""
    if not overlap:
        return 0.0
    precision, recall = overlap / predicted, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_1_2(prediction: list[list[str]], reference: list[str]) -> tuple[float, float]:
    """ROUGE-1 and ROUGE-2 F1 × 100 of sentences given as `rouge_tokens` lists (joined in the given order)
    against reference tokens (`rouge_tokens` of the reference bullets joined by newlines)."""
    tokens = [t for sentence in prediction for t in sentence]
    ref_uni, ref_bi = Counter(reference), Counter(zip(reference, reference[1:]))
    uni, bi = Counter(tokens), Counter(zip(tokens, tokens[1:]))
    return (
        100.0 * f1(sum((uni & ref_uni).values()), len(tokens), len(reference)),
        100.0 * f1(sum((bi & ref_bi).values()), max(len(tokens) - 1, 0), max(len(reference) - 1, 0)),
    )

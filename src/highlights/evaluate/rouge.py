"""ROUGE exactly as the project reports it: Google's rouge-score, R1/R2/RLsum F1 × 100, Porter stemming.

rougeLsum treats each line as a sentence, so bullets are joined with newlines on both sides; joining them
with spaces silently turns rougeLsum into rougeL (several points lower).
"""

from __future__ import annotations

from functools import lru_cache

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


@lru_cache(maxsize=1)
def _scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def as_lines(bullets: list[str] | str) -> str:
    """One bullet per line, blank lines dropped; the form rougeLsum needs."""
    if isinstance(bullets, str):
        bullets = bullets.split("\n")
    return "\n".join(b.strip() for b in bullets if b.strip())


def rouge(prediction: list[str] | str, reference: list[str] | str) -> dict[str, float]:
    """F1 × 100 for rouge1, rouge2 and rougeLsum of one prediction against one reference."""
    scores = _scorer().score(as_lines(reference), as_lines(prediction))
    return {name: scores[name].fmeasure * 100.0 for name in ROUGE_TYPES}

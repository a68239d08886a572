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


# Training scores thousands of candidate summaries per second; rouge-score re-tokenizes and re-stems every
# text it is given. These two give its ROUGE-1 and ROUGE-2 F1 exactly (the same tokenizer, stemmer and
# counting, checked in tests) from sentences tokenized once.


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem import porter

    return porter.PorterStemmer()


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    return _stemmer().stem(word) if len(word) > 3 else word  # rouge-score stems words of 4+ letters only


def rouge_tokens(text: str) -> list[str]:
    """The tokens rouge-score (`use_stemmer=True`) makes of `text`."""
    from rouge_score import tokenize

    return [stem(w) for w in tokenize.SPACES_RE.split(tokenize.NON_ALPHANUM_RE.sub(" ", text.lower())) if w]


def _f1(overlap: int, predicted: int, reference: int) -> float:
    if not overlap:
        return 0.0
    precision, recall = overlap / predicted, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_1_2(prediction: list[list[str]], reference: list[str]) -> tuple[float, float]:
    """ROUGE-1 and ROUGE-2 F1 × 100 of sentences given as `rouge_tokens` lists (joined in the given order)
    against reference tokens (`rouge_tokens` of the reference bullets joined by newlines)."""
    from collections import Counter

    tokens = [t for sentence in prediction for t in sentence]
    ref_uni, ref_bi = Counter(reference), Counter(zip(reference, reference[1:]))
    uni, bi = Counter(tokens), Counter(zip(tokens, tokens[1:]))
    return (100.0 * _f1(sum((uni & ref_uni).values()), len(tokens), len(reference)),
            100.0 * _f1(sum((bi & ref_bi).values()), max(len(tokens) - 1, 0), max(len(reference) - 1, 0)))

"""How extractive a summary is (Grusky et al. 2018, "Newsroom"), and how much of it is new.

Extractive fragments are the greedy maximal shared token runs between article A and summary S. With F the set
of fragments:  coverage = Σ|f| / |S|  (share of summary words inside some fragment),  density = Σ|f|² / |S|
(average length of the fragment each word lies in; ~|S| for pure copying),  compression = |A| / |S|.
The paper divides coverage and density by |S| — the summary — not |A|. Tokens are lowercased words
(`tokens.words`), so punctuation and case do not matter.
"""

from __future__ import annotations

from dataclasses import dataclass

from highlights.tokens import words


@dataclass(frozen=True, slots=True)
class Fragments:
    coverage: float
    density: float
    compression: float


def fragments(article: list[str], summary: list[str]) -> list[list[str]]:
    """Greedy extractive fragments (Grusky et al. 2018, Algorithm 1), longest match at each summary position."""
    positions: dict[str, list[int]] = {}
    for j, token in enumerate(article):
        positions.setdefault(token, []).append(j)
    found: list[list[str]] = []
    i = 0
    while i < len(summary):
        best = 0
        for j in positions.get(summary[i], ()):
            length = 0
            limit = min(len(summary) - i, len(article) - j)
            while length < limit and summary[i + length] == article[j + length]:
                length += 1
            best = max(best, length)
        if best:
            found.append(summary[i : i + best])
            i += best
        else:
            i += 1
    return found


def fragment_stats(article_text: str, summary_text: str) -> Fragments:
    article, summary = words(article_text), words(summary_text)
    if not summary:
        return Fragments(0.0, 0.0, float("nan"))
    found = fragments(article, summary)
    return Fragments(
        coverage=sum(len(f) for f in found) / len(summary),
        density=sum(len(f) ** 2 for f in found) / len(summary),
        compression=len(article) / len(summary),
    )


def novel_ngram_rate(article_text: str, bullets: list[str], n: int) -> float:
    """Share of the summary's n-grams (within a bullet) that never occur in the article; nan without any."""
    article = words(article_text)
    seen = {tuple(article[i : i + n]) for i in range(len(article) - n + 1)}
    grams = [tuple(t[i : i + n]) for b in bullets for t in [words(b)] for i in range(len(t) - n + 1)]
    if not grams:
        return float("nan")
    return sum(g not in seen for g in grams) / len(grams)

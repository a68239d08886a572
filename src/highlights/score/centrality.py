"""Centrality: LexRank-style PageRank over a tf-idf cosine graph of the article's sentences.

The idf comes from the article itself (sentences as documents), so it needs no corpus and no model.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from highlights.article import Article
from highlights.score import register
from highlights.tokens import content_terms


def tfidf_vectors(term_lists: list[list[str]]) -> np.ndarray:
    """Unit-length tf-idf rows, one per sentence (idf over the article's own sentences)."""
    n = len(term_lists)
    vocabulary: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for i, terms in enumerate(term_lists):
        for term, count in Counter(terms).items():
            rows.append(i)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            counts.append(count)
    if n == 0 or not vocabulary:
        return np.zeros((n, 0))
    tf = np.zeros((n, len(vocabulary)))
    tf[rows, cols] = counts
    df = (tf > 0).sum(axis=0)
    vectors = tf * np.log((1 + n) / (1 + df) + 1.0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def similarity_matrix(term_lists: list[list[str]]) -> np.ndarray:
    """Cosine similarity of tf-idf vectors, sentence x sentence."""
    vectors = tfidf_vectors(term_lists)
    return vectors @ vectors.T


def pagerank(similarity: np.ndarray, damping: float = 0.85, iterations: int = 50) -> np.ndarray:
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0)
    weights = similarity.copy()
    np.fill_diagonal(weights, 0.0)
    out_degree = weights.sum(axis=1, keepdims=True)
    # Sentences sharing nothing with the rest link everywhere uniformly (the usual dangling-node fix).
    transition = np.where(out_degree > 0, weights / np.where(out_degree > 0, out_degree, 1), 1.0 / n)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        updated = (1 - damping) / n + damping * (transition.T @ rank)
        if np.abs(updated - rank).sum() < 1e-9:
            return updated
        rank = updated
    return rank


class CentralityScorer:
    name = "centrality"

    def score(self, article: Article) -> np.ndarray:
        terms = [content_terms(s.text) for s in article.sentences]
        return pagerank(similarity_matrix(terms))


@register("centrality")
def _factory() -> CentralityScorer:
    return CentralityScorer()

"""Centrality: LexRank-style PageRank over a tf-idf cosine graph of the article's sentences.

The idf comes from the article itself (sentences as documents), so it needs no corpus and no model.
"""

from __future__ import annotations

import numpy as np

from highlights.article import Article
from highlights.score.base import Scorer


def term_counts(term_lists: list[list[str]]) -> tuple[np.ndarray, list[str]]:
    """How often each term occurs in each sentence (sentences × terms), and the terms, in order of first
    appearance."""
    n = len(term_lists)
    vocabulary: dict[str, int] = {}
    columns = [vocabulary.setdefault(term, len(vocabulary)) for terms in term_lists for term in terms]
    width = len(vocabulary)
    if not width:
        return np.zeros((n, 0)), []
    rows = np.repeat(np.arange(n), [len(terms) for terms in term_lists])
    counts = np.bincount(rows * width + np.asarray(columns), minlength=n * width).reshape(n, width)
    return counts.astype(np.float64), list(vocabulary)


def tfidf_vectors(term_lists: list[list[str]]) -> np.ndarray:
    """Unit-length tf-idf rows, one per sentence (idf over the article's own sentences)."""
    return tfidf_of_counts(term_counts(term_lists)[0])


def tfidf_of_counts(tf: np.ndarray) -> np.ndarray:
    """`tfidf_vectors` from `term_counts`."""
    if not tf.size:
        return tf
    df = (tf > 0).sum(axis=0)
    vectors = tf * np.log((1 + len(tf)) / (1 + df) + 1.0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def similarity_matrix(term_lists: list[list[str]]) -> np.ndarray:
    """Cosine similarity of tf-idf vectors, sentence x sentence."""
    vectors = tfidf_vectors(term_lists)
    return vectors @ vectors.T


def pagerank(similarity: np.ndarray, damping: float = 0.85) -> np.ndarray:
    """Stationary rank of a random walk over the similarity graph, solved exactly: the fixed point of
    `rank = (1 - damping) / n + damping * transition.T @ rank` (one small linear system, cheaper than
    iterating to convergence)."""
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0)
    weights = similarity.copy()
    np.fill_diagonal(weights, 0.0)
    out_degree = weights.sum(axis=1, keepdims=True)
    # Sentences sharing nothing with the rest link everywhere uniformly (the usual dangling-node fix).
    transition = np.where(out_degree > 0, weights / np.where(out_degree > 0, out_degree, 1), 1.0 / n)
    return np.linalg.solve(np.eye(n) - damping * transition.T, np.full(n, (1 - damping) / n))


class CentralityScorer(Scorer):
    name = "centrality"

    def score(self, article: Article) -> np.ndarray:
        terms = [article.tokens.terms(i) for i in range(len(article.sentences))]
        return pagerank(similarity_matrix(terms))

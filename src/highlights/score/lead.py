"""Lead: the first sentences first. The baseline every news summarizer is measured against."""

from __future__ import annotations

import numpy as np

from highlights.article import Article
from highlights.score.base import Scorer


class LeadScorer(Scorer):
    name = "lead"

    def score(self, article: Article) -> np.ndarray:
        n = len(article.sentences)
        return 1.0 / (1.0 + np.arange(n, dtype=np.float64))

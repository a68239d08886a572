"""Learned: LightGBM models trained on CNN/DailyMail pick the sentences and the number of bullets.

`highlights train` builds three files, shipped in `highlights/models/` and read once per process, on first
use: the sentence model (LightGBM's text format; P(sentence is in the greedy ROUGE oracle summary)), the
bullet model (LightGBM text; how many sentences the oracle takes, from article-level features), and a JSON
file with the feature names, the bullet limits and the term prior. No pickle anywhere.

Features are computed on the training data's normalization (`features.normalize`), never on the raw
sentence, so cased, untokenized input scores like the lowercased training text.
"""

from __future__ import annotations

import json
import threading
from functools import cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from highlights.article import Article
from highlights.errors import HighlightsError
from highlights.score import register
from highlights.score.features import FEATURE_NAMES, TermPrior, article_features

MODEL_FILE = "learned-sentences.lgb.txt"
BULLET_MODEL_FILE = "learned-bullets.lgb.txt"
POLICY_FILE = "learned.json"
# What the bullet model sees: the article, not its sentences.
ARTICLE_FEATURES = ("sentences_in_article", "article_words", "agency_dateline", "furniture_in_article")
MIN_BULLETS, MAX_BULLETS = 2, 4  # what `highlights train` writes: CNN prints 2-4


def default_model_dir() -> Path:
    return Path(str(resources.files("highlights") / "models"))


class LearnedScorer:
    name = "learned"

    def __init__(self, model_dir: Path | None = None) -> None:
        self.model_dir = model_dir or default_model_dir()
        self._recent = threading.local()

    def _rebuild_hint(self, what: str) -> HighlightsError:
        return HighlightsError(f"the learned model {what} ({self.model_dir}); rebuild it with `highlights train`")

    @cached_property
    def _metadata(self) -> dict:
        try:
            metadata = json.loads((self.model_dir / POLICY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise self._rebuild_hint(f"is missing or damaged: {error}") from None
        if tuple(metadata.get("features", ())) != FEATURE_NAMES:
            raise self._rebuild_hint("was trained on other features than this version computes")
        return metadata

    def _booster(self, name: str):
        import lightgbm

        path = self.model_dir / name
        if not path.is_file():
            raise self._rebuild_hint(f"file {name} is missing")
        return lightgbm.Booster(model_file=str(path))

    @cached_property
    def sentence_model(self):
        return self._booster(MODEL_FILE)

    @cached_property
    def bullet_model(self):
        return self._booster(BULLET_MODEL_FILE)

    @cached_property
    def prior(self) -> TermPrior:
        terms = self._metadata["term_prior"]
        return TermPrior(dict(terms["rates"]), float(terms["default"]))

    @cached_property
    def _article_columns(self) -> list[int]:
        return [FEATURE_NAMES.index(name) for name in self._metadata["article_features"]]

    def load(self) -> "LearnedScorer":
        """Read every file now (a service calls this at start-up, so no request pays for it)."""
        _ = self.prior, self.sentence_model, self.bullet_model, self._article_columns
        return self

    def features(self, article: Article) -> np.ndarray:
        return article_features(article, self.load().prior)

    def score(self, article: Article) -> np.ndarray:
        """Log-odds that each sentence belongs in the highlights."""
        if not article.sentences:
            return np.zeros(0)
        features = self.features(article)
        self._recent.value = (article, features)  # bullet_count() reads the same rows (per thread)
        return np.asarray(self.sentence_model.predict(features, raw_score=True, num_threads=1), dtype=np.float64)

    def bullet_count(self, article: Article, scores: np.ndarray) -> int:
        """How many bullets this article gets when the user does not say (CNN stories fewer than Daily Mail)."""
        n = len(article.sentences)
        limits = self._metadata["bullets"]  # as the model was trained; fewer sentences than that: all of them
        if n <= limits["minimum"]:
            return max(n, 1)
        recent = getattr(self._recent, "value", None)
        features = recent[1] if recent is not None and recent[0] is article else self.features(article)
        predicted = float(self.bullet_model.predict(features[:1, self._article_columns], num_threads=1)[0])
        return int(min(n, max(limits["minimum"], min(limits["maximum"], round(predicted)))))


@register("learned")
def _factory() -> LearnedScorer:
    return LearnedScorer()

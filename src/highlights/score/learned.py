"""Learned: models trained on CNN/DailyMail score the sentences and choose the summary.

Two stages. The sentence model scores each sentence (P(sentence is in the greedy ROUGE oracle summary)); then
every set of 2-4 of the five best sentences is described as a whole (`score.candidates`) and the summary model,
trained to predict a set's ROUGE against the reference highlights, picks one: that decides the bullet count
and keeps bullets from repeating each other.

`highlights train` builds five files, shipped in `highlights/models/` and read once per process and folder, on
first use: the sentence, bullet-count and summary models (LightGBM's text format), a JSON file with the feature
names, the bullet limits and the term prior, and a JSON file with the phrase model's weights. No pickle anywhere.
The folder's `meta.json` says which code they fit (`model_meta`, checked before any file is read).

Features are computed on the training data's normalization (`tokens.ptb_tokens`), never on the raw
sentence, so cased, untokenized input scores like the lowercased training text.
"""

from __future__ import annotations

import json
import threading
from functools import cached_property
from pathlib import Path

import numpy as np

from highlights.article import Article
from highlights.errors import ModelFolderError
from highlights.model_folder import ModelMeta, check_meta, default_model_dir, feature_digest, read_booster
from highlights.options import Budget
from highlights.score.base import Scorer
from highlights.score.candidates import CANDIDATE_FEATURES, TOP_SENTENCES, Candidates, candidate_summaries
from highlights.score.features import (
    ARTICLE_FEATURES,
    FEATURE_NAMES,
    Lexicon,
    PhraseModel,
    TermPrior,
    article_features_and_view,
)
from highlights.segment import bullet_candidates
from highlights.tokens import content_terms_of, ptb_tokens

MODEL_FILE = "learned-sentences.lgb.txt"
BULLET_MODEL_FILE = "learned-bullets.lgb.txt"
SUMMARY_MODEL_FILE = "learned-summaries.lgb.txt"
POLICY_FILE = "learned.json"
PHRASE_FILE = "learned-phrases.json"
MIN_BULLETS, MAX_BULLETS = 2, 4  # what `highlights train` writes: CNN prints 2-4
FORMAT = 1  # the layout of the five files above; bumped when it changes (`model_folder`)
_AGENCY_COLUMN = FEATURE_NAMES.index("agency_dateline")


def summary_sizes(sentences: int, minimum: int = MIN_BULLETS, maximum: int = MAX_BULLETS) -> tuple[int, ...]:
    """Bullet counts a summary may have: `minimum`..`maximum`, or every sentence of a shorter article."""
    return tuple(range(minimum, maximum + 1)) if sentences > minimum else (max(sentences, 1),)


def story_kind(features: np.ndarray) -> str:
    """Which size offsets an article gets: "agency_dateline" (a wire-style story, CNN's) or "other"."""
    return "agency_dateline" if len(features) and features[0, _AGENCY_COLUMN] else "other"


def model_meta() -> ModelMeta:
    """What the model folder's meta.json must say of the learned model for this code to read it: the features
    it computes and the normalization they are computed on (`tokens.ptb_tokens`, `tokens.content_terms_of`)."""
    # The normalizers keep the names they were recorded under ("normalize" is now `ptb_tokens`): the digest is of
    # what they make of the probe texts, and a rename must not make the shipped models look stale.
    digest = feature_digest(
        {"features": FEATURE_NAMES, "article_features": ARTICLE_FEATURES, "candidate_features": CANDIDATE_FEATURES},
        {"normalize": ptb_tokens, "content_terms": lambda text: content_terms_of(ptb_tokens(text))},
    )
    return ModelMeta("learned", FORMAT, digest, "highlights train ROWS --out {folder}")


class LearnedScorer(Scorer):
    name = "learned"

    def __init__(self, model_dir: Path | None = None) -> None:
        self.model_dir = model_dir or default_model_dir()
        self._recent = threading.local()

    def with_model_dir(self, model_dir: Path) -> LearnedScorer:
        return LearnedScorer(model_dir)

    def _rebuild_hint(self, what: str) -> ModelFolderError:
        return ModelFolderError(f"the learned model {what} ({self.model_dir}); rebuild it with `highlights train`")

    @cached_property
    def _metadata(self) -> dict:
        check_meta(self.model_dir, model_meta())
        try:
            metadata = json.loads((self.model_dir / POLICY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise self._rebuild_hint(f"is missing or damaged: {error}") from None
        if (
            tuple(metadata.get("features", ())) != FEATURE_NAMES
            or tuple(metadata.get("candidate_features", ())) != CANDIDATE_FEATURES
        ):
            raise self._rebuild_hint("was trained on other features than this version computes")
        return metadata

    def _booster(self, name: str):
        return read_booster(self.model_dir, name, self._rebuild_hint)

    @cached_property
    def sentence_model(self):
        return self._booster(MODEL_FILE)

    @cached_property
    def bullet_model(self):
        return self._booster(BULLET_MODEL_FILE)

    @cached_property
    def summary_model(self):
        return self._booster(SUMMARY_MODEL_FILE)

    @cached_property
    def lexicon(self) -> Lexicon:
        terms = self._metadata["term_prior"]
        try:
            phrases = json.loads((self.model_dir / PHRASE_FILE).read_text(encoding="utf-8"))
            phrase_model = PhraseModel(dict(phrases["weights"]), float(phrases["bias"]))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise self._rebuild_hint(f"file {PHRASE_FILE} is missing or damaged: {error}") from None
        return Lexicon(TermPrior(dict(terms["rates"]), float(terms["default"])), phrase_model)

    @cached_property
    def _article_columns(self) -> list[int]:
        return [FEATURE_NAMES.index(name) for name in self._metadata["article_features"]]

    def load(self) -> LearnedScorer:
        """Read every file now (a service calls this at start-up, so no request pays for it)."""
        _ = self.lexicon, self.sentence_model, self.bullet_model, self.summary_model, self._article_columns
        return self

    def features(self, article: Article) -> np.ndarray:
        return self._features_and_view(article)[0]

    def _features_and_view(self, article: Article) -> tuple:
        recent = getattr(self._recent, "value", None)
        if recent is not None and recent[0] is article:
            return recent[1], recent[2]
        features, view = article_features_and_view(article, self.load().lexicon)
        self._recent.value = (article, features, view)  # choose() and bullet_count() reuse them (per thread)
        return features, view

    def score(self, article: Article) -> np.ndarray:
        """Log-odds that each sentence belongs in the highlights."""
        if not article.sentences:
            return np.zeros(0)
        features, _ = self._features_and_view(article)
        return np.asarray(self.sentence_model.predict(features, raw_score=True, num_threads=1), dtype=np.float64)

    def _predicted_bullets(self, features: np.ndarray) -> float:
        return float(self.bullet_model.predict(features[:1, self._article_columns], num_threads=1)[0])

    def choose(
        self,
        article: Article,
        scores: np.ndarray,
        budget: Budget,
        words: list[int] | None = None,
        eligible: list[bool] | None = None,
    ) -> list[int] | None:
        """The sentences (article order) of the candidate summary the summary model rates best, within the
        budget: the user's bullet count, the word limits, and no two bullets overlapping by `redundancy` or
        more; each sentence as long as `words` says (its own length when None). None when no candidate fits (or the user asks for a bullet count the model never saw): the
        pipeline then selects greedily."""
        n = len(article.sentences)
        limits = self._metadata["bullets"]
        if budget.bullets is not None:
            if not limits["minimum"] <= budget.bullets <= min(limits["maximum"], TOP_SENTENCES):
                return None
            sizes = summary_sizes(n, budget.bullets, budget.bullets)
        else:
            sizes = summary_sizes(n, limits["minimum"], limits["maximum"])
        candidates, rating = self.rate(article, scores, sizes, budget.max_words_per_bullet, words, eligible)
        if not candidates.sets:
            return None
        allowed = np.ones(len(candidates.sets), dtype=bool)
        if budget.redundancy is not None and budget.redundancy < 1.0:
            allowed &= candidates.overlap_max < budget.redundancy
        if budget.max_words is not None:
            allowed &= candidates.words <= budget.max_words
        if not allowed.any():
            return None
        return list(candidates.sets[int(np.argmax(np.where(allowed, rating, -np.inf)))])

    def rate(
        self,
        article: Article,
        scores: np.ndarray,
        sizes: tuple[int, ...],
        max_words_per_bullet: int | None = None,
        words: list[int] | None = None,
        eligible: list[bool] | None = None,
    ) -> tuple[Candidates, np.ndarray]:
        """The article's candidate summaries and the summary model's rating of each (higher is better),
        with the offsets of the article's kind added: per bullet count and per word (`learned.json`, fitted by
        `highlights train --calibration-split` on training rows no model saw, and zero unless a check on those
        rows says they help)."""
        features, view = self._features_and_view(article)
        candidates = candidate_summaries(
            scores,
            features,
            view,
            self._predicted_bullets(features),
            words if words is not None else [s.words for s in article.sentences],
            sizes=sizes,
            max_words_per_bullet=max_words_per_bullet,
            eligible=eligible if eligible is not None else bullet_candidates(article.sentences),
        )
        if not candidates.sets:
            return candidates, np.zeros(0)
        rating = self.summary_model.predict(candidates.features, num_threads=1)
        calibration = self._metadata.get("calibration", {}).get(story_kind(features))
        if calibration:
            sizes_offset = calibration["sizes"]
            rating = (
                rating
                + np.asarray([sizes_offset.get(str(len(members)), 0.0) for members in candidates.sets])
                + calibration["per_word"] * candidates.words
            )
        return candidates, rating

    def bullet_count(self, article: Article, scores: np.ndarray) -> int:
        """How many bullets this article gets when the user does not say (CNN stories fewer than Daily Mail)."""
        n = len(article.sentences)
        limits = self._metadata["bullets"]  # as the model was trained; fewer sentences than that: all of them
        if n <= limits["minimum"]:
            return max(n, 1)
        predicted = self._predicted_bullets(self._features_and_view(article)[0])
        return int(min(n, max(limits["minimum"], min(limits["maximum"], round(predicted)))))

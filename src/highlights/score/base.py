"""The scorer interface, `Scorer`, and the registry of scoring methods by name.

A scorer gives every sentence of an article a score (higher = better highlight). Selection, compression and
rendering are shared, so `lead`, `centrality`, the learned model (and any plug-in) differ only here. A plug-in
subclasses `Scorer` and registers a zero-argument factory (the class itself will do) with `register("name")`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from highlights.article import Article
from highlights.errors import UnknownMethodError
from highlights.model_folder import folder_key
from highlights.options import Budget


class Scorer:
    """A scoring method. A subclass sets `name` and defines `score`; the other methods have defaults that a
    scorer doing more (the learned one) overrides."""

    name: str = ""

    def score(self, article: Article) -> np.ndarray:
        """One float per `article.sentences`, higher is better."""
        raise NotImplementedError

    def choose(
        self,
        article: Article,
        scores: np.ndarray,
        budget: Budget,
        words: list[int] | None = None,
        eligible: list[bool] | None = None,
    ) -> list[int] | None:
        """The sentences (article order) of the summary this scorer picks as a whole within `budget`, each sentence
        as long as `words` says (once fitted to the budget: `compress/fit.py`; its own length when None), among the
        `eligible` ones (`segment.bullet_candidates` when None); None leaves the choice to greedy selection by
        score (`select.select`), as the default does."""
        return None

    def bullet_count(self, article: Article, scores: np.ndarray) -> int | None:
        """How many bullets greedy selection takes when the user does not say; None (the default) lets it go by
        the article's length."""
        return None

    def load(self) -> Scorer:
        """Read any model files now rather than on the first article (a service or batch worker starting up)."""
        return self

    def with_model_dir(self, model_dir: Path) -> Scorer:
        """This method reading its models from `model_dir`; a scorer without model files is itself."""
        return self


_FACTORIES: dict[str, Callable[[], Scorer]] = {}
# One scorer per method and model folder (None: the shipped one), so that each folder's models load once.
_INSTANCES: dict[tuple[str, Path | None], Scorer] = {}
_BUILDING = threading.Lock()


def register(name: str) -> Callable[[Callable[[], Scorer]], Callable[[], Scorer]]:
    def decorator(factory: Callable[[], Scorer]) -> Callable[[], Scorer]:
        _FACTORIES[name] = factory
        return factory

    return decorator


def methods() -> list[str]:
    return sorted(_FACTORIES)


def get_scorer(name: str, model_dir: Path | str | None = None) -> Scorer:
    """The scorer registered as `name`, reading its models (if it has any) from `model_dir`, None for the shipped
    ones. Built once per process and folder; models load lazily, on first use or `load()`."""
    if name not in _FACTORIES:
        raise UnknownMethodError(f"unknown method {name!r}; choose one of: {', '.join(methods())}")
    key = (name, folder_key(model_dir))
    scorer = _INSTANCES.get(key)
    if scorer is None:
        with _BUILDING:  # two threads asking at once get one scorer, whose models load once
            scorer = _INSTANCES.get(key)
            if scorer is None:
                scorer = _FACTORIES[name]()
                if not isinstance(scorer, Scorer):
                    raise TypeError(
                        f"the scorer registered as {name!r} is a {type(scorer).__name__}; a scorer "
                        "subclasses highlights.score.Scorer"
                    )
                if key[1] is not None:
                    scorer = scorer.with_model_dir(key[1])
                _INSTANCES[key] = scorer
    return scorer

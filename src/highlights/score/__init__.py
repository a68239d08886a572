"""Sentence scorers behind one interface, chosen by name.

A scorer gives every sentence of an article a score (higher = better highlight). Selection, compression and
rendering are shared, so `lead`, `centrality`, the learned model (and any plug-in) differ only here.
Register a new one with `@register("name")` on a zero-argument factory. A scorer may also offer
`bullet_count(article, scores) -> int`: how many bullets to give when the user does not say.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from highlights.article import Article
from highlights.errors import UnknownMethodError


class Scorer(Protocol):
    name: str

    def score(self, article: Article) -> np.ndarray:
        """One float per `article.sentences`, higher is better."""
        ...


_FACTORIES: dict[str, Callable[[], Scorer]] = {}
_INSTANCES: dict[str, Scorer] = {}


def register(name: str) -> Callable[[Callable[[], Scorer]], Callable[[], Scorer]]:
    def decorator(factory: Callable[[], Scorer]) -> Callable[[], Scorer]:
        _FACTORIES[name] = factory
        return factory

    return decorator


def methods() -> list[str]:
    _load_builtins()
    return sorted(_FACTORIES)


def get_scorer(name: str) -> Scorer:
    """The scorer registered as `name`, built once per process (models load lazily, once)."""
    _load_builtins()
    if name not in _FACTORIES:
        raise UnknownMethodError(f"unknown method {name!r}; choose one of: {', '.join(sorted(_FACTORIES))}")
    if name not in _INSTANCES:
        _INSTANCES[name] = _FACTORIES[name]()
    return _INSTANCES[name]


def _load_builtins() -> None:
    # Imported here so each module registers itself without import cycles.
    from highlights.score import centrality, lead, learned  # noqa: F401

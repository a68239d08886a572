"""LightGBM fitting shared by the trainers (`train`, `train_deletions`): one set of base parameters, seeded and
deterministic, so that the same data gives the same model files."""

from __future__ import annotations

from typing import Any

import numpy as np

LGB_PARAMS = {
    "learning_rate": 0.1,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "verbose": -1,
    # Same data, same seed, same model: row-wise histograms and deterministic mode make LightGBM repeatable.
    "deterministic": True,
    "force_row_wise": True,
}


def fit_lightgbm(
    features: np.ndarray,
    labels: np.ndarray,
    names: list[str],
    settings: dict,
    seed: int,
    threads: int,
    categorical: tuple[str, ...] = (),
):
    """A LightGBM model of `labels` from `features` (columns `names`): `settings` over `LGB_PARAMS`, with its
    number of boosting `rounds`."""
    import lightgbm  # only the trainers need it at import time; `highlights --help` does not

    settings = dict(settings)
    rounds = settings.pop("rounds")
    params = {**LGB_PARAMS, **settings, "seed": seed, "num_threads": threads}
    extra: dict[str, Any] = {"categorical_feature": [names.index(c) for c in categorical]} if categorical else {}
    data = lightgbm.Dataset(features, labels, feature_name=names, **extra)
    return lightgbm.train(params, data, num_boost_round=rounds)

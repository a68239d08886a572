"""Sentence scorers behind one interface (`Scorer`, in `score.base`), chosen by name.

The built-in methods are registered here; a plug-in subclasses `Scorer` and registers itself with
`@register("name")` on a zero-argument factory. `get_scorer(name, model_dir)` builds one per model folder.
"""

from __future__ import annotations

from highlights.score.base import Scorer, get_scorer, methods, register
from highlights.score.centrality import CentralityScorer
from highlights.score.lead import LeadScorer
from highlights.score.learned import LearnedScorer

register("centrality")(CentralityScorer)
register("lead")(LeadScorer)
register("learned")(LearnedScorer)

__all__ = ["Scorer", "get_scorer", "methods", "register"]

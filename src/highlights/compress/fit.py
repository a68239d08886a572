"""Fit: bullets within the word budget by compressing the sentences that matter, not by skipping them.

A sentence longer than `max_words_per_bullet` is cut until it fits: first the cuts compression makes anyway (those
the deletion model rates worth making), then, of the cuts it would otherwise leave, those expected to take the
fewest words the highlights keep, until the sentence is short enough. Every cut passes the guard (`compress.guard_reason`) in the sentence as it stands by
then, so a fitted bullet keeps its main clause, its quotes whole and its negations. A sentence that no allowed
cuts bring within the budget cannot be a bullet, so selection passes it over for one that can.

Selection and fitting are decided together: before the summary is chosen, every candidate sentence that is too
long is fitted as part of a provisional summary (itself and the best-scored other candidates), and selection
reads each sentence's fitted length (`words_after_fitting`). The chosen bullets are then fitted again, in the
summary they are part of (`fit_bullet`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from highlights.article import Article, Sentence, Span
from highlights.compress.assemble import Compressed, apply_cuts
from highlights.compress.cuts import Cut
from highlights.compress.deletions import DeletionModel, RatedCuts
from highlights.compress.grammar import has_verb
from highlights.segment import bullet_candidates

# How many of the best-scored candidate sentences are fitted before the choice: the learned method chooses among
# its five best, greedy selection rarely goes further down; each costs a rating of its cuts.
FITTED_CANDIDATES = 10
MAX_TRIES = 4  # sets of cuts tried per sentence before it counts as not fitting


def statements(sentences: list[Sentence]) -> list[bool]:
    """Which sentences may become bullets: those that end like a sentence (`segment.bullet_candidates`) and have a
    verb (`grammar.has_verb`): a list item, a caption or a subheading that ends with a full stop (`Hong Kong
    International Airport .`) is not a statement of the story. When none has both, those that end like one."""
    ends = bullet_candidates(sentences)
    stated = [end and has_verb(sentence.text) for end, sentence in zip(ends, sentences)]
    return stated if any(stated) else ends


@dataclass(frozen=True, slots=True)
class Fitted:
    """A sentence cut to fit a budget: the bullet and its length in words."""

    compressed: Compressed
    words: int


def bullet_words(text: str, compressed: Compressed) -> int:
    return len(compressed.text(text).split())


def fit_bullet(text: str, span: Span, rated: RatedCuts, max_words: int) -> Fitted:
    """The sentence `text[span]` cut to at most `max_words` words if the allowed cuts can do it, else as short as
    they make it (the caller decides what a bullet over the budget means).

    The cuts are chosen together: the set of non-overlapping cuts that deletes enough words with the most value
    (`_cut_values`, `_cut_set`), so a cut worth making stays in whenever it can, and a long
    tail can stand in for the shorter cuts inside it. The guard then vets them in order in the shortened sentence;
    a cut it refuses there is left out of the next try."""
    sentence = span.of(text)
    cuts, value = list(rated.cuts), list(_cut_values(rated))
    need = len(sentence.split()) - max_words
    best: Fitted | None = None
    for _ in range(MAX_TRIES):
        chosen = _cut_set([_words(sentence[c.start : c.end]) for c in cuts], cuts, value, max(need, 0))
        if chosen is None:
            break
        order = sorted(chosen, key=lambda k: -value[k])
        compressed = apply_cuts(text, span, [cuts[k] for k in order])
        fitted = Fitted(compressed, bullet_words(text, compressed))
        if best is None or fitted.words < best.words or (fitted.words <= max_words and best.words > max_words):
            best = fitted
        if fitted.words <= max_words:
            return fitted
        made = {(deleted.start - span.start, deleted.end - span.start) for _, deleted in compressed.deletions}
        refused = [k for k in chosen if (cuts[k].start, cuts[k].end) not in made]
        if refused:  # the guard refused some in the shortened sentence: try without them
            cuts = [c for k, c in enumerate(cuts) if k not in refused]
            value = [v for k, v in enumerate(value) if k not in refused]
        else:  # every cut made, and words still over (punctuation counted as words): ask for more
            need += fitted.words - max_words
    if best is None:
        best = Fitted(apply_cuts(text, span, []), len(sentence.split()))
    return best


def _cut_values(rated: RatedCuts) -> np.ndarray:
    """What each cut is worth to a sentence that must be fitted: its predicted gain over the threshold, less the
    words of the highlights it is expected to take. The cut model rates a cut at the summary's own length, where
    it is made only when it helps; a budget forces cuts that do not, and then the cheapest are those that take
    the fewest words the highlights keep (the word model's chances). On training rows this fits bullets of 15
    words with +0.2 to +0.4 ROUGE-1 over the gains alone (issue #22's note)."""
    value = rated.gains - rated.threshold
    return value if rated.expected_loss is None else value - rated.expected_loss


def _words(text: str) -> int:
    """Words a cut takes: whitespace-separated runs with a letter or digit (a lone comma is not a word)."""
    return sum(1 for word in text.split() if any(ch.isalnum() for ch in word))


def _cut_set(deleted_words: list[int], cuts: list[Cut], value: list[float], need: int) -> list[int] | None:
    """Indices of the non-overlapping cuts whose deleted words add up to at least `need` with the largest total
    `value` (cuts with a positive value are taken whenever they fit in, as compression would make them), or None
    when no such set exists. Weighted interval scheduling over the cuts sorted by end, with the words still needed
    (capped at `need`) as a second dimension."""
    order = sorted(range(len(cuts)), key=lambda k: (cuts[k].end, cuts[k].start))
    ends = [cuts[k].end for k in order]
    # best[i][d]: the best value among the first i cuts (by end) deleting at least d words; -inf when impossible.
    best = np.full((len(order) + 1, need + 1), -np.inf)
    best[:, 0] = 0.0
    took = np.zeros((len(order) + 1, need + 1), dtype=bool)
    previous = [bisect_right(ends, cuts[k].start, 0, i) for i, k in enumerate(order)]
    for i, k in enumerate(order, start=1):
        for d in range(need + 1):
            skip = best[i - 1][d]
            take = value[k] + best[previous[i - 1]][max(d - deleted_words[k], 0)]
            if take > skip:
                best[i][d], took[i][d] = take, True
            else:
                best[i][d] = skip
    if not np.isfinite(best[len(order)][need]):
        return None
    chosen, i, d = [], len(order), need
    while i > 0:
        if took[i][d]:
            k = order[i - 1]
            chosen.append(k)
            d, i = max(d - deleted_words[k], 0), previous[i - 1]
        else:
            i -= 1
    return chosen


def words_after_fitting(
    article: Article,
    scores: np.ndarray,
    max_words: int,
    deletions: DeletionModel,
    summary_size: int,
    eligible: list[bool] | None = None,
    *,
    parse: bool = True,
) -> tuple[list[int], dict[int, Fitted]]:
    """Each sentence's length in words once fitted to `max_words` (its own length when it already fits, or when it
    is not among the `FITTED_CANDIDATES` best-scored candidates that are fitted), and the fitted ones. Each fitted
    sentence is rated as part of a provisional summary of `summary_size`: itself and the best-scored other
    candidates, in article order. `eligible`: the sentences that may be bullets (`statements` when None).
    `parse`: whether the cuts are found with the parse too, when it is installed (`syntax.py`)."""
    sentences = article.sentences
    words = [sentence.words for sentence in sentences]
    eligible = eligible if eligible is not None else statements(sentences)
    ranked = [int(i) for i in np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable") if eligible[int(i)]]
    ranked = ranked[:FITTED_CANDIDATES]
    too_long = [i for i in ranked if words[i] > max_words]
    if not too_long:
        return words, {}
    # The candidates rated together: one call of the models for all of them; each reads its own summary.
    members = sorted(set(ranked[:summary_size]) | set(too_long))
    position = {index: k for k, index in enumerate(members)}
    summaries = []
    for index in members:
        others = [i for i in ranked if i != index][: max(summary_size - 1, 0)]
        summaries.append(sorted(position[i] for i in [index, *others]))
    over = set(too_long)
    wanted = [i in over for i in members]
    rated = deletions.rated_cuts(
        article, [(i, sentences[i].span) for i in members], summaries, wanted=wanted, fitting=wanted if parse else None
    )
    fitted: dict[int, Fitted] = {}
    for index in too_long:
        result = fit_bullet(article.text, sentences[index].span, rated[position[index]], max_words)
        if result.words <= max_words:
            fitted[index] = result
            words[index] = result.words
    return words, fitted

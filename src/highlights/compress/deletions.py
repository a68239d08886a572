"""The learned deletion model: which candidate cuts of a selected sentence make the bullet closer to what CNN
prints (`cuts.py` proposes the cuts, `assemble.py` makes them; this module rates them).

Two LightGBM models, applied in turn:

1. The word model: the chance that each word of a selected sentence appears in the reference highlights,
   from the word itself (how often such words survive from a selected sentence into the highlights in the
   training data: the `KeepPrior`) and from the article (in how many of its sentences the word occurs, how
   early it first occurs, whether the other bullets have it). A word the article keeps returning to is one
   the highlights keep.
2. The cut model: what each candidate cut (a character range of one selected sentence) does to the
   summary's ROUGE. Its features describe the span (what kind of cut, how long, where, which word opens it),
   its words (their keep prior and the word model's chances, inside the cut and in what stays), and its
   context (the other bullets, the article, the kind of story).

Words are ROUGE tokens (lowercased, Porter-stemmed: `tokens.rouge_token_spans`), read from the article's token
layer (`Article.tokens.rouge`) with where each lies, so that a cut's words are a slice of its sentence's; cased
and lowercased text give the same features, like the model's training text.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from highlights.article import Article, Span
from highlights.compress import syntax
from highlights.compress.cuts import CUT_KINDS, Cut, candidate_cuts
from highlights.errors import ModelFolderError
from highlights.lexicon import DELETION_OPENING_WORDS, DELETION_SAY_WORDS, DELETION_STOPWORDS
from highlights.model_folder import ModelMeta, check_meta, default_model_dir, feature_digest, folder_key, read_booster
from highlights.tokens import RougeTokens, rouge_tokens

MODEL_FILE = "learned-deletions.lgb.txt"
WORD_MODEL_FILE = "learned-deletion-words.lgb.txt"
METADATA_FILE = "learned-deletions.json"
FORMAT = 1  # the layout of the three files above; bumped when it changes (`model_folder`)

# Words that open a cut worth telling apart (the rest share code 0). Order is part of the model: append only.
OPENING_WORDS = DELETION_OPENING_WORDS
_OPENING_CODE = {word: code for code, word in enumerate(OPENING_WORDS, start=1)}
_BOUNDARY_CODE = {",": 1, ";": 2, ":": 3, "-": 4, "—": 4, "–": 4, "(": 5, '"': 6, "“": 6, "”": 6}
_DIGIT = re.compile(r"\d")
_WORD_START = re.compile(r"\S+")

DELETION_FEATURES = (
    "kind",
    "deleted_words",
    "sentence_words",
    "kept_words",
    "deleted_share",
    "start_share",
    "ends_sentence",
    "starts_sentence",
    "boundary",
    "opening_word",
    "numbers_deleted",
    "numbers_kept",
    "says_deleted",
    "stopword_share",
    "keep_rate_mean",
    "keep_rate_min",
    "keep_rate_max",
    "keep_log_odds_sum",
    "kept_keep_rate_mean",
    "in_other_bullets",
    "article_count_mean",
    "article_count_max",
    "bullet_position",
    "bullets",
    "sentence_index",
    "sentences_in_article",
    "agency_dateline",
    "quote_in_sentence",
    "sentence_log_odds_sum",
    "summary_words",
    "kept_log_odds_sum",
    "other_bullets_log_odds_sum",
    "word_keep_sum",
    "word_keep_mean",
    "word_keep_max",
    "word_keep_min",
    "kept_word_keep_mean",
    "sentence_word_keep_sum",
    "sentence_word_keep_mean",
)
# One row per word (rouge token) of a selected sentence: what the word model reads.
WORD_FEATURES = (
    "keep_rate",
    "previous_keep_rate",
    "next_keep_rate",
    "article_count",
    "sentence_share",
    "first_sentence_share",
    "in_other_bullets",
    "position_share",
    "stopword",
    "number",
    "sentence_index",
    "bullet_position",
    "bullets",
    "agency_dateline",
    "count_in_sentence",
    "letters",
    "sentence_tokens",
)
CATEGORICAL = ("kind", "boundary", "opening_word")
_WORD_KEEP_SUM = DELETION_FEATURES.index("word_keep_sum")  # the word model's chances inside a cut, summed


@dataclass(frozen=True, slots=True)
class KeepPrior:
    """How often a word of a selected sentence appears in the reference highlights (training data)."""

    rates: dict[str, float]
    default: float

    def of(self, token: str) -> float:
        return self.rates.get(token, self.default)


def log_odds(rate: float) -> float:
    rate = min(max(rate, 1e-3), 1 - 1e-3)
    return math.log(rate / (1 - rate))


@dataclass(frozen=True, slots=True)
class DeletionContext:
    """What a deletion's features need beyond its sentence: the summary it is part of and the article."""

    other_bullet_tokens: frozenset[str]
    article_counts: dict[str, int]  # of the bullet's words: how often the article has each
    sentence_shares: dict[str, float]  # ... the share of the article's sentences that have it
    first_sentence_shares: dict[str, float]  # ... where it first occurs (sentence index / sentences)
    bullet_position: int
    bullets: int
    sentence_index: int
    sentences_in_article: int
    agency_dateline: bool
    summary_words: int  # of all the bullets, before any deletion
    other_bullets_log_odds: float  # keep-prior log-odds summed over the other bullets' words


def bullet_tokens(article: Article, index: int, span: Span) -> RougeTokens:
    """The ROUGE tokens of a bullet, `span` of sentence `index` (the whole sentence or its first words), with
    offsets in the bullet's text: a cut `[start, end)` of `span.of(article.text)` holds the tokens whose starts
    lie in it."""
    return article.tokens.rouge(index).inside(span.start, span.end)


def word_features(tokens: list[str], context: DeletionContext, prior: KeepPrior) -> np.ndarray:
    """One row of WORD_FEATURES per word of a bullet (its ROUGE tokens, `bullet_tokens(...).stems`), in order."""
    n = len(tokens)
    rates = [prior.of(t) for t in tokens]
    counts = Counter(tokens)
    rows = np.zeros((n, len(WORD_FEATURES)), dtype=np.float32)
    for i, token in enumerate(tokens):
        rows[i] = (
            rates[i],
            rates[i - 1] if i else -1.0,
            rates[i + 1] if i + 1 < n else -1.0,
            context.article_counts.get(token, 0),
            context.sentence_shares.get(token, 0.0),
            context.first_sentence_shares.get(token, 1.0),
            token in context.other_bullet_tokens,
            i / n,
            token in DELETION_STOPWORDS,
            token.isdigit(),
            context.sentence_index,
            context.bullet_position,
            context.bullets,
            context.agency_dateline,
            counts[token],
            len(token),
            n,
        )
    return rows


def deletion_features(
    sentence: str,
    sentence_tokens: RougeTokens,
    cuts: list[Cut],
    context: DeletionContext,
    prior: KeepPrior,
    word_keep: np.ndarray,
) -> np.ndarray:
    """One row of DELETION_FEATURES per cut of `sentence` (a bullet's text, `sentence_tokens` its
    `bullet_tokens`); `word_keep` holds the word model's chance for each of the sentence's words
    (`word_features` order)."""
    rows = np.zeros((len(cuts), len(DELETION_FEATURES)), dtype=np.float32)
    words = sentence.split()
    sentence_words = max(len(words), 1)
    starts, tokens = sentence_tokens.starts, sentence_tokens.stems
    if len(word_keep) != len(tokens):
        raise ValueError(f"{len(word_keep)} word chances for a sentence of {len(tokens)} words")
    keep_cumulative = np.concatenate([[0.0], np.cumsum(word_keep, dtype=np.float64)])
    keep_total = keep_cumulative[-1]
    rates = [prior.of(t) for t in tokens]
    odds = [log_odds(r) for r in rates]
    counts = [context.article_counts.get(t, 0) for t in tokens]
    # Prefix sums: a cut's sums are differences, its complement's the rest.
    cumulative = np.cumsum(
        np.asarray(
            [[0.0] * 6]
            + [
                [r, o, t in DELETION_SAY_WORDS, t in DELETION_STOPWORDS, t in context.other_bullet_tokens, c]
                for t, r, o, c in zip(tokens, rates, odds, counts)
            ]
        ),
        axis=0,
    )
    total = cumulative[-1]
    end_of_text = len(sentence.rstrip().rstrip("\"”'’").rstrip(".!?"))
    quote = any(ch in sentence for ch in '"“”')
    # Words (split at whitespace) starting inside a cut go with it: cuts start and end at word boundaries or
    # at the punctuation after a word, which stays.
    digits_in = [bool(_DIGIT.search(w)) for w in words]
    word_starts = [m.start() for m in _WORD_START.finditer(sentence)]
    for row, cut in enumerate(cuts):
        start, end = cut.start, cut.end
        first, last = bisect_left(starts, start), bisect_left(starts, end)
        n = last - first
        inside = cumulative[last] - cumulative[first]
        kept_n = len(tokens) - n
        kept_sums = total - inside
        first_word, last_word = bisect_left(word_starts, start), bisect_left(word_starts, end)
        deleted = sentence[start:end]
        deleted_words = len(deleted.split())
        opening = deleted.strip(' ,;:-–—("“”').split(maxsplit=1)
        boundary = sentence[start - 1] if start and sentence[start].isspace() else sentence[start]
        digits_deleted = sum(1 for w in deleted.split() if _DIGIT.search(w))
        cut_rates = rates[first:last]
        cut_counts = counts[first:last]
        cut_keep = word_keep[first:last]
        keep_inside = keep_cumulative[last] - keep_cumulative[first]
        rows[row] = (
            cut.code,
            deleted_words,
            sentence_words,
            sentence_words - deleted_words,
            deleted_words / sentence_words,
            len(sentence[:start].split()) / sentence_words,
            end >= end_of_text,
            start == 0,
            _BOUNDARY_CODE.get(boundary, 0),
            _OPENING_CODE.get(opening[0].lower() if opening else "", 0),
            digits_deleted,
            sum(digits_in[:first_word]) + sum(digits_in[last_word:]),
            inside[2],
            inside[3] / max(n, 1),
            inside[0] / n if n else prior.default,
            min(cut_rates) if n else prior.default,
            max(cut_rates) if n else prior.default,
            inside[1] if n else log_odds(prior.default),
            kept_sums[0] / kept_n if kept_n else prior.default,
            inside[4] / max(n, 1),
            inside[5] / n if n else 0.0,
            max(cut_counts) if n else 0,
            context.bullet_position,
            context.bullets,
            context.sentence_index,
            context.sentences_in_article,
            context.agency_dateline,
            quote,
            total[1],
            context.summary_words,
            kept_sums[1] if kept_n else log_odds(prior.default),
            context.other_bullets_log_odds,
            keep_inside,
            keep_inside / n if n else 0.0,
            cut_keep.max() if n else 0.0,
            cut_keep.min() if n else 0.0,
            (keep_total - keep_inside) / kept_n if kept_n else 0.0,
            keep_total,
            keep_total / len(tokens) if tokens else 0.0,
        )
    return rows


def summary_contexts(
    article: Article,
    bullets: list[tuple[int, Span]],
    prior: KeepPrior,
    summaries: list[list[int]] | None = None,
) -> list[DeletionContext]:
    """The context of each bullet `(sentence index, span)` of a summary of `article`; with `summaries`, each bullet
    `k` is read as part of the summary `summaries[k]` (indices into `bullets`, itself among them, in summary order)
    instead: candidate sentences rated before the summary is chosen (`fit.py`)."""
    sentence_tokens = article.tokens.rouge_stems()
    body = Counter(token for tokens in sentence_tokens for token in tokens)
    in_sentences: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for index, tokens in enumerate(sentence_tokens):
        in_sentences.update(set(tokens))
        for token in tokens:
            first_seen.setdefault(token, index)
    sentences = max(len(article.sentences), 1)
    texts = [span.of(article.text) for _, span in bullets]
    bullet_stems = [bullet_tokens(article, index, span).stems for index, span in bullets]
    token_sets = [frozenset(t) for t in bullet_stems]
    log_odds_sums = [sum(log_odds(prior.of(t)) for t in bullet) for bullet in bullet_stems]
    word_counts = [len(text.split()) for text in texts]
    dateline = any(region.reason == "dateline" for region in article.removed)
    whole = list(range(len(bullets)))
    contexts = []
    for k, (index, _) in enumerate(bullets):
        members = summaries[k] if summaries is not None else whole
        others = frozenset().union(*(token_sets[j] for j in members if j != k))
        own = token_sets[k]
        contexts.append(
            DeletionContext(
                others,
                {t: body[t] for t in own},
                {t: in_sentences[t] / sentences for t in own},
                {t: first_seen.get(t, sentences) / sentences for t in own},
                members.index(k),
                len(members),
                index,
                len(article.sentences),
                dateline,
                sum(word_counts[j] for j in members),
                sum(log_odds_sums[j] for j in members if j != k),
            )
        )
    return contexts


@dataclass(frozen=True, slots=True)
class RatedCuts:
    """A bullet's candidate cuts, the predicted ROUGE gain of each, the gain a cut must clear to be made, and how
    many of the words the reference highlights keep each cut is expected to take (the word model's chances of the
    words inside it, summed: what a cut forced by a word budget costs)."""

    cuts: list[Cut]
    gains: np.ndarray
    threshold: float
    expected_loss: np.ndarray | None = None  # None: not known (each cut costs nothing beyond its gain)

    def best_first(self) -> list[Cut]:
        """Every cut, the best-rated first."""
        return [self.cuts[i] for i in np.argsort(-self.gains, kind="stable")]

    def worth_making(self) -> list[Cut]:
        """The cuts rated above the threshold, best first: what compression makes when no budget asks for more."""
        order = np.argsort(-self.gains, kind="stable")
        return [self.cuts[i] for i in order if self.gains[i] > self.threshold]


def story_kind(context: DeletionContext) -> str:
    """Which threshold a cut must clear: wire-style stories (CNN's) take shorter bullets than the others."""
    return "agency_dateline" if context.agency_dateline else "other"


def model_meta() -> ModelMeta:
    """What the model folder's meta.json must say of the deletion model for this code to read it: the features
    it computes, the cut kinds and opening words they code, and the words they are computed on (`rouge_tokens`)."""
    digest = feature_digest(
        {
            "features": DELETION_FEATURES,
            "word_features": WORD_FEATURES,
            "kinds": CUT_KINDS,
            "opening_words": OPENING_WORDS,
        },
        {"rouge_tokens": rouge_tokens},
    )
    return ModelMeta("deletions", FORMAT, digest, "highlights train ROWS --only-deletions --out {folder}")


class DeletionModel:
    """A deletion model (LightGBM text + JSON, no pickle), read from its folder once, lazily."""

    def __init__(self, model_dir: Path | None = None) -> None:
        self.model_dir = model_dir or default_model_dir()

    def _rebuild_hint(self, what: str) -> ModelFolderError:
        return ModelFolderError(f"the deletion model {what} ({self.model_dir}); rebuild it with `highlights train`")

    @cached_property
    def metadata(self) -> dict:
        check_meta(self.model_dir, model_meta())
        try:
            metadata = json.loads((self.model_dir / METADATA_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise self._rebuild_hint(f"is missing or damaged: {error}") from None
        if (
            tuple(metadata.get("features", ())) != DELETION_FEATURES
            or tuple(metadata.get("kinds", ())) != CUT_KINDS
            or tuple(metadata.get("opening_words", ())) != OPENING_WORDS
            or tuple(metadata.get("word_features", ())) != WORD_FEATURES
        ):
            raise self._rebuild_hint("was trained on other features than this version computes")
        return metadata

    @cached_property
    def prior(self) -> KeepPrior:
        return KeepPrior(dict(self.metadata["keep_prior"]["rates"]), float(self.metadata["keep_prior"]["default"]))

    @cached_property
    def booster(self):
        return read_booster(self.model_dir, MODEL_FILE, self._rebuild_hint)

    @cached_property
    def word_booster(self):
        return read_booster(self.model_dir, WORD_MODEL_FILE, self._rebuild_hint)

    def load(self) -> "DeletionModel":
        _ = self.prior, self.booster, self.word_booster
        return self

    def word_keep(self, sentences: list[list[str]], contexts: list[DeletionContext]) -> list[np.ndarray]:
        """The word model's chance for each word of each sentence, given as its ROUGE tokens (one prediction for
        the whole summary)."""
        rows = [word_features(tokens, context, self.prior) for tokens, context in zip(sentences, contexts)]
        if not sum(len(r) for r in rows):
            return [np.zeros(0) for _ in rows]
        chances = self.word_booster.predict(np.vstack(rows), num_threads=1)
        return np.split(chances, np.cumsum([len(r) for r in rows])[:-1])

    def ranked_cuts(self, article: Article, bullets: list[tuple[int, Span]]) -> list[list[Cut]]:
        """For each bullet, the cuts the model expects to bring it closer to the reference (predicted ROUGE-1 +
        ROUGE-2 gain over the story kind's threshold), best first. Each bullet is the span of its sentence or its
        first words (`bullet_tokens`)."""
        return [rated.worth_making() for rated in self.rated_cuts(article, bullets)]

    def rated_cuts(
        self,
        article: Article,
        bullets: list[tuple[int, Span]],
        summaries: list[list[int]] | None = None,
        wanted: list[bool] | None = None,
        fitting: list[bool] | None = None,
    ) -> list[RatedCuts]:
        """For each bullet, every candidate cut the guard allows with the model's predicted gain of each, and the
        threshold a cut must clear to be worth making. `summaries`: as in `summary_contexts`. `wanted`: the
        bullets whose cuts are asked for (the others only make the summary they are read in; none rated).
        `fitting`: the bullets to be fitted into a word budget, whose cuts a parse refines when the extra is
        installed (`syntax.py`)."""
        self.load()
        sentences = [span.of(article.text) for _, span in bullets]
        asked = [wanted is None or wanted[k] for k in range(len(bullets))]
        to_fit = [asked[k] and fitting is not None and fitting[k] for k in range(len(bullets))]
        parses = iter(syntax.analyse_all([s for s, fit in zip(sentences, to_fit) if fit]))
        cuts = [
            (_fitting_cuts(s, next(parses)) if fit else candidate_cuts(s)) if ask else []
            for s, ask, fit in zip(sentences, asked, to_fit)
        ]
        with_cuts = [k for k, found in enumerate(cuts) if found]
        rated = [RatedCuts([], np.zeros(0), 0.0) for _ in bullets]
        if not with_cuts:
            return rated
        contexts = summary_contexts(article, bullets, self.prior, summaries)
        tokens = {k: bullet_tokens(article, *bullets[k]) for k in with_cuts}
        # One word-model and one cut-model prediction for the whole summary (each call has a fixed cost).
        word_keep = self.word_keep([tokens[k].stems for k in with_cuts], [contexts[k] for k in with_cuts])
        features = [
            deletion_features(sentences[k], tokens[k], cuts[k], contexts[k], self.prior, keep)
            for k, keep in zip(with_cuts, word_keep)
        ]
        gains = np.split(
            self.booster.predict(np.vstack(features), num_threads=1), np.cumsum([len(f) for f in features])[:-1]
        )
        thresholds = self.metadata["thresholds"]
        for k, gain, rows in zip(with_cuts, gains, features):
            loss = rows[:, _WORD_KEEP_SUM].astype(np.float64)
            rated[k] = RatedCuts(cuts[k], gain, thresholds[story_kind(contexts[k])], loss)
        return rated


def _fitting_cuts(sentence: str, parsed: syntax.Syntax | None) -> list[Cut]:
    """The candidate cuts of a sentence to be fitted into a word budget: the rules' cuts and, with its parse, its
    optional subtrees too, less any cut that would take the main clause's verb or subject (`syntax.py`)."""
    cuts = candidate_cuts(sentence)
    if parsed is None:
        return cuts
    known = {(cut.start, cut.end) for cut in cuts}
    more = [cut for cut in parsed.cuts if (cut.start, cut.end) not in known]
    return sorted((cut for cut in cuts + more if parsed.keeps_main_clause(cut)), key=lambda cut: (cut.start, cut.end))


# One model per folder (None: the shipped one), so that each folder's files load once per process.
_MODELS: dict[Path | None, DeletionModel] = {}


def deletion_model(model_dir: Path | str | None = None) -> DeletionModel:
    """The deletion model in `model_dir` (None: the shipped one), created on first use."""
    key = folder_key(model_dir)
    model = _MODELS.get(key)
    if model is None:
        model = _MODELS.setdefault(key, DeletionModel(key))
    return model

"""Sentence features for the learned scorer, computed on the training data's normalization.

The model is trained on CNN/DailyMail text that is lowercased and Penn-Treebank tokenized (`do n't`,
`35 - year - old`, `-lrb- cnn -rrb-`). Every feature is computed from an article's PTB tokens
(`Article.tokens.ptb`, `tokens.ptb_tokens`), the form raw sentences are brought to, so the model sees what it
saw in training; the original sentence is kept for output. That form is idempotent on already tokenized text,
which lets training and inference share every line below. It is a view of its own, not the words the other
stages read, because the shipped models were trained on it: their features must not change by one bit.

Features are per sentence, with a few article-level ones (length, agency dateline, Daily Mail furniture)
repeated on each row so that the model can calibrate between story types. Two come from what the training
corpus teaches about words: the term prior (how often a term of the article reaches its highlights) and the
phrase model (a logistic regression over the sentence's words and word pairs: phrasing that highlights reuse).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from highlights.article import Article
from highlights.lexicon import FIRST_PERSON, PAGE_FURNITURE_WORDS, SAID_FEATURE_WORDS
from highlights.score.centrality import pagerank, term_counts, tfidf_of_counts, tfidf_vectors
from highlights.tokens import content_terms_of

# The article as a whole, the same on each of its sentences' rows (the bullet model reads only these).
ARTICLE_FEATURES: tuple[str, ...] = (
    "sentences_in_article",
    "article_words",
    "agency_dateline",
    "furniture_in_article",
    "opinion",
)
FEATURE_NAMES: tuple[str, ...] = (
    # position
    "index",
    "relative_position",
    "is_first",
    "in_first_three",
    # length
    "words",
    "words_vs_article_mean",
    "content_words",
    # article
    *ARTICLE_FEATURES,
    # centrality and overlap
    "pagerank",
    "centroid_cosine",
    "mean_similarity",
    "max_similarity",
    "overlap_with_first",
    "overlap_with_lead_three",
    "term_salience",
    "term_salience_max",
    "new_terms_share",
    # content
    "digits",
    "has_quote",
    "starts_with_quote",
    "quoted_share",
    "said",
    "first_person",
    "question",
    "colon",
    "furniture",
    "bracketed",
    # learned lexicon: how often the sentence's terms make it into highlights across the training corpus
    "term_prior_mean",
    "term_prior_max",
    "term_prior_sum",
    # learned phrasing: log-odds of a logistic regression over the sentence's words and word pairs
    "phrase_score",
)
_COLUMN = {name: k for k, name in enumerate(FEATURE_NAMES)}
# What `_token_flags` records of a token, one bit each.
_WORD, _DIGIT, _QUOTE, _FIRST_PERSON_FLAG, _SAID_FLAG, _QUESTION, _COLON, _FURNITURE_FLAG, _BRACKET = (
    1 << k for k in range(9)
)


@dataclass(frozen=True, slots=True)
class TermPrior:
    """P(term appears in the highlights | term appears in the article), per content term, from training data.

    Terms seen in fewer than a minimum number of training articles are left out and get `default`, the
    corpus-wide rate, so the table stays small and rare words cannot memorise their articles' labels.
    """

    rates: dict[str, float]
    default: float

    def of(self, terms: list[str]) -> list[float]:
        return [self.rates.get(t, self.default) for t in terms]


def phrases(tokens: list[str]) -> list[str]:
    """What the phrase model reads: the PTB tokens and each adjacent pair ("police said")."""
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


@dataclass(frozen=True)
class PhraseModel:
    """Logistic regression on a sentence's distinct phrases (`phrases()`), as a binary vector scaled to unit
    length; phrases outside the training vocabulary are not counted. `score` is the log-odds.

    Scoring maps each token to an integer id once and looks the word pairs up with numpy, for a whole article
    at a time (`score_all`): a dict lookup per phrase cost more than all the other features together."""

    weights: dict[str, float]
    bias: float
    _index: "_PhraseIndex" = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _PhraseIndex.of(self.weights))

    def score(self, tokens: list[str]) -> float:
        return float(self.score_all([tokens])[0])

    def score_all(self, sentences: list[list[str]]) -> np.ndarray:
        """`score` of each sentence."""
        index, n = self._index, len(sentences)
        out = np.full(n, self.bias)
        token_ids = index.token_ids
        if not n or not token_ids:
            return out
        get = token_ids.get
        ids = np.array([get(t, -1) for tokens in sentences for t in tokens], dtype=np.int64)
        sentence = np.repeat(np.arange(n), [len(tokens) for tokens in sentences])
        vocabulary = len(token_ids)
        # A phrase's code: a word's id, or V + the pair's slot in `pair_keys`; `per_sentence` keeps codes of
        # different sentences apart, so that sorting finds each sentence's distinct phrases.
        per_sentence = vocabulary + len(index.pair_keys)
        word_weight = np.where(ids >= 0, index.weights[np.maximum(ids, 0)], np.nan)
        words = ~np.isnan(word_weight)
        first, second = ids[:-1], ids[1:]
        pair = (sentence[1:] == sentence[:-1]) & (first >= 0) & (second >= 0)
        keys = first[pair] * vocabulary + second[pair]
        order = np.argsort(keys)  # sorted needles search twice as fast
        keys, pair_sentence = keys[order], sentence[:-1][pair][order]
        slot = np.minimum(np.searchsorted(index.pair_keys, keys), max(len(index.pair_keys) - 1, 0))
        found = index.pair_keys[slot] == keys if len(index.pair_keys) else np.zeros(len(keys), dtype=bool)
        codes = np.concatenate(
            (
                sentence[words] * per_sentence + ids[words],
                pair_sentence[found] * per_sentence + vocabulary + slot[found],
            )
        )
        codes.sort()
        codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes
        owner, phrase = np.divmod(codes, per_sentence)
        counts = np.bincount(owner, minlength=n)
        sums = np.bincount(owner, index.weights[phrase], minlength=n)
        known = counts > 0
        out[known] += sums[known] / np.sqrt(counts[known])
        return out


@dataclass(frozen=True, slots=True)
class _PhraseIndex:
    """The phrase weights by integer ids: every token of a phrase gets an id (0..V-1), pairs are sorted
    `first * V + second` keys, and a phrase's code is its token id or V + its pair's slot."""

    token_ids: dict[str, int]
    pair_keys: np.ndarray
    weights: np.ndarray  # by phrase code: each token's own weight (NaN when it alone is no phrase), then the pairs'

    @classmethod
    def of(cls, weights: dict[str, float]) -> "_PhraseIndex":
        token_ids: dict[str, int] = {}
        for phrase in weights:
            for token in phrase.split(" "):
                token_ids.setdefault(token, len(token_ids))
        vocabulary = len(token_ids)
        word_weights = np.full(vocabulary, np.nan)
        pairs: list[tuple[int, float]] = []
        for phrase, weight in weights.items():
            first, space, second = phrase.partition(" ")
            if space:
                pairs.append((token_ids[first] * vocabulary + token_ids[second], weight))
            else:
                word_weights[token_ids[first]] = weight
        pairs.sort()
        return cls(
            token_ids,
            np.asarray([k for k, _ in pairs], dtype=np.int64),
            np.concatenate((word_weights, np.asarray([w for _, w in pairs], dtype=np.float64))),
        )


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What the features learned from the training corpus's words."""

    prior: TermPrior
    phrases: PhraseModel


NO_PHRASES = PhraseModel({}, 0.0)


@dataclass(frozen=True, slots=True)
class SentenceView:
    """An article's sentences as the features see them; the candidate-summary stage reuses it."""

    tokens: list[list[str]]  # PTB tokens per sentence (shared with `Article.tokens.ptb`: never change them)
    vocabulary: list[str]  # the article's content terms, in order of first appearance
    counts: np.ndarray  # how often each sentence has each term, sentences x vocabulary
    incidence: np.ndarray  # 1 where a sentence has a term, sentences x vocabulary
    term_rates: np.ndarray  # the term prior of each vocabulary term
    vectors: np.ndarray  # unit tf-idf rows, sentences x the same terms
    centroid: np.ndarray  # unit vector of the whole article (zeros if it has no terms)


@lru_cache(maxsize=1 << 16)  # news vocabularies repeat heavily
def _token_flags(token: str) -> int:
    """What the features count about a PTB token, as bits: a word, a number, a quote mark, I/we, ..."""
    first = token[0]
    return (
        _WORD * first.isalnum()
        | _DIGIT * first.isdigit()
        | _QUOTE * (token == '"')
        | _FIRST_PERSON_FLAG * (token in FIRST_PERSON)
        | _SAID_FLAG * (token in SAID_FEATURE_WORDS)
        | _QUESTION * (token == "?")
        | _COLON * (token == ":")
        | _FURNITURE_FLAG * (token in PAGE_FURNITURE_WORDS)
        | _BRACKET * (token in ("(", "["))
    )


def cosine_matrix(term_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Sentence × sentence tf-idf cosine, and each sentence's cosine with the article centroid."""
    vectors, centroid = _vectors_and_centroid(term_lists)
    return vectors @ vectors.T, vectors @ centroid


def _vectors_and_centroid(term_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    return _with_centroid(tfidf_vectors(term_lists))


def _with_centroid(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    centroid = vectors.sum(axis=0)
    centroid_norm = np.linalg.norm(centroid)
    return vectors, (centroid / centroid_norm if centroid_norm > 0 else centroid)


def sentence_view(sentences: list[list[str]], prior: TermPrior) -> SentenceView:
    """The shared groundwork of the features: content terms, their prior, and tf-idf vectors of PTB-tokenized
    sentences."""
    terms = [content_terms_of(s) for s in sentences]
    counts, vocabulary = term_counts(terms)
    vectors, centroid = _with_centroid(tfidf_of_counts(counts))
    return SentenceView(
        sentences,
        vocabulary,
        counts,
        (counts > 0).astype(np.float64),
        np.asarray(prior.of(vocabulary), dtype=np.float64),
        vectors,
        centroid,
    )


def article_features(article: Article, lexicon: Lexicon) -> np.ndarray:
    """One row of `FEATURE_NAMES` per sentence of the article (training and inference alike)."""
    return article_features_and_view(article, lexicon)[0]


def article_features_and_view(article: Article, lexicon: Lexicon) -> tuple[np.ndarray, SentenceView]:
    """`article_features`, and the `SentenceView` they were computed from."""
    # A `(CNN)` dateline that ingest cut out marks a wire-style story (CNN's), as opposed to Daily Mail's.
    agency_dateline = any(r.reason == "dateline" for r in article.removed)
    # An opinion piece (ingest found the "opinions expressed in this commentary" disclaimer) is argued through
    # its whole length: its highlights come from anywhere in it, a news story's mostly from the top.
    opinion = article.kind == "opinion"
    view = sentence_view(article.tokens.ptb, lexicon.prior)
    return view_features(view, lexicon, agency_dateline, opinion), view


def sentence_features(
    sentences: list[list[str]], lexicon: Lexicon, agency_dateline: bool = False, opinion: bool = False
) -> np.ndarray:
    """One row of `FEATURE_NAMES` per sentence, from the sentences' PTB tokens (article order)."""
    return view_features(sentence_view(sentences, lexicon.prior), lexicon, agency_dateline, opinion)


def view_features(
    view: SentenceView, lexicon: Lexicon, agency_dateline: bool = False, opinion: bool = False
) -> np.ndarray:
    """One row of `FEATURE_NAMES` per sentence of `view`."""
    sentences, prior = view.tokens, lexicon.prior
    n = len(sentences)
    out = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    if n == 0:
        return out
    # Token counts per sentence from one pass over the article's tokens (`_token_flags`) and numpy sums.
    lengths = [len(tokens) for tokens in sentences]
    sentence_of_token = np.repeat(np.arange(n), lengths)
    flags = np.fromiter(
        map(_token_flags, [t for tokens in sentences for t in tokens]), dtype=np.int64, count=sum(lengths)
    )
    word, quote = flags & _WORD, (flags & _QUOTE) > 0
    word_counts = np.bincount(sentence_of_token, word, minlength=n)
    # A word is quoted when an odd number of quote marks precede it in its sentence.
    quotes_before = np.concatenate(([0], np.cumsum(quote)))
    sentence_start = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    inside = (quotes_before[:-1] - quotes_before[sentence_start][sentence_of_token]) % 2
    quoted = np.bincount(sentence_of_token, word * inside, minlength=n)
    quoted_share = np.divide(quoted, word_counts, out=np.zeros(n), where=word_counts > 0)
    digit_tokens = np.bincount(sentence_of_token, (flags & _DIGIT) > 0, minlength=n)
    first_person = np.bincount(sentence_of_token, (flags & _FIRST_PERSON_FLAG) > 0, minlength=n)
    # The term prior of each sentence's content terms (each occurrence): mean, max and sum (the corpus rate when
    # it has none).
    rates = view.term_rates
    terms_per_sentence = view.counts.sum(axis=1)
    has_terms = terms_per_sentence > 0
    rate_sum = view.counts @ rates if rates.size else np.zeros(n)
    rate_mean = np.divide(rate_sum, terms_per_sentence, out=np.full(n, prior.default), where=has_terms)
    rate_max = np.where(view.incidence > 0, rates, -np.inf).max(axis=1, initial=-np.inf)
    rate_max[~has_terms] = prior.default

    article_words = int(word_counts.sum())
    mean_words = article_words / n
    furniture = float(((flags[sentence_of_token < 3] & _FURNITURE_FLAG) > 0).any())

    def any_token(flag: int, where: np.ndarray | None = None) -> np.ndarray:
        hits = (flags & flag) > 0
        return np.bincount(sentence_of_token, hits if where is None else hits & where, minlength=n) > 0

    position_in_sentence = np.arange(len(flags)) - sentence_start[sentence_of_token]
    last_two = position_in_sentence >= np.asarray(lengths)[sentence_of_token] - 2
    starts_with_quote = np.zeros(n, dtype=bool)
    nonempty = np.asarray(lengths) > 0
    starts_with_quote[nonempty] = (flags[sentence_start[nonempty]] & _QUOTE) > 0

    # Term overlaps from the sentence x term incidence: shared terms are dot products.
    incidence = view.incidence
    term_count = incidence.sum(axis=1)
    has_term = term_count > 0
    sentences_with = incidence.sum(axis=0)
    salience = incidence * (sentences_with - 1)  # per term: how many other sentences repeat it
    first_sentence_of_term = incidence.argmax(axis=0)
    new_terms = np.bincount(first_sentence_of_term, minlength=n) if incidence.size else np.zeros(n)

    def share(count: np.ndarray) -> np.ndarray:
        return np.divide(count, term_count, out=np.zeros(n), where=has_term)

    similarity = view.vectors @ view.vectors.T
    to_centroid = view.vectors @ view.centroid
    rank = pagerank(similarity) * n
    np.fill_diagonal(similarity, 0.0)
    index = np.arange(n)
    words = word_counts.astype(np.float64)
    columns = {
        "index": index,
        "relative_position": index / n,
        "is_first": index == 0,
        "in_first_three": index < 3,
        "words": words,
        "words_vs_article_mean": words / mean_words if mean_words else 0.0,
        "content_words": term_count,
        "sentences_in_article": n,
        "article_words": article_words,
        "agency_dateline": agency_dateline,
        "furniture_in_article": furniture,
        "opinion": opinion,
        "pagerank": rank,
        "centroid_cosine": to_centroid,
        "mean_similarity": similarity.sum(axis=1) / max(n - 1, 1),
        "max_similarity": similarity.max(axis=1, initial=0.0),
        "overlap_with_first": np.where(index > 0, share(incidence @ incidence[0]) if incidence.size else 0.0, 1.0),
        # As trained: 1 in the first three sentences, 0 after (the overlap with the lead minus the sentence's own
        # terms is always empty).
        "overlap_with_lead_three": index < 3,
        "term_salience": share(salience.sum(axis=1)),
        "term_salience_max": salience.max(axis=1, initial=0.0),
        "new_terms_share": share(new_terms),
        "digits": digit_tokens,
        "has_quote": any_token(_QUOTE),
        "starts_with_quote": starts_with_quote,
        "quoted_share": quoted_share,
        "said": any_token(_SAID_FLAG),
        "first_person": first_person,
        "question": any_token(_QUESTION, last_two),
        "colon": any_token(_COLON),
        "furniture": any_token(_FURNITURE_FLAG),
        "bracketed": any_token(_BRACKET),
        "term_prior_mean": rate_mean,
        "term_prior_max": rate_max,
        "term_prior_sum": rate_sum,
        "phrase_score": lexicon.phrases.score_all(sentences),
    }
    for name, values in columns.items():
        out[:, _COLUMN[name]] = values
    return out

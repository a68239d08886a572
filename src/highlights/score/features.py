"""Sentence features for the learned scorer, computed on the training data's normalization.

The model is trained on CNN/DailyMail text that is lowercased and Penn-Treebank tokenized (`do n't`,
`35 - year - old`, `-lrb- cnn -rrb-`). At inference a raw sentence is brought to the same form by
`normalize()` before any feature is computed, so the model sees what it saw in training; the original
sentence is kept for output. `normalize()` is idempotent on already tokenized text, which lets training
and inference share every line below.

Features are per sentence, with a few article-level ones (length, agency dateline, Daily Mail furniture)
repeated on each row so that the model can calibrate between story types. Two come from what the training
corpus teaches about words: the term prior (how often a term of the article reaches its highlights) and the
phrase model (a logistic regression over the sentence's words and word pairs: phrasing that highlights reuse).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from highlights.article import Article
from highlights.score.centrality import pagerank, tfidf_vectors
from highlights.tokens import STOPWORDS, stem

# PTB tokenization, approximately: brackets and quotes as tokens, contractions split, hyphens spaced,
# punctuation split off words except inside numbers (3.5, 1,000) and dotted abbreviations (u.s.).
_BRACKET_WORDS = {"-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}"}
_BRACKET_TOKEN = re.compile(r"-[lr][rsc]b-")
_QUOTES = re.compile(r"``|''|[“”„‟\"]|(?<!\w)['‘’](?!(?:s|re|ve|m|ll|d)\b)(?=\w)|(?<=[\w.,!?])['‘’](?!\w)")
_CONTRACTION = re.compile(r"(?<=\w)(n't|'s|'re|'ve|'m|'ll|'d)\b")
_TOKEN = re.compile(
    r"n't|'s|'re|'ve|'m|'ll|'d"  # contraction pieces
    r"|\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s|m|bn|k|am|pm)?"  # numbers, times, 1990s, 20m
    r"|(?:[a-z]\.){2,}"  # u.s. a.m.
    r"|[^\W\d_](?:[\w&]*[^\W_])?"  # words (letters with inner digits)
    r"|--|\.\.\.|[^\w\s]"  # dashes, ellipses, any other symbol
)
_FIRST_PERSON = frozenset("i me my we us our".split())
_SAID = frozenset("said says told say according".split())
# Daily Mail page furniture that survives in the corpus text ("by . daily mail reporter . published : .").
_FURNITURE = frozenset("published updated reporter |".split())

FEATURE_NAMES: tuple[str, ...] = (
    # position
    "index", "relative_position", "is_first", "in_first_three",
    # length
    "words", "words_vs_article_mean", "content_words",
    # article
    "sentences_in_article", "article_words", "agency_dateline", "furniture_in_article",
    # centrality and overlap
    "pagerank", "centroid_cosine", "mean_similarity", "max_similarity", "overlap_with_first",
    "overlap_with_lead_three", "term_salience", "term_salience_max", "new_terms_share",
    # content
    "digits", "has_quote", "starts_with_quote", "quoted_share", "said", "first_person", "question",
    "colon", "furniture", "bracketed",
    # learned lexicon: how often the sentence's terms make it into highlights across the training corpus
    "term_prior_mean", "term_prior_max", "term_prior_sum",
    # learned phrasing: log-odds of a logistic regression over the sentence's words and word pairs
    "phrase_score",
)
_COLUMN = {name: k for k, name in enumerate(FEATURE_NAMES)}
_TOKEN_COLUMNS = slice(_COLUMN["overlap_with_first"], None)


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
    """What the phrase model reads: the normalized tokens and each adjacent pair ("police said")."""
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


@dataclass(frozen=True, slots=True)
class PhraseModel:
    """Logistic regression on a sentence's distinct phrases (`phrases()`), as a binary vector scaled to unit
    length; phrases outside the training vocabulary are not counted. `score` is the log-odds."""

    weights: dict[str, float]
    bias: float

    def score(self, tokens: list[str]) -> float:
        known = [w for p in set(phrases(tokens)) if (w := self.weights.get(p)) is not None]
        return self.bias + sum(known) / math.sqrt(len(known)) if known else self.bias


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What the features learned from the training corpus's words."""

    prior: TermPrior
    phrases: PhraseModel


NO_PHRASES = PhraseModel({}, 0.0)


@dataclass(frozen=True, slots=True)
class SentenceView:
    """An article's sentences as the features see them; the candidate-summary stage reuses it."""

    tokens: list[list[str]]  # normalized tokens per sentence
    terms: list[list[str]]  # stemmed content terms per sentence
    term_sets: list[set[str]]
    vectors: np.ndarray  # unit tf-idf rows, sentences x terms
    centroid: np.ndarray  # unit vector of the whole article (zeros if it has no terms)
    sentences_with_term: Counter  # in how many sentences each term occurs


def normalize(text: str) -> list[str]:
    """Lowercased PTB-style tokens of `text` (the training corpus form)."""
    return normalize_all([text])[0]


def normalize_all(texts: list[str]) -> list[list[str]]:
    """`normalize` of each text. The substitutions run once over the texts joined by line breaks (no
    pattern matches across one), which is what makes the learned scorer's features cheap."""
    joined = "\n".join(t.replace("\n", " ") for t in texts).lower().replace("’", "'")
    joined = _QUOTES.sub(' " ', joined)
    joined = _CONTRACTION.sub(r" \1", joined)
    if "b-" in joined:  # PTB bracket words (`-lrb-`) read as the brackets they stand for
        joined = _BRACKET_TOKEN.sub(lambda m: f" {_BRACKET_WORDS[m.group()]} ", joined)
    return [_TOKEN.findall(line) for line in joined.split("\n")] if texts else []


def content_terms(tokens: list[str]) -> list[str]:
    """Stemmed content words of normalized tokens: what centrality and the term prior count."""
    return [stem(t) for t in tokens if t[0].isalnum() and t not in STOPWORDS and (len(t) > 1 or t.isdigit())]


def _quoted_share(tokens: list[str]) -> float:
    inside = False
    quoted = words = 0
    for token in tokens:
        if token == '"':
            inside = not inside
        elif token[0].isalnum():
            words += 1
            quoted += inside
    return quoted / words if words else 0.0


def cosine_matrix(term_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Sentence × sentence tf-idf cosine, and each sentence's cosine with the article centroid."""
    vectors, centroid = _vectors_and_centroid(term_lists)
    return vectors @ vectors.T, vectors @ centroid


def _vectors_and_centroid(term_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    vectors = tfidf_vectors(term_lists)
    centroid = vectors.sum(axis=0)
    centroid_norm = np.linalg.norm(centroid)
    return vectors, (centroid / centroid_norm if centroid_norm > 0 else centroid)


def sentence_view(sentences: list[list[str]]) -> SentenceView:
    """The shared groundwork of the features: content terms and tf-idf vectors of normalized sentences."""
    terms = [content_terms(s) for s in sentences]
    term_sets = [set(t) for t in terms]
    vectors, centroid = _vectors_and_centroid(terms)
    return SentenceView(sentences, terms, term_sets, vectors, centroid, Counter(t for ts in term_sets for t in ts))


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a) if a else 0.0


def article_features(article: Article, lexicon: Lexicon) -> np.ndarray:
    """One row of `FEATURE_NAMES` per sentence of the article (training and inference alike)."""
    return article_features_and_view(article, lexicon)[0]


def article_features_and_view(article: Article, lexicon: Lexicon) -> tuple[np.ndarray, SentenceView]:
    """`article_features`, and the `SentenceView` they were computed from."""
    # A `(CNN)` dateline that ingest cut out marks a wire-style story (CNN's), as opposed to Daily Mail's.
    agency_dateline = any(r.reason == "dateline" for r in article.removed)
    view = sentence_view(normalize_all([s.text for s in article.sentences]))
    return view_features(view, lexicon, agency_dateline), view


def sentence_features(sentences: list[list[str]], lexicon: Lexicon, agency_dateline: bool = False) -> np.ndarray:
    """One row of `FEATURE_NAMES` per sentence, from the sentences' normalized tokens (article order)."""
    return view_features(sentence_view(sentences), lexicon, agency_dateline)


def view_features(view: SentenceView, lexicon: Lexicon, agency_dateline: bool = False) -> np.ndarray:
    """One row of `FEATURE_NAMES` per sentence of `view`."""
    sentences, terms, term_sets, article_terms = view.tokens, view.terms, view.term_sets, view.sentences_with_term
    prior = lexicon.prior
    n = len(sentences)
    out = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    if n == 0:
        return out
    word_counts = [sum(1 for t in s if t[0].isalnum()) for s in sentences]
    article_words = sum(word_counts)
    mean_words = article_words / n
    furniture = float(any(t in _FURNITURE for s in sentences[:3] for t in s))
    lead_three = set().union(*term_sets[:3])

    similarity = view.vectors @ view.vectors.T
    to_centroid = view.vectors @ view.centroid
    rank = pagerank(similarity) * n
    np.fill_diagonal(similarity, 0.0)
    index = np.arange(n)
    words = np.asarray(word_counts, dtype=np.float64)
    # Whole columns where numpy can; the token-level ones (from `overlap_with_first` on) sentence by sentence.
    columns = {
        "index": index, "relative_position": index / n, "is_first": index == 0, "in_first_three": index < 3,
        "words": words, "words_vs_article_mean": words / mean_words if mean_words else 0.0,
        "content_words": [len(ts) for ts in term_sets], "sentences_in_article": n, "article_words": article_words,
        "agency_dateline": agency_dateline, "furniture_in_article": furniture, "pagerank": rank,
        "centroid_cosine": to_centroid, "mean_similarity": similarity.sum(axis=1) / max(n - 1, 1),
        "max_similarity": similarity.max(axis=1, initial=0.0),
    }
    for name, values in columns.items():
        out[:, _COLUMN[name]] = values
    seen: set[str] = set()
    rows = []
    for i, (tokens, ts) in enumerate(zip(sentences, term_sets)):
        salience = [article_terms[t] - 1 for t in ts]
        rates = prior.of(terms[i])
        rows.append((
            _overlap(ts, term_sets[0]) if i else 1.0, _overlap(ts, lead_three - ts) if i >= 3 else 1.0,
            sum(salience) / len(ts) if ts else 0.0, max(salience, default=0),
            _overlap(ts, ts - seen),
            sum(1 for t in tokens if t[0].isdigit()), '"' in tokens, bool(tokens) and tokens[0] == '"',
            _quoted_share(tokens), not _SAID.isdisjoint(tokens), sum(1 for t in tokens if t in _FIRST_PERSON),
            bool(tokens) and tokens[-1] == "?" or "?" in tokens[-2:], ":" in tokens,
            not _FURNITURE.isdisjoint(tokens),
            "(" in tokens or "[" in tokens,
            sum(rates) / len(rates) if rates else prior.default, max(rates, default=prior.default), sum(rates),
            lexicon.phrases.score(tokens),
        ))
        seen |= ts
    out[:, _TOKEN_COLUMNS] = rows  # one conversion for the whole block, not one per row
    return out

"""Sentence features for the learned scorer, computed on the training data's normalization.

The model is trained on CNN/DailyMail text that is lowercased and Penn-Treebank tokenized (`do n't`,
`35 - year - old`, `-lrb- cnn -rrb-`). At inference a raw sentence is brought to the same form by
`normalize()` before any feature is computed, so the model sees what it saw in training; the original
sentence is kept for output. `normalize()` is idempotent on already tokenized text, which lets training
and inference share every line below.

Features are per sentence, with a few article-level ones (length, agency dateline, Daily Mail furniture)
repeated on each row so that the model can calibrate between story types.
"""

from __future__ import annotations

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
    vectors = tfidf_vectors(term_lists)
    centroid = vectors.sum(axis=0)
    centroid_norm = np.linalg.norm(centroid)
    to_centroid = vectors @ centroid / centroid_norm if centroid_norm > 0 else np.zeros(len(term_lists))
    return vectors @ vectors.T, to_centroid


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a) if a else 0.0


def article_features(article: Article, prior: TermPrior) -> np.ndarray:
    """One row of `FEATURE_NAMES` per sentence of the article (training and inference alike)."""
    # A `(CNN)` dateline that ingest cut out marks a wire-style story (CNN's), as opposed to Daily Mail's.
    agency_dateline = any(r.reason == "dateline" for r in article.removed)
    return sentence_features(normalize_all([s.text for s in article.sentences]), prior, agency_dateline)


def sentence_features(sentences: list[list[str]], prior: TermPrior, agency_dateline: bool = False) -> np.ndarray:
    """One row of `FEATURE_NAMES` per sentence, from the sentences' normalized tokens (article order)."""
    n = len(sentences)
    out = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    if n == 0:
        return out
    word_counts = [sum(1 for t in s if t[0].isalnum()) for s in sentences]
    terms = [content_terms(s) for s in sentences]
    term_sets = [set(t) for t in terms]
    article_terms = Counter(t for ts in term_sets for t in ts)  # in how many sentences each term occurs
    article_words = sum(word_counts)
    mean_words = article_words / n
    furniture = float(any(t in _FURNITURE for s in sentences[:3] for t in s))
    lead_three = set().union(*term_sets[:3])

    similarity, to_centroid = cosine_matrix(terms)
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
    for i, (tokens, ts) in enumerate(zip(sentences, term_sets)):
        salience = [article_terms[t] - 1 for t in ts]
        rates = prior.of(terms[i])
        out[i, _TOKEN_COLUMNS] = (
            _overlap(ts, term_sets[0]) if i else 1.0, _overlap(ts, lead_three - ts) if i >= 3 else 1.0,
            sum(salience) / len(ts) if ts else 0.0, max(salience, default=0),
            _overlap(ts, ts - seen),
            sum(1 for t in tokens if t[0].isdigit()), '"' in tokens, bool(tokens) and tokens[0] == '"',
            _quoted_share(tokens), not _SAID.isdisjoint(tokens), sum(1 for t in tokens if t in _FIRST_PERSON),
            bool(tokens) and tokens[-1] == "?" or "?" in tokens[-2:], ":" in tokens,
            not _FURNITURE.isdisjoint(tokens),
            "(" in tokens or "[" in tokens,
            sum(rates) / len(rates) if rates else prior.default, max(rates, default=prior.default), sum(rates),
        )
        seen |= ts
    return out

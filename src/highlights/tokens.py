"""The token layer: every form of an article's words that a stage reads, each defined here once and computed once
per article.

Segment makes an article's sentences; `Article.tokens` is the `ArticleTokens` of those sentences, and every stage
reads their words from it instead of tokenizing again: features, centrality and selection, the deletion model,
the oracle. Each form is computed the first time a stage asks for it, so a summary pays only for the forms its
method reads (`lead` reads the content terms of a few sentences, nothing else). Text that is no sentence of the
article (reference highlights, a bullet after cuts) goes through the same functions below.

The forms do not cut text the same way (`don't` is PTB `do n't` but ROUGE `don t`; `35-year-old` is one word
here, `35 - year - old` in PTB), because each is what something outside this module fixed:

- ROUGE tokens (`rouge_tokens`, `rouge_token_spans`): rouge-score 0.1.2's tokenizer with its Porter stemmer,
  so that eval scores are rouge-score's own. The oracle, training labels and the deletion model count these;
  `rouge_token_spans` also says where each token lies in the text, which the deletion model's cuts need.
- PTB tokens (`ptb_tokens`): lowercased Penn-Treebank tokens, the form of the CNN/DailyMail training corpus.
  The learned sentence, bullet and summary models were trained on features of these; they must not change.
- Words (`words`, `content_terms`): lowercase letter-and-digit runs with inner apostrophes, stemmed by
  `light_stem` and without stop words: what redundancy control and centrality compare, as tuned.
- Guard words (`guard_words`): whitespace-cut words that keep numbers and money whole (`$5.5m`), what the
  compression guard reads to decide whether a cut leaves a verb or drops a negation.

Two stemmers, for the same reason: Porter for ROUGE (rouge-score's), and `light_stem` for content terms (the
term prior of the shipped sentence model is keyed by its stems).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Protocol

from highlights.lexicon import STOPWORDS

# --- Words and content terms -----------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def surface_words(text: str) -> list[str]:
    """Word tokens as written (letters and digits; inner apostrophes kept)."""
    return _WORD.findall(text)


def words(text: str) -> list[str]:
    """Lowercased word tokens (letters and digits; inner apostrophes kept)."""
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=1 << 16)  # a hot path of scoring; news vocabularies repeat heavily
def light_stem(word: str) -> str:
    """A light suffix stripper: enough to match `protest/protests/protesters` for overlap, cheap."""
    for suffix in ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


@lru_cache(maxsize=1 << 16)  # news vocabularies repeat heavily
def content_term(token: str) -> str:
    """A lowercase token's stem, or "" for a stop word, punctuation or a single letter."""
    if token[0].isalnum() and token not in STOPWORDS and (len(token) > 1 or token.isdigit()):
        return light_stem(token)
    return ""


def content_terms_of(tokens: list[str]) -> list[str]:
    """The content terms of lowercase tokens (`words` or `ptb_tokens`), in order."""
    return [term for term in map(content_term, tokens) if term]


def content_terms(text: str) -> list[str]:
    """Stemmed non-stopword words: what two sentences must share to say the same thing."""
    return content_terms_of(words(text))


# --- PTB tokens: the learned models' training form ---------------------------------------------------------

# PTB tokenization, approximately: brackets and quotes as tokens, contractions split, hyphens spaced,
# punctuation split off words except inside numbers (3.5, 1,000) and dotted abbreviations (u.s.).
_BRACKET_WORDS = {"-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}"}
_BRACKET_TOKEN = re.compile(r"-[lr][rsc]b-")
# Both patterns start by consuming a quote mark (or `n`) and check the context after it: a pattern that opens
# with a character class lets `re` skip to the candidate characters, ten times faster than one that opens with a
# lookbehind. Quotes: ``, '', a double quote, a single quote opening a word (not a contraction), or closing one.
_QUOTES = re.compile(
    r"[`'\"“”„‟‘’](?:(?<=`)`|(?<=')'|(?<=[“”„‟\"])"
    r"|(?<=['‘’])(?<!\w['‘’])(?!(?:s|re|ve|m|ll|d)\b)(?=\w)|(?<=['‘’])(?<=[\w.,!?]['‘’])(?!\w))"
)
_CONTRACTION = re.compile(r"(n(?<=\wn)'t|'(?<=\w')(?:s|re|ve|m|ll|d))\b")  # after a word character
_PTB_TOKEN = re.compile(
    r"n't|'s|'re|'ve|'m|'ll|'d"  # contraction pieces
    r"|\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s|m|bn|k|am|pm)?"  # numbers, times, 1990s, 20m
    r"|(?:[a-z]\.){2,}"  # u.s. a.m.
    r"|[^\W\d_](?:[\w&]*[^\W_])?"  # words (letters with inner digits)
    r"|--|\.\.\.|[^\w\s]"  # dashes, ellipses, any other symbol
)


def ptb_tokens(text: str) -> list[str]:
    """Lowercased PTB-style tokens of `text` (the training corpus form); idempotent on tokenized text, so training
    (on the tokenized corpus) and inference (on raw text) compute the same."""
    return ptb_tokens_all([text])[0]


def ptb_tokens_all(texts: Sequence[str]) -> list[list[str]]:
    """`ptb_tokens` of each text. The substitutions run once over the texts joined by line breaks (no pattern
    matches across one), which is what makes the learned scorer's features cheap."""
    joined = "\n".join(t.replace("\n", " ") for t in texts).lower().replace("’", "'")
    joined = _QUOTES.sub(' " ', joined)
    joined = _CONTRACTION.sub(r" \1", joined)
    if "b-" in joined:  # PTB bracket words (`-lrb-`) read as the brackets they stand for
        joined = _BRACKET_TOKEN.sub(lambda m: f" {_BRACKET_WORDS[m.group()]} ", joined)
    return [_ptb_line_tokens(line) for line in joined.split("\n")] if texts else []


def _ptb_line_tokens(line: str) -> list[str]:
    """`_PTB_TOKEN.findall(line)` of a substituted line, faster: no token spans whitespace, and a run of letters
    alone is one token."""
    tokens: list[str] = []
    for piece in line.split():
        if piece.isalpha():
            tokens.append(piece)
        else:
            tokens += _PTB_TOKEN.findall(piece)
    return tokens


# --- ROUGE tokens: rouge-score's ------------------------------------------------------------------------

# rouge-score 0.1.2 (`tokenize.tokenize`) lowercases the text, replaces every run of characters other than
# ASCII letters and digits with a space, splits, Porter-stems tokens longer than three characters, and drops
# any token that is then not all ASCII letters and digits. Its tokens are therefore the runs below, of the
# lowercased text.
_ROUGE_RUN = re.compile(r"[a-z0-9]+")
_VALID_ROUGE_TOKEN = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _porter():
    # nltk is imported on first use: importing it takes about a second, and a summary without compression
    # never needs a ROUGE token.
    from nltk.stem import porter

    return porter.PorterStemmer()  # rouge-score's: `tokenizers.DefaultTokenizer(use_stemmer=True)`


@lru_cache(maxsize=1 << 18)  # stemming is the cost of ROUGE tokens; news vocabularies repeat heavily
def rouge_stem(word: str) -> str:
    """The ROUGE token a run of lowercase letters and digits becomes ("" when rouge-score would drop it)."""
    if len(word) <= 3:  # rouge-score stems words of 4+ characters only
        return word
    stem = _porter().stem(word)
    return stem if _VALID_ROUGE_TOKEN.fullmatch(stem) else ""


def rouge_tokens(text: str) -> list[str]:
    """The tokens rouge-score (`use_stemmer=True`) makes of `text`."""
    return [stem for stem in map(rouge_stem, _ROUGE_RUN.findall(text.lower())) if stem]


@dataclass(frozen=True, slots=True)
class RougeTokens:
    """ROUGE tokens with where each lies: `stems[k]` came from the characters `starts[k]:ends[k]` of the text."""

    stems: list[str]
    starts: list[int]
    ends: list[int]

    def inside(self, start: int, end: int) -> RougeTokens:
        """The tokens that lie within `start:end`, their offsets counted from `start` (so they index
        `text[start:end]`). A token that `end` cuts is left out: give the end of a word."""
        first = bisect_left(self.starts, start)
        last = bisect_left(self.ends, end + 1, lo=first)  # ends are increasing too: tokens do not overlap
        return RougeTokens(
            self.stems[first:last],
            [s - start for s in self.starts[first:last]],
            [e - start for e in self.ends[first:last]],
        )


def rouge_token_spans(text: str, start: int = 0, end: int | None = None) -> RougeTokens:
    """`rouge_tokens(text[start:end])`, with each token's offsets in `text`."""
    piece = text[start:end]
    lowered = piece.lower()
    if len(lowered) == len(piece):
        source = None
    else:
        # `İ` lowers to two characters (`i̇`), the only one that does: map each lowered position to its source.
        source = [k for k, ch in enumerate(piece) for _ in ch.lower()] + [len(piece)]
    stems: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _ROUGE_RUN.finditer(lowered):
        stem = rouge_stem(match.group())
        if stem:
            a, b = match.span()
            if source is not None:
                a, b = source[a], source[b - 1] + 1
            stems.append(stem)
            starts.append(start + a)
            ends.append(start + b)
    return RougeTokens(stems, starts, ends)


# --- Guard words: the compression guard's ---------------------------------------------------------------

_GUARD_WORD = re.compile(r"[\w'’$£€%.-]+")


def guard_words(text: str) -> list[str]:
    """Lowercased words cut at whitespace and most punctuation, numbers and money whole (`$5.5m`, `u.s.`), outer
    dots and commas stripped: what the compression guard reads for verbs and negations. Kept apart from `words`
    because the guard's rules were tuned on these."""
    # A lone "." is no word.
    return [word for word in (w.strip(".,").lower() for w in _GUARD_WORD.findall(text)) if word]


# --- The layer -------------------------------------------------------------------------------------------


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


class _Sentence(Protocol):  # what the layer reads of an `article.Sentence`
    @property
    def span(self) -> _Span: ...

    @property
    def text(self) -> str: ...


class ArticleTokens:
    """The words of an article's sentences in every form a stage reads, by sentence index.

    Made once per list of sentences (`Article.tokens`). Each form is computed the first time it is read: the PTB
    tokens for all sentences at once (one pass of substitutions over the article), ROUGE tokens and content terms
    per sentence (a stage may read a few sentences only). The lists returned are shared: read them, never
    change them.
    """

    def __init__(self, text: str, sentences: Sequence[_Sentence]) -> None:
        self.text = text
        self.sentences = sentences
        self._rouge: list[RougeTokens | None] = [None] * len(sentences)
        self._terms: list[list[str] | None] = [None] * len(sentences)

    @cached_property
    def ptb(self) -> list[list[str]]:
        """Each sentence's PTB tokens (`ptb_tokens`): what the learned models were trained on."""
        return ptb_tokens_all([s.text for s in self.sentences])

    def rouge(self, index: int) -> RougeTokens:
        """Sentence `index`'s ROUGE tokens, with their offsets in the article text."""
        tokens = self._rouge[index]
        if tokens is None:
            span = self.sentences[index].span
            tokens = self._rouge[index] = rouge_token_spans(self.text, span.start, span.end)
        return tokens

    def rouge_stems(self) -> list[list[str]]:
        """Every sentence's ROUGE tokens, in order: what the oracle and the deletion model's context count."""
        return [self.rouge(i).stems for i in range(len(self.sentences))]

    def terms(self, index: int) -> list[str]:
        """Sentence `index`'s content terms (`content_terms`)."""
        terms = self._terms[index]
        if terms is None:
            terms = self._terms[index] = content_terms(self.sentences[index].text)
        return terms

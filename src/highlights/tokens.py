"""Word-level views of text shared by scoring, selection and evaluation: lowercase tokens, content terms, and
the one ROUGE tokenizer (rouge-score's tokens and Porter stems, with where each token lies)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from highlights.lexicon import STOPWORDS

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """Lowercased word tokens (letters and digits; inner apostrophes kept)."""
    return [w.lower() for w in _WORD.findall(text)]


@lru_cache(maxsize=1 << 16)  # a hot path of scoring; news vocabularies repeat heavily
def stem(word: str) -> str:
    """A light suffix stripper: enough to match `protest/protests/protesters` for overlap, cheap."""
    for suffix in ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed non-stopword tokens: what two sentences must share to say the same thing."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


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
        return RougeTokens(self.stems[first:last], [s - start for s in self.starts[first:last]],
                           [e - start for e in self.ends[first:last]])


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

"""Word-level views of text shared by scoring, selection and evaluation: lowercase tokens, stopwords."""

from __future__ import annotations

import re
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

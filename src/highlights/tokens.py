"""Word-level views of text shared by scoring, selection and evaluation: lowercase tokens, stopwords."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

# A short English stopword list; enough to keep function words out of similarity.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own said same says she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up us very was we were what when where which while who whom why will with would you your
    yours yourself yourselves s t n't 's""".split()
)


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

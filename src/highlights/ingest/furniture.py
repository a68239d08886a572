"""Page furniture in scraped text: a learned line classifier that finds the article among menus, bylines,
cookie banners, captions, share lines, related links and footers.

Each non-blank line of the page gets features of itself and of its neighbours (length, punctuation, stop-word
density as jusText measures it, capitalisation, digits, link-like characters, repeats, position, likeness to
the page's first line, distance to the densest run of prose, and cheap cues such as dates and credits). A
LightGBM model (shipped as text, `models/furniture.lgb.txt`, built by `highlights train-furniture`) gives each
line a probability of being article body, and a two-state Viterbi decode turns those into a body that comes out
as a contiguous run unless a line is clearly furniture (a caption inside the story) or clearly body.

Only lines are labelled: nothing is edited, and every offset still indexes the input.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from highlights.model_folder import ModelMeta, check_meta, feature_digest

MODEL_DIR = Path(__file__).resolve().parents[1] / "models"
MODEL_FILES = ("furniture-lines.lgb.txt", "furniture-context.lgb.txt")
META_FILE = "furniture.json"
FORMAT = "highlights-furniture/2"

# Stop words of the languages most news is written in (jusText's lists, shipped with it): their density is
# the strongest single sign of prose in any of them.
_STOPLIST_LANGUAGES = (
    "English", "German", "French", "Spanish", "Portuguese", "Italian", "Dutch", "Russian", "Polish", "Swedish",
    "Danish", "Norwegian_Bokmal", "Finnish", "Czech", "Turkish", "Ukrainian", "Indonesian", "Romanian",
    "Hungarian", "Greek", "Korean", "Vietnamese",
)  # fmt: skip
_WORD = re.compile(r"\w+")
_LINK_HINT = re.compile(r"[/.@(]")
_SENTENCE_END = tuple('.!?"”’:)»。！？」』')
# Chinese and Japanese write words without spaces: their characters are counted as half a word each, and
# their punctuation counts as punctuation.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PUNCTUATION = ".,;、。，；"
_LINK_SYMBOLS = "|»›•·▸►«‹©"

# Cues of furniture. Each precise pattern runs only on the lines a cheap test lets through (a set lookup of the
# line's lowercased words): ingest reads a page in a few milliseconds. Patterns read lowercased text.
_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr"
    r"|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"
    r"|\b\d{1,2}:\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?|\b\d+\s+(?:minutes?|hours?|days?)\s+ago\b"
)  # searched only in lines with digits
_STAMP_WORDS = frozenset({"updated", "published", "posted"})
_BYLINE_WORDS = frozenset({"by", "von", "par", "por", "di", "door"})
_BYLINE_AGENCIES = ("associated press", "reuters", "afp")
_CREDIT = re.compile(
    r"\((?:[^()]{0,60}/[^()]{0,60}|photo[^()]{0,60}|credit[^()]{0,60})\)\s*$|\b(?:photo|image|"
    r"picture|illustration)s?\s*(?:by|:|credit)|getty images|\bap photo\b|/\s*(?:ap|reuters|afp)\b"
)
_CREDIT_WORDS = frozenset(
    {"photo", "photos", "image", "images", "picture", "pictures", "illustration", "illustrations", "credit", "getty"}
)
_ACTION = re.compile(
    r"\b(?:sign (?:in|up|out)|log ?in|subscribe|newsletter|cookies?|consent|privacy|terms of|advertis\w*|share|"
    r"follow us|read more|related|most popular|trending|comments?|all rights reserved|copyright|download|app)\b"
)
_ACTION_WORDS = frozenset(
    "sign log login subscribe newsletter cookie cookies consent privacy terms advertisement advertisements "
    "advertising advertiser advertisers advertise share follow read related most trending comment comments all "
    "copyright download app".split()
)
_LINK_TEXT = re.compile(r"https?://|www\.|\.com\b|@\w|\(c\)")  # searched in lines with one of "/.@("
_FEATURES_PER_LINE = 24
_LETTERS_RUN = re.compile(r"[^\W\d_]+")
_DIGITS_RUN = re.compile(r"\d+")
_NEIGHBOURS = (-3, -2, -1, 1, 2, 3)


@lru_cache(maxsize=1)
def _stop_words() -> dict[str, float]:
    """Stop words of English (1.0) and of the other common news languages (2.0, when not also English)."""
    import justext  # installed with trafilatura

    words = dict.fromkeys(justext.get_stoplist("English"), 1.0)
    for language in _STOPLIST_LANGUAGES[1:]:
        for word in justext.get_stoplist(language):
            words.setdefault(word, 2.0)
    return words


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of the page: where it is and its stripped text."""

    start: int
    end: int
    text: str
    blank_before: bool
    blank_after: bool


def page_lines(text: str) -> list[Line]:
    """The non-blank lines of `text`, stripped, with their offsets."""
    raw: list[tuple[int, int, str]] = []
    pos = 0
    for piece in text.splitlines(keepends=True):
        body = piece.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        stripped = body.strip()
        lead = len(body) - len(body.lstrip())
        raw.append((pos + lead, pos + lead + len(stripped), stripped))
        pos += len(piece)
    lines = []
    for i, (start, end, stripped) in enumerate(raw):
        if stripped:
            before = i == 0 or not raw[i - 1][2]
            after = i + 1 == len(raw) or not raw[i + 1][2]
            lines.append(Line(start, end, stripped, before, after))
    return lines


# Character classes, as bits of one byte per code point.
_LETTER, _UPPER, _DIGIT, _PUNCT, _CJK_CHAR, _LINKISH, _WORD_CHAR = (1 << bit for bit in range(7))


@lru_cache(maxsize=1)
def _character_classes() -> np.ndarray:
    """The class bits of every code point of the Basic Multilingual Plane, built once: a page's counts are then
    sums over slices, not a Python loop per character."""
    flags = np.zeros(0x10000, dtype=np.uint8)
    for code in range(0x10000):
        ch = chr(code)
        flags[code] = (
            _LETTER * ch.isalpha()
            | _UPPER * ch.isupper()
            | _DIGIT * ch.isdigit()
            | _PUNCT * (ch in _PUNCTUATION)
            | _CJK_CHAR * bool(_CJK.match(ch))
            | _LINKISH * (ch in _LINK_SYMBOLS)
            | _WORD_CHAR * ((ch.isalnum() or ch == "_") and not _CJK.match(ch))  # words as `_WORD` splits them
        )
    return flags


_COUNTED = (_LETTER, _UPPER, _DIGIT, _PUNCT, _CJK_CHAR, _LINKISH)


def _class_counts(text: str, lines: list[Line]) -> np.ndarray:
    """Per line: letters, upper-case letters, digits, punctuation marks, Chinese/Japanese characters, link-like
    symbols, and words that start with a capital letter."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    flags = _character_classes()[np.minimum(codes, 0xFFFF)]
    flags[codes > 0xFFFF] = 0
    word = (flags & _WORD_CHAR) > 0
    starts_word = word.copy()
    starts_word[1:] &= ~word[:-1]
    capital_start = starts_word & ((flags & _UPPER) > 0)
    columns = [(flags & bit) > 0 for bit in _COUNTED] + [capital_start]
    marks = np.stack(columns, axis=1).astype(np.int32)
    cumulative = np.vstack([np.zeros((1, marks.shape[1]), np.int32), np.cumsum(marks, axis=0, dtype=np.int32)])
    starts = np.fromiter((line.start for line in lines), dtype=np.int64, count=len(lines))
    ends = np.fromiter((line.end for line in lines), dtype=np.int64, count=len(lines))
    return cumulative[ends] - cumulative[starts]


def _shape(text: str) -> str:
    """A line's shape: its words as `a`, its numbers as `0`. Menus, archive lists and score tables repeat one
    shape down the page."""
    return _DIGITS_RUN.sub("0", _LETTERS_RUN.sub("a", text))


def _is_byline_start(low: str) -> bool:
    """`by jane doe`, `von …`, `associated press …`: a byline's first words."""
    first = low.split(None, 1)
    return (len(first) == 2 and first[0] in _BYLINE_WORDS) or low.startswith(_BYLINE_AGENCIES)


def _word_features(
    low_texts: list[str],
    cjk: np.ndarray,
    digits: np.ndarray,
    title_words: frozenset[str],
) -> np.ndarray:
    """Per line, from its lowercased words: word count, stop-word shares (English, other), title share, and
    the cues (date or timestamp, byline, photo credit, site action words)."""
    stop = _stop_words()
    rows: list[tuple[float, ...]] = []
    for k, low in enumerate(low_texts):
        words = _WORD.findall(_CJK.sub(" ", low) if cjk[k] else low)
        n = len(words)
        if not n:
            rows.append((0.0,) * 8)
            continue
        kinds = [stop.get(word, 0.0) for word in words]
        english = kinds.count(1.0)
        unique = set(words)
        rows.append(
            (
                n,
                english / n,
                (n - english - kinds.count(0.0)) / n,
                len(title_words & unique) / n if title_words else 0.0,
                bool(digits[k] and _DATE.search(low)) or bool(unique & _STAMP_WORDS),
                _is_byline_start(low),
                bool(("(" in low or "/" in low or unique & _CREDIT_WORDS) and _CREDIT.search(low)),
                len(_ACTION.findall(low)) if unique & _ACTION_WORDS else 0,
            )
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(low_texts), 8)


def _densest_run(weights: list[float]) -> tuple[int, int]:
    """The contiguous run of lines with the largest total prose weight (Kadane), as [first, last]."""
    best, best_span = -math.inf, (0, 0)
    total, start = 0.0, 0
    for i, weight in enumerate(weights):
        if total <= 0:
            total, start = weight, i
        else:
            total += weight
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def line_features(text: str, lines: list[Line]) -> np.ndarray:
    """One row of features per line of `text` (from `page_lines(text)`): its own, its neighbours', and where it
    sits in the page. Columns are computed for all lines at once where numpy can."""
    n = len(lines)
    if not n:
        return np.zeros((0, feature_count()))
    texts = [line.text for line in lines]
    classes = _class_counts(text, lines)
    letters, upper, digits, punctuation, cjk, linkish, capitals = classes.T
    lowered = text.lower()
    if len(lowered) == len(text):  # offsets still hold (a few characters, such as "İ", grow when lowered)
        low_texts = [lowered[line.start : line.end] for line in lines]
    else:
        low_texts = [t.lower() for t in texts]
    title_words = frozenset(_WORD.findall(low_texts[0]))
    words = _word_features(low_texts, cjk, digits, title_words)
    count = words[:, 0]
    units = count + cjk / 2  # words, with Chinese and Japanese characters at half a word
    length = np.fromiter(map(len, texts), dtype=np.float64, count=n)
    repeats = Counter(texts)
    shapes = [_shape(t) for t in texts]
    shape_counts = Counter(shapes)
    own = np.column_stack(
        [
            np.log1p(length),
            np.minimum(units, 200),
            words[:, 1],
            words[:, 2],
            [t.endswith(_SENTENCE_END) for t in texts],
            punctuation / np.maximum(units, 1),
            np.divide(capitals, count, out=np.zeros(n), where=count > 0),
            upper / np.maximum(letters, 1),
            digits / np.maximum(length, 1),
            (linkish > 0)
            | np.fromiter(
                (bool(_LINK_TEXT.search(t)) if _LINK_HINT.search(t) else False for t in low_texts), dtype=bool, count=n
            ),
            [repeats[t] - 1 for t in texts],
            words[:, 3],
            words[:, 4],
            words[:, 5],
            words[:, 6],
            words[:, 7],
            [line.blank_before for line in lines],
            [line.blank_after for line in lines],
            [t[0].islower() for t in texts],
            [t[-1] in ",;" for t in texts],
            cjk / np.maximum(length, 1),
            np.log1p(units),
            count,
            np.log([shape_counts[shape] for shape in shapes]),
        ]
    ).astype(np.float64)
    # The headline: the line after the first most like the page's title (its first line); the story follows it.
    title_share = own[:, 11]
    headline = 1 + int(np.argmax(title_share[1:])) if n > 1 else 0  # the first of the most alike
    stop_share = own[:, 2] + own[:, 3]
    capped = own[:, 1]
    prose = (capped >= 8) & ((stop_share >= 0.15) | (own[:, 20] >= 0.3))
    weights = np.where(prose, capped * np.where(own[:, 4] > 0, 1.0, 0.6), -4.0)
    first, last = _densest_run(weights.tolist())
    index = np.arange(n)
    padded = np.vstack([np.zeros((3, _FEATURES_PER_LINE)), own, np.zeros((3, _FEATURES_PER_LINE))])
    context = [padded[3 + offset : 3 + offset + n] for offset in _NEIGHBOURS]
    distance = np.where(index < first, index - first, np.where(index > last, index - last, 0))  # < 0 before
    towards_headline = index - headline
    position = np.column_stack(
        [
            index / n,
            np.log1p(index),
            np.log1p(n - 1 - index),
            (index >= first) & (index <= last),
            np.sign(distance) * np.log1p(np.abs(distance)),
            index < first,
            index > last,
            weights,
            np.full(n, math.log1p(n)),
            own[:, 1] / (own[:, 1].max() or 1.0),
            np.convolve(weights, np.ones(11), mode="same")[:n],  # the sum of 11 around (shifted on short pages)
            np.sign(towards_headline) * np.log1p(np.abs(towards_headline))
            if title_share[headline] >= 0.6
            else np.zeros(n),
        ]
    ).astype(np.float64)
    return np.hstack([own, *context, position])


def feature_count() -> int:
    return _FEATURES_PER_LINE * (1 + len(_NEIGHBOURS)) + 12


_WINDOWS = (1, 3, 7, 15)


def context_features(probabilities: np.ndarray) -> np.ndarray:
    """What the first pass thinks of a line's surroundings: the mean body probability in windows around it,
    the nearest confident lines, and where the longest confident run of the page lies."""
    p = np.asarray(probabilities, dtype=np.float64)
    n = len(p)
    if n == 0:
        return np.zeros((0, context_feature_count()))
    cumulative = np.concatenate([[0.0], np.cumsum(p)])
    index = np.arange(n)
    columns = [p]

    def mean(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:  # mean of p[lo:hi] per line, 0 where empty
        return np.where(hi > lo, (cumulative[hi] - cumulative[lo]) / np.maximum(hi - lo, 1), 0.0)

    for width in _WINDOWS:
        lo, hi = np.clip(index - width, 0, n), np.clip(index + width + 1, 0, n)
        columns += [mean(lo, hi), mean(lo, index), mean(index + 1, hi)]  # around, before, after
    confident = p >= 0.5
    first, last = _densest_run(np.where(confident, 1.0, -1.0).tolist())
    inside = (index >= first) & (index <= last)
    distance = np.where(index < first, index - first, np.where(index > last, index - last, 0))
    columns += [
        inside.astype(np.float64),
        np.sign(distance) * np.log1p(np.abs(distance)),
        np.full(n, confident.mean()),
        np.full(n, (last - first + 1) / n),
        np.argsort(np.argsort(-p)) / n,  # rank of the line's probability in its page
    ]
    return np.stack(columns, axis=1)


def context_feature_count() -> int:
    return 1 + 3 * len(_WINDOWS) + 5


# --- the model ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FurnitureModel:
    """The line classifier (two passes: lines, then lines in the light of the first pass) and its decode."""

    first: object  # lightgbm.Booster over line_features
    second: object  # lightgbm.Booster over line_features + context_features of the first pass
    switch_cost: float  # log-odds it costs the decode to switch between body and furniture
    # Log-odds added towards body on text an extractor already cut from HTML (trafilatura): most of its lines are
    # the story, so the model only takes out what is clearly furniture.
    extracted_offset: float = 0.0

    def body_probabilities(self, text: str, lines: list[Line]) -> np.ndarray:
        if not lines:
            return np.zeros(0)
        features = line_features(text, lines)
        # One thread: a page is a few hundred rows, and the service and batch already run one page per core.
        first = np.asarray(self.first.predict(features, num_threads=1), dtype=np.float64)  # type: ignore[attr-defined]
        stacked = np.hstack([features, context_features(first)])
        return np.asarray(self.second.predict(stacked, num_threads=1), dtype=np.float64)  # type: ignore[attr-defined]

    def body_lines(self, text: str, lines: list[Line], extracted: bool = False) -> list[bool]:
        """Which lines of `text` are article body, decoded as a sequence (`extracted`: the text is an HTML
        extractor's main text). Never none of them: on a page where no line is judged body, the story is the run
        of lines most like it (`likeliest_run`)."""
        probabilities = self.body_probabilities(text, lines)
        if extracted and self.extracted_offset:
            probabilities = shift_log_odds(probabilities, self.extracted_offset)
        body = viterbi(probabilities, self.switch_cost)
        if lines and not any(body):
            first, last = likeliest_run(probabilities)
            body = [first <= i <= last for i in range(len(lines))]
        return body


def _log_odds(probabilities: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p) - np.log1p(-p)


def shift_log_odds(probabilities: np.ndarray, offset: float) -> np.ndarray:
    """The probabilities with `offset` added to their log-odds."""
    return 1.0 / (1.0 + np.exp(-(_log_odds(probabilities) + offset)))


def likeliest_run(probabilities: np.ndarray) -> tuple[int, int]:
    """The contiguous run of lines with the largest summed log-odds of being body, as [first, last]."""
    return _densest_run(_log_odds(probabilities).tolist())


def viterbi(probabilities: np.ndarray, switch_cost: float) -> list[bool]:
    """Two-state decode (furniture, body): each line's log-odds against a fixed cost for every switch, so a
    lone line must be clearly furniture (or clearly body) to break a run."""
    n = len(probabilities)
    if n == 0:
        return []
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-6, 1 - 1e-6)
    out_scores, in_scores = np.log1p(-p).tolist(), np.log(p).tolist()
    # Two states: plain floats in a loop beat numpy calls per line.
    out_score, in_score = out_scores[0], in_scores[0]
    came_from: list[tuple[bool, bool]] = []  # per line after the first: (previous state if out, if in)
    for i in range(1, n):
        out_from_in = in_score - switch_cost > out_score
        in_from_in = in_score >= out_score - switch_cost
        out_score, in_score = (
            (in_score - switch_cost if out_from_in else out_score) + out_scores[i],
            (in_score if in_from_in else out_score - switch_cost) + in_scores[i],
        )
        came_from.append((out_from_in, in_from_in))
    state = in_score > out_score
    states = [state]
    for out_from_in, in_from_in in reversed(came_from):
        state = in_from_in if state else out_from_in
        states.append(state)
    return states[::-1]


def model_meta() -> ModelMeta:
    """What the model folder's meta.json must say of the page-furniture model for this code to read it: how
    many features of each pass it computes, and how it cuts a page into lines and words."""
    digest = feature_digest(
        {
            "format": [FORMAT],
            "line_features": [str(feature_count())],
            "context_features": [str(context_feature_count())],
        },
        {
            "page_lines": lambda text: [line.text for line in page_lines(text)],
            "words": lambda text: _WORD.findall(text.lower()),
        },
    )
    return ModelMeta("furniture", 2, digest, "highlights train-furniture PAGES -o {folder}")


@lru_cache(maxsize=4)
def load_model(model_dir: Path = MODEL_DIR) -> FurnitureModel | None:
    """The model in `model_dir`, or None when it has not been built there (then no line is judged furniture).
    A model built for other features is refused (`ModelFolderError`, with the command that rebuilds it)."""
    paths, meta_path = [model_dir / name for name in MODEL_FILES], model_dir / META_FILE
    if not meta_path.exists() or not all(path.exists() for path in paths):
        return None
    check_meta(model_dir, model_meta())
    import lightgbm  # loaded with the first page: short texts and `highlights --help` need none of it

    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    first, second = (lightgbm.Booster(model_str=path.read_text(encoding="utf-8")) for path in paths)
    return FurnitureModel(first, second, float(meta["switch_cost"]), float(meta.get("extracted_offset", 0.0)))


# --- using it on a page ------------------------------------------------------------------------------

# The model judges pages: a short text (a pasted story, a dataset row) has no furniture to find, and a text of
# more lines than any page has is not a page dump (its lines are left to the other rules).
MIN_PAGE_LINES = 8
MAX_PAGE_LINES = 20_000

# What kind of furniture a line is, for the record of what was kept out (the model only says "not body"): the
# first kind whose words, or phrases, the line's lowercased words show.
_REASONS: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...] = (
    ("cookie-notice", frozenset({"cookie", "cookies", "consent"}), ("privacy policy", "privacy settings")),
    (
        "account",
        frozenset({"register", "subscribe", "login", "logout"}),
        ("sign in", "sign up", "sign out", "log in", "log out", "my account"),
    ),
    (
        "share",
        frozenset({"share", "tweet", "facebook", "twitter", "instagram", "whatsapp", "linkedin", "email"}),
        ("follow us", "e mail"),
    ),
    ("newsletter", frozenset({"newsletter", "newsletters"}), ()),
    (
        "related",
        frozenset({"related", "trending", "recommended"}),
        ("read more", "more from", "most popular", "most read", "you may like", "you may also like"),
    ),
    ("comments", frozenset({"comment", "comments"}), ()),
    (
        "advertisement",
        frozenset({"advertisement", "advertising", "advertiser", "advertise", "sponsored"}),
        ("ad feedback",),
    ),
    ("copyright", frozenset({"copyright"}), ("all rights reserved",)),
    ("caption", _CREDIT_WORDS, ()),
    ("timestamp", _STAMP_WORDS, ()),
)


# Each cue word, and each cue phrase (on the line's words joined by single spaces), to the first reason it names.
_REASON_OF_WORD: dict[str, int] = {
    word: index for index, (_, words, _) in reversed(list(enumerate(_REASONS))) for word in words
}
_REASON_OF_PHRASE = {
    phrase: index for index, (_, _, phrases) in reversed(list(enumerate(_REASONS))) for phrase in phrases
}
_REASON_PHRASE = re.compile(r"\b(?:" + "|".join(map(re.escape, _REASON_OF_PHRASE)) + r")\b")


def furniture_reason(line: str) -> str:
    """A name for a line the model kept out: the first cue it shows, else navigation (short) or furniture."""
    low = line.lower()
    words = _WORD.findall(low)
    found = [_REASON_OF_WORD[word] for word in words if word in _REASON_OF_WORD]
    found += [_REASON_OF_PHRASE[match.group()] for match in _REASON_PHRASE.finditer(" ".join(words))]
    if found:
        return _REASONS[min(found)][0]
    if "©" in low:
        return "copyright"
    if low.endswith(")") and "/" in low[low.rfind("(") :]:
        return "caption"  # (Jane Roe/AP)
    if _is_byline_start(low):
        return "byline"
    return "navigation" if len(line.split()) <= 6 else "page-furniture"


def judge_page(
    text: str,
    model_dir: Path = MODEL_DIR,
    lines: list[Line] | None = None,
    extracted: bool = False,
) -> list[bool] | None:
    """For each non-blank line of `text` (`lines`, as `page_lines` gives them, when the caller has them already),
    whether it is article body; None when the text is not a page the model judges (too few or too many lines) or
    no model is installed. `extracted`: the text is the main text an HTML extractor found."""
    if lines is None:
        lines = page_lines(text)
    if not MIN_PAGE_LINES <= len(lines) <= MAX_PAGE_LINES:
        return None
    model = load_model(model_dir)
    return None if model is None else model.body_lines(text, lines, extracted)

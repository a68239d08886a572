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

MODEL_DIR = Path(__file__).resolve().parents[1] / "models"
MODEL_FILES = ("furniture-lines.lgb.txt", "furniture-context.lgb.txt")
META_FILE = "furniture.json"
FORMAT = "highlights-furniture/1"

# Stop words of the languages most news is written in (jusText's lists, shipped with it): their density is
# the strongest single sign of prose in any of them.
_STOPLIST_LANGUAGES = (
    "English", "German", "French", "Spanish", "Portuguese", "Italian", "Dutch", "Russian", "Polish", "Swedish",
    "Danish", "Norwegian_Bokmal", "Finnish", "Czech", "Turkish", "Ukrainian", "Indonesian", "Romanian",
    "Hungarian", "Greek", "Korean", "Vietnamese",
)  # fmt: skip
_WORD = re.compile(r"\w+")
_SENTENCE_END = tuple(".!?\"”’:)»。！？」』")
# Chinese and Japanese write words without spaces: their characters are counted as half a word each, and
# their punctuation counts as punctuation.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PUNCTUATION = ".,;、。，；"
_LINK_LIKE = re.compile(r"https?://|www\.|\.com\b|@\w|[|»›•·▸►«‹]|©|\(c\)", re.IGNORECASE)
_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr"
    r"|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"
    r"|\b\d{1,2}:\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?|\b\d+\s+(?:minutes?|hours?|days?)\s+ago\b",
    re.IGNORECASE,
)  # searched only in lines with digits
_STAMP_WORD = re.compile(r"\b(?:updated|published|posted)\b", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door)\s+\S|^(?:associated press|reuters|afp)\b", re.IGNORECASE)
_CREDIT = re.compile(r"\((?:[^()]{0,60}/[^()]{0,60}|photo[^()]{0,60}|credit[^()]{0,60})\)\s*$|\b(?:photo|image|"
                     r"picture|illustration)s?\s*(?:by|:|credit)|getty images|\bap photo\b|/\s*(?:ap|reuters|afp)\b",
                     re.IGNORECASE)
_ACTION = re.compile(
    r"\b(?:sign (?:in|up|out)|log ?in|subscribe|newsletter|cookies?|consent|privacy|terms of|advertis\w*|share|"
    r"follow us|read more|related|most popular|trending|comments?|all rights reserved|copyright|download|app)\b",
    re.IGNORECASE,
)
_FEATURES_PER_LINE = 24
# A line's shape: words as `a`, numbers as `0`. Archive lists, menus and scores repeat one shape down the page.
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")
_NEIGHBOURS = (-3, -2, -1, 1, 2, 3)


@lru_cache(maxsize=1)
def _stop_words() -> tuple[frozenset[str], frozenset[str]]:
    """English stop words, and those of the other common news languages."""
    import justext  # installed with trafilatura

    english = frozenset(justext.get_stoplist("English"))
    others: set[str] = set()
    for language in _STOPLIST_LANGUAGES[1:]:
        others |= justext.get_stoplist(language)
    return english, frozenset(others - english)


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


def _shape(text: str) -> str:
    return _DIGITS.sub("0", _LETTERS.sub("a", text))


@lru_cache(maxsize=1)
def _character_classes() -> np.ndarray:
    """Bit flags of every code point of the Basic Multilingual Plane: letter, upper case, digit, punctuation,
    Chinese/Japanese. Built once; a page's counts are then sums over slices, not a Python loop per character."""
    flags = np.zeros(0x10000, dtype=np.uint8)
    for code in range(0x10000):
        ch = chr(code)
        flags[code] = (
            ch.isalpha() | ch.isupper() << 1 | ch.isdigit() << 2 | (ch in _PUNCTUATION) << 3
            | bool(_CJK.match(ch)) << 4
        )
    return flags


def _class_counts(text: str, lines: list[Line]) -> np.ndarray:
    """Per line: letters, upper-case letters, digits, punctuation marks, Chinese/Japanese characters."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    flags = np.where(codes < 0x10000, _character_classes()[np.minimum(codes, 0xFFFF)], 0).astype(np.uint8)
    starts = np.fromiter((line.start for line in lines), dtype=np.int64, count=len(lines))
    ends = np.fromiter((line.end for line in lines), dtype=np.int64, count=len(lines))
    columns = []
    for bit in range(5):
        cumulative = np.concatenate([[0], np.cumsum((flags >> bit) & 1, dtype=np.int64)])
        columns.append(cumulative[ends] - cumulative[starts])
    return np.stack(columns, axis=1)


def _line_features(line: Line, classes: np.ndarray, counts: Counter[str], shapes: Counter[str],
                   title_words: frozenset[str]) -> list[float]:
    text = line.text
    letters, upper, digits, punctuation, cjk = (int(c) for c in classes)
    words = _WORD.findall(_CJK.sub(" ", text) if cjk else text)
    lowered = [w.lower() for w in words]
    n = len(words)
    units = n + cjk / 2  # words, with Chinese and Japanese characters at half a word
    english, others = _stop_words()
    stop_en = sum(map(english.__contains__, lowered)) / n if n else 0.0
    stop_other = sum(map(others.__contains__, lowered)) / n if n else 0.0
    capitalised = sum(map(str.isupper, (w[0] for w in words))) / n if n else 0.0
    title_share = len(title_words.intersection(lowered)) / n if n and title_words else 0.0
    return [
        math.log1p(len(text)),
        float(min(units, 200)),
        stop_en,
        stop_other,
        float(text.endswith(_SENTENCE_END)),
        punctuation / max(units, 1),
        capitalised,
        upper / max(letters, 1),
        digits / max(len(text), 1),
        float(bool(_LINK_LIKE.search(text))),
        float(counts[text] - 1),
        title_share,
        float(bool(digits and _DATE.search(text)) or bool(_STAMP_WORD.search(text))),
        float(bool(_BYLINE.match(text))),
        float(bool(_CREDIT.search(text))),
        float(len(_ACTION.findall(text))),
        float(line.blank_before),
        float(line.blank_after),
        float(text[:1].islower()),
        float(text.endswith(",") or text.endswith(";")),
        cjk / max(len(text), 1),
        math.log1p(units),
        float(n),
        math.log(shapes[_shape(text)]),
    ]


def _prose_weight(row: list[float]) -> float:
    """Positive for a line that reads like article prose, negative for one that does not."""
    words, stop, ends, cjk = row[1], row[2] + row[3], row[4], row[20]
    if words >= 8 and (stop >= 0.15 or cjk >= 0.3):
        return words * (1.0 if ends else 0.6)
    return -4.0


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
    sits in the page."""
    if not lines:
        return np.zeros((0, feature_count()))
    counts = Counter(line.text for line in lines)
    shapes = Counter(_shape(line.text) for line in lines)
    title_words = frozenset(w.lower() for w in _WORD.findall(lines[0].text))
    classes = _class_counts(text, lines)
    own = [_line_features(line, row, counts, shapes, title_words) for line, row in zip(lines, classes)]
    # The headline: the line after the first most like the page's title (its first line); the story follows it.
    headline = max(range(1, len(own)), key=lambda i: (own[i][11] >= 0.6, own[i][11], -i), default=0)
    weights = [_prose_weight(row) for row in own]
    first, last = _densest_run(weights)
    total = len(lines)
    longest = max((row[1] for row in own), default=1.0) or 1.0
    window = np.convolve(np.asarray(weights), np.ones(11), mode="same") if weights else np.zeros(0)
    zeros = [0.0] * _FEATURES_PER_LINE
    rows = []
    for i, row in enumerate(own):
        context = []
        for offset in _NEIGHBOURS:
            j = i + offset
            context.extend(own[j] if 0 <= j < total else zeros)
        distance = i - first if i < first else (i - last if i > last else 0)  # < 0 before the run, > 0 after
        position = [
            i / total,
            math.log1p(i),
            math.log1p(total - 1 - i),
            float(first <= i <= last),
            math.copysign(math.log1p(abs(distance)), distance),
            float(i < first),
            float(i > last),
            weights[i],
            math.log1p(total),
            own[i][1] / longest,
            float(window[i]),
            math.copysign(math.log1p(abs(i - headline)), i - headline) if own[headline][11] >= 0.6 else 0.0,
        ]
        rows.append(row + context + position)
    return np.asarray(rows, dtype=np.float64).reshape(len(lines), -1)


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
    first, last = _densest_run([1.0 if c else -1.0 for c in confident])
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

    def body_probabilities(self, text: str, lines: list[Line]) -> np.ndarray:
        if not lines:
            return np.zeros(0)
        features = line_features(text, lines)
        # One thread: a page is a few hundred rows, and the service and batch already run one page per core.
        first = np.asarray(self.first.predict(features, num_threads=1), dtype=np.float64)  # type: ignore[attr-defined]
        stacked = np.hstack([features, context_features(first)])
        return np.asarray(self.second.predict(stacked, num_threads=1), dtype=np.float64)  # type: ignore[attr-defined]

    def body_lines(self, text: str, lines: list[Line]) -> list[bool]:
        """Which lines of `text` are article body, decoded as a sequence. Never none of them: on a page where
        no line is judged body, the story is the run of lines most like it (`likeliest_run`)."""
        probabilities = self.body_probabilities(text, lines)
        body = viterbi(probabilities, self.switch_cost)
        if lines and not any(body):
            first, last = likeliest_run(probabilities)
            body = [first <= i <= last for i in range(len(lines))]
        return body


def likeliest_run(probabilities: np.ndarray) -> tuple[int, int]:
    """The contiguous run of lines with the largest summed log-odds of being body, as [first, last]."""
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-6, 1 - 1e-6)
    return _densest_run(list(np.log(p) - np.log1p(-p)))


def viterbi(probabilities: np.ndarray, switch_cost: float) -> list[bool]:
    """Two-state decode (furniture, body): each line's log-odds against a fixed cost for every switch, so a
    lone line must be clearly furniture (or clearly body) to break a run."""
    eps = 1e-6
    p = np.clip(probabilities, eps, 1 - eps)
    emit = np.stack([np.log(1 - p), np.log(p)], axis=1)
    n = len(p)
    if n == 0:
        return []
    score = emit[0].copy()
    back = np.zeros((n, 2), dtype=np.int8)
    for i in range(1, n):
        stay, switch = score, score[::-1] - switch_cost
        back[i] = np.where(stay >= switch, [0, 1], [1, 0])
        score = np.maximum(stay, switch) + emit[i]
    state = int(np.argmax(score))
    states = [state]
    for i in range(n - 1, 0, -1):
        state = int(back[i][state])
        states.append(state)
    return [bool(s) for s in reversed(states)]


@lru_cache(maxsize=4)
def load_model(model_dir: Path = MODEL_DIR) -> FurnitureModel | None:
    """The shipped model, or None when it has not been built (then no line is judged furniture)."""
    paths, meta_path = [model_dir / name for name in MODEL_FILES], model_dir / META_FILE
    if not meta_path.exists() or not all(path.exists() for path in paths):
        return None
    import lightgbm

    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT or meta.get("features") != feature_count():
        raise RuntimeError(
            f"{meta_path} was built for another version of the furniture features; rebuild it with "
            "`highlights train-furniture`"
        )
    first, second = (lightgbm.Booster(model_str=path.read_text(encoding="utf-8")) for path in paths)
    return FurnitureModel(first, second, float(meta["switch_cost"]))


# --- using it on a page ------------------------------------------------------------------------------

# The model judges pages: a short text (a pasted story, a dataset row) has no furniture to find, and a text of
# more lines than any page has is not a page dump (its lines are left to the other rules).
MIN_PAGE_LINES = 8
MAX_PAGE_LINES = 20_000

# What kind of furniture a line is, for the record of what was kept out (the model only says "not body").
_REASONS = (
    ("cookie-notice", re.compile(r"\bcookies?\b|\bconsent\b|\bprivacy (?:policy|settings)\b", re.IGNORECASE)),
    ("account", re.compile(r"\b(?:sign (?:in|up|out)|log ?(?:in|out)|register|my account|subscribe)\b", re.IGNORECASE)),
    ("share", re.compile(r"\b(?:share|tweet|follow us|facebook|twitter|instagram|whatsapp|linkedin|e-?mail)\b",
                         re.IGNORECASE)),
    ("newsletter", re.compile(r"\bnewsletters?\b", re.IGNORECASE)),
    ("related", re.compile(r"\b(?:related|read more|more from|most (?:popular|read)|trending|recommended|you may "
                           r"(?:also )?like)\b", re.IGNORECASE)),
    ("comments", re.compile(r"\bcomments?\b", re.IGNORECASE)),
    ("advertisement", re.compile(r"\badvertis\w*|\bsponsored\b|\bad feedback\b", re.IGNORECASE)),
    ("copyright", re.compile(r"©|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)),
    ("caption", _CREDIT),
    ("byline", _BYLINE),
    ("timestamp", re.compile(r"\b(?:updated|published|posted)\b|\b\d{1,2}:\d{2}\b", re.IGNORECASE)),
)


_ANY_REASON = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _REASONS), re.IGNORECASE)


def furniture_reason(line: str) -> str:
    """A name for a line the model kept out: the first cue it shows, else navigation (short) or furniture."""
    if _ANY_REASON.search(line):  # one search for the many lines that show no cue
        for reason, pattern in _REASONS:
            if pattern.search(line):
                return reason
    return "navigation" if len(line.split()) <= 6 else "page-furniture"


def judge_page(text: str, model_dir: Path = MODEL_DIR, lines: list[Line] | None = None) -> list[bool] | None:
    """For each non-blank line of `text` (`lines`, as `page_lines` gives them, when the caller has them already),
    whether it is article body; None when the text is not a page the model judges (too few or too many lines) or
    no model is installed."""
    if lines is None:
        lines = page_lines(text)
    if not MIN_PAGE_LINES <= len(lines) <= MAX_PAGE_LINES:
        return None
    model = load_model(model_dir)
    return None if model is None else model.body_lines(text, lines)

"""Every system `eval` compares, behind one interface: article text in, bullets out.

A system is named by a spec `NAME[:key=value,...]`:

    lead-3, lead-k          the first k sentences
    oracle[:sentences=4]    greedy ROUGE-1+2 oracle against the reference (extractive upper bound)
    lexrank, textrank,      sumy's summarizers (extra `highlights[peers]`), `bullets=3` sentences, fed with our
    lsa, luhn               sentences and a plain word tokenizer (sumy's own needs NLTK data)
    predictions:PATH        a JSONL of `{"id", "bullets": [...]}` or `{"id", "highlights": "a\\nb"}` rows
    any method name         a project method via `summarize()` (`highlights.score.methods()`, plug-ins too), with
                            the summarize options (`highlights.summary_options`, but method and input_format) by their
                            CLI names or Python ones: `learned:bullets=3,compress=false,attribute=false`

Lead-k, the oracle and the sumy peers read the same ingested, segmented article (`data.prepare`) as the project
methods, so only sentence choice differs. Each system prepares the article itself, so its time includes it.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from highlights.article import Article
from highlights.errors import EmptyInputError, HighlightsError
from highlights.evaluate.data import prepare
from highlights.evaluate.oracle import greedy_oracle
from highlights.options import Options
from highlights.pipeline import summarize
from highlights.score import methods
from highlights.summary_options import SUMMARY_OPTIONS, options_from
from highlights.tokens import rouge_tokens, surface_words

SUMY_PEERS = ("lexrank", "textrank", "lsa", "luhn")
PEER_BULLETS = 3
_LEAD_K = re.compile(r"lead-(\d+)$")
# What a project method's spec may set: every summarize option but the method (the spec's name) and how to read
# the input (`data.prepare` reads it).
METHOD_OPTIONS = tuple(option for option in SUMMARY_OPTIONS if option.name not in ("method", "input_format"))


class SystemSpecError(HighlightsError):
    """A system spec that cannot be built (unknown name, bad option, missing extra)."""


class System(Protocol):
    label: str  # how the report names it: the spec as given

    def run(self, article_id: str, text: str, references: list[str]) -> list[str]:
        """Bullets for one article. Raises on failure; the harness records it as an error for this system."""
        ...


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    options: dict[str, str] = field(default_factory=dict)
    raw: str = ""


def parse_spec(raw: str) -> Spec:
    """`name[:k=v,...]`; for `predictions:` everything after the colon is the path."""
    raw = raw.strip()
    name, _, rest = raw.partition(":")
    name = name.strip().lower()
    if not name:
        raise SystemSpecError(f"empty system spec {raw!r}")
    if name == "predictions":
        if not rest:
            raise SystemSpecError("predictions needs a file: predictions:PATH")
        return Spec(name, {"path": rest}, raw)
    options: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise SystemSpecError(f"{raw!r}: options are key=value, not {item!r}")
        options[key.strip().replace("-", "_")] = value.strip()
    return Spec(name, options, raw)


def _int(spec: Spec, key: str, default: int | None) -> int | None:
    """A positive whole number; `none` for no limit."""
    value = spec.options.pop(key, None)
    if value is None:
        return default
    if value.lower() in ("none", "off"):
        return None
    if not value.isdigit() or int(value) < 1:
        raise SystemSpecError(f"{spec.raw!r}: {key} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _method_options(spec: Spec) -> Options:
    """The summarize options a project method's spec sets (popped from it), by their CLI and service names or
    their Python ones (`attribute`); `method` is the spec's name, and the article is already read."""
    values: dict[str, Any] = {}
    for option in METHOD_OPTIONS:
        for key in dict.fromkeys((option.name, option.python_name)):
            if key in spec.options:
                try:
                    values[option.name] = option.parse(spec.options.pop(key))
                except ValueError as error:
                    raise SystemSpecError(f"{spec.raw!r}: {error}") from None
    return options_from(values)


def _no_more_options(spec: Spec) -> None:
    if spec.options:
        raise SystemSpecError(f"{spec.raw!r}: unknown option(s) {', '.join(sorted(spec.options))}")


# --- the systems ------------------------------------------------------------------------------------------


def _sentences(text: str, detokenize: str) -> Article:
    """The prepared article; one without sentences is an error for every system, as it is for `summarize()`."""
    article = prepare(text, detokenize)
    if not article.sentences:
        raise EmptyInputError("the article has no sentences with words in them")
    return article


@dataclass(slots=True)
class SentencePicker:
    """Lead-k and the oracle: sentences of the prepared article, chosen by `choose(article, references)`."""

    choose: Callable[[Article, list[str]], list[int]]
    detokenize: str
    label: str

    def run(self, article_id: str, text: str, references: list[str]) -> list[str]:
        article = _sentences(text, self.detokenize)
        return [article.sentences[i].text for i in self.choose(article, references)]


def _oracle(article: Article, references: list[str], most: int) -> list[int]:
    return greedy_oracle(article.tokens.rouge_stems(), rouge_tokens("\n".join(references)), max_sentences=most)


@dataclass(slots=True)
class ProjectMethod:
    options: Options
    detokenize: str
    label: str

    def run(self, article_id: str, text: str, references: list[str]) -> list[str]:
        return summarize(prepare(text, self.detokenize), options=self.options).bullets


class _Words:
    """The word tokenizer sumy's `Sentence` asks for (its own needs NLTK's punkt data): our words, as written
    (sumy lowercases and stems them itself)."""

    language = "english"

    def to_words(self, text: str) -> tuple[str, ...]:
        return tuple(surface_words(text))

    def to_sentences(self, text: str) -> tuple[str, ...]:  # never called: sentences come from our segmenter
        return (text,)


@dataclass(slots=True)
class SumyPeer:
    algorithm: str
    bullets: int
    detokenize: str
    label: str
    _summarizer: Any = None  # a sumy summarizer, set in __post_init__ (sumy ships no type hints)
    _words: _Words = field(default_factory=_Words)

    def __post_init__(self) -> None:
        try:
            from sumy.nlp.stemmers import Stemmer
            from sumy.summarizers.lex_rank import LexRankSummarizer
            from sumy.summarizers.lsa import LsaSummarizer
            from sumy.summarizers.luhn import LuhnSummarizer
            from sumy.summarizers.text_rank import TextRankSummarizer
            from sumy.utils import get_stop_words
        except ImportError:
            raise SystemSpecError(f"{self.label!r} needs sumy: pip install 'highlights[peers]'") from None
        classes = {
            "lexrank": LexRankSummarizer,
            "textrank": TextRankSummarizer,
            "lsa": LsaSummarizer,
            "luhn": LuhnSummarizer,
        }
        summarizer = classes[self.algorithm](Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        self._summarizer = summarizer

    def run(self, article_id: str, text: str, references: list[str]) -> list[str]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

        article = _sentences(text, self.detokenize)
        paragraphs: dict[int, list[Sentence]] = {}
        for s in article.sentences:
            paragraphs.setdefault(s.paragraph, []).append(Sentence(s.text, self._words))
        document = ObjectDocumentModel([Paragraph(p) for p in paragraphs.values()])
        # sumy returns the chosen sentences in document order. LexRank divides by a zero norm on articles whose
        # sentences share no words; its numpy warning would only garble the progress bar.
        with np.errstate(divide="ignore", invalid="ignore"):
            return [str(s) for s in self._summarizer(document, self.bullets)]


@dataclass(slots=True)
class Predictions:
    """Bullets read from a file, so other tools' outputs are scored the same way."""

    path: Path
    label: str
    bullets: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.path.is_file():
            raise SystemSpecError(f"no such predictions file: {self.path}")
        opener = gzip.open if self.path.suffix == ".gz" else open
        with opener(self.path, "rt", encoding="utf-8", errors="replace") as handle:
            for line_number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    rid = str(row["id"])
                    value = row["bullets"] if "bullets" in row else row["highlights"]
                except (json.JSONDecodeError, KeyError, TypeError):
                    raise SystemSpecError(
                        f"{self.path}:{line_number}: expected a JSON object with id and bullets (a list) "
                        f"or highlights (newline-separated)"
                    ) from None
                items = value if isinstance(value, list) else str(value).split("\n")
                self.bullets[rid] = [str(b).strip() for b in items if str(b).strip()]

    def run(self, article_id: str, text: str, references: list[str]) -> list[str]:
        if article_id not in self.bullets:
            raise KeyError(f"no prediction for id {article_id}")
        return self.bullets[article_id]


def build_system(raw: str, detokenize: str = "none") -> System:
    """The system for a spec; raises SystemSpecError with a one-line reason."""
    spec = parse_spec(raw)
    label = spec.raw
    lead = _LEAD_K.match(spec.name)
    if lead:
        _no_more_options(spec)
        if int(lead.group(1)) < 1:
            raise SystemSpecError(f"{raw!r}: k must be at least 1")
        k = int(lead.group(1))
        return SentencePicker(lambda article, _: list(range(min(k, len(article.sentences)))), detokenize, label)
    if spec.name == "oracle":
        most = _int(spec, "sentences", 4) or 4
        _no_more_options(spec)
        return SentencePicker(lambda article, refs: _oracle(article, refs, most), detokenize, label)
    if spec.name in SUMY_PEERS:
        bullets = _int(spec, "bullets", PEER_BULLETS)
        _no_more_options(spec)
        return SumyPeer(spec.name, bullets or PEER_BULLETS, detokenize, label)
    if spec.name == "predictions":
        return Predictions(Path(spec.options["path"]), f"predictions:{Path(spec.options['path']).name}")
    if spec.name in methods():
        options = replace(_method_options(spec), method=spec.name)
        _no_more_options(spec)
        return ProjectMethod(options, detokenize, label)
    known = ["lead-K", "oracle", *SUMY_PEERS, "predictions:PATH", *methods()]
    raise SystemSpecError(f"unknown system {spec.name!r}; choose one of: {', '.join(known)}")


def default_systems() -> list[str]:
    """Lead-3, the oracle, the sumy peers when sumy is installed, and every project method."""
    try:
        import sumy  # noqa: F401

        peers = list(SUMY_PEERS)
    except ImportError:
        peers = []
    return ["lead-3", "oracle", *peers, *methods()]

"""Body extraction on real news pages, measured as the source benchmark measures extractors.

The pages file (`../shared/data/pages/README.md`) holds, per page, the saved `html`, the `page_text` a reader
copies from the browser and the annotated `gold_body`. Three measures, each a small pure function:

- body: `\\w+` tokens, 4-token shingles as multisets, per-page tp/fp/fn normalised by their sum, precision and
  recall as means over pages, F1 their harmonic mean (`shingle_counts`, `body_scores`);
- bullets from the body: ≥ 80% of the word trigrams of the page text a bullet's spans cover occur in the gold body
  (`is_body_bullet`, `body_share`);
- title: the page's `og:title` (else `<title>`) without a trailing site name, right when ≥ 60% of the words
  on each side are shared (`page_title`, `titles_match`).

A system is a named function page → `Prediction`; `evaluate_pages(pages, systems)` runs and scores them and
`aggregate(rows)` turns any list of per-page rows into the table's numbers, so a cross-validation loop can
build one system per fold, score each fold's held-out pages and aggregate the union.
"""

from __future__ import annotations

import gzip
import inspect
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from highlights.article import Span
from highlights.errors import HighlightsError, InputError

SHINGLE = 4
TRIGRAM = 3
BODY_BULLET_SHARE = 0.8
TITLE_SHARE = 0.6
PAGE_FIELDS = ("id", "url", "html", "page_text", "gold_body")
_WORD = re.compile(r"\w+")
# A site name after the last " | ", " - " or " – " of a headline ("Storm hits coast - The Daily Bugle").
_SITE_SUFFIX = re.compile(r"^(.*)(?: \| | - | – )")  # greedy: the head runs to the last separator


# --- the three measures -----------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Unicode `\\w+` tokens, case kept (the benchmark's tokenizer)."""
    return _WORD.findall(text or "")


def shingle_counts(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """Multiset of the text's n-token shingles; a text of 1 to n-1 tokens is one shorter shingle, as in the
    benchmark's code, so a short body is not scored as empty."""
    words = tokens(text)
    if not words:
        return Counter()
    return Counter(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)))


@dataclass(frozen=True, slots=True)
class Match:
    """One page's shingle match, tp/fp/fn divided by their sum so every page weighs the same."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        """Share of predicted shingles in the gold body."""
        return self._share(self.tp + self.fp)

    @property
    def recall(self) -> float:
        """Share of gold shingles predicted."""
        return self._share(self.tp + self.fn)

    def _share(self, side: float) -> float:
        # README: a page with nothing on one side counts as 0, both sides empty as 1.
        if self.tp == self.fp == self.fn == 0:
            return 1.0
        if self.tp + self.fp == 0 or self.tp + self.fn == 0:
            return 0.0
        return self.tp / side


def body_match(gold: str, predicted: str) -> Match:
    """tp = Σ min, fp = Σ predicted excess, fn = Σ gold excess over the shingle multisets, normalised."""
    gold_shingles, predicted_shingles = shingle_counts(gold), shingle_counts(predicted)
    tp = sum((gold_shingles & predicted_shingles).values())
    fp = sum((predicted_shingles - gold_shingles).values())
    fn = sum((gold_shingles - predicted_shingles).values())
    total = tp + fp + fn
    return Match(tp / total, fp / total, fn / total) if total else Match(0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class BodyScores:
    precision: float
    recall: float
    f1: float


def body_scores(matches: Iterable[Match]) -> BodyScores:
    """Precision and recall as means over pages, F1 as the harmonic mean of the two means."""
    matches = list(matches)
    if not matches:
        return BodyScores(0.0, 0.0, 0.0)
    precision = statistics.fmean(m.precision for m in matches)
    recall = statistics.fmean(m.recall for m in matches)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BodyScores(precision, recall, f1)


def lower_words(text: str) -> list[str]:
    return [word.lower() for word in tokens(text)]


def body_ngrams(gold_body: str, n: int = TRIGRAM) -> tuple[set[tuple[str, ...]], set[str]]:
    """The gold body's lowercased word n-grams and words, computed once per page for `is_body_bullet`."""
    words = lower_words(gold_body)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}, set(words)


def body_share(
    bullet_text: str | Sequence[str], gold: tuple[set[tuple[str, ...]], set[str]], n: int = TRIGRAM
) -> float:
    """Share of the bullet's word n-grams (its words, when it has fewer than n) that occur in the gold body.
    A bullet without words shares nothing.

    The bullet is its text, or the runs of page text its spans cover (`Prediction.bullet_sources`): n-grams are
    then taken within each run, so the words on either side of a cut a compressed bullet makes ("courts,
    however, have" → "courts have") are not a trigram the page never had."""
    gold_ngrams, gold_words = gold
    runs = [lower_words(bullet_text)] if isinstance(bullet_text, str) else [lower_words(run) for run in bullet_text]
    words = [word for run in runs for word in run]
    if len(words) < n:
        return sum(word in gold_words for word in words) / len(words) if words else 0.0
    grams = [tuple(run[i : i + n]) for run in runs for i in range(len(run) - n + 1)]
    if not grams:  # every run shorter than n: its words
        return sum(word in gold_words for word in words) / len(words)
    return sum(gram in gold_ngrams for gram in grams) / len(grams)


def is_body_bullet(bullet_text: str | Sequence[str], gold_body: str) -> bool:
    """At least 80% of the bullet's word trigrams (all its words, when under 3) occur in the gold body; the
    bullet as its text or as the runs of page text its spans cover (`body_share`)."""
    return body_share(bullet_text, body_ngrams(gold_body)) >= BODY_BULLET_SHARE


class _TitleParser(HTMLParser):
    """Collects the first `og:title` and the first `<title>` outside inline SVG; stops at the first og:title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.og_title: str | None = None
        self.title: str | None = None
        self._in_title = False
        self._svg_depth = 0
        self._title_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self._svg_depth += 1
        elif tag == "meta" and self.og_title is None:
            values = {key.lower(): (value or "") for key, value in attrs}
            if (values.get("property") or values.get("name", "")).strip().lower() == "og:title":
                self.og_title = values.get("content", "")
        elif tag == "title" and self.title is None and not self._svg_depth:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svg_depth:
            self._svg_depth -= 1
        elif tag == "title" and self._in_title:
            self._in_title = False
            self.title = "".join(self._title_parts)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)

    def headline(self) -> str | None:
        """og:title, else <title> (an unclosed one: what was read of it), whichever has words first."""
        title = "".join(self._title_parts) if self._in_title and self.title is None else self.title
        return next((c for c in (self.og_title, title) if c and c.strip()), None)


def strip_site_name(title: str) -> str:
    """Drop a trailing site name after the last ` | `, ` - ` or ` – ` ("Storm hits coast | Daily Bugle")."""
    title = " ".join(title.split())
    head = _SITE_SUFFIX.match(title)
    return head.group(1).strip() if head and head.group(1).strip() else title


def page_title(html: str) -> str | None:
    """The page's own headline: `og:title`, else `<title>`, without a trailing site name; None if it has none."""
    parser = _TitleParser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError, RecursionError):  # html.parser gives up on some broken markup
        pass
    headline = parser.headline()
    return strip_site_name(headline) if headline else None


def titles_match(predicted: str | None, gold: str | None) -> bool:
    """Right when at least 60% of the words of each title occur in the other (lowercased `\\w+`, as multisets)."""
    predicted_words, gold_words = Counter(lower_words(predicted or "")), Counter(lower_words(gold or ""))
    if not predicted_words or not gold_words:
        return False
    shared = sum((predicted_words & gold_words).values())
    return shared >= TITLE_SHARE * sum(predicted_words.values()) and shared >= TITLE_SHARE * sum(gold_words.values())


# --- pages and systems ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    html: str
    page_text: str
    gold_body: str


@dataclass(slots=True)
class PagesFile:
    pages: list[Page]
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


def load_pages(path: str | Path, limit: int | None = None) -> PagesFile:
    """Read a pages JSONL file (gzip allowed). Lines that are not a page are skipped with their reason."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such file: {path}; give a pages file such as ../shared/data/pages/dev.jsonl.gz")
    loaded = PagesFile([])
    try:
        with (
            gzip.open(path, "rt", encoding="utf-8", errors="replace")
            if path.suffix == ".gz"
            else path.open(encoding="utf-8", errors="replace")
        ) as lines:
            for line_number, line in enumerate(lines, 1):
                if limit is not None and len(loaded.pages) >= limit:
                    break
                if line.strip():
                    page, reason = _page(line)
                    if page is None:
                        loaded.skipped.append((line_number, reason))
                    else:
                        loaded.pages.append(page)
    except (OSError, EOFError) as error:
        if not loaded.pages:
            raise InputError(f"cannot read {path}: {error}") from None
        loaded.skipped.append((-1, f"the rest of the file cannot be read: {error}"))
    return loaded


def _page(line: str) -> tuple[Page | None, str]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        return None, f"not JSON ({error.msg})"
    if not isinstance(row, dict):
        return None, "not a JSON object"
    missing = [name for name in PAGE_FIELDS if name not in row]
    if missing:
        return None, "missing " + ", ".join(missing)
    if not all(isinstance(row[name], str) for name in PAGE_FIELDS[1:]):
        return None, "html, page_text, gold_body and url must be strings"
    return Page(str(row["id"]), row["url"], row["html"], row["page_text"], row["gold_body"]), ""


@dataclass(slots=True)
class Prediction:
    """What a system makes of one page. `bullets` holds the text each bullet's spans cover; `error` says why
    the page came out empty or without bullets."""

    body: str
    title: str | None = None
    bullets: list[str] = field(default_factory=list)
    error: str | None = None
    # Per bullet, the runs of page text its spans cover (spans apart by only whitespace joined): what the bullet
    # is judged on when the system gives it (see `body_share`).
    bullet_sources: list[list[str]] | None = None


@dataclass(frozen=True, slots=True)
class PageSystem:
    """A named page → Prediction function, and what of the page it is judged on besides the body."""

    name: str
    run: Callable[[Page], Prediction]
    titles: bool = False  # it names the headline
    bullets: bool = False  # it writes bullets


def page_text_system(page: Page) -> Prediction:
    """The page text as a reader copies it, all of it as the body."""
    return Prediction(page.page_text)


def trafilatura_system(page: Page) -> Prediction:
    """trafilatura's main text and title from the HTML, with the benchmark's settings (no comments)."""
    import trafilatura

    document = trafilatura.bare_extraction(page.html, url=page.url or None, with_metadata=True, include_comments=False)
    if document is None:
        return Prediction("", error="trafilatura found no main text")
    if isinstance(document, dict):  # trafilatura's `as_dict=True` form, never asked for here
        return Prediction(document.get("text") or "", document.get("title"))
    return Prediction(document.text or "", document.title)


def highlights_system(format: str, **ingest_options: Any) -> Callable[[Page], Prediction]:
    """The public `ingest` + `summarize` on the page text (`format="text"`) or HTML (`"html"`).

    `ingest_options` go to `ingest` as keyword arguments (e.g. a `model_dir` the ingest model may take), so a
    new ingest option needs no change here. Bullets reuse the ingested Article, so ingest runs once a page.
    """
    from highlights.ingest import ingest
    from highlights.pipeline import Options, summarize

    options = Options(format=format)

    def run(page: Page) -> Prediction:
        source = page.page_text if format == "text" else page.html
        try:
            article = ingest(source, format=format, **ingest_options)
        except HighlightsError as error:
            return Prediction("", error=f"ingest: {type(error).__name__}: {error}")
        prediction = Prediction(article.body_text(), article.title)
        try:
            summary = summarize(article, options=options)
        except HighlightsError as error:
            prediction.error = f"summarize: {type(error).__name__}: {error}"
            return prediction
        prediction.bullets = [" ".join(span.of(summary.text) for span in h.spans) for h in summary.highlights]
        prediction.bullet_sources = [covered_runs(summary.text, h.spans) for h in summary.highlights]
        return prediction

    return run


def covered_runs(text: str, spans: Sequence[Span]) -> list[str]:
    """The text `spans` cover, as runs: spans with only whitespace between them make one run."""
    runs: list[tuple[int, int]] = []
    for span in spans:
        if runs and not text[runs[-1][1] : span.start].strip():
            runs[-1] = (runs[-1][0], span.end)
        else:
            runs.append((span.start, span.end))
    return [text[start:end] for start, end in runs]


# name → (factory taking the ingest options, judged on titles, judged on bullets)
SYSTEMS: dict[str, tuple[Callable[..., Callable[[Page], Prediction]], bool, bool]] = {
    "page-text": (lambda: page_text_system, False, False),
    "trafilatura": (lambda: trafilatura_system, True, False),
    "highlights-text": (lambda **options: highlights_system("text", **options), True, True),
    "highlights-html": (lambda **options: highlights_system("html", **options), True, True),
}
DEFAULT_SYSTEMS = tuple(SYSTEMS)


def build_page_system(raw: str, ingest_options: Mapping[str, Any] | None = None) -> PageSystem:
    """`NAME[:key=value,...]`; options of the highlights systems go to `ingest` (true/false/none/numbers
    converted), e.g. `highlights-text:model_dir=models/fold-1`. `ingest_options` (a cross-validation fold's
    model, say) are added to those of every highlights system and ignored by the others."""
    from highlights.evaluate.systems import SystemSpecError, parse_spec

    spec = parse_spec(raw)
    if spec.name not in SYSTEMS:
        raise SystemSpecError(f"unknown system {spec.name!r}; choose from: {', '.join(SYSTEMS)}")
    factory, titles, bullets = SYSTEMS[spec.name]
    options = {key: _option_value(value) for key, value in spec.options.items()}
    if ingest_options and spec.name.startswith("highlights-"):
        options = {**ingest_options, **options}
    if options:
        if not spec.name.startswith("highlights-"):
            raise SystemSpecError(f"{raw!r}: {spec.name} takes no options")
        from highlights.ingest import ingest

        unknown = sorted(set(options) - set(inspect.signature(ingest).parameters) - {"format", "content"})
        if unknown:
            raise SystemSpecError(f"{raw!r}: ingest() has no option(s) {', '.join(unknown)}")
    return PageSystem(spec.raw or spec.name, factory(**options), titles, bullets)


def _option_value(value: str) -> Any:
    lowered = value.lower()
    if lowered in ("true", "yes", "on"):
        return True
    if lowered in ("false", "no", "off"):
        return False
    if lowered == "none":
        return None
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


# --- running and scoring ----------------------------------------------------------------------------------


@dataclass(slots=True)
class PageRow:
    """One system on one page: what it predicted and how that scores."""

    system: str
    id: str
    url: str
    match: Match
    seconds: float
    predicted_title: str | None
    gold_title: str | None
    title_right: bool | None  # None: not judged (the system names no headline, or the page has none)
    bullets: list[str] | None  # None: the system writes none
    body_bullets: list[bool] | None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The report's per-page row: scores, the non-body bullets' text and both titles."""
        row: dict[str, Any] = {
            "system": self.system,
            "id": self.id,
            "url": self.url,
            "precision": round(self.match.precision, 4),
            "recall": round(self.match.recall, 4),
            "tp": round(self.match.tp, 4),
            "fp": round(self.match.fp, 4),
            "fn": round(self.match.fn, 4),
            "seconds": round(self.seconds, 4),
            "predicted_title": self.predicted_title,
            "gold_title": self.gold_title,
            "title_right": self.title_right,
        }
        if self.bullets is not None and self.body_bullets is not None:
            row["bullets"] = len(self.bullets)
            row["body_bullets"] = sum(self.body_bullets)
            row["non_body_bullets"] = [text for text, body in zip(self.bullets, self.body_bullets) if not body]
        if self.error:
            row["error"] = self.error
        return row


def score_page(
    system: PageSystem, page: Page, prediction: Prediction, seconds: float = 0.0, gold_title: str | None = None
) -> PageRow:
    """Score one prediction against the page (pass `gold_title` when it is already parsed). A page without
    a headline of its own is not judged on titles."""
    gold_title = gold_title if gold_title is not None else page_title(page.html)
    title_right = titles_match(prediction.title, gold_title) if system.titles and gold_title else None
    bullets = body_bullets = None
    if system.bullets:
        gold = body_ngrams(page.gold_body)
        bullets = prediction.bullets
        judged: Sequence[str | list[str]] = prediction.bullet_sources or bullets
        body_bullets = [body_share(bullet, gold) >= BODY_BULLET_SHARE for bullet in judged]
    return PageRow(
        system.name,
        page.id,
        page.url,
        body_match(page.gold_body, prediction.body),
        seconds,
        prediction.title,
        gold_title,
        title_right,
        bullets,
        body_bullets,
        prediction.error,
    )


def run_system(system: PageSystem, page: Page) -> tuple[Prediction, float]:
    """The system's prediction and its seconds. A failure the system did not turn into a Prediction is
    recorded as an empty page with its reason: one bad page never ends the run."""
    start = time.perf_counter()
    try:
        prediction = system.run(page)
    except Exception as error:  # noqa: BLE001 - any extractor failure on hostile markup is that page's result
        prediction = Prediction("", error=f"{type(error).__name__}: {error}")
    return prediction, time.perf_counter() - start


def iter_rows(pages: Iterable[Page], systems: Iterable[PageSystem]) -> Iterator[PageRow]:
    """Every system on every page (page by page, so the gold title is parsed once)."""
    systems = list(systems)
    for page in pages:
        gold_title = page_title(page.html) or ""
        for system in systems:
            prediction, seconds = run_system(system, page)
            yield score_page(system, page, prediction, seconds, gold_title)


@dataclass(frozen=True, slots=True)
class SystemScores:
    """A system's line of the table."""

    system: str
    pages: int
    body: BodyScores
    bullets: int | None  # None: the system writes no bullets
    body_bullets: int | None
    pages_with_non_body_bullets: int | None
    titles_judged: int | None
    titles_right: int | None
    errors: int
    median_ms: float

    @property
    def body_bullet_share(self) -> float | None:
        return self.body_bullets / self.bullets if self.bullets and self.body_bullets is not None else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "pages": self.pages,
            "precision": round(self.body.precision, 4),
            "recall": round(self.body.recall, 4),
            "f1": round(self.body.f1, 4),
            "bullets": self.bullets,
            "body_bullets": self.body_bullets,
            "body_bullet_share": None if self.body_bullet_share is None else round(self.body_bullet_share, 4),
            "pages_with_non_body_bullets": self.pages_with_non_body_bullets,
            "titles_judged": self.titles_judged,
            "titles_right": self.titles_right,
            "errors": self.errors,
            "median_ms_per_page": round(self.median_ms, 2),
        }


def aggregate(rows: Iterable[PageRow]) -> list[SystemScores]:
    """The table from per-page rows, one line per system in first-seen order (rows of several folds may be
    concatenated: every measure is a sum or a mean over pages)."""
    by_system: dict[str, list[PageRow]] = {}
    for row in rows:
        by_system.setdefault(row.system, []).append(row)
    table = []
    for system, system_rows in by_system.items():
        with_bullets = [r for r in system_rows if r.body_bullets is not None]
        judged = [r for r in system_rows if r.title_right is not None]
        table.append(
            SystemScores(
                system=system,
                pages=len(system_rows),
                body=body_scores(r.match for r in system_rows),
                bullets=sum(len(r.body_bullets or ()) for r in with_bullets) if with_bullets else None,
                body_bullets=sum(sum(r.body_bullets or ()) for r in with_bullets) if with_bullets else None,
                pages_with_non_body_bullets=sum(not all(r.body_bullets or ()) for r in with_bullets)
                if with_bullets
                else None,
                titles_judged=len(judged) if judged else None,
                titles_right=sum(bool(r.title_right) for r in judged) if judged else None,
                errors=sum(r.error is not None for r in system_rows),
                median_ms=1000 * statistics.median(r.seconds for r in system_rows),
            )
        )
    return table


def evaluate_pages(
    pages: Iterable[Page], systems: Iterable[PageSystem], on_row: Callable[[PageRow], None] | None = None
) -> tuple[list[SystemScores], list[PageRow]]:
    """Run and score `systems` on `pages`: the table and the per-page rows (the hook for cross-validation)."""
    rows = []
    for row in iter_rows(pages, systems):
        rows.append(row)
        if on_row is not None:
            on_row(row)
    return aggregate(rows), rows


def markdown_table(table: Iterable[SystemScores]) -> str:
    """The table as BENCHMARKS.md shows it."""
    header = (
        "| system | body precision | body recall | body F1 | bullets from body | pages with a non-body bullet "
        "| title right | errors |"
    )
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for line in table:
        lines.append("| " + " | ".join(table_cells(line)) + " |")
    return "\n".join(lines)


def table_cells(line: SystemScores) -> list[str]:
    """One table line as text; '—' where the system has no bullets or no title."""
    share = line.body_bullet_share
    return [
        line.system,
        f"{line.body.precision:.3f}",
        f"{line.body.recall:.3f}",
        f"{line.body.f1:.3f}",
        "—" if share is None else f"{share:.0%} ({line.body_bullets}/{line.bullets})",
        "—" if line.pages_with_non_body_bullets is None else f"{line.pages_with_non_body_bullets}/{line.pages}",
        "—" if line.titles_right is None else f"{line.titles_right}/{line.titles_judged}",
        str(line.errors),
    ]


def report(table: list[SystemScores], rows: list[PageRow], meta: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON report: what ran, the table, and every page's row."""
    return {"meta": dict(meta), "systems": [line.as_dict() for line in table], "pages": [r.as_dict() for r in rows]}

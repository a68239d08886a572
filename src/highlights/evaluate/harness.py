"""Run every system on the same articles and score each output the same way.

Order: articles outer, systems inner (interleaved). Load on a shared machine drifts over minutes; interleaving
puts every system under the same conditions, so speed ratios are fair. Each system call is timed with
`time.perf_counter` and includes the system's own ingest + segmentation of the article.

Memory is measured in a separate pass before the timed one (tracemalloc slows Python code several-fold, so
it must not run while timing): the peak growth of the Python heap (tracemalloc; numpy buffers included,
other native memory not) while the built system runs on the first `memory_articles` articles, including any
model it loads on first use (project scorers load lazily). That pass also warms every system up, so the
timed pass measures steady-state work.

A judge (`grammar.fragment_reasons`, opt-in) reads every bullet after the timed pass, all runs' bullets in one
batch, so its parse is charged to no system.
"""

from __future__ import annotations

import math
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from highlights.evaluate.data import EvalArticle, prepare
from highlights.evaluate.fragments import fragment_stats, novel_ngram_rate
from highlights.evaluate.rouge import ROUGE_TYPES, rouge
from highlights.evaluate.systems import System
from highlights.ingest import ptb

# Bullets in, for each the reason it is a sentence fragment (None: a sentence) out: `grammar.fragment_reasons`.
Judge = Callable[[Sequence[str]], list[str | None]]

NOVEL_N = (1, 2, 3)
DEFAULT_MEMORY_ARTICLES = 50
MAX_ERROR_CHARS = 300


@dataclass(slots=True)
class ArticleResult:
    """One system on one article. A failed article scores 0 and keeps its error."""

    id: str
    bullets: list[str]
    rouge: dict[str, float]
    coverage: float
    density: float
    compression: float
    novel: dict[int, float]
    seconds: float
    error: str | None = None
    # The judge's verdict on each bullet: why it is a sentence fragment, None for a sentence; None when not judged.
    sentence_fragments: list[str | None] | None = None

    @property
    def words_per_bullet(self) -> float:
        return sum(len(b.split()) for b in self.bullets) / len(self.bullets) if self.bullets else math.nan


@dataclass(slots=True)
class SystemRun:
    label: str
    results: list[ArticleResult] = field(default_factory=list)
    peak_bytes: int | None = None  # tracemalloc peak, memory pass
    memory_articles: int = 0

    def scores(self, name: str) -> np.ndarray:
        return np.array([r.rouge[name] for r in self.results], dtype=np.float64)

    @property
    def errors(self) -> list[ArticleResult]:
        return [r for r in self.results if r.error is not None]

    @property
    def total_seconds(self) -> float:
        return sum(r.seconds for r in self.results)

    @property
    def articles_per_second(self) -> float:
        return len(self.results) / self.total_seconds if self.total_seconds > 0 else math.nan

    @property
    def median_ms(self) -> float:
        return statistics.median(r.seconds for r in self.results) * 1000 if self.results else math.nan


def describe(article_text: str, bullets: list[str]) -> tuple[float, float, float, dict[int, float]]:
    """Fragment coverage, density, compression and novel n-gram rates of bullets against their article."""
    stats = fragment_stats(article_text, "\n".join(bullets))
    novel = {n: novel_ngram_rate(article_text, bullets, n) for n in NOVEL_N}
    return stats.coverage, stats.density, stats.compression, novel


def source_text(article: EvalArticle, detokenize: str) -> str:
    """The text systems read (what fragments are measured against); the raw row when it cannot be read."""
    try:
        return prepare(article.text, detokenize).text
    except Exception:
        return article.text


def judge_runs(runs: list[SystemRun], judge: Judge, texts: list[list[list[str]]] | None = None) -> None:
    """Set `sentence_fragments` of every result of every run: the judge's verdict on each bullet, all of them in
    one call. `texts[run][result]` are the bullets as the judge reads them, when not as the results hold them."""
    bullets = texts or [[result.bullets for result in run.results] for run in runs]
    verdicts = iter(judge([bullet for per_run in bullets for per_result in per_run for bullet in per_result]))
    for run, per_run in zip(runs, bullets):
        for result, per_result in zip(run.results, per_run):
            result.sentence_fragments = [next(verdicts) for _ in per_result]


def reference_run(articles: list[EvalArticle], detokenize: str, judge: Judge | None = None) -> SystemRun:
    """The references described like a system (fragments, bullets, words, and the judge's verdicts when one is
    given), against the text systems read."""
    run = SystemRun("reference")
    read: list[list[str]] = []
    for article in articles:
        # Fragments and the judge compare like with like: PTB references are detokenized as the article text
        # was (ROUGE, which drops punctuation, scores them as given).
        references = [ptb.detokenize(r) for r in article.references] if detokenize == "ptb" else article.references
        read.append(references)
        coverage, density, compression, novel = describe(source_text(article, detokenize), references)
        run.results.append(
            ArticleResult(
                article.id,
                article.references,
                {k: 100.0 for k in ROUGE_TYPES},
                coverage,
                density,
                compression,
                novel,
                0.0,
            )
        )
    if judge is not None:
        judge_runs([run], judge, [read])
    return run


def measure_memory(system: System, articles: list[EvalArticle]) -> int:
    """Peak Python heap (bytes, tracemalloc) above the starting point while the system runs on `articles`."""
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        for article in articles:
            try:
                system.run(article.id, article.text, article.references)
            except Exception:  # failures are recorded in the timed pass
                pass
        return max(0, tracemalloc.get_traced_memory()[1] - base)
    finally:
        if not tracing:
            tracemalloc.stop()


def evaluate(
    systems: list[System],
    articles: list[EvalArticle],
    *,
    detokenize: str = "none",
    memory_articles: int = DEFAULT_MEMORY_ARTICLES,
    on_step: Callable[[str], None] | None = None,
) -> list[SystemRun]:
    """Run and score every system on every article; `on_step(label)` after each (system, article) pair."""
    runs = [SystemRun(s.label) for s in systems]
    if memory_articles > 0:
        # Shared machinery (the sentence splitter's model) loads here, so it is not charged to the first system.
        source_text(articles[0], detokenize)
        sample = articles[:memory_articles]
        for system, run in zip(systems, runs):
            run.peak_bytes = measure_memory(system, sample)
            run.memory_articles = len(sample)
    for article in articles:
        text = source_text(article, detokenize)
        for system, run in zip(systems, runs):
            start = time.perf_counter()
            error = None
            try:
                bullets = [b.strip() for b in system.run(article.id, article.text, article.references) if b.strip()]
            except Exception as exc:  # one article a system cannot handle is its error, not the run's end
                bullets, error = [], f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
            seconds = time.perf_counter() - start
            coverage, density, compression, novel = describe(text, bullets)
            scores = rouge(bullets, article.references) if bullets else {k: 0.0 for k in ROUGE_TYPES}
            run.results.append(
                ArticleResult(article.id, bullets, scores, coverage, density, compression, novel, seconds, error)
            )
            if on_step is not None:
                on_step(run.label)
    return runs

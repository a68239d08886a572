"""The eval report: one summary row per system, written as a rich table, Markdown, JSON and PNG plots.

Files in the output folder:
    report.md, report.json     the table (mean [95% CI], p vs baseline, fragments, length, speed, memory, and
                               with a judge the share of bullets that are sentence fragments)
    per_article.jsonl          every system's scores on every article (and its error, if any)
    predictions/<system>.jsonl the bullets each system produced, `{"id", "bullets"}` per line
    rouge_distributions.png, quality_vs_speed.png   (extra `highlights[plots]`)
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from rich.markup import escape
from rich.table import Table

from highlights.evaluate.harness import NOVEL_N, SystemRun
from highlights.evaluate.rouge import ROUGE_TYPES
from highlights.evaluate.stats import Interval, bootstrap_ci, paired_bootstrap_p

JUDGE_NOTE = (
    "Sentence fragments: share of all bullets that the grammar judge (`evaluate/grammar.py`: spaCy's small "
    "English model parses each bullet as one sentence) calls a fragment: its main clause has no finite verb "
    "(headline style included) or no subject (imperatives excepted), or is a subordinate clause, or its double "
    "quotes or brackets do not balance. The parser errs on some sentences, so whole article sentences (Lead-3) "
    "are not at 0%: compare a system with them. Counts per reason: report.json."
)
ROUGE_NAMES = {"rouge1": "R1", "rouge2": "R2", "rougeLsum": "RLsum"}
MEMORY_NOTE = (
    "peak MB: growth of the Python heap (tracemalloc; numpy buffers included, other native memory not) "
    "while the built system runs on the first {n} articles, models it loads on first use included, "
    "in a pass before the timed one"
)


@dataclass(slots=True)
class Row:
    """A system's summary. `p` is against the baseline (absent for the baseline and the references)."""

    system: str
    articles: int
    errors: int
    rouge: dict[str, Interval]
    p: dict[str, float] | None
    coverage: float
    density: float
    compression: float
    novel_percent: dict[int, float]  # n -> share of the bullets' n-grams not in the article, %
    bullets_per_article: float
    words_per_bullet: float
    articles_per_second: float | None = None
    median_ms: float | None = None
    peak_mb: float | None = None
    error_examples: list[dict[str, str]] = field(default_factory=list)
    # With a judge: the share of all bullets it calls sentence fragments (%), and how many for each reason.
    sentence_fragment_percent: float | None = None
    sentence_fragment_reasons: dict[str, int] | None = None


def _nanmean(values: list[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return float(np.mean(finite)) if finite else math.nan


def _sentence_fragments(run: SystemRun) -> tuple[float | None, dict[str, int] | None]:
    """The share of bullets the judge calls fragments (%) and the count of each reason; None unless judged."""
    verdicts = [v for r in run.results if r.sentence_fragments is not None for v in r.sentence_fragments]
    if not any(r.sentence_fragments is not None for r in run.results):
        return None, None
    reasons = Counter(v for v in verdicts if v is not None)
    percent = 100 * sum(reasons.values()) / len(verdicts) if verdicts else math.nan
    return percent, dict(reasons.most_common())


def summarize_run(
    run: SystemRun, baseline: SystemRun | None, *, resamples: int, seed: int, is_reference: bool = False
) -> Row:
    results = run.results
    bullets = [len(r.bullets) for r in results]
    words = sum(len(b.split()) for r in results for b in r.bullets)
    rouge = (
        {} if is_reference else {k: bootstrap_ci(run.scores(k), resamples=resamples, seed=seed) for k in ROUGE_TYPES}
    )
    p = None
    if baseline is not None and baseline is not run and not is_reference:
        p = {
            k: paired_bootstrap_p(baseline.scores(k), run.scores(k), resamples=resamples, seed=seed)
            for k in ROUGE_TYPES
        }
    fragment_percent, fragment_reasons = _sentence_fragments(run)
    return Row(
        system=run.label,
        articles=len(results),
        errors=len(run.errors),
        rouge=rouge,
        p=p,
        coverage=_nanmean([r.coverage for r in results if r.bullets]),
        density=_nanmean([r.density for r in results if r.bullets]),
        compression=_nanmean([r.compression for r in results if r.bullets]),
        novel_percent={n: _nanmean([r.novel[n] for r in results]) * 100 for n in NOVEL_N},
        bullets_per_article=float(np.mean(bullets)) if bullets else math.nan,
        words_per_bullet=words / sum(bullets) if sum(bullets) else math.nan,
        articles_per_second=None if is_reference else run.articles_per_second,
        median_ms=None if is_reference else run.median_ms,
        peak_mb=None if run.peak_bytes is None else run.peak_bytes / 2**20,
        error_examples=[{"id": r.id, "error": r.error or ""} for r in run.errors[:5]],
        sentence_fragment_percent=fragment_percent,
        sentence_fragment_reasons=fragment_reasons,
    )


# --- formatting -------------------------------------------------------------------------------------------


def _f(value: float | None, digits: int = 2) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def _ci(interval: Interval | None) -> str:
    return "–" if interval is None else f"{interval.mean:.2f} [{interval.low:.2f}, {interval.high:.2f}]"


def _p(row: Row) -> str:
    if row.p is None:
        return "–"
    return " / ".join(f"{row.p[k]:.3f}" for k in ROUGE_TYPES)


HEADER = [
    "system",
    "R1 [95% CI]",
    "R2 [95% CI]",
    "RLsum [95% CI]",
    "p vs baseline R1/R2/RLsum",
    "coverage",
    "density",
    "compression",
    "novel 1-gram %",
    "novel 2-gram %",
    "bullets/article",
    "words/bullet",
    "articles/s",
    "ms/article (median)",
    "peak MB",
    "errors",
]


# The judge's column, after words/bullet, in reports that have one (`highlights eval --judge grammar`).
SENTENCE_FRAGMENTS = "sentence fragments %"
_JUDGED_AFTER = "words/bullet"


def _judged(rows: list[Row]) -> bool:
    return any(row.sentence_fragment_percent is not None for row in rows)


def _with_judge(header: list[str], judged: bool, name: str = SENTENCE_FRAGMENTS, after: str = _JUDGED_AFTER):
    if not judged:
        return header
    at = header.index(after) + 1
    return [*header[:at], name, *header[at:]]


def _judge_cell(row: Row, judged: bool, digits: int = 1) -> list[str]:
    return [_f(row.sentence_fragment_percent, digits)] if judged else []


def _cells(row: Row, judged: bool) -> list[str]:
    return [
        row.system,
        *(_ci(row.rouge.get(k)) for k in ROUGE_TYPES),
        _p(row),
        _f(row.coverage, 3),
        _f(row.density),
        _f(row.compression, 1),
        _f(row.novel_percent[1], 1),
        _f(row.novel_percent[2], 1),
        _f(row.bullets_per_article),
        _f(row.words_per_bullet, 1),
        *_judge_cell(row, judged),
        _f(row.articles_per_second, 1),
        _f(row.median_ms, 1),
        _f(row.peak_mb, 1),
        "–" if row.system == "reference" else str(row.errors),
    ]


def _pm(interval: Interval | None) -> str:
    return "–" if interval is None else f"{interval.mean:.2f} ±{(interval.high - interval.low) / 2:.2f}"


TERMINAL_HEADER = [
    "system",
    "R1",
    "R2",
    "RLsum",
    "p R1",
    "cover",
    "dense",
    "novel2 %",
    "bullets",
    "words/b",
    "art/s",
    "ms",
    "MB",
    "err",
]
TERMINAL_SENTENCE_FRAGMENTS = "sent.frag %"


# The columns a bootstrap warning is about: the intervals and the p-values.
_BOOTSTRAPPED = ("R1", "R2", "RLsum", "p ")
WARNING_MARK = "⚠"


def _marked(header: list[str], warning: str | None) -> list[str]:
    return [f"{name} {WARNING_MARK}" if warning and name.startswith(_BOOTSTRAPPED) else name for name in header]


def rich_table(rows: list[Row], title: str, warning: str | None = None) -> Table:
    """The terminal view: the Markdown table narrowed to fit (CI as ± half-width; full table in report.md).
    `warning` (`stats.small_sample_warning`) marks the bootstrapped columns and is said under the table."""
    caption = "ROUGE F1 × 100, mean ±95% CI half-width; p vs baseline (paired bootstrap)"
    if warning:
        caption += f"\n[bold yellow]{WARNING_MARK} {escape(warning)}[/]"
    table = Table(title=title, caption=caption)
    judged = _judged(rows)
    for name in _marked(_with_judge(TERMINAL_HEADER, judged, TERMINAL_SENTENCE_FRAGMENTS, "words/b"), warning):
        table.add_column(name, justify="left" if name == "system" else "right", no_wrap=name != "system")
    for row in rows:
        table.add_row(
            row.system,
            *(_pm(row.rouge.get(k)) for k in ROUGE_TYPES),
            "–" if row.p is None else f"{row.p['rouge1']:.3f}",
            _f(row.coverage),
            _f(row.density, 1),
            _f(row.novel_percent[2], 1),
            _f(row.bullets_per_article, 1),
            _f(row.words_per_bullet, 1),
            *_judge_cell(row, judged),
            _f(row.articles_per_second, 0),
            _f(row.median_ms, 1),
            _f(row.peak_mb, 1),
            "" if row.system == "reference" else str(row.errors),
            style="dim" if row.system == "reference" else None,
        )
    return table


def markdown(rows: list[Row], meta: dict) -> str:
    judged = _judged(rows)
    header = _with_judge(HEADER, judged)
    lines = [
        f"# Evaluation: {meta['dataset']}",
        "",
        f"{meta['articles']:,} articles scored ({meta['rows']:,} rows read, {meta['skipped']:,} skipped"
        + (f": {', '.join(f'{n} × {r}' for r, n in meta['skip_reasons'].items())}" if meta["skipped"] else "")
        + f"); detokenize: {meta['detokenize']}; baseline: `{meta['baseline']}`; date: {meta['date']}; "
        f"machine: {meta['machine']}.",
        "",
        f"Command: `{meta['command']}`",
        "",
        *((f"**Warning:** {warning}.", "") if (warning := meta.get("bootstrap_warning")) else ()),
        "| " + " | ".join(_marked(header, warning)) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(c.replace("|", "\\|") for c in _cells(row, judged)) + " |" for row in rows),
        "",
        "ROUGE: rouge-score 0.1.2, `RougeScorer(['rouge1','rouge2','rougeLsum'], use_stemmer=True)`, F1 × 100, one "
        "bullet/reference sentence per line, mean over articles; an article a system fails on scores 0 and counts "
        f"in errors. CI: 95% percentile bootstrap over articles ({meta['resamples']:,} resamples, seed "
        f"{meta['seed']}); p: two-sided paired bootstrap against the baseline on the same resamples.",
        "Coverage, density, compression: extractive fragments of Grusky et al. (2018) on lowercased words, mean "
        "over articles; novel n-grams: share of the bullets' n-grams absent from the article. The `reference` row "
        "describes the reference highlights the same way.",
        "Speed: each system's own ingest + segmentation + summarizing, timed per article with "
        "`time.perf_counter`, systems interleaved per article; articles/s = articles / total seconds. "
        + MEMORY_NOTE.format(n=meta["memory_articles"])
        + ".",
        *((JUDGE_NOTE,) if judged else ()),
    ]
    errors = [row for row in rows if row.error_examples]
    if errors:
        lines += ["", "## Errors", ""]
        for row in errors:
            for example in row.error_examples:
                lines.append(f"- `{row.system}` on `{example['id']}`: {example['error']}")
    return "\n".join(lines) + "\n"


def json_ready(value):
    """JSON without NaN (not valid JSON): NaN becomes null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    return value


def slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.=-]+", "_", label).strip("_") or "system"


def write_files(out: Path, rows: list[Row], runs: list[SystemRun], meta: dict) -> dict[str, Path]:
    """report.md, report.json, per_article.jsonl and predictions/*.jsonl; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "predictions").mkdir(exist_ok=True)
    paths = {"markdown": out / "report.md", "json": out / "report.json", "per_article": out / "per_article.jsonl"}
    paths["markdown"].write_text(markdown(rows, meta), encoding="utf-8")
    predictions: dict[str, str] = {}
    used: set[str] = set()
    for run in runs:
        name = slug(run.label)
        while name in used:  # two specs that slug alike keep separate files
            name += "_"
        used.add(name)
        path = out / "predictions" / f"{name}.jsonl"
        predictions[run.label] = str(path.relative_to(out))
        with path.open("w", encoding="utf-8") as handle:
            for r in run.results:
                handle.write(json.dumps({"id": r.id, "bullets": r.bullets}, ensure_ascii=False) + "\n")
    document = {"meta": meta, "predictions": predictions, "systems": [asdict(row) for row in rows]}
    paths["json"].write_text(json.dumps(json_ready(document), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with paths["per_article"].open("w", encoding="utf-8") as handle:
        for run in runs:
            for r in run.results:
                row = {
                    "system": run.label,
                    "id": r.id,
                    **r.rouge,
                    "coverage": r.coverage,
                    "density": r.density,
                    "compression": r.compression,
                    **{f"novel_{n}": v for n, v in r.novel.items()},
                    "bullets": len(r.bullets),
                    "words_per_bullet": r.words_per_bullet,
                    "ms": r.seconds * 1000,
                    "error": r.error,
                    **({} if r.sentence_fragments is None else {"sentence_fragments": r.sentence_fragments}),
                }
                handle.write(json.dumps(json_ready(row), ensure_ascii=False) + "\n")
    return paths


def write_plots(out: Path, rows: list[Row], runs: list[SystemRun]) -> list[Path]:
    """Score distributions per system, and quality vs speed. Raises ImportError without matplotlib."""
    import matplotlib

    matplotlib.use("Agg")  # files only; never a display
    import matplotlib.pyplot as plt

    labels = [run.label for run in runs]
    fig, axes = plt.subplots(1, len(ROUGE_TYPES), figsize=(5 * len(ROUGE_TYPES), 0.45 * len(runs) + 2), sharey=True)
    for ax, name in zip(axes, ROUGE_TYPES):
        ax.boxplot([run.scores(name) for run in runs], vert=False, showmeans=True, flierprops={"markersize": 2})
        ax.set_yticks(range(1, len(labels) + 1), labels)
        ax.set_title(f"{ROUGE_NAMES[name]} F1 × 100 per article")
        ax.invert_yaxis()
    fig.tight_layout()
    paths = [out / "rouge_distributions.png"]
    fig.savefig(paths[0], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 5))
    for row in rows:
        if row.articles_per_second is None or math.isnan(row.articles_per_second) or "rouge1" not in row.rouge:
            continue
        r1 = row.rouge["rouge1"]
        ax.errorbar(
            row.articles_per_second, r1.mean, yerr=[[r1.mean - r1.low], [r1.high - r1.mean]], fmt="o", capsize=3
        )
        ax.annotate(
            row.system, (row.articles_per_second, r1.mean), textcoords="offset points", xytext=(5, 4), fontsize=8
        )
    ax.set_xscale("log")
    ax.set_xlabel("articles per second (log)")
    ax.set_ylabel("ROUGE-1 F1 × 100 (95% CI)")
    ax.set_title("Quality vs speed")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    paths.append(out / "quality_vs_speed.png")
    fig.savefig(paths[1], dpi=110)
    plt.close(fig)
    return paths

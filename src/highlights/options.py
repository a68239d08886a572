"""What `summarize()` can be told: `Options`, with its defaults, and the methods chosen when it names none.

How the apps offer each option (its name, help, bounds and choices) is declared beside, in `summary_options.py`,
which takes the defaults from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from highlights.select import Budget

DEFAULT_METHOD = "learned"  # for English (or undetermined) text when the caller names no method
# For text confidently in another language when the caller names no method. `lead` rather than `centrality`:
# it needs no words of any language (centrality's tokens and stopwords are English, and CJK text has no spaces
# between words), and on CNN stories it scores above centrality (BENCHMARKS.md: 28.97 vs 27.29 ROUGE-1).
FALLBACK_METHOD = "lead"
# Only the first sentences are candidates: highlights come from the story, and this keeps every scorer
# (some are quadratic in sentences) linear in the size of the input.
MAX_CANDIDATES = 500
INPUT_FORMATS = ("auto", "text", "html")


@dataclass(frozen=True, slots=True)
class Options:
    """Everything `summarize()` can be told. Defaults are what the CLI and the service use.

    `method` and `compress` left as None are chosen by the article's language: `DEFAULT_METHOD` and
    `DEFAULT_COMPRESS` for English (or text too short to tell), `FALLBACK_METHOD` and no compression for text
    confidently in another language. Given explicitly, they are used whatever the language (with a warning).
    """

    method: str | None = None
    budget: Budget = field(default_factory=Budget)
    attribute: bool = True  # prefix opinion bullets with the author's name, as CNN does
    format: str = "auto"  # "auto", "text" or "html"
    max_candidates: int = MAX_CANDIDATES
    compress: bool | None = None  # shorten each bullet by deleting low-content spans (compress.py)

"""What `summarize()` can be told: `Options` and its length controls `Budget`, with their defaults, and the
methods chosen when it names none. Plain values, below every stage: the scorers and selection read the Budget.

How the apps offer each option (its name, help, bounds and choices) is declared beside, in `summary_options.py`,
which takes the defaults from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_METHOD = "learned"  # for English (or undetermined) text when the caller names no method
# For text confidently in another language when the caller names no method. `lead` rather than `centrality`:
# it needs no words of any language (centrality's tokens and stopwords are English, and CJK text has no spaces
# between words), and on CNN stories it scores above centrality (BENCHMARKS.md: 28.97 vs 27.29 ROUGE-1).
FALLBACK_METHOD = "lead"
# Only the first sentences are candidates: highlights come from the story, and this keeps every scorer
# (some are quadratic in sentences) linear in the size of the input.
MAX_CANDIDATES = 500
INPUT_FORMATS = ("auto", "text", "html")
DEFAULT_MAX_WORDS_PER_BULLET = 60
# Bullet lengths by name: the most words a bullet may have. `story` lets a bullet be as long as the story's
# sentences (up to `max_words_per_bullet`); `cnn` is the length of CNN's printed highlights (about 13 words on
# average, 15 at most for most of them), reached by compressing the sentences that matter (`compress/fit.py`).
LENGTHS: dict[str, int | None] = {"story": None, "cnn": 15}
DEFAULT_LENGTH = "story"


@dataclass(frozen=True, slots=True)
class Budget:
    """Length controls. Every knob is optional; `None` means no limit (or, for `bullets`, decide by article).

    bullets: how many bullets; `None` picks by article length (1 for a sentence or two, up to 3).
    max_words_per_bullet: the longest a bullet may be; longer sentences are compressed to fit (`compress/fit.py`), and
        passed over when they cannot be (unless nothing else fits).
    length: a named bullet length (`LENGTHS`): `cnn` caps `max_words_per_bullet` at CNN's length.
    max_words: total words over all bullets.
    redundancy: a candidate is dropped when this share of its content words (or of the other bullet's,
        whichever is shorter) already appears in a chosen bullet. 1.0 turns the check off; `None` lets the
        method decide (greedy selection uses `select.DEFAULT_REDUNDANCY`; the learned method's summary model
        weighs overlap itself and sets no hard limit).
    """

    bullets: int | None = None
    max_words_per_bullet: int | None = DEFAULT_MAX_WORDS_PER_BULLET
    max_words: int | None = None
    redundancy: float | None = None
    length: str = DEFAULT_LENGTH

    def __post_init__(self) -> None:
        if self.length not in LENGTHS:
            raise ValueError(f"unknown length {self.length!r}; choose one of: {', '.join(LENGTHS)}")
        cap = LENGTHS[self.length]
        if cap is not None and (self.max_words_per_bullet is None or self.max_words_per_bullet > cap):
            object.__setattr__(self, "max_words_per_bullet", cap)  # frozen: set once, here
        if self.bullets is not None and self.bullets < 1:
            raise ValueError("bullets must be at least 1")
        for name in ("max_words_per_bullet", "max_words"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.redundancy is not None and not 0.0 < self.redundancy <= 1.0:
            raise ValueError("redundancy must be in (0, 1]")


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

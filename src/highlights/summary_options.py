"""The summarize options as the apps offer them, declared once: `SUMMARY_OPTIONS`.

An `Option` is the name the apps spell it by, where it goes in `Options` (options.py), its type, bounds or
choices, and its help; its default is the one `Options()` has. The CLI's `highlights` and `highlights batch`
options (`cli_options.py`), the service's request fields (`service/schemas.py`) and the options of `eval`'s
method systems (`evaluate/systems.py`) are all made from `SUMMARY_OPTIONS`, so an option added here (and to
`Options`) reaches each of them, with its help, default and bounds. It sits above `score`, whose registry of
methods is the method option's choices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from highlights.options import DEFAULT_METHOD, FALLBACK_METHOD, INPUT_FORMATS, LENGTHS, Options
from highlights.score import methods

DEFAULT_OPTIONS = Options()


@dataclass(frozen=True, slots=True)
class Option:
    """One option as the apps offer it. Its default is `Options()`'s; None as a default means what `unset` says."""

    name: str  # as the CLI (--max-words-per-bullet), the service's JSON and eval's specs spell it
    field: str  # where it goes in `Options`: "attribute", or "budget.bullets" for a field of its Budget
    type: type  # int, float, bool or str
    help: str  # what it does, one phrase without a final period; the apps add the default and bounds
    unset: str = ""  # what the default None means, for an option whose default is None
    minimum: float | None = None
    maximum: float | None = None
    # The values a str option takes: fixed, or a function for those known only at run time (plug-in methods).
    choices: Sequence[str] | Callable[[], Sequence[str]] = ()
    short: str = ""  # the CLI's one-letter form, e.g. "-n"

    @property
    def default(self) -> Any:
        value: Any = DEFAULT_OPTIONS
        for part in self.field.split("."):
            value = getattr(value, part)
        return value

    @property
    def nullable(self) -> bool:
        """None is a value of this option (its default), meaning `unset`."""
        return self.default is None

    @property
    def python_name(self) -> str:
        """The `Options` field (and `summarize()` keyword) it sets, where that differs from `name`."""
        return self.field.rpartition(".")[2]

    def allowed(self) -> list[str]:
        """The choices of a str option; empty when any string goes."""
        return list(self.choices() if callable(self.choices) else self.choices)

    def rule(self) -> str:
        """What a value must be, for error messages: "a whole number from 1 to 20"."""
        if self.type is bool:
            return "true or false"
        if self.type is str:
            return f"one of: {', '.join(self.allowed())}" if self.choices else "a string"
        kind = "a whole number" if self.type is int else "a number"
        if self.minimum is not None and self.maximum is not None:
            return f"{kind} from {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"{kind} of at least {self.minimum:g}"
        if self.maximum is not None:
            return f"{kind} of at most {self.maximum:g}"
        return kind

    def check_choice(self, value: Any) -> Any:
        """`value` if it is None or one of this option's choices (any value when it has none); else ValueError."""
        if value is not None and self.choices and value not in (allowed := self.allowed()):
            raise ValueError(f"unknown {self.name.replace('_', ' ')} {value!r}; choose one of: {', '.join(allowed)}")
        return value

    def parse(self, text: str) -> Any:
        """The value written as `text` (eval's `key=value`), checked; ValueError saying what it must be."""
        text = text.strip()
        if self.nullable and text.lower() == "none":
            return None
        if self.type is str:
            return self.check_choice(text)
        wrong = ValueError(
            f"{self.name} must be {self.rule()}{f', or none ({self.unset})' if self.nullable else ''}, not {text!r}"
        )
        if self.type is bool:
            words = {
                "true": True,
                "1": True,
                "yes": True,
                "on": True,
                "false": False,
                "0": False,
                "no": False,
                "off": False,
            }
            if text.lower() not in words:
                raise wrong
            return words[text.lower()]
        try:
            number = self.type(text)
        except ValueError:
            raise wrong from None
        if (self.minimum is not None and number < self.minimum) or (self.maximum is not None and number > self.maximum):
            raise wrong
        return number


SUMMARY_OPTIONS: tuple[Option, ...] = (
    Option(
        "method",
        "method",
        str,
        "Scoring method",
        short="-m",
        choices=methods,
        unset=f"{DEFAULT_METHOD} for English, {FALLBACK_METHOD} for other languages",
    ),
    # CNN prints 2 to 4; 20 keeps the work of one service request bounded.
    Option(
        "bullets",
        "budget.bullets",
        int,
        "Number of bullets",
        short="-n",
        minimum=1,
        maximum=20,
        unset="by article length",
    ),
    Option(
        "length",
        "budget.length",
        str,
        f"Bullet length: story (as long as the story's sentences), cnn (CNN's highlights, at most {LENGTHS['cnn']} "
        "words, the sentences that matter compressed to fit)",
        choices=tuple(LENGTHS),
    ),
    Option(
        "max_words_per_bullet",
        "budget.max_words_per_bullet",
        int,
        "Longest bullet in words (longer sentences are compressed to fit)",
        minimum=1,
    ),
    Option("max_words", "budget.max_words", int, "Words over all bullets", minimum=1, unset="no limit"),
    Option(
        "redundancy",
        "budget.redundancy",
        float,
        "Overlap that makes a bullet redundant (1 = off)",
        minimum=0.01,
        maximum=1.0,
        unset="the method decides: 0.6 for greedy selection; none for learned, "
        "whose summary model weighs overlap itself",
    ),
    Option("input_format", "format", str, "How to read the input", choices=INPUT_FORMATS),
    Option("attribution", "attribute", bool, "Prefix opinion bullets with the author, as CNN does"),
    Option(
        "compress",
        "compress",
        bool,
        "Shorten bullets by deleting low-content spans (source words only)",
        unset="on for English, off for other languages",
    ),
)


def options_from(values: Mapping[str, Any]) -> Options:
    """The `Options` for option values by name (`SUMMARY_OPTIONS`); an option not in `values` keeps its default.
    The values are taken as they are: each app checks them against the bounds and choices first."""
    unknown = set(values) - {option.name for option in SUMMARY_OPTIONS}
    if unknown:
        raise ValueError(f"unknown option(s): {', '.join(sorted(unknown))}")
    top: dict[str, Any] = {}
    budget: dict[str, Any] = {}
    for option in SUMMARY_OPTIONS:
        if option.name in values:
            group, _, name = option.field.rpartition(".")
            (budget if group == "budget" else top)[name] = values[option.name]
    return replace(DEFAULT_OPTIONS, budget=replace(DEFAULT_OPTIONS.budget, **budget), **top)

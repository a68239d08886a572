"""How the commands talk on stderr: one line per message, whatever stderr is, and text printed as text.

rich breaks lines at 80 columns when stderr is not a terminal (a file, a pipe, a CI log): an error split over
lines is one that grep and log readers take apart. Every console here soft-wraps instead (a terminal folds a
long line itself), and every message is escaped, so that a `[` in a path or a reason is printed, not read as
rich markup (`[/x]` used to raise a MarkupError, `[red]` to vanish).
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

EXIT_USAGE = 2


def stderr_console() -> Console:
    """The console for messages: stderr, no wrapping, no highlighting of numbers and paths."""
    return Console(stderr=True, soft_wrap=True, highlight=False)


def say(console: Console, label: str, message: str, style: str = "yellow") -> None:
    """`label message` on one line, the label styled, the message as plain text."""
    console.print(f"[{style}]{label}[/] {escape(message)}")


def error(console: Console, message: str) -> typer.Exit:
    """Print `error: message` and return the exit (code 2) for the caller to raise: `raise error(err, ...)`."""
    say(console, "error:", message, "bold red")
    return typer.Exit(EXIT_USAGE)

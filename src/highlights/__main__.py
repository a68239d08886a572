"""`python -m highlights` is the `highlights` command."""

from highlights.cli import run

run()

"""Errors a user can act on. Every entry point (CLI, HTTP, batch) turns these into a clear message."""

from __future__ import annotations


class HighlightsError(ValueError):
    """Base class: the message says what went wrong and what to do about it."""


class EmptyInputError(HighlightsError):
    """The input holds no article text (empty, whitespace, or only boilerplate)."""


class InputError(HighlightsError):
    """The input cannot be read as an article (binary, undecodable, unreadable file, bad row)."""


class NotProseError(InputError):
    """The input is text but not an article: a list of links, code, a table, encoded data, a PDF's bytes, or
    random keystrokes. The message says which, and what to give instead."""


class FetchError(HighlightsError):
    """A URL could not be fetched (timeout, too large, refused address, HTTP error)."""


class UnknownMethodError(HighlightsError):
    """No scoring method is registered under the requested name."""


# What the URL guard (`ingest.sources.check_public_host`) says when it refuses a loopback or private address;
# tests/test_url_guard.py checks that its message still holds this.
PRIVATE_ADDRESS_REFUSAL = "resolves to the non-public address"


def with_private_address_hint(error: HighlightsError, how: str) -> HighlightsError:
    """`error`, saying `how` to allow private addresses when it is the URL guard's refusal of one. The guard
    cannot know the option: it is the CLI's `--allow-private-urls`, or the service operator's."""
    if isinstance(error, FetchError) and PRIVATE_ADDRESS_REFUSAL in str(error):
        return FetchError(f"{error}; {how}")
    return error

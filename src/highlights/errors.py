"""Errors a user can act on. Every entry point (CLI, HTTP, batch) turns these into a clear message."""

from __future__ import annotations

import re


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


class PrivateAddressError(FetchError):
    """The URL guard refused a host that resolves to a loopback, private or other non-public address."""


class UnknownMethodError(HighlightsError):
    """No scoring method is registered under the requested name."""


class ModelFolderError(HighlightsError):
    """A model folder is missing a file, is damaged, or does not fit this version of highlights; the message
    names the folder and the command that rebuilds it."""


# How the URL guard (`ingest.sources`) words its refusal of a loopback or private address (`PrivateAddressError`).
PRIVATE_ADDRESS_REFUSAL = "resolves to the non-public address"


def with_private_address_hint(error: HighlightsError, how: str) -> HighlightsError:
    """`error`, saying `how` to allow private addresses when it is the URL guard's refusal of one. The guard
    cannot know the option: it is the CLI's `--allow-private-urls`, or the service operator's."""
    if isinstance(error, PrivateAddressError):
        return PrivateAddressError(f"{error}; {how}")
    return error


# A row's reason is read in a log line or an errors file beside many others: a few hundred characters say what
# is wrong; more is usually an exception echoing its input.
MAX_REASON_CHARS = 300
_WHITESPACE = re.compile(r"\s+")
_MALFORMED_JSON = "malformed JSON: "  # how `ingest.sources.iter_records` starts the reason of a row json rejects
# Python's json messages as what a person fixes. Two of them end in "at" because the position follows in the
# exception's full text, which the reader leaves out (its "line 1" is the row's, not the file's).
_JSON_PROBLEMS = {
    "Expecting value": "a value is missing or is not JSON (strings go in double quotes; true, false and null in "
    "lower case)",
    "Expecting property name enclosed in double quotes": "a key is not in double quotes, or a comma comes before "
    "a closing brace",
    "Expecting ':' delimiter": "a colon is missing after a key",
    "Expecting ',' delimiter": "a comma is missing between two items, or the line ends before its closing bracket",
    # The usual cause in JSONL: a row cut short, whose open string takes in the line break that ends it.
    "Invalid control character at": "a string holds a raw tab or line break, or is not closed before the line "
    "ends (inside a string, write a tab as \\t and a line break as \\n)",
    "Unterminated string starting at": "a string is not closed",
    "Invalid \\escape": "a string holds a backslash that starts no valid escape (write a backslash as \\\\)",
    "Invalid \\uXXXX escape": "a string holds a \\u escape without four hex digits",
    "Extra data": "more follows the JSON value on the same line (one object a line)",
    "Illegal trailing comma before end of object": "a comma comes before a closing brace",
    "Illegal trailing comma before end of array": "a comma comes before a closing bracket",
}


def one_line(text: str, limit: int = MAX_REASON_CHARS) -> str:
    """`text` on one line (each run of whitespace one space) and at most `limit` characters: a longer one is cut
    at the last word that fits, and ends with an ellipsis."""
    text = _WHITESPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:  # the cut falls inside a word: drop the word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def malformed_json_reason(message: str, line: int, column: int | None = None) -> str:
    """The reason for a row that json rejected with `message` (`JSONDecodeError.msg`), as a whole sentence that
    says where (the row's line in the file, and the column when known) and what to fix."""
    problem = _JSON_PROBLEMS.get(message)
    if problem is None:  # a message of another Python: without its dangling "at", in the reason's lower case
        problem = re.sub(r"\s+(?:starting\s+)?at$", "", message.strip())
        problem = problem[:1].lower() + problem[1:]
    where = f"line {line}" + (f", column {column}" if column else "")
    return f"malformed JSON on {where}: {problem}"


def row_reason(reason: str, line: int) -> str:
    """Why a dataset row was not summarized, as the batch errors file and the CLI report it: one line, bounded,
    and a malformed-JSON reason as a whole sentence with its line."""
    if reason.startswith(_MALFORMED_JSON):
        reason = malformed_json_reason(reason.removeprefix(_MALFORMED_JSON), line)
    return one_line(reason)

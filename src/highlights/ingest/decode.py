"""Bytes or str → article text, or a clear refusal for input that is not text at all."""

from __future__ import annotations

import codecs
import re

from highlights.errors import EmptyInputError, InputError

# Above this many characters an input is refused rather than processed (the pipeline is linear, but a
# multi-hundred-megabyte "article" is a mistake, not a story).
MAX_CHARS = 50_000_000
# A str can hold lone UTF-16 surrogates (JSON's "\ud800", Python's surrogateescape); they cannot be written as
# UTF-8, so every output would fail on them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Byte-order marks of the encodings that put NUL bytes in ordinary text (UTF-32 first: its little-endian mark
# begins with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def clean_text(text: str) -> str:
    """`text` with each surrogate code point (a lone `\ud800` from a JSON escape, an undecodable byte of a file
    name) replaced by U+FFFD, so that it can be written as UTF-8; one for one, so offsets into `text` hold. Every
    string that enters from outside (articles, row ids, request fields) goes through here."""
    if text.isascii() or not _SURROGATE.search(text):  # isascii: the common case, at memory speed
        return text
    return _SURROGATE.sub("\ufffd", text)


# Control characters other than whitespace: a few in text, most of a binary file.
_CONTROL = re.compile("[\x01-\x08\x0e-\x1f]")


def looks_binary(sample: str) -> bool:
    """NUL bytes, or mostly control characters: a binary file read as text."""
    if "\x00" in sample:
        return True
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) / len(sample) > 0.05


def decode(content: str | bytes, max_chars: int = MAX_CHARS) -> str:
    """Text of the input, normalised once for every later stage: always encodable as UTF-8.

    Bytes are UTF-8, or UTF-16/32 with a byte-order mark; other encodings are guessed, never crash. Lone
    surrogates in a str become U+FFFD (one for one, so offsets into `content` hold).
    """
    if isinstance(content, bytes):
        text = _decode_bytes(content)
    elif isinstance(content, str):
        text = content
    else:
        raise InputError(f"expected text or bytes, got {type(content).__name__}")
    if len(text) > max_chars:
        raise InputError(f"input is {len(text):,} characters; the limit is {max_chars:,}")
    text = clean_text(text)
    if looks_binary(text[:65536]):
        raise InputError("input looks like binary data (mostly control characters), not article text")
    if not text.strip():
        raise EmptyInputError("input is empty or only whitespace: give the article text")
    return text


def _decode_bytes(content: bytes) -> str:
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            # The codec reads the mark to know the byte order and drops it; damaged units become U+FFFD.
            return content.decode(encoding, errors="replace")
    if b"\x00" in content[:65536]:
        raise InputError("input looks like binary data (it contains NUL bytes), not article text")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _guess_decode(content)


def _guess_decode(content: bytes) -> str:
    # Mostly UTF-8 with a few damaged bytes (a truncated scrape): keep it UTF-8, mark the damage with U+FFFD.
    replaced = content.decode("utf-8", errors="replace")
    if replaced.count("\ufffd") <= max(3, len(replaced) // 1000):
        return replaced
    try:
        from charset_normalizer import from_bytes  # installed with trafilatura

        best = from_bytes(content[:1_000_000]).best()
        if best is not None and best.encoding:
            return content.decode(best.encoding, errors="replace")
    except ImportError:  # pragma: no cover - trafilatura always brings it
        pass
    return content.decode("utf-8", errors="replace")

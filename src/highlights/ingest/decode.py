"""Bytes or str → article text, or a clear refusal for input that is not text at all."""

from __future__ import annotations

from highlights.errors import EmptyInputError, InputError

# Above this many characters an input is refused rather than processed (the pipeline is linear, but a
# multi-hundred-megabyte "article" is a mistake, not a story).
MAX_CHARS = 50_000_000


def looks_binary(sample: str) -> bool:
    """NUL bytes, or mostly control characters: a binary file read as text."""
    if "\x00" in sample:
        return True
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return control / len(sample) > 0.05


def decode(content: str | bytes, max_chars: int = MAX_CHARS) -> str:
    """Text of the input. Bytes are UTF-8 (BOM allowed); other encodings are guessed, never crash."""
    if isinstance(content, bytes):
        if b"\x00" in content[:65536]:
            raise InputError("input looks like binary data (it contains NUL bytes), not article text")
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _guess_decode(content)
    elif isinstance(content, str):
        text = content
    else:
        raise InputError(f"expected text or bytes, got {type(content).__name__}")
    if len(text) > max_chars:
        raise InputError(f"input is {len(text):,} characters; the limit is {max_chars:,}")
    if looks_binary(text[:65536]):
        raise InputError("input looks like binary data (mostly control characters), not article text")
    if not text.strip():
        raise EmptyInputError("input is empty or only whitespace: give the article text")
    return text


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

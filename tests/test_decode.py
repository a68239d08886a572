"""Decoding: every input becomes text that any output can encode, or a clear refusal."""

from __future__ import annotations

import codecs
import json

import pytest

from highlights import summarize
from highlights.errors import InputError
from highlights.ingest.decode import decode
from highlights.render import to_dict

ARTICLE = "The council met on Tuesday. It approved the new bridge over the river."


def test_lone_surrogates_become_replacement_characters_one_for_one():
    text = "The council met. It approved the \ud800 bridge \udfff today."
    decoded = decode(text)
    assert decoded == text.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd")
    assert len(decoded) == len(text)  # offsets into the caller's string still hold
    decoded.encode("utf-8")


def test_a_summary_of_text_with_lone_surrogates_encodes_as_utf8():
    summary = summarize("The council met on Tuesday. It approved the \ud800 bridge.\n\nWork starts in \udc00 May.")
    json.dumps(to_dict(summary), ensure_ascii=False).encode("utf-8")
    for highlight in summary.highlights:
        highlight.text.encode("utf-8")
        for span in highlight.spans:
            assert summary.text[span.start : span.end] in highlight.text


@pytest.mark.parametrize(
    "bom, codec",
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
    ],
)
def test_utf16_and_utf32_with_a_byte_order_mark_are_read_not_refused_as_binary(bom, codec):
    assert decode(bom + ARTICLE.encode(codec)) == ARTICLE


def test_utf16_damaged_units_become_replacement_characters():
    data = codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le") + b"\x00\xd8"  # a lone high surrogate at the end
    assert decode(data) == ARTICLE + "\ufffd"


def test_nul_bytes_without_a_byte_order_mark_are_binary():
    with pytest.raises(InputError, match="binary"):
        decode(ARTICLE.encode("utf-16-le"))

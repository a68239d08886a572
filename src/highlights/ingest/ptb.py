"""Undo Penn-Treebank tokenization (`do n't`, `-lrb-`, `` ` ` `` quotes, `35 - year - old`) so PTB corpora
read like text again and split into sentences like raw news. Case is left as it is."""

from __future__ import annotations

import re

_BRACKETS = {"-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}"}
_BRACKET_TOKEN = re.compile(r"-(?:lrb|rrb|lsb|rsb|lcb|rcb)-", re.IGNORECASE)
_DOUBLE_QUOTE_TOKEN = re.compile(r"``|''")
_CONTRACTION = re.compile(r"(\w) (n't|'s|'re|'ve|'m|'ll|'d|’s)\b", re.IGNORECASE)
_SPACE_BEFORE = re.compile(r" +([,.!?;:%)\]}]|\.\.\.)")
_SPACE_AFTER = re.compile(r"([(\[{$£€#]) +")
_INNER_HYPHEN = re.compile(r"(?<=\w) - (?=\w)")
_GAP = re.compile(r"\s{2,}")


def detokenize(text: str) -> str:
    """Readable text from PTB tokens. Keeps `--` dashes and line breaks; pairs straight double quotes."""
    return "\n".join(_line(line) for line in text.split("\n"))


def _line(text: str) -> str:
    text = _BRACKET_TOKEN.sub(lambda m: _BRACKETS[m.group().lower()], text)
    text = _DOUBLE_QUOTE_TOKEN.sub('"', text)
    text = _CONTRACTION.sub(r"\1\2", text)
    text = _INNER_HYPHEN.sub("-", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    text = _attach_quotes(text)
    return _GAP.sub(" ", text).strip()


def _attach_quotes(text: str) -> str:
    """Odd quotes open (attach to the next word), even quotes close (attach to the previous one)."""
    parts = text.split('"')
    if len(parts) == 1:
        return text
    out = [parts[0]]
    for k, part in enumerate(parts[1:], start=1):
        if k % 2 == 1:  # opening quote
            out.append('"' + part.lstrip())
        else:  # closing quote
            out[-1] = out[-1].rstrip()
            out.append('"' + part)
    return "".join(out)

"""Is the body prose? Body lines that are links, encoded data, program code, table rows, PDF syntax or random
keystrokes are not, and no bullet should come from them.

Each body line is judged on its own, by its characters alone (no model, no language): the rules below look at
what such lines are made of, never at words of one language. `check_prose` keeps the lines it judges not prose
out of the body (as `Removed` regions, so a reader sees them) and says how much of the body they were; the
pipeline refuses a body with no prose left and warns when most of it was something else.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from highlights.article import Removed, Span

# What each kind of line looks like, for messages: "the input looks like {}".
KINDS = {
    "pdf": "a PDF file read as text",
    "links": "a list of links",
    "encoded": "encoded data (base64 or hex)",
    "code": "program code",
    "table": "a table of values (CSV or columns)",
    "keystrokes": "random keystrokes",
    "symbols": "numbers and symbols without words",
}
# What to give instead, by kind.
ADVICE = {
    "pdf": "extract the PDF's text first (for example with `pdftotext`) and give that",
    "links": "give the article's text, or the URL of one article",
    "encoded": "decode it and give the article's text",
    "code": "give the article's text",
    "table": "give the article's text (a CSV file of articles is read as a dataset when its name ends in .csv)",
    "keystrokes": "give the article's text",
    "symbols": "give the article's text",
}
REMOVED_PREFIX = "not-prose-"
# A body where more than this share of the characters is not prose gets a warning (and bullets from the rest).
WARN_SHARE = 0.5
# Characters of prose after which the rest of a body is not judged: segmentation reads 500 sentences at most
# (options.MAX_CANDIDATES), which this much prose more than fills, and a 10 MB input costs no more than this.
PROSE_ENOUGH = 250_000
# The PDF format allows its header anywhere in the first 1,024 bytes.
_PDF_HEADER = re.compile(r"%PDF-\d")
# Object syntax that no prose holds; each needs one of `_PDF_MARKERS` in the line, a cheap test first.
_PDF_MARKERS = ("obj", "stream", "xref", "trailer", "%%EOF", "%PDF-")
_PDF_STRONG = re.compile(
    r"\b\d+\s+\d+\s+obj\b|\bendobj\b|\bendstream\b|^stream$|^xref$|\bstartxref\b|^trailer\b|%%EOF|%PDF-\d"
)
_PDF_XREF_ENTRY = re.compile(r"\d{10}\s\d{5}\s[fn]\b")
# Dictionaries, names, references and text operators of a content stream: prose can hold a few, not densely.
_PDF_WEAK = re.compile(r"<<|>>|(?<!\S)/[A-Z][A-Za-z0-9]*|\b\d+\s+\d+\s+R\b|\b(?:BT|ET|Tf|Td|TD|Tj|TJ|Tm)\b")
_URL = re.compile(r"(?:https?|ftp)://\S+|\bwww\.[\w-]+\.\S+")
# Base64 (with its URL-safe alphabet) or hex, long enough that no word of prose is one.
_ENCODED = re.compile(r"[A-Za-z0-9+/_-]{24,}={0,2}")
# Characters of program code that prose hardly uses (brackets, parentheses, $ and & are common in news pages).
_CODE_SYMBOL = re.compile(r"[{}<>=;_\\|^~]")
_CODE_OPERATOR = re.compile(r"[=!&|+:<-][=>&|:]|\(\)")
_CODE_START = re.compile(
    r"(?:def|class|import|from\s+\S+\s+import|function|var|let|const|return|public|private|static|package"
    r"|#include|#define|<\?php|if\s*\(|for\s*\(|while\s*\()\b"
)
# Field separators: tabs and pipes, and commas or semicolons with no space after them (prose puts one there),
# except inside a number (1,500).
_SEPARATOR = re.compile(r"(?<=\S)\t+(?=\S)|\|(?!\|)|[,;](?!\s|\d{3}(?!\d))")
_SPACED_COMMA = re.compile(r"[,;]\s")
_SENTENCE_END = frozenset('.!?"”’')
# Python-style blocks (`for x in y:`), bare calls (`main()`) and C-style statements (`x = f(y);`) on a line of
# their own.
_CODE_LINE = re.compile(
    r"(?:for|if|elif|else|while|try|except|finally|with|def|class)\b.*:|[\w.]+\(.*\);?|[\w.\[\]]+\s*=\s*\S.*;"
)
# Non-prose kinds whose short neighbours are taken in by `_absorb_captions` (not "symbols" or "keystrokes").
_ABSORBING = frozenset({"pdf", "links", "encoded", "code", "table"})
_CAPTION_CHARS = 150
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[^\W\d_]+")
_ASCII_WORD = re.compile(r"[A-Za-z][a-z]{2,}")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = frozenset(
    {a + b for row in _KEYBOARD_ROWS for a, b in pairwise(row)}
    | {b + a for row in _KEYBOARD_ROWS for a, b in pairwise(row)}
    | {c + c for row in _KEYBOARD_ROWS for c in row}
)
_VOWELS = "aeiouy"
# English letters are ~38% vowels, other Latin-script languages more; keystrokes on the home row far fewer.
_FEW_VOWELS = 0.3


@dataclass(frozen=True, slots=True)
class ProseCheck:
    """The body without its non-prose lines, those lines, and how many characters each kind had."""

    body: list[Span]
    removed: list[Removed] = field(default_factory=list)
    prose_chars: int = 0
    other_chars: Counter[str] = field(default_factory=Counter)  # kind → characters (no whitespace)

    @property
    def other_share(self) -> float:
        """Share of the judged characters that are not prose."""
        total = self.prose_chars + sum(self.other_chars.values())
        return sum(self.other_chars.values()) / total if total else 0.0

    @property
    def main_kind(self) -> str | None:
        """The kind of non-prose with the most characters, or None."""
        return self.other_chars.most_common(1)[0][0] if self.other_chars else None

    @property
    def refusal(self) -> str | None:
        """For a body with no prose but something else: what it looks like and what to give instead. None when
        there is prose, or nothing at all (the caller's "no sentences" error says that better)."""
        kind = self.main_kind
        if self.prose_chars or kind is None:
            return None
        return refusal(kind)

    def warning(self) -> str | None:
        """A sentence for `Summary.warnings` when most of the body was not prose, else None."""
        if not self.prose_chars or self.other_share <= WARN_SHARE:
            return None
        return (
            f"Most of the text ({self.other_share:.0%}) looks like {KINDS[self.main_kind or 'symbols']}, "
            "not prose; those lines were kept out and the bullets come from the rest."
        )


def refusal(kind: str) -> str:
    """The message refusing an input that looks like `kind` (a key of `KINDS`), saying what to give instead."""
    return f"the input looks like {KINDS[kind]}, not an article; {ADVICE[kind]}"


def looks_like_pdf(text: str) -> bool:
    """A PDF file read as text: its header in the first 1,024 characters."""
    return _PDF_HEADER.search(text, 0, 1024) is not None


def check_prose(text: str, body: list[Span], enough: int = PROSE_ENOUGH) -> ProseCheck:
    """Judge the lines of the `body` spans of `text`; lines that are not prose leave the body. Once `enough`
    characters of prose are found, the blocks after that one are kept unjudged."""
    lines: list[Span] = []
    judged: list[tuple[str | None, int]] = []
    unjudged: list[Span] = []
    found = 0
    for index, block in enumerate(body):
        for line in _lines(text, block):
            lines.append(line)
            judged.append(_judge(line.of(text)))
            found += judged[-1][1] if judged[-1][0] is None else 0
        if found >= enough:
            unjudged = body[index + 1 :]
            break
    kinds = _absorb_captions([kind for kind, _ in judged], [line.of(text) for line in lines])
    kept: list[Span] = []
    removed: list[Removed] = []
    prose_chars = 0
    other: Counter[str] = Counter()
    for line, kind, (_, visible) in zip(lines, kinds, judged):
        if kind is None:
            prose_chars += visible
        else:
            other[kind] += visible
        if kind is None or kind == "symbols":  # a number or a rule between paragraphs: harmless, not prose
            kept.append(line)
        else:
            removed.append(Removed(line, REMOVED_PREFIX + kind))
    if not removed:
        return ProseCheck(list(body), [], prose_chars, other)  # the same blocks: segmentation as without the check
    return ProseCheck(kept + unjudged, removed, prose_chars, other)


def line_kind(line: str) -> str | None:
    """What a line of text is when it is not prose (a key of `KINDS`), or None for prose."""
    return _judge(line)[0]


def _absorb_captions(kinds: list[str | None], lines: list[str]) -> list[str | None]:
    """A short line that is no sentence, among lines of one kind of non-prose, is part of it: a link's title in a
    list of links, `return x` in code, a row of words in a table."""
    out = list(kinds)
    for i, (kind, line) in enumerate(zip(kinds, lines)):
        if kind is not None or len(line) > _CAPTION_CHARS or line[-1] in _SENTENCE_END:
            continue
        around = {kinds[j] for j in (i - 1, i + 1) if 0 <= j < len(kinds)}
        if len(around) == 1 and (neighbour := around.pop()) in _ABSORBING:
            out[i] = neighbour
    return out


def _judge(line: str) -> tuple[str | None, int]:
    """`line_kind` and the line's visible characters."""
    stripped = line.strip()
    tokens = stripped.split()
    if not tokens:
        return None, 0
    visible = sum(map(len, tokens))
    if _looks_like_pdf(stripped, visible):
        return "pdf", visible
    if ("://" in stripped or "www." in stripped) and _share(_URL, stripped, visible) >= 0.5:
        return "links", visible
    if max(map(len, tokens)) >= 24 and _share(_ENCODED, stripped, visible, needs_digit=True) >= 0.5:
        return "encoded", visible
    if not _LETTER.search(stripped):
        # Digits without words are not prose; a line without letters or digits (a rule, U+FFFD from
        # undecodable bytes) counts as nothing, and segmentation finds no sentence in it.
        return ("symbols", visible) if _DIGIT.search(stripped) else (None, 0)
    if _looks_like_code(stripped, visible):
        return "code", visible
    if _looks_like_table_row(stripped, visible):
        return "table", visible
    if _looks_like_keystrokes(stripped, visible):
        return "keystrokes", visible
    return None, visible


def _lines(text: str, block: Span) -> list[Span]:
    """The non-blank lines of a block, whitespace trimmed."""
    spans = []
    pos = block.start
    while pos < block.end:
        end = text.find("\n", pos, block.end)
        end = block.end if end < 0 else end
        start, stop = pos, end
        while start < stop and text[start].isspace():
            start += 1
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            spans.append(Span(start, stop))
        pos = end + 1
    return spans


def _share(pattern: re.Pattern[str], line: str, visible: int, needs_digit: bool = False) -> float:
    matched = sum(len(m) for m in pattern.findall(line) if not needs_digit or any(ch.isdigit() for ch in m))
    return matched / visible


def _letters(text: str) -> int:
    return len(_NOT_LETTERS.sub("", text))


def _looks_like_pdf(line: str, visible: int) -> bool:
    if any(marker in line for marker in _PDF_MARKERS) and _PDF_STRONG.search(line):
        return True
    if _PDF_XREF_ENTRY.match(line):
        return True
    # Each weak match holds a '/', '<<', '>>', ' R' or a 'T': too few of those, and no need to look.
    most = sum(map(line.count, ("/", "<<", ">>", " R", "T")))
    if most < 3 or most * 20 < visible:
        return False
    weak = len(_PDF_WEAK.findall(line))
    return weak >= 3 and weak * 20 >= visible


def _looks_like_code(line: str, visible: int) -> bool:
    if visible >= 10 and len(_CODE_SYMBOL.findall(line)) / visible >= 0.15:
        return True
    if _CODE_LINE.fullmatch(line):
        return True
    operators = len(_CODE_OPERATOR.findall(line)) + (line[-1] in "{};" or line.endswith("):") or line[0] == "}")
    return operators >= 2 or (operators >= 1 and _CODE_START.match(line) is not None)


def _looks_like_table_row(line: str, visible: int) -> bool:
    """Three fields or more, or two among mostly numbers; not a sentence, however many commas it has."""
    if line[-1] in _SENTENCE_END:
        return False
    separators = len(_SEPARATOR.findall(line))
    if separators < 2 or len(_SPACED_COMMA.findall(line)) >= separators:
        return False
    return separators >= 3 or _letters(line) < 0.6 * visible


def _looks_like_keystrokes(line: str, visible: int) -> bool:
    """Most words are runs of neighbouring keys with hardly a vowel (`asdf`, `jkl`, `sdfsdf`)."""
    vowels = sum(map(line.lower().count, _VOWELS))
    if vowels >= _FEW_VOWELS * visible or vowels >= _FEW_VOWELS * _letters(line):  # the first test is cheaper
        return False
    words = _LETTERS.findall(line)
    # Capitals are acronyms (MSNBC), not keystrokes.
    mashed = sum(_is_keystrokes(word.lower()) for word in words if _ASCII_WORD.fullmatch(word))
    return mashed > 0 and mashed * 2 > len(words)


def _is_keystrokes(word: str) -> bool:
    vowels = sum(map(word.count, _VOWELS))
    if not vowels and len(word) >= 5:
        return True
    neighbours = sum(word[i : i + 2] in _NEIGHBOURS for i in range(len(word) - 1))
    return neighbours / (len(word) - 1) >= 0.75 and vowels / len(word) <= 0.34

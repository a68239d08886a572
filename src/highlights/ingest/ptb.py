"""Undo Penn-Treebank tokenization (`do n't`, `-lrb-`, `` ` ` `` quotes, `35 - year - old`) so PTB corpora
read like text again and split into sentences like raw news. Case is left as it is."""

from __future__ import annotations

import re

from highlights.article import Article, Kind, Removed, Sentence, Span
from highlights.ingest.text import OPINION_DISCLAIMER

_BRACKETS = {"-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}"}
_BRACKET_TOKEN = re.compile(r"-(?:lrb|rrb|lsb|rsb|lcb|rcb)-", re.IGNORECASE)
# Directed quotes (`` `` `` opens, `''` closes) attach on their own side; straight ones are paired by count.
_OPEN_QUOTE_TOKEN = re.compile(r"``\s*")
_CLOSE_QUOTE_TOKEN = re.compile(r"\s*''")
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
    text = _OPEN_QUOTE_TOKEN.sub("\x01", text)
    text = _CLOSE_QUOTE_TOKEN.sub("\x02", text)
    text = _CONTRACTION.sub(r"\1\2", text)
    text = _INNER_HYPHEN.sub("-", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    text = _attach_quotes(text).replace("\x01", '"').replace("\x02", '"')
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


# --- PTB-tokenized articles ------------------------------------------------------------------------------

# Tokenized corpora lose the capital letters sentence splitters rely on, but keep every sentence-final mark as
# its own token: a sentence ends at `.`, `!` or `?` (and the closing quotes/brackets right after it).
_FINAL_TOKENS = frozenset({".", "!", "?"})
_CLOSING_TOKENS = frozenset({"''", "'", ")", "]", "}", "-rrb-", "-rsb-", "-rcb-"})
# `( cnn ) --` / `-lrb- cnn -rrb- --` / `london , england ( cnn ) --`: a dateline of at most a few place words.
_PTB_DATELINE = re.compile(
    r"^(?:[^\s()]+ ){0,6}?(?:\(|-lrb-) (?:cnn|cnnmoney|ap|reuters|afp) (?:\)|-rrb-) (?:-- )?", re.IGNORECASE
)


def ptb_sentences(text: str) -> list[str]:
    """Tokenized sentences of PTB text, split at sentence-final tokens.

    A straight `"` right after the final mark closes the sentence when a quote is open (quotes are counted
    in pairs over the whole text), else it opens the next sentence.
    """
    sentences: list[str] = []
    current: list[str] = []
    open_quote = False
    ended = False
    for token in text.split():
        if ended:
            closes = token in _CLOSING_TOKENS or (token == '"' and open_quote)
            if not closes:
                sentences.append(" ".join(current))
                current = []
                ended = False
        if token == '"':
            # Straight quotes become directed ones, so each sentence detokenizes right on its own.
            token = "''" if open_quote else "``"
            open_quote = not open_quote
        elif token == "``":
            open_quote = True
        elif token == "''":
            open_quote = False
        current.append(token)
        if token in _FINAL_TOKENS:
            ended = True
    if current:
        sentences.append(" ".join(current))
    return sentences


def ptb_article(text: str, source: str | None = None, max_sentences: int | None = None) -> Article:
    """An Article with its sentences filled, built from PTB-tokenized text.

    `Article.text` is the detokenized sentences joined by single spaces (one paragraph per input line); each
    `Sentence.span` indexes it. A leading `( cnn ) --` dateline is kept out of the first sentence, as ingest
    does for raw text, and recorded in `removed`.
    """
    pieces: list[str] = []
    spans: list[tuple[Span, int]] = []  # (sentence span, paragraph)
    removed: list[Removed] = []
    body: list[Span] = []
    pos = 0
    paragraphs = [line for line in text.split("\n") if line.strip()]
    for paragraph, line in enumerate(paragraphs):
        if paragraph:
            pieces.append("\n")
            pos += 1
        start_of_paragraph = pos
        for k, tokens in enumerate(ptb_sentences(line)):
            readable = detokenize(tokens)
            if not readable or not any(ch.isalnum() for ch in readable):
                continue
            if k > 0 or pos > start_of_paragraph:
                pieces.append(" ")
                pos += 1
            start = pos
            if paragraph == 0 and not spans:
                dateline = _PTB_DATELINE.match(tokens)
                if dateline and dateline.end() < len(tokens):
                    cut = detokenize(tokens[: dateline.end()]) + " "
                    removed.append(Removed(Span(pos, pos + len(cut)), "dateline"))
                    readable = cut + detokenize(tokens[dateline.end() :])
                    start = pos + len(cut)
            pieces.append(readable)
            pos += len(readable)
            spans.append((Span(start, pos), paragraph))
        if pos > start_of_paragraph:
            body.append(Span(start_of_paragraph, pos))
    joined = "".join(pieces)
    sentences = [
        Sentence(i, span, span.of(joined), paragraph) for i, (span, paragraph) in enumerate(spans[:max_sentences])
    ]
    kind: Kind = "opinion" if OPINION_DISCLAIMER.search(joined) else "news"
    return Article(text=joined, body=body, sentences=sentences, removed=removed, source=source, kind=kind)

"""Making the cuts: the kept source spans of a shortened sentence and the fix-ups that make them read.

`apply_cuts` makes the deletion model's chosen cuts, best first; `compress_sentence` makes the rules' cuts in
their fixed order (the baseline the model is measured against). Both re-check every cut with the guard once
the earlier ones are gone, and `_assemble` turns what is left into a `Compressed`: the sentence's kept runs
as source pieces, and the recorded fix-ups (capitalising the first kept word, the sentence's own final mark,
a mark attached back onto the word before it).
"""

from __future__ import annotations

from dataclasses import dataclass

from highlights.article import Fixup, Span, source_pieces
from highlights.compress.attribution import speaker_of
from highlights.compress.checks import guard_reason
from highlights.compress.cuts import RULE_NAMES, RULES, Cut, trailing_clause_cuts

# On by default: the learned policy raises ROUGE-1 and ROUGE-Lsum on both validation sets without lowering
# ROUGE-2, and a read-through found its bullets grammatical (BENCHMARKS.md, "Compression"). `--no-compress`
# (compress=False) gives whole sentences.
DEFAULT_COMPRESS = True


@dataclass(frozen=True, slots=True)
class Compressed:
    """One shortened sentence: the kept source spans, the fix-ups, and which rules deleted what."""

    spans: tuple[Span, ...]
    fixups: tuple[Fixup, ...]
    deletions: tuple[tuple[str, Span], ...]  # (rule name, deleted characters of the article text)

    def joined(self, text: str) -> str:
        return " ".join(span.of(text) for span in self.spans)

    def text(self, text: str) -> str:
        return apply_fixups(self.joined(text), self.fixups)


def apply_fixups(joined: str, fixups: tuple[Fixup, ...]) -> str:
    for fix in fixups:
        if joined[fix.position : fix.position + len(fix.old)] != fix.old:
            raise ValueError(f"fix-up {fix} does not match the text")
        joined = joined[: fix.position] + fix.new + joined[fix.position + len(fix.old) :]
    return joined


def apply_cuts(text: str, span: Span, cuts: list[Cut]) -> Compressed:
    """The sentence `text[span]` with `cuts` made in the given order (best first), skipping any that overlaps
    one already made or that the guard refuses once the earlier ones are gone."""
    sentence = span.of(text)
    made: list[tuple[str, int, int]] = []
    for cut in cuts:
        if any(cut.start < b and a < cut.end for _, a, b in made):
            continue
        current, shift = _without(sentence, made)
        if guard_reason(current, shift(cut.start), shift(cut.end)) is None:
            made.append((cut.kind, cut.start, cut.end))
    if not made:
        return Compressed(source_pieces(text, span), (), ())
    return _assemble(text, span, sentence, made)


def _without(sentence: str, made: list[tuple[str, int, int]]):
    """`sentence` with the `made` ranges removed, and the map from its positions to the shortened text's."""
    ranges = sorted((a, b) for _, a, b in made)
    starts, ends = [0] + [b for _, b in ranges], [a for a, _ in ranges] + [len(sentence)]
    current = "".join(sentence[a:b] for a, b in zip(starts, ends))

    def shift(position: int) -> int:
        return position - sum(min(b, position) - a for a, b in ranges if a < position)

    return current, shift


def compress_sentence(text: str, span: Span, rules: tuple[str, ...] = RULE_NAMES) -> Compressed:
    """Kept spans of `text[span]` after the rules' deletions that pass the guard.

    Pieces are split at whitespace runs like `article.source_pieces`, so joining them with single spaces
    gives readable text; each piece is exactly `text[start:end]`.
    """
    sentence = span.of(text)
    deleted: list[tuple[str, int, int]] = []  # (rule, start, end) relative to the sentence
    current = sentence
    offsets = list(range(len(sentence) + 1))  # position in `current` -> position in `sentence`
    for name, pattern in RULES:
        if name not in rules:
            continue
        for _ in range(3):  # a rule may apply more than once (two parentheticals)
            match = pattern.search(current)
            if not match:
                break
            a, b = match.span("del")
            if a == b or guard_reason(current, a, b) is not None:
                break
            deleted.append((name, offsets[a], offsets[b]))
            current = current[:a] + current[b:]
            offsets = offsets[:a] + offsets[b:]
    if "trailing-clause" in rules:
        for a, b in trailing_clause_cuts(current):
            if guard_reason(current, a, b) is None:
                deleted.append(("trailing-clause", offsets[a], offsets[b]))
                break
    if not deleted:
        return Compressed(source_pieces(text, span), (), ())
    return _assemble(text, span, sentence, deleted)


def _assemble(text: str, span: Span, sentence: str, deleted: list[tuple[str, int, int]]) -> Compressed:
    """The compressed bullet: the sentence's kept runs as source pieces, the fix-ups that make them read, and
    the deletions made."""
    final = sentence.rstrip()[-1:] if sentence.rstrip()[-1:] in (".", "!", "?") else ""
    spans: list[Span] = []
    for a, b in _kept_runs(sentence, deleted):
        spans.extend(source_pieces(text, Span(span.start + a, span.start + b)))
    joined = " ".join(s.of(text) for s in spans)
    # Recorded right to left, so each position still holds when its turn comes (fix-ups apply in order).
    attaching = _punctuation_fixups(text, spans, len(joined))
    end = _end_fixups(joined, final)
    if _touches(end, attaching):  # the end mark is an attached one: find it once attached, and fix it after
        end = _end_fixups(apply_fixups(joined, tuple(attaching)), final)
        fixups = attaching + end
    else:
        fixups = end + attaching
    if joined and joined[0].islower() and sentence[:1].isupper():
        fixups.append(Fixup(0, joined[0], joined[0].upper(), "capitalize"))
    # A cut took whose claim this is (`, police said`): CNN's short form keeps it, `Police: …` (last: position 0).
    speakers = [speaker for _, a, b in deleted if (speaker := speaker_of(sentence[a:b])) and speaker.name]
    if speakers:
        fixups.append(Fixup(0, "", f"{speakers[0].name}: ", "attribution"))
    return Compressed(
        tuple(spans),
        tuple(fixups),
        tuple((name, Span(span.start + a, span.start + b)) for name, a, b in sorted(deleted, key=lambda d: d[1])),
    )


def _kept_runs(sentence: str, deleted: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """The maximal runs of `sentence` that no deletion covers, trimmed of whitespace and of the commas and
    semicolons a cut left dangling; a lone sentence-final mark after a cut goes (`_end_fixups` puts it back)."""
    gone = [False] * len(sentence)
    for _, a, b in deleted:
        for i in range(a, b):
            gone[i] = True
    cleaned: list[tuple[int, int]] = []
    for a, b in _runs_of(gone):
        while a < b and sentence[a].isspace():
            a += 1
        while a < b and sentence[b - 1].isspace():
            b -= 1
        # No doubled mark where a cut met punctuation on both sides: `Smith, , said` -> `Smith, said`.
        if cleaned and a < b and sentence[a] in ",;:" and sentence[cleaned[-1][1] - 1] in ",;:":
            a += 1
            while a < b and sentence[a].isspace():
                a += 1
        if a < b:
            cleaned.append((a, b))
    # Sentence-final punctuation left alone after a cut ("." after ", police said") goes.
    if len(cleaned) > 1 and sentence[cleaned[-1][0] : cleaned[-1][1]].strip() in (".", "!", "?"):
        cleaned.pop()
    if cleaned:
        a, b = cleaned[-1]
        while a < b and sentence[b - 1] in ",;: ":
            b -= 1
        cleaned[-1] = (a, b)
    return cleaned


def _runs_of(gone: list[bool]) -> list[tuple[int, int]]:
    """The maximal `start:end` runs of positions that are not gone."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(gone):
        if gone[i]:
            i += 1
            continue
        j = i
        while j < len(gone) and not gone[j]:
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _touches(end: list[Fixup], attaching: list[Fixup]) -> bool:
    """Whether the end mark's fix-up falls on the rightmost attached mark (a cut left a quotation's final `,'`
    detached: `… event ,'`), so it must be found, and made, after the attaching."""
    if not end or not attaching:
        return False
    mark = attaching[0]  # the rightmost
    return mark.position <= end[0].position < mark.position + len(mark.old)


def _end_fixups(joined: str, final: str) -> list[Fixup]:
    """The mark that ends the compressed bullet `joined`: the sentence's own `final` mark, or a full stop."""
    if joined.endswith((",", ',"', ",”", ",'", ",’")):
        # A quotation whose framing went: `"We will win," he said.` -> `"We will win."`
        return [Fixup(joined.rindex(","), ",", final or ".", "end-punctuation")]
    if final and joined and (joined[-1] not in ".!?\"'”’" or (joined[-1] in "\"”'’" and joined[-2:-1] not in ".!?,")):
        # Also after a closing quote that ends a cut bullet without a mark: `… for "SPECTRE"` -> `… "SPECTRE".`
        return [Fixup(len(joined), "", final, "end-punctuation")]
    return []


def _punctuation_fixups(text: str, spans: list[Span], joined_length: int) -> list[Fixup]:
    """A cut right before a mark leaves `Nicaragua , the`: the mark goes back onto the word. Right to left."""
    fixups: list[Fixup] = []
    position = joined_length
    for piece in reversed(spans[1:]):
        position -= len(piece) + 1
        mark = text[piece.start]
        if mark in ",;:.!?)" and not text[piece.start - 1].isspace():
            fixups.append(Fixup(position, " " + mark, mark, "attach-punctuation"))
    return fixups

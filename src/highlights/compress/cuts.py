"""Candidate cuts: the spans of a sentence that could go, found from its characters (no parser).

The rules (`RULES`) each match one kind of span that carries little: parentheticals, attribution tails, quote
framing, leading phrases and connectives, relative and subordinate clauses. `compress_sentence` makes them in a
fixed order; `candidate_cuts` lists every match of each, plus cuts the rules do not make on their own, for the
deletion model (`deletions.py`) to rate. Every cut passes the guard (`checks.guard_reason`) before it is listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from highlights.compress.checks import guard_reason
from highlights.compress.grammar import SAY, SEGMENT_BREAK, has_verb, opens_a_phrase
from highlights.compress.wordlists import RELATIVES, word_alternation
from highlights.lexicon import CONNECTIVES, TAIL_WORDS

# --- The rules ----------------------------------------------------------------------------------------------
# Each rule is a regex over the sentence; group "del" (or the whole match) is what goes. Case-insensitive so
# the lowercased corpus is handled like the cased one. Order matters: earlier rules are tried first.
_LEAD_WORDS = word_alternation("lead-words")
_TAIL_SUBORDINATORS = word_alternation("tail-subordinators")
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Round brackets only: square ones in quotes are the editor's words standing in for the speaker's.
    ("parenthetical", re.compile(r"(?P<del>\s*\([^()]{1,80}\))")),
    # `The door -- made stronger after 2001 -- was locked` -> `The door was locked`
    ("dash-parenthetical", re.compile(r"(?P<del>\s+(?:--|–|—)\s+[^-–—\"“”]{1,100}?\s+(?:--|–|—))(?=\s)")),
    # `…, police said.`  `…, said John Smith, a spokesman.`  `…, according to the report.`
    (
        "attribution",
        re.compile(
            rf"(?P<del>,\s+(?:[^,;\"“”\s]+\s+){{0,5}}{SAY}(?:\s+[^,;\"“”\s]+){{0,4}}(?:,(?:\s+[^,;\"“”\s]+){{1,8}})?)"
            r"\s*(?P<end>[.!?])?\s*$",
            re.IGNORECASE,
        ),
    ),
    # `"We will win," he said.` -> `"We will win,"` (the quotation itself is kept whole)
    (
        "quote-framing",
        re.compile(
            rf"[,.!?][\"”'’](?P<del>\s+[^\"“”]{{1,60}}?\s+{SAY}"
            rf"(?:\s+[^\"“”]{{1,40}})?)\s*[.]?\s*$",
            re.IGNORECASE,
        ),
    ),
    (
        "leading-phrase",
        re.compile(rf"^(?P<del>{_LEAD_WORDS}\b[^,;\"“”()]{{0,60}},\s+)", re.IGNORECASE),  # not `2,000`
    ),
    ("leading-connective", re.compile(rf"^(?P<del>(?:{'|'.join(CONNECTIVES)})\s+)(?=\w)", re.IGNORECASE)),
    ("relative-clause", re.compile(r"(?P<del>,\s+(?:who|whose|which)\s+[^,;\"“”()]{1,120}?,)\s", re.IGNORECASE)),
    (
        "relative-clause-end",
        re.compile(r"(?P<del>,\s+(?:who|whose|which)\s+[^;\"“”()]{1,150}?)\s*[.!?]\s*$", re.IGNORECASE),
    ),
    (
        "subordinate-end",
        re.compile(rf"(?P<del>,\s+{_TAIL_SUBORDINATORS}\s+[^;\"“”()]{{1,150}}?)\s*[.!?]\s*$", re.IGNORECASE),
    ),
)
_CLAUSE_BREAK = re.compile(r"(?:,|;|:|\s--|\s[-–—])\s+")
# Sentences longer than LONG_SENTENCE_WORDS lose the clauses after the first break that keeps at least
# TARGET_WORDS words (CNN highlights average ~13). Both picked on train rows only: cutting shorter sentences
# cost ROUGE-2 on Daily Mail stories, whose highlights are longer.
TARGET_WORDS = 14
LONG_SENTENCE_WORDS = 30


def trailing_clause_cuts(sentence: str) -> list[tuple[int, int]]:
    """Cuts from a clause break to the end of a long sentence, shortest kept part first:
    `X did Y, and Z …` -> `X did Y`."""
    if len(sentence.split()) <= LONG_SENTENCE_WORDS:
        return []
    end = len(sentence.rstrip().rstrip("\"”'’").rstrip(".!?"))
    cuts = []
    for match in _CLAUSE_BREAK.finditer(sentence, 0, end):
        before, after = sentence[: match.start()].split(), sentence[match.end() :].split()
        if before and after and before[-1][:1].isupper() and after[0][:1].isupper():
            continue  # `in McLean, Virginia` or `Tom, Ann and Bo`: a name list, not a clause break
        kept = len(before)
        if kept >= TARGET_WORDS:
            cuts.append((match.start(), end))
    return cuts


RULE_NAMES = tuple(name for name, _ in RULES) + ("trailing-clause",)


# --- Candidate cuts for the learned deletion model --------------------------------------------------------
# The rules above, every match of each, plus cuts they do not make on their own: a tail from any clause
# break or from a word that opens a phrase (`… in the capital`), a leading phrase up to a comma, a phrase
# between two commas, and a leading `X said (that)`. The deletion model (`deletions.py`) rates each; the
# guard still vets every one. Order is part of the model: append only.
CUT_KINDS = tuple(name for name, _ in RULES) + ("tail-clause", "tail-word", "lead-comma", "inner-comma", "lead-said")
_KIND_CODE = {kind: code for code, kind in enumerate(CUT_KINDS)}
_TAIL_WORD = re.compile(rf"\s(?=(?:{'|'.join(TAIL_WORDS)})\s)", re.IGNORECASE)
# `Police said (that) three men …`: only verbs of saying, whose object is the clause that follows (`announced
# by …` is not one).
_LEAD_SAID = re.compile(
    r"^[^,;\"“”]{1,60}?\s(?:said|says|told \w+)(?:\s+on\s+\w+)?\s+(?:that\s+)?(?!by\b|to\b|in\b)",
    re.IGNORECASE,
)
_FIRST_CLAUSE = re.compile(r"[^,;:]*")
_CONJUNCTION = re.compile(r"\b(?:and|or|but|nor|yet|so)\b", re.IGNORECASE)
_LIST_GOES_ON = re.compile(r"^[^,;:.!?]*\b(?:and|or)\b", re.IGNORECASE)
MIN_WORDS_BEFORE_TAIL = (4, 6)  # words a clause-break tail / a word tail must leave before it
MAX_LEAD_WORDS = 12  # longest leading phrase cut up to a comma
MAX_INNER_WORDS = 8  # longest phrase cut between two commas


@dataclass(frozen=True, slots=True)
class Cut:
    """A candidate deletion: characters `[start, end)` of the sentence, and the kind of cut (`CUT_KINDS`)."""

    start: int
    end: int
    kind: str

    @property
    def code(self) -> int:
        return _KIND_CODE[self.kind]


def candidate_cuts(sentence: str) -> list[Cut]:
    """Every candidate deletion of `sentence` that passes the guard, in sentence order (one per range)."""
    found: dict[tuple[int, int], str] = {}
    for name, pattern in RULES:
        for match in pattern.finditer(sentence):
            a, b = match.span("del")
            if a < b:
                found.setdefault((a, b), name)
    end = len(sentence.rstrip().rstrip("\"”'’").rstrip(".!?"))
    breaks = list(_CLAUSE_BREAK.finditer(sentence, 0, end))
    for match in breaks:
        if len(sentence[: match.start()].split()) >= MIN_WORDS_BEFORE_TAIL[0]:
            found.setdefault((match.start(), end), "tail-clause")
    for match in _TAIL_WORD.finditer(sentence, 0, end):
        if len(sentence[: match.start()].split()) >= MIN_WORDS_BEFORE_TAIL[1]:
            found.setdefault((match.start(), end), "tail-word")
    commas = [match for match in breaks if match.group().strip() == ","]
    for match in commas[:1]:
        if _is_lead_phrase(sentence, match):
            found.setdefault((0, match.end()), "lead-comma")
    for first, second in zip(commas, commas[1:]):
        if _is_inner_phrase(sentence, first, second):
            found.setdefault((first.start(), second.end()), "inner-comma")
    said = _LEAD_SAID.match(sentence)
    if said:
        found.setdefault((0, said.end()), "lead-said")
    return [
        Cut(a, b, kind)
        for (a, b), kind in sorted(found.items())
        if b <= len(sentence) and guard_reason(sentence, a, b) is None
    ]


def _is_lead_phrase(sentence: str, comma: re.Match[str]) -> bool:
    """Whether the words before the sentence's first comma are an opening phrase (`Late on Friday,`), not a
    clause or the subject: no verb in it, one in what follows."""
    first_clause = _FIRST_CLAUSE.match(sentence[comma.end() :])
    assert first_clause is not None  # `[^,;:]*` matches every string, if only with ""
    lead, rest = sentence[: comma.start()], first_clause.group()
    return (
        len(lead.split()) <= MAX_LEAD_WORDS
        and opens_a_phrase(lead)
        and not has_verb(lead)
        and has_verb(rest)
        and rest.split()[0].lower() not in RELATIVES
    )


def _is_inner_phrase(sentence: str, first: re.Match[str], second: re.Match[str]) -> bool:
    """Whether the words between two commas can go: `The mayor, a former teacher, opened` -> `The mayor opened`.
    A verbless phrase after a verbless one (the noun it describes), followed by a lowercase word; not a link of
    a chain (`Roy, 18, of Fairhaven, Massachusetts, was`) nor an item of a list (`civilians, minorities, heritage
    sites and …`)."""
    inner, after = sentence[first.end() : second.start()], sentence[second.end() :]
    before = SEGMENT_BREAK.split(sentence[: first.start()])[-1]
    return (
        len(inner.split()) <= MAX_INNER_WORDS
        and not has_verb(inner)
        and not has_verb(before)
        and after[:1].islower()
        and not _CONJUNCTION.search(inner)
        and not (len(inner.split()) <= 4 and _LIST_GOES_ON.match(after))
    )

"""Who made a claim, when a cut takes the words that say so: CNN's short form `Police: The man was armed`.

A bullet that drops `, police said` turns a claim into a fact. When a cut takes an attribution (a tail like
`, police said`, `, said John Smith, a spokesman`, `, according to the report`, or an opening like `Police said
that`), the bullet keeps its speaker as CNN prints it: a short name and a colon in front (a fix-up, so the
bullet still reproduces from its source). A speaker that cannot be named that way (a pronoun: `he said`; a long
description) cannot go: the guard refuses the cut (`checks.py`, "drops who said it").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from highlights.compress.grammar import SAY
from highlights.compress.wordlists import AUXILIARIES

# The speaker: not a clause of its own (`and the company`), and never `that …` (`said that 92 crews came`).
_WHO = r"(?!(?:and|but|or|so|that|while|as)\b)(?P<who>(?:(?!\s--\s)[^,;:\"“”()–—])+?)"
# What may follow the verb in an attribution: `on Monday`, `in a statement`, `told CNN` — not a claim of its
# own (`said it would close`).
_AFTER = r"(?:\s+(?!(?:that|it|he|she|they|we|i|you|there)\b)[^,;\s]+){0,4}"
# Where an attribution sits in what a cut takes. At the end of a tail: `, police said[ on Monday].`, `, the
# agency said in a statement`, `, said John Smith, a spokesman`, `, according to the report`. The whole of a
# quote's framing: `"…," he said.` At the start: `Police said (that) …`.
_ATTRIBUTIONS = (
    re.compile(rf",\s*{_WHO}\s+{SAY}{_AFTER}\s*[.!?]?\s*$", re.IGNORECASE),
    re.compile(rf",\s*{SAY}\s+{_WHO}(?:,[^,;]{{1,60}})?\s*[.!?]?\s*$", re.IGNORECASE),
    re.compile(rf"^\s*{_WHO}\s+{SAY}{_AFTER}\s*[.!?]?\s*$", re.IGNORECASE),
    re.compile(rf"^\s*{_WHO}\s+{SAY}(?:\s+on\s+\w+)?(?:\s+that)?\s*$", re.IGNORECASE),
)
_PRONOUNS = frozenset("he she they it we i you one who which that this these those someone".split())
_LEADING = frozenset("the a an".split())
_QUALIFYING = frozenset("for of at with from in on who which".split())
MAX_SPEAKER_WORDS = 4  # `Police`, `The CDC`, `John Smith`, `Interior Ministry officials`


@dataclass(frozen=True, slots=True)
class Speaker:
    """Whose words a cut's attribution gives: `name` as CNN would print it, or None when it cannot be named
    briefly (a pronoun, or a description too long to stand in front of the claim)."""

    said: str  # the speaker as the sentence has it
    name: str | None


def speaker_of(deleted: str) -> Speaker | None:
    """The speaker of the attribution a cut takes (`deleted`: the cut's text), or None when it takes none."""
    match = next((m for pattern in _ATTRIBUTIONS if (m := pattern.search(deleted))), None)
    if match is None:
        return None
    said = match.group("who").strip(" -–—")
    words = said.split()
    if not words:
        return None
    if words[0].lower() in _LEADING and len(words) > 1:
        words = words[1:]
    # `a spokesman for the regional water authority` -> `Spokesman`: the head noun before its qualifiers.
    head = next((k for k, word in enumerate(words) if k and word.lower() in _QUALIFYING), len(words))
    words = words[:head]
    # Not a name either: `Now some residents have[ told]`, `Sheffield Crown Court was[ told]` (who heard it).
    # A capitalised one, or the first word, is part of a name (`Theresa May`, `will smith` lowercased).
    if words[0].lower() in _PRONOUNS or len(words) > MAX_SPEAKER_WORDS or any(w in AUXILIARIES for w in words[1:]):
        return Speaker(said, None)
    name = " ".join(words)
    return Speaker(said, name[:1].upper() + name[1:])

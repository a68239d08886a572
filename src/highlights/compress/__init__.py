"""Compression: shorter bullets made only of the article's own words (fits candidates to the word budget before
select, and shortens the chosen sentences after it).

A selected sentence is shortened by deleting spans that carry little — parentheticals, attribution tails
(`, police said`), leading time/place phrases and connectives, non-restrictive relative clauses (`, who …,`),
quote framing — and what is left is a tuple of source spans. The bullet text is

    apply_fixups(" ".join(span.of(text) for span in spans), fixups)

where each `Fixup` replaces `old` by `new` at `position` of the joined text: capitalising the first kept
word, ending the bullet with the sentence's own final mark when a deletion cut it off, and attaching a mark
to the word before it where a deletion came between them (`Nicaragua , the` -> `Nicaragua, the`). Fix-ups are
applied in order and are recorded, so every bullet stays checkable against its source.

Two policies decide what goes. The default (`summarize(..., compress=True)`) is learned: `candidate_cuts`
lists every deletion the rules would make plus tails, leading and inner phrases they would not, the deletion
model (trained from which words of a chosen sentence reach the reference highlights) rates each, and
`apply_cuts` makes those rated above the story kind's threshold, best first. `compress_sentence` is the rules
alone, in a fixed order, kept as the baseline it is measured against.

The modules, in the order a cut passes through them:

- `cuts.py`: the rules and the candidate cuts (`candidate_cuts`, `CUT_KINDS`), read from the characters only
  (no parser), so they are fast and work on lowercased text too;
- `checks.py`: the guard every deletion passes before it is made (`guard_reason`), a list of named checks with
  their examples: it must leave a verb, must not split a quotation, must not delete a negation, must not cut a
  number away from the word it counts, …;
- `deletions.py`: the learned deletion model that rates the candidate cuts;
- `assemble.py`: making the cuts (`apply_cuts`, `compress_sentence`) into kept spans and fix-ups;
- `fit.py`: a sentence over the word budget cut until it fits (`fit_bullet`), and every candidate's length once
  fitted, which selection reads before it chooses (`words_after_fitting`);
- `grammar.py` and `wordlists.py` below them: what the cuts and checks tell from the characters, and the word
  lists they read (`words/*.txt`).
"""

from highlights.compress.assemble import DEFAULT_COMPRESS, Compressed, apply_cuts, apply_fixups, compress_sentence
from highlights.compress.checks import MIN_KEPT_WORDS, guard_reason
from highlights.compress.cuts import CUT_KINDS, RULE_NAMES, Cut, candidate_cuts
from highlights.compress.deletions import DeletionModel, deletion_model

__all__ = [
    "CUT_KINDS",
    "DEFAULT_COMPRESS",
    "MIN_KEPT_WORDS",
    "RULE_NAMES",
    "Compressed",
    "Cut",
    "DeletionModel",
    "apply_cuts",
    "apply_fixups",
    "candidate_cuts",
    "compress_sentence",
    "deletion_model",
    "guard_reason",
]

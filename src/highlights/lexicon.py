"""The project's English word lists, in one place: each one named, and documented with who reads it and why.

Where two stages need "the same" list but read different ones (three lists of saying verbs, two of stop words),
the lists stay distinct here on purpose: each is what a trained model saw when it was fitted, or what a rule was
tuned with, so merging them would change the models' inputs and every output. A list joins this module when
a trained model's features read it or when more than one place uses it; word lists that only the compression
rules and guard read are data files in `compress/words/`.

Lists that become regular expressions are tuples: their order is the alternation's order (and, for
`DELETION_OPENING_WORDS`, the model's category codes), so it must not change.
"""

from __future__ import annotations

# --- Stop words ------------------------------------------------------------------------------------------

# Function words kept out of content terms (`tokens.content_terms`): what sentence similarity, redundancy, the
# term prior and centrality count. A short English list, enough to keep function words out of similarity.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own said same says she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up us very was we were what when where which while who whom why will with would you your
    yours yourself yourselves s t n't 's""".split()
)
# The deletion model's `stopword` and `stopword_share` features (ROUGE tokens, `compress/deletions.py`): a shorter
# list than STOPWORDS, the one the model was trained with.
DELETION_STOPWORDS = frozenset(
    "the a an of to in on at for with by from and or but as is was are were be been it its that this which who "
    "he she they his her their has have had will would".split()
)

# --- Saying verbs ----------------------------------------------------------------------------------------

# The sentence model's `said` feature: a sentence with one of these PTB tokens reports speech.
SAID_FEATURE_WORDS = frozenset("said says told say according".split())
# The deletion model's `says_deleted` feature: how many of a cut's ROUGE tokens are these. The tokens are
# Porter stems, so only the forms the stemmer leaves whole ever match (said, say, says → say, told, tell,
# wrote; `reported` becomes `report`); the model was trained that way.
DELETION_SAY_WORDS = frozenset(
    "said say says told tell reported added explained stated claimed announced according wrote".split()
)
# What makes an attribution for the compression rules (`, police said.`, `"…," he told CNN.`), in the order
# of their regex alternation (`compress.grammar.SAY`).
ATTRIBUTION_VERBS = (
    "said",
    "says",
    "say",
    "told",
    "tells",
    "reported",
    "reports",
    "added",
    "adds",
    "explained",
    "stated",
    "claimed",
    "claims",
    "announced",
    "insisted",
    "insists",
    "warned",
    "warns",
    "confirmed",
    "confirms",
    "noted",
    "notes",
    "wrote",
    "writes",
    "revealed",
    "explains",
    "according to",
)

# --- Words that open a phrase ----------------------------------------------------------------------------

# A word after which the rest of a sentence can go as one cut (`… in the capital`, `… after the vote`): the
# "tail-word" cuts of `compress.candidate_cuts`, in their regex's order.
TAIL_WORDS = (
    "and",
    "but",
    "after",
    "as",
    "because",
    "while",
    "when",
    "before",
    "with",
    "in",
    "on",
    "at",
    "for",
    "which",
    "who",
    "from",
    "during",
    "since",
    "amid",
    "following",
    "including",
    "where",
    "by",
    "over",
    "under",
    "despite",
    "until",
    "into",
    "near",
    "across",
    "against",
    "without",
    "through",
)
# The deletion model's `opening_word` feature: the word a cut opens with, coded by its place here (1, 2, …; any
# other word is 0). The model was trained on these codes: append only.
DELETION_OPENING_WORDS = TAIL_WORDS + ("said", "says", "told", "according", "whose", "that", "police", "officials")
# Words that join two clauses: cut from the front of a sentence (`But the mayor …`) by the compression rules,
# and skipped by the guard when it looks for the first real word of what a cut leaves.
CONNECTIVES = ("but", "and", "so", "yet", "still", "now", "also")

# --- What the sentence model's features count (PTB tokens) -----------------------------------------------

FIRST_PERSON = frozenset("i me my we us our".split())
# Daily Mail page furniture that survives in the training corpus's text ("by . daily mail reporter .
# published : .").
PAGE_FURNITURE_WORDS = frozenset("published updated reporter |".split())

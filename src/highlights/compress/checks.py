"""The guard: every deletion, a candidate cut or a rule's, passes these checks before it is made.

Each check is a small function that says whether it refuses a cut, registered under its name (the reason the
guard gives) with its own examples: sentences with the deletion in square brackets that the check refuses
(`He did [not] go home.`), and cuts near them that it lets through (as does the whole guard: cuts that may be
made). `tests/test_compress_checks.py` makes one test of every example, so a new check brings its tests.

The checks run in the order they are defined here, and the first to refuse names the reason (`guard_reason`);
a check may rely on the ones above it having let the cut through. Several checks share a name where the same
harm is caught at different places in that order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from highlights.compress.attribution import speaker_of
from highlights.compress.grammar import (
    CONNECTIVE_WORDS,
    DOUBLE_QUOTES,
    SAY,
    SAYING,
    SEGMENT_BREAK,
    after_last_quote,
    bare_number,
    has_verb,
    is_list_tail,
    is_list_with_its_verb,
    opening_quote_inside,
    opens_a_phrase,
    opens_subordinate,
    quote_depth,
)
from highlights.compress.wordlists import (
    AUXILIARIES,
    CALENDAR,
    COMMON_ADJECTIVES,
    DANGLING,
    DETERMINERS,
    NAME_LINKS,
    NEEDS_PREPOSITION,
    NEGATIONS,
    PARTICIPLE_LEADS,
    PHRASE_PREPOSITIONS,
    PREPOSITIONS,
    RELATIVES,
    SUBORDINATORS,
    TIME_MODIFIERS,
    VERBS,
)
from highlights.tokens import guard_words

# A deletion must leave at least this many words, and a bullet is never compressed below it.
MIN_KEPT_WORDS = 6

# A sentence break inside a "sentence" the segmenter left joined: every part must keep its own verb.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_DASH = re.compile(r"\s(?:--|–|—)\s")
# An opening that says whose view the sentence gives: without it the view reads as fact.
_PERSPECTIVE_OPENING = re.compile(
    r"^\W*(?:in|to|through)\s+(?:the\s+)?(?:(?:his|her|their|its|my|our|your)\s+)?"
    r"(?:minds?|eyes|views?|opinion|words|estimation|judgment|judgement|imagination|telling)\b",
    re.IGNORECASE,
)
# `, said John Smith, a spokesman.`: an attribution tail, not the sentence's main verb.
_SAY_TAIL = re.compile(rf",\s+{SAY}(?:\s+[^,;\s]+){{0,4}}(?:,(?:\s+[^,;\s]+){{1,8}})?\s*[.!?]?\s*$", re.IGNORECASE)
_RELATIVE_WORD = re.compile(r"\b(?:that|which|who|whom)\b", re.IGNORECASE)
# `her Roswell, Georgia[, home]`: a possessive or `a` before names only, so the noun they qualify comes after.
_OPEN_NAME_PHRASE = re.compile(r"\b(?:an?|his|her|its|their|our|my|your)\s+(?:[A-Z][\w'’.-]*,?\s+)*[A-Z][\w'’.-]*,?$")
_CLEFT = re.compile(r"\bit(?:\s+(?:is|was)|['’]s)\s+(?:\S+\s+){0,3}\S+$", re.IGNORECASE)


class ProposedCut:
    """A proposed cut, `sentence[start:end]`, and what the checks read of it: each part worked out once, when a
    check first asks for it."""

    def __init__(self, sentence: str, start: int, end: int) -> None:
        self.sentence, self.start, self.end = sentence, start, end
        self.deleted = sentence[start:end]
        self.kept = sentence[:start] + " " + sentence[end:]

    @cached_property
    def before(self) -> list[str]:
        """The words before the cut."""
        return self.sentence[: self.start].split()

    @cached_property
    def after(self) -> list[str]:
        """The words after the cut."""
        return self.sentence[self.end :].split()

    @cached_property
    def deleted_words(self) -> list[str]:
        return self.deleted.split()

    @cached_property
    def kept_words(self) -> list[str]:
        """The words left, lowercased, without the commas, semicolons and colons around them."""
        return [w.strip(",;:").lower() for w in self.kept.split()]

    @cached_property
    def clause_words(self) -> list[str]:
        """`kept_words` from its first real word: `But on the streets …` opens with a phrase, not a clause."""
        words = self.kept_words
        while len(words) > 1 and words[0] in CONNECTIVE_WORDS:
            words = words[1:]
        return words

    @cached_property
    def first(self) -> str:
        """The first real word left (`clause_words`)."""
        return self.clause_words[0] if self.clause_words else ""

    @cached_property
    def lead(self) -> str:
        """The first word the cut takes, lowercased, without the punctuation in front of it."""
        return next((w for w in (w.strip(",;:-–—").lower() for w in self.deleted_words) if w), "")

    @cached_property
    def rest(self) -> str:
        """What follows the cut, less the sentence's final marks and closing quotes."""
        return self.sentence[self.end :].strip(" .!?\"”'’")

    @property
    def to_the_end(self) -> bool:
        """Whether the cut runs to the end of the sentence (a tail)."""
        return not self.rest

    @cached_property
    def segments_before(self) -> list[str]:
        """The clauses and phrases before the cut (`grammar.SEGMENT_BREAK`)."""
        return SEGMENT_BREAK.split(self.sentence[: self.start].strip())


Refuses = Callable[[ProposedCut], bool]  # whether a check refuses a cut


@dataclass(frozen=True)
class Check:
    """One check of the guard: its name (the reason it gives), whether it refuses a cut, and its examples."""

    name: str
    refuses: Refuses
    refused: tuple[str, ...]  # sentences with the deletion in [brackets] that this check refuses
    allowed: tuple[str, ...]  # ... that it lets through


# In the order they run.
CHECKS: list[Check] = []


def check(name: str, *, refused: Sequence[str], allowed: Sequence[str]) -> Callable[[Refuses], Refuses]:
    """Registers the decorated function as the next check of the guard, with its examples."""

    def register(refuses: Refuses) -> Refuses:
        CHECKS.append(Check(name, refuses, tuple(refused), tuple(allowed)))
        return refuses

    return register


def refusing_check(sentence: str, start: int, end: int) -> Check | None:
    """The first check that refuses deleting `sentence[start:end]`, or None if every check lets it through."""
    cut = ProposedCut(sentence, start, end)
    return next((each for each in CHECKS if each.refuses(cut)), None)


def guard_reason(sentence: str, start: int, end: int) -> str | None:
    """Why deleting `sentence[start:end]` would harm the bullet (the first refusing check's name), or None if it
    is safe."""
    refusing = refusing_check(sentence, start, end)
    return refusing.name if refusing else None


def marked_cut(example: str) -> tuple[str, int, int]:
    """An example's sentence and the `start, end` of the deletion marked in it with `[` and `]`."""
    start, end = example.find("["), example.find("]")
    if not 0 <= start < end or example.count("[") != 1 or example.count("]") != 1:
        raise ValueError(f"an example marks its deletion with one `[` and one `]`: {example!r}")
    return example[:start] + example[start + 1 : end] + example[end + 1 :], start, end - 1


# --- Quotes, negations, numbers -----------------------------------------------------------------------------


@check(
    "splits a quote",
    refused=(
        '"The storm[, which came without warning], destroyed everything we had built," she said.',
        'The mayor called the plan "a disgrace[" and walked out of the meeting] on Monday.',
        # Sentences the splitter cut out of a quotation: what comes before the closing quote is someone's words.
        "[She just said ]'hold the bucket,' \" the North High School principal told CNN affiliate KWCH.",
        'We will be able to defeat terrorism[, which is threatening Tunisia and all the neighboring countries]."',
    ),
    allowed=(
        '"We will rebuild the whole school," the principal told reporters[ on Friday].',
        '[On Monday, ]the mayor said: "We will rebuild the bridge and the school in the old town.',
    ),
)
def splits_a_quote(cut: ProposedCut) -> bool:
    """The cut takes a quote mark or lies inside a quotation, or the sentence began inside one."""
    if any(ch in cut.deleted for ch in DOUBLE_QUOTES) or quote_depth(cut.sentence[: cut.start]) != 0:
        return True
    closing = opening_quote_inside(cut.sentence)
    return closing is not None and cut.start < closing


@check(
    "drops a negation",
    refused=(
        "He did [not] go home.",
        "The company reported a loss for the third year[, which nobody on the board had expected].",
        "[Not long after the election, ]the party split into two rival groups over the budget.",
        "The players said they[ didn’t] expect to win the cup this season.",
    ),
    allowed=("He did not go home after the match on Saturday[, police said].",),
)
def drops_a_negation(cut: ProposedCut) -> bool:
    return any(w in NEGATIONS for w in guard_words(cut.deleted)) or bool(
        re.search(r"n[’']t\b", cut.deleted, re.IGNORECASE)
    )


@check(
    "drops who said it",
    refused=(
        '"We will rebuild the bridge by next spring,"[ he said].',
        "The bridge will reopen in the spring of next year[, she told reporters on Friday].",
        "[They said ]the bridge will reopen in the spring of next year.",
    ),
    allowed=(
        "The bridge will reopen in the spring of next year[, officials said].",
        "The bridge will reopen in the spring of next year[, according to the city].",
        "[Police said ]three men were arrested near the bridge on Friday night.",
    ),
)
def drops_who_said_it(cut: ProposedCut) -> bool:
    """The cut takes the attribution of a claim whose speaker cannot stand in front of it as CNN prints it
    (`Police: …`): a pronoun, or a description too long (`attribution.py`)."""
    speaker = speaker_of(cut.deleted)
    return speaker is not None and speaker.name is None


@check(
    "leaves a speaker without saying",
    refused=('"Call him and tell him," a lawyer who was present at the meeting[, said].',),
    allowed=("The bridge will reopen in the spring of next year[, the city's engineer said].",),
)
def leaves_a_speaker_without_saying(cut: ProposedCut) -> bool:
    """`"…," a lawyer[, said]`: the speaker is left, the verb that made it one is gone."""
    words = [w.strip(",;:.") for w in cut.deleted_words]
    return bool(words) and all(SAYING.fullmatch(w) for w in words if w)


@check(
    "cuts a number from its noun",
    refused=(
        "Police arrested [12 ]protesters outside the parliament building on Friday night.",
        "Police arrested 12[ protesters] outside the parliament building on Friday night.",
    ),
    allowed=("[In 2010, ]police arrested twelve protesters outside the parliament building.",),
)
def cuts_a_number_from_its_noun(cut: ProposedCut) -> bool:
    """A number must stay with the word it counts: no deletion between "5" and "people"."""
    before, after, deleted_words = cut.before, cut.after, cut.deleted_words
    if before and deleted_words and bare_number(before[-1]) and deleted_words[0][0].isalnum():
        return True
    return bool(deleted_words and after and bare_number(deleted_words[-1]) and after[0][0].isalnum())


# --- What is left must be a sentence -------------------------------------------------------------------------


@check(
    "too little left",
    refused=("He left[, police said].",),
    allowed=("Three people were hurt in the fire at the factory[, police said].",),
)
def leaves_too_little(cut: ProposedCut) -> bool:
    return len(guard_words(cut.kept)) < MIN_KEPT_WORDS


@check(
    "no verb left",
    refused=(
        "The new mayor of the small northern town[, who was elected in May].",
        # The segmenter sometimes leaves two sentences joined; cutting must not leave the second one verbless.
        "Her first love has always been art. Taking the plunge into the unknown[, Smith moved to Mauritius].",
        "Kimmy's wealthy employers, Julian and Jacqueline Voorhees[, consider their marital difficulties].",
    ),
    allowed=("The driver[, who had worked for the firm for years,] was arrested at the scene.",),
)
def leaves_no_verb(cut: ProposedCut) -> bool:
    return any(not has_verb(part) for part in _SENTENCE_BREAK.split(cut.kept.strip()))


@check(
    "splits a parenthesis",
    refused=(
        "Actors of color were cast in 79% of the roles (by contrast[, others got 3%), a study found].",
        "The locked door -- made stronger after the attacks[ -- kept the pilot out of the cockpit].",
    ),
    allowed=(
        "The mayor[ (pictured)] opened the new bridge over the river.",
        "The locked door[ -- made stronger after the attacks --] kept the pilot out of the cockpit.",
    ),
)
def splits_a_parenthesis(cut: ProposedCut) -> bool:
    kept = cut.kept
    return kept.count("(") != kept.count(")") or kept.count("[") != kept.count("]") or len(_DASH.findall(kept)) % 2 == 1


@check(
    "takes an aside with what follows it",
    refused=(
        "The council approved the plan after most of its 40 members[ -- or nearly all of them -- voted for it, the "
        "city said].",
        "The church changed its rules after most of its presbyteries[ -- or governing bodies -- voted for it].",
    ),
    allowed=("The council approved the plan after most of its 40 members[ -- or nearly all of them --] voted for it.",),
)
def takes_an_aside_with_what_follows_it(cut: ProposedCut) -> bool:
    """The aside between the dashes can go (its own cut), the clause after it cannot."""
    dashes = list(_DASH.finditer(cut.deleted))
    return len(dashes) >= 2 and dashes[0].start() == 0 and bool(cut.deleted[dashes[1].end() :].strip(" ,;.!?"))


@check(
    "leaves what follows without its comma",
    refused=(
        "The city named the park for its first mayor[, who opened the old library in the square,] on Friday.",
        "The league is expected to approve the new rules on Monday[, which could end the strike,] the union reported.",
        "The city will honour the winners at the Ceremony[, which takes place on Saturday,] April 18.",
        "The festival opens on Saturday[, which is the first day of spring,] CNN reported.",
    ),
    allowed=(
        "The driver[, who had worked for the firm for years,] was arrested at the scene.",
        "The mayor visited the capital[, Tunis,] on Monday to meet the families of the victims.",
    ),
)
def leaves_what_follows_without_its_comma(cut: ProposedCut) -> bool:
    """An aside cut with its closing comma, before a few verbless words or an attribution."""
    rest = cut.rest
    if not (cut.start > 0 and rest and cut.deleted.rstrip()[-1:] == ","):
        return False
    head = " ".join(rest.split()[:6])
    saying = SAYING.search(head)
    return (len(rest.split()) <= 4 and not has_verb(rest)) or bool(saying and not has_verb(head[: saying.start()]))


@check(
    "leaves a relative clause first",
    refused=(
        "[In the video, ]which was filmed on Sunday, the mayor says the bridge is safe.",
        "[In the audio, ]which was posted online, the speaker says the group will fight on.",
    ),
    allowed=("[In the video, ]the mayor says the bridge over the river is safe.",),
)
def leaves_a_relative_clause_first(cut: ProposedCut) -> bool:
    return cut.start == 0 and bool(cut.kept_words) and cut.kept_words[0] in RELATIVES


@check(
    "drops whose view it is",
    refused=(
        "[In the eyes of many voters in the north, ]the election was decided long before the vote on Sunday.",
        "[In the minds of terrorists, ]murder and destruction of culture are inherently linked.",
    ),
    allowed=("[In the north, ]the election was decided long before the vote on Sunday.",),
)
def drops_whose_view_it_is(cut: ProposedCut) -> bool:
    """Without an opening that says whose view the sentence gives, the view reads as fact."""
    return cut.start == 0 and bool(_PERSPECTIVE_OPENING.match(cut.deleted))


@check(
    "splits a clause from its verb",
    refused=(
        "The court threw out a report last week[, which said the fire at the mill,] a blaze that killed nine workers "
        "in May, was an accident.",
        "The court threw out a report last week, which said the fire at the mill[, a blaze that killed nine workers "
        "in May, was an accident].",
    ),
    allowed=("The court threw out a report last week[, which said the fire was an accident].",),
)
def splits_a_clause_from_its_verb(cut: ProposedCut) -> bool:
    """The clause runs on past the comma where the cut ends, to a verb whose subject the cut takes; and a tail from
    the comma after that subject would take the verb from it."""
    if not (cut.start > 0 and cut.deleted[:1] == ","):
        return False
    return any(
        match and match.group(1).lower() in AUXILIARIES
        for match in (re.match(r"[^,;]*,\s+(\w+)", cut.sentence[cut.end :]), re.match(r",[^,;]*,\s+(\w+)", cut.deleted))
    )


@check(
    "leaves only a subordinate clause",
    refused=(
        "But on the streets of Skid Row that became his home[, he was known as Africa].",
        "While the driver failed to finish the race last year in the rain[, he is hopeful about this one].",
        "At a time when the computer age was only just beginning and tablets were a fantasy[, Spock could be seen "
        "working with such devices].",
        "Called aurora borealis in the north[, the lights were seen as far south as Kent].",
    ),
    allowed=("While the driver failed to finish the race[ last year in the rain], he is hopeful about this one.",),
)
def leaves_only_an_opening(cut: ProposedCut) -> bool:
    """What is left is one clause or phrase that opens with a subordinator, or a preposition or a participle
    (`Called aurora borealis …`) with nothing after it."""
    first = cut.first
    participle = len(first) > 4 and first.endswith(("ed", "ing")) and cut.start > 0
    opener = first in SUBORDINATORS or (cut.to_the_end and (first in PREPOSITIONS or participle))
    return opener and not re.search(r"[,;:]|\s--\s", cut.kept)


@check(
    "splits a noun phrase",
    refused=(
        "The suspect behind the knife attack on the ambassador had a long[, troubled history and often blamed the "
        "U.S.]",
    ),
    allowed=("The suspect had a long history of violence[, troubled and often angry].",),
)
def splits_an_adjective_pair(cut: ProposedCut) -> bool:
    """`had a long[, troubled history …]`: a determiner and an adjective have not reached their noun."""
    before = cut.before
    return (
        len(before) > 1
        and before[-2].lower() in DETERMINERS
        and before[-1].lower() in COMMON_ADJECTIVES
        and cut.deleted[:1] == ","
    )


@check(
    "leaves a preposition without what it needs",
    refused=(
        "The jet fired missiles at the palace, marking an escalation in fighting between forces[ for and against the "
        "leader].",
    ),
    allowed=(
        "The talks between world powers and Iran went on into the night[ in the city of Lausanne].",
        "The school will recruit 1,000 male junior high school students aged between 14 to 16[, the China Daily "
        "reported].",
    ),
)
def leaves_between_without_and(cut: ProposedCut) -> bool:
    lowered_before = [w.lower() for w in cut.before[-4:]]
    return (
        cut.deleted[:1].isspace()
        and "between" in lowered_before
        and "and" not in lowered_before[lowered_before.index("between") :]
    )


@check(
    "leaves a verb without its preposition",
    refused=(
        "The striker was sold in the summer but was quick to capitalize[ on a mistake by the keeper to score the "
        "winner].",
        "The miners told the inquiry on Tuesday that they were faced[ with an impossible choice that night].",
        "A record 12 million viewers tuned[ in to see how the long-running series about the farm would end].",
        "The rescue teams working on the mountain above the village must contend[ with high winds and falling rocks].",
        "The council said on Monday that for centuries the families of the valley relied[ on the river in summer].",
    ),
    allowed=(
        "The opposition leader was shot dead in Moscow on Friday as he walked[ across a bridge near the river].",
        "The council said on Monday that for centuries the families of the valley relied on the river[ in summer].",
    ),
)
def leaves_a_verb_without_its_preposition(cut: ProposedCut) -> bool:
    before = cut.before
    return bool(before) and cut.deleted[:1].isspace() and cut.lead in NEEDS_PREPOSITION.get(before[-1].lower(), ())


@check(
    "leaves either without its or",
    refused=(
        "The world is watching what could be either a historic achievement[ -- or, just as easily, a failure --] as "
        "negotiators meet.",
    ),
    allowed=(
        "The world is watching what could be a historic achievement[ -- or, just as easily, a failure --] as "
        "negotiators meet.",
    ),
)
def leaves_either_without_its_or(cut: ProposedCut) -> bool:
    return cut.lead == "or" and "either" in (w.lower() for w in cut.before)


# --- Tails: cuts that run to the end of the sentence ---------------------------------------------------------


@check(
    "leaves only a subordinate clause",
    refused=(
        "While the appeal of extreme, violent ideas is hard to grasp[, poverty may explain why young men join].",
        "It is this: if you oppose the government, if you stand for reform[, as he did, this could happen to you].",
        "Weeks before the old ship sailed from the harbour of the town[ across the Atlantic on a small boat, the "
        "captain told friends she was ready].",
        "Almost a year after the prisoner exchange that freed him[, the sergeant has been charged with desertion].",
        "Years before he first flew across the Atlantic on his own[, he told friends he was afraid of heights].",
        "Police quickly named the two men, but almost immediately after the first was caught near the border[, "
        "detectives asked whether others had helped them].",
    ),
    allowed=("The storm cut power to the homes in the north[, and crews worked through the night].",),
)
def takes_the_main_clause_with_the_tail(cut: ProposedCut) -> bool:
    """A tail cut from `While X, Y did Z` or `It's this: if X, Y` takes the main clause with it; also `Years before
    he flew[, he told …]`."""
    if not cut.to_the_end:
        return False
    kept_words = cut.clause_words
    one_segment = not SEGMENT_BREAK.search(cut.kept.strip())
    # `Almost a year after the exchange[, Bergdahl has been charged …]`: words without a verb, then a
    # subordinator, and nothing after the subordinate clause.
    late_subordinator = one_segment and any(
        word in SUBORDINATORS and not has_verb(" ".join(kept_words[:i])) for i, word in enumerate(kept_words[1:5], 1)
    )
    return (
        cut.first in SUBORDINATORS
        or opens_subordinate(cut.segments_before[-1].split())
        or late_subordinator
        or (opens_subordinate(kept_words) and one_segment)
    )


@check(
    "leaves a participle without what follows it",
    refused=(
        "The show has 21 portraits of people ranging[ from 9 months to 60 years old].",
        "The work by the sculptor chronicles every defeat suffered[ by the England team between 1874 and 1998].",
        "Damasak is in Borno, one of several northern states inhabited[ by the militant group].",
        "The dancers on the stage wore long skirts adorned[ with roses, lace and ribbons].",
    ),
    allowed=(
        "The man was arrested while driving[ in Ohio on Monday night near the border].",
        "The suspect in the shooting at the mall was arrested[ by police officers in the city on Monday].",
    ),
)
def leaves_a_participle_without_what_follows_it(cut: ProposedCut) -> bool:
    """`portraits of people ranging[ from 9 …]`, `skirts adorned[ with roses, lace and …]`."""
    before = cut.before
    if not cut.to_the_end or len(before) <= 1:
        return False
    word, previous = before[-1], before[-2].lower().strip(",")
    if (
        len(word) > 4
        and word.lower().endswith("ing")
        and previous not in VERBS | SUBORDINATORS | PREPOSITIONS | PARTICIPLE_LEADS
    ):
        return True
    return (
        cut.lead in ("with", "by")
        and word[-1:].isalpha()
        and len(word) > 4
        and word.lower().endswith("ed")
        and previous not in VERBS
    )


@check(
    "cuts the main verb",
    refused=("The team that won the cup[ in 2010 was honoured by the city council on Friday].",),
    allowed=("The old team from the north won the cup[ in 2010 after a long season].",),
)
def cuts_the_verb_after_a_phrase(cut: ProposedCut) -> bool:
    """`The team that won the cup[ in 2010 was honoured …]`: a phrase, then the verb of the subject left behind."""
    if not cut.to_the_end or cut.lead not in PHRASE_PREPOSITIONS:
        return False
    for word in (w.strip(',;:-–—"“”').lower() for w in cut.deleted_words[1:]):
        if word in SUBORDINATORS or word in RELATIVES or word in ("that", "and", "but", "or"):
            return False
        if word in AUXILIARIES:
            return True
    return False


@check(
    "leaves a relative clause without its verb",
    refused=("The box is one of 40 river sensors that volunteers[ in the town built from spare parts last winter].",),
    allowed=("The box is one of 40 river sensors that volunteers built by hand[ in the town last winter].",),
)
def leaves_a_relative_clause_without_its_verb(cut: ProposedCut) -> bool:
    """`sensors that volunteers[ in Millbrook built …]`."""
    if not cut.to_the_end:
        return False
    last_segment = cut.segments_before[-1]
    relative = list(_RELATIVE_WORD.finditer(last_segment))
    return (
        bool(relative)
        and not has_verb(last_segment[relative[-1].end() :])
        and has_verb(" ".join(cut.deleted_words[:4]))
    )


@check(
    "leaves a dangling modifier",
    refused=(
        "The injury happened when he fell at the club in Leeds shortly[ before the final].",
        "She broke her hip in a fall at her home in Florida shortly[ before Christmas].",
    ),
    allowed=("The injury happened at the club in Leeds[ shortly before the final].",),
)
def leaves_a_dangling_modifier(cut: ProposedCut) -> bool:
    """`a fall in Florida shortly[ before Christmas]`."""
    return (
        cut.to_the_end and cut.lead in SUBORDINATORS and bool(cut.before) and cut.before[-1].lower() in TIME_MODIFIERS
    )


@check(
    "leaves words after a quote without its speaker",
    refused=('"Nobody saw the storm coming" on the night[ in question, the chief of police said on Friday].',),
    allowed=('"Nobody saw the storm coming," the chief of police told reporters[ on Friday].',),
)
def leaves_words_after_a_quote_without_its_speaker(cut: ProposedCut) -> bool:
    """`"…" on the day[ in question, the chief said]`."""
    if not cut.to_the_end:
        return False
    after_quote = after_last_quote(cut.sentence[: cut.start]).strip(" ,.;:")
    return cut.kept.lstrip()[:1] in DOUBLE_QUOTES and bool(after_quote) and not has_verb(after_quote)


@check(
    "cuts the main verb",
    refused=(
        "Tasked with attracting film makers, Jennifer Jao, head of the film office[, said that 92 crews came last "
        "year].",
    ),
    allowed=(
        # ... while an attribution tail after a whole clause may go.
        "Ninety-two film crews came to the city last year[, said Jennifer Jao, head of the film office].",
    ),
)
def cuts_the_verb_it_opens_with(cut: ProposedCut) -> bool:
    return cut.to_the_end and cut.lead in VERBS and not _SAY_TAIL.match(cut.deleted)


@check(
    "leaves a subject without its verb",
    refused=(
        "Very few bodies have been found whole, Yves Naffrechoux, a captain[, told CNN on Friday].",
        "Victor Barnard, a pastor wanted in Minnesota, was arrested by Brazilian authorities on Friday, the office of "
        "the governor[ for the State of Rio Grande do Norte said Saturday].",
    ),
    allowed=(
        "A federal jury found Abid Naseer guilty of plotting to bomb a shopping center in Manchester, England[, the "
        "U.S. Attorney for the Eastern District of New York said].",
    ),
)
def leaves_a_subject_without_its_verb(cut: ProposedCut) -> bool:
    """`…, Yves Smith, a captain, told CNN`: the cut takes the verb of the phrase left at the end. `…, the office of
    the governor[ for the State of Rio Grande do Norte said Saturday]`: from inside the phrase, its saying verb
    however late it comes."""
    return (
        cut.to_the_end
        and len(cut.segments_before) > 1
        and not has_verb(cut.segments_before[-1])
        and (
            has_verb(" ".join(cut.deleted_words[:6]))
            or bool(cut.deleted[:1].isspace() and SAYING.search(re.split(r"[,;]", cut.deleted)[0]))
        )
    )


@check(
    "cuts the main verb",
    refused=(
        "Elisabeth von Thurn und Taxis, a royal who has been with the magazine since 2012[, posted the photo on "
        "Saturday].",
    ),
    allowed=(
        "Elisabeth von Thurn und Taxis, a royal who has been with the magazine since 2012, posted the photo[ on "
        "Saturday].",
    ),
)
def cuts_the_verb_after_an_aside(cut: ProposedCut) -> bool:
    """`Elisabeth von Taxis, a royal who has been …, [posted the photo]`: what is left opens with a verbless
    phrase, and the cut takes the verb that phrase was waiting for."""
    if not (cut.to_the_end and len(cut.segments_before) > 1):
        return False
    first_segment = SEGMENT_BREAK.split(cut.kept.strip())[0]
    attribution = SAYING.search(" ".join(cut.deleted_words[:6])) is not None
    return (
        not has_verb(first_segment)
        and not opens_a_phrase(first_segment)
        and not attribution
        and any(
            has_verb(segment.split()[0])
            for segment in re.split(r"[,;]\s+", cut.deleted.strip(" ,;"))
            if segment.split()
        )
    )


@check(
    "truncates a list",
    refused=(
        "The group includes seven Britons, an American[, a Canadian and two Sudanese, a lawmaker told CNN].",
        "The fair marked three old customs: a harvest march to the river[, the lighting of the lamps of Hilltop, and "
        "the blessing of the Queen's boats].",
        "The Independent newspaper of the United Kingdom said Ecstasy[, ketamine and magic mushrooms were three of the "
        "newly legal drugs].",
    ),
    allowed=(
        "Ecstasy, ketamine and magic mushrooms were sold in the shops[, the mayor and her deputy said].",
        "Uganda has more young people than most[, according to UNICEF -- and Sussock wants them on bikes].",
    ),
)
def truncates_a_list(cut: ProposedCut) -> bool:
    """`seven Britons, an American[, a Canadian and two Sudanese]`."""
    return cut.to_the_end and (is_list_tail(cut.deleted) or is_list_with_its_verb(cut.deleted))


@check(
    "leaves a verb without what follows it",
    refused=("The homeless man who lived on the streets of Skid Row for years was known[ as Africa].",),
    allowed=("The suspect in the shooting at the mall was arrested[ by police officers in the city on Monday].",),
)
def leaves_a_verb_without_what_follows_it(cut: ProposedCut) -> bool:
    """`he was known[ as Africa]`."""
    before = cut.before
    return (
        cut.to_the_end
        and bool(before)
        and before[-1][-1:].isalnum()
        and before[-1].lower() in VERBS
        and cut.deleted[:1].isspace()
    )


@check(
    "leaves a verb of saying without what was said",
    refused=(
        "The company, which faces ballooning losses, confirmed[ on Monday that it had been contacted by the "
        "office of the attorney general].",
        "The transport agency of the city warned[ drivers about the closure of the bridge].",
    ),
    allowed=("The bridge will reopen in the spring, the transport agency of the city confirmed[ on Monday].",),
)
def leaves_a_verb_of_saying_without_what_was_said(cut: ProposedCut) -> bool:
    """`The company … confirmed[ on Monday that it had been contacted …]`: a tail after a verb of saying the check
    above does not know (`confirmed`, `announced`) may take when and where (`[ on Monday]`), not what was said."""
    before = cut.before
    if not (cut.to_the_end and before and cut.deleted[:1].isspace() and SAYING.fullmatch(before[-1])):
        return False
    return cut.lead not in PREPOSITIONS or has_verb(cut.deleted)


@check(
    "truncates a list",
    refused=("The group includes seven Britons, an American, a Canadian[ and two Sudanese].",),
    allowed=("The storm cut power to the homes in the north on Monday[ and crews worked through the night].",),
)
def leaves_a_list_without_its_last_item(cut: ProposedCut) -> bool:
    """`seven Britons, an American, a Canadian [and two Sudanese]`."""
    return (
        cut.to_the_end
        and cut.lead in ("and", "or")
        and len(cut.segments_before) > 1
        and not has_verb(cut.segments_before[-1])
    )


@check(
    "splits a noun phrase",
    refused=(
        "The flood in the north of the country last week was a sudden[ and costly blow to the farmers of the valley].",
        "She was found asleep in her Dayton, Ohio[, apartment on Friday].",
    ),
    allowed=("She was found asleep in her apartment in Dayton, Ohio[, on Friday morning].",),
)
def splits_a_noun_phrase(cut: ProposedCut) -> bool:
    """`a rare [and shocking reminder]`, `her Roswell, Georgia[, home]`: the phrase has not reached its noun."""
    if not cut.to_the_end:
        return False
    before, deleted = cut.before, cut.deleted
    pair = (
        len(before) > 1
        and before[-2].lower() in DETERMINERS
        and before[-1][-1:].isalnum()
        and deleted[:1].isspace()
        and cut.lead in ("and", "or")
    )
    return pair or (deleted[:1] == "," and bool(_OPEN_NAME_PHRASE.search(cut.sentence[: cut.start])))


@check(
    "cuts the clause of a cleft",
    refused=("But in the end, it was Sam[, the youngest of the three, who scored the goal].",),
    allowed=("But in the end, it was Sam who scored the goal[, the club said].",),
)
def cuts_the_clause_of_a_cleft(cut: ProposedCut) -> bool:
    """`it was Rob[, the youngest …, who drew the attention]`."""
    return (
        cut.to_the_end
        and bool(_CLEFT.search(cut.sentence[: cut.start].rstrip(" ,")))
        and bool(re.search(r"\b(?:who|that)\b", cut.deleted))
    )


@check(
    "splits a name",
    refused=(
        "The old bomber had been kept in the care of the Aerospace Maintenance[ and Regeneration Group since 2008].",
        "The report paints a picture of devastation, said UN High Commissioner[ for Human Rights Zeid Al Hussein].",
    ),
    allowed=("Gunmen killed 19 people and sent tourists scrambling for cover in Moscow[ on Wednesday].",),
)
def splits_a_name(cut: ProposedCut) -> bool:
    """`the UN High Commissioner [for Human Rights]`; a date after a name is not part of it."""
    before = cut.before
    return (
        cut.to_the_end
        and cut.lead in NAME_LINKS
        and bool(before)
        and before[-1][:1].isupper()
        and any(w[:1].isupper() and w.strip(".,").lower() not in CALENDAR for w in cut.deleted_words[1:4])
    )


# --- Any cut -----------------------------------------------------------------------------------------------------


@check(
    "leaves a dangling word",
    refused=(
        "The door was used against a pilot who[, for reasons still unknown to anyone, left the cockpit].",
        "Many will remember the day in July 1981 when[, as a young prince, he kissed his bride on the balcony].",
        "The whale may harm a human while protecting its[ young calf].",
    ),
    allowed=("The door was used against a pilot[ who, for reasons still unknown to anyone, left the cockpit].",),
)
def leaves_a_dangling_word(cut: ProposedCut) -> bool:
    """`… against a pilot who.`"""
    return cut.to_the_end and bool(cut.before) and cut.before[-1].lower().strip(",;:") in DANGLING


@check(
    "cuts the main clause",
    refused=("[This is exactly how the latest media hype, ]this time over her emails, has played out.",),
    allowed=("[Late on Friday night, ]the council voted to close the old library for good.",),
)
def cuts_the_main_clause(cut: ProposedCut) -> bool:
    """`[This is exactly how the media hype,] this time over …, has played out`."""
    return cut.start == 0 and not cut.to_the_end and has_verb(cut.deleted) and not SAYING.search(cut.deleted)

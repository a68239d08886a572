"""Datelines, bylines and the author an editor's note names: where they are, never an edit of the text.

- `match_dateline(text, start, end)`: where the story proper begins when the paragraph `[start, end)` opens with
  a dateline (`MADRID —`, `HARBOR CITY, Maine —`, `WASHINGTON (AP) —`, `LONDON, Nov 19 (Reuters) -`, `(CNN)`,
  `new delhi ( cnn ) --`), else None.
- `match_byline(line)`: the people, the agency and whether there is a date on a byline or timestamp line of a page
  (`By Jane Doe, Reuters`, `Associated Press November 19, 2019, 9:02 AM`, `Published 11:34 PM EST Nov 19, 2019`).
- `author_from_note(paragraph)`: the author an `Editor's note:` or an author-bio paragraph opens with.

The rules read how the furniture is built (a place in capitals and a dash, a name after `By`, a month next to a
number), not which page it came from. A dateline is read in the paragraph's first `DATELINE_LOOKAHEAD` characters
and a byline only on a line of at most `BYLINE_MAX_CHARS`, so a 10 MB paragraph costs what a short one does; no
pattern here has nested quantifiers that could backtrack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DATELINE_LOOKAHEAD = 120  # a dateline (place, date, agency, dash) ends within this many characters
BYLINE_MAX_CHARS = 200  # a byline or timestamp line is short; a longer line is prose

# --- shared vocabulary ------------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MONTHS = _words(
    # English, with the abbreviations newsrooms use (AP: Jan., Feb., Aug., Sept., Oct., Nov., Dec.)
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    # German, French, Spanish, Portuguese, Italian, Dutch
    "januar februar märz maerz mai juni juli oktober dezember "
    "janvier février fevrier mars avril juin juillet août aout septembre octobre novembre décembre decembre "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre "
    "janeiro fevereiro março marco maio junho julho setembro outubro novembro dezembro "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre "
    "januari februari maart mei augustus "
    # Russian (genitive, as dates write them)
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
)
_WEEKDAYS = _words(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lunes martes miércoles miercoles jueves viernes sábado sabado domingo "
    "segunda-feira terça-feira terca-feira quarta-feira quinta-feira sexta-feira "
    "lunedì martedì mercoledì giovedì venerdì "
    "понедельник вторник среда четверг пятница суббота воскресенье"
)
_TIME_ZONES = _words(
    "et ct mt pt est edt cst cdt mst mdt pst pdt akst hst gmt utc bst cet cest eet eest wet ist aest aedt acst "
    "awst nzst nzdt jst kst hkt sgt pht wib msk amt ast adt nst"
)

# Wire services: credited alone on a line, they are a byline. Outlets are credited next to a writer's name.
_WIRES = (
    r"(?:The\s+)?Associated\s+Press|Thomson\s+Reuters|Reuters|Agence\s+France[-\s]Presse|United\s+Press\s+International"
    r"|Xinhua(?:\s+News\s+Agency)?|Bloomberg(?:\s+News)?|(?:The\s+)?Canadian\s+Press|Australian\s+Associated\s+Press"
    r"|Press\s+Association|PA\s+Media|Press\s+Trust\s+of\s+India|Indo-Asian\s+News\s+Service|Asian\s+News\s+International"
    r"|Kyodo(?:\s+News)?|Yonhap(?:\s+News\s+Agency)?|Deutsche\s+Presse-Agentur|Interfax|RIA\s+Novosti|Anadolu(?:\s+Agency)?"
    r"|(?:Agencia\s+)?EFE|ANSA|Europa\s+Press|Bernama|Antara|Kaiser\s+Health\s+News"
)
_WIRE_ACRONYMS = r"AP|AFP|UPI|PTI|IANS|ANI|AAP|DPA|dpa|TASS|KHN"  # matched in their own case only
_OUTLETS = (
    r"CNN(?:\s+Wire)?|CNNMoney|BBC(?:\s+News)?|NPR|CBS\s+News|NBC\s+News|ABC\s+News|Fox\s+News|CNBC|USA\s+TODAY|USA\s+Today"
    r"|(?:The\s+)?New\s+York\s+Times|(?:The\s+)?Washington\s+Post|(?:The\s+)?Wall\s+Street\s+Journal|(?:The\s+)?Guardian"
    r"|Al\s+Jazeera|Politico|Axios|HuffPost|(?:The\s+)?Los\s+Angeles\s+Times|Daily\s+Mail"
)
_AGENCY_IN_LINE = re.compile(
    rf"(?<![\w.@/-])(?:(?P<wire>(?i:{_WIRES})|{_WIRE_ACRONYMS})|(?P<outlet>{_OUTLETS}))(?![\w@/-])"
)
# In a dateline's parentheses (`(CNN)`, `(Reuters)`, `( cnn )`): any case, as the lowercased corpora write them.
_DATELINE_AGENCIES = re.compile(
    rf"(?i:CNN|CNNMoney|CNN\s+Money|CNN\s+Student\s+News|EW\.com|{_WIRE_ACRONYMS}|{_WIRES}|{_OUTLETS})"
)

_NAME_PARTICLES = _words(
    "al el bin ibn de del della der den van von la le da du di dos das do y e ter zu st st. upon on sur am im"
)

# --- datelines --------------------------------------------------------------------------------------------------

# The first thing that can end a dateline's place: an agency's parenthesis or slashes, a dash, a colon, or (date
# datelines of the CNN corpus, `March 10, 2015 . We're ...`) a spaced period.
_DATELINE_END = re.compile(r"\(|/|—|–|--|(?<=\s)-(?=\s)|:|(?<=\d) \.(?= )")
_PAREN_AGENCY = re.compile(r"\(\s*(?P<name>[^()\n]{1,60}?)\s*\)")
_SLASH_AGENCY = re.compile(r"/(?P<name>[A-Za-z][\w .&-]{1,40})/")  # `/PRNewswire/`
_DATELINE_DASH = re.compile(r"[ \t\u00a0]*(?:—|–|--|-)")
_LOWERCASE_HEAD = 200  # as text.py decided: a lowercased corpus when the paragraph's first 200 characters are

# Capitalised words that open sentences or headlines, never a place: `Police Say The Man Fled —` is a sentence.
_NOT_A_PLACE = _words(
    "the a an this that these those it its he she we they i you his her our their my your there here what who why "
    "how when where which but and or so yet still meanwhile now then today yesterday tomorrow yes no not also "
    "in on at for with from to of by after before during over under as if while about into than "
    "is are was were be been has have had will would can could may might must should do does did say says said "
    "update updated breaking exclusive watch read more note editor editors warning photos photo video videos "
    "related correction clarification spoiler spoilers opinion analysis live listen sponsored advertisement source "
    "sources transcript audio dear fact claim verdict summary q a plus see first last new tonight published posted "
    "attention achtung atenção atencion atención aviso nota important importante alert alerta"
)
# Parenthesised words at a paragraph's start that are stage directions or labels, not an agency.
_NOT_AN_AGENCY = _words(
    "laughter applause cheers updated update video photo photos audio corrected correction file sponsored "
    "advertisement opinion analysis live watch listen music inaudible crosstalk"
)
_AGENCY_WORD = re.compile(r"[\w.&'’-]+")


def _place_word(word: str) -> bool:
    """A word of a place name: `MADRID`, `Harbor`, `ST.`, `D.C.`, `Winston-Salem`, `L'Aquila`, `São`."""
    return word[0].isupper() and all(c.isalpha() or c in ".'’-" for c in word)


def _is_caps(word: str) -> bool:
    return not any(c.islower() for c in word)


def _is_date_segment(words: list[str]) -> bool:
    """`Nov 19`, `Nov. 19`, `19 November`, `2019`, `Tuesday`: the date part of a dateline, after the place."""
    folded = [w.rstrip(".").lower() for w in words]
    if len(folded) == 1:
        return folded[0] in _WEEKDAYS or (folded[0].isdigit() and len(folded[0]) == 4)
    if len(folded) == 2:
        month, day = folded if folded[0] in _MONTHS else folded[::-1]
        return month in _MONTHS and day.isdigit() and len(day) <= 2
    return False


def _has_year(segments: list[list[str]]) -> bool:
    return any(len(s) == 1 and s[0].isdigit() and len(s[0]) == 4 for s in segments)


@dataclass(frozen=True, slots=True)
class _Head:
    """What stands before a dateline's agency or dash."""

    place: tuple[str, ...] = ()  # `HARBOR CITY`; empty before a bare `(CNN)` or in a date dateline
    caps: bool = False  # the place is in capitals, as AP and Reuters write it
    qualified: bool = False  # a comma and a state, country or date follow the place (`Harbor City, Maine`)
    date_only: bool = False  # no place, only a date (`Nov. 19`, `March 10, 2015`)
    year: bool = False  # the date has its year


def _read_head(head: str, lowercase: bool) -> _Head | None:
    """`HARBOR CITY, Maine`, `LONDON, Nov 19`, `Washington, D.C.`, `` (nothing): a dateline's head, else None."""
    if not head:
        return _Head()
    if lowercase:  # `new delhi , india ( cnn )`: up to six words (PTB spaces the comma), as text.py's rule had it
        words = head.replace(",", " , ").split()
        names = tuple(w for w in words if w != ",")
        return _Head(place=names) if len(names) <= 6 and all(w[0].isalpha() for w in names) else None
    segments = [segment.split() for segment in head.split(",")]
    if not all(segments[:-1]) or not segments[0]:
        return None  # `LONDON,, Nov` or a leading comma
    segments = [s for s in segments if s]  # `Kano, Nigeria,` before the agency
    if sum(len(s) for s in segments) > 8:
        return None
    dates = [_is_date_segment(s) for s in segments]
    if all(dates):
        return _Head(date_only=True, year=_has_year(segments))
    place, rest = segments[0], segments[1:]
    if dates[0] or len(place) > 6 or place[0].islower() or place[-1].islower():
        return None
    if not all(_place_word(w) or w.lower() in _NAME_PARTICLES for w in place):
        return None
    for segment, is_date in zip(rest, dates[1:]):  # `Maine`, `D.C.`, `United Arab Emirates`, `Nov 19`, `2019`
        if not is_date and (
            len(segment) > 4 or not all(_place_word(w) or w.lower() in _NAME_PARTICLES for w in segment)
        ):
            return None
    caps = all(_is_caps(w) for w in place)
    return _Head(place=tuple(place), caps=caps, qualified=bool(rest))


def _agency_at(window: str, pos: int, lowercase: bool) -> tuple[int, bool] | None:
    """An agency credit at `pos` (`(AP)`, `(Reuters)`, `/PRNewswire/`): (where it ends, whether it is one we list)."""
    paren = _PAREN_AGENCY.match(window, pos)
    if paren is None:  # `/PRNewswire/ --`; a credit we do not list, so it needs its dash (`/Getty Images` has none)
        slash = None if lowercase else _SLASH_AGENCY.match(window, pos)
        return (slash.end(), False) if slash else None
    name = " ".join(paren.group("name").split())
    if _DATELINE_AGENCIES.fullmatch(name):
        return paren.end(), True
    if lowercase:
        return None
    # An outlet we do not list (`(Rolling Stone)`, `(the Heartland Project)`): one to five capitalised words.
    words = name.split()
    if not 1 <= len(words) <= 5 or name.lower() in _NOT_AN_AGENCY or not words[-1][0].isupper():
        return None
    if not all(_AGENCY_WORD.fullmatch(w) and (w[0].isupper() or w in ("the", "of", "and", "&")) for w in words):
        return None
    return paren.end(), False


def _starts_sentence(window: str, pos: int) -> bool:
    """The story after a dash opens like a sentence: a capital, a digit or a quote (never `— who fled`)."""
    while pos < len(window) and window[pos] in " \t\u00a0":
        pos += 1
    return pos < len(window) and (window[pos].isupper() or window[pos].isdigit() or window[pos] in "\"'“‘«")


def _prose_follows(window: str, pos: int) -> bool:
    """A sentence follows, with lowercase in its first words: menus in capitals (`GIRF - INSTALAÇÃO`) and
    tickers (`AAPL: 266.29`) are not a story."""
    return _starts_sentence(window, pos) and any(c.islower() for c in window[pos : pos + 40])


def _reads_as_place(head: _Head) -> bool:
    """Not a sentence's or headline's opening words (`Police Say The Man Fled`, `UPDATE`, `DEAR ABBY`)."""
    words = head.place[1:] if head.caps and len(head.place) > 1 and head.place[0] == "THE" else head.place
    return not any(w[0].isupper() and w.rstrip(".").lower() in _NOT_A_PLACE for w in words)


def _dateline_end(window: str, at: int, head: _Head, lowercase: bool) -> int | None:
    """Where the dateline whose head ends at `at` ends (agency and dash included), if head and rest make one."""
    agency = _agency_at(window, at, lowercase)
    if agency is not None:
        cut, known = agency
        dash = _DATELINE_DASH.match(window, cut)
        if known:
            return dash.end() if dash else cut
        # An outlet we do not list counts only glued to the story (`(WIRED)Screens`) or dashed, before prose.
        after = dash.end() if dash else cut
        glued = cut < len(window) and not window[cut].isspace() and window[at] == "("
        return after if (dash is not None or glued) and _prose_follows(window, after) else None
    if lowercase or not (head.place or head.date_only):
        return None  # lowercased text has lost the capitals that tell a place from a sentence
    if head.date_only:  # `March 10, 2015 . We're ...`, `Nov. 19, 2019 — The company ...`
        dash = _DATELINE_DASH.match(window, at)
        date_end = at + 2 if window.startswith(" .", at) else dash.end() if dash else None
        if date_end is None or not head.year or not _prose_follows(window, date_end):
            return None
        return None if window[date_end:].lstrip()[:1].isdigit() else date_end  # `Nov 20, 2019 - 11:28 AM`: a time
    if not _reads_as_place(head):
        return None
    if window.startswith(":", at):  # `NEW DELHI: The ...` (capitals only: `Note: the ...` is a label)
        spaced = window[at + 1 : at + 2].isspace()
        return at + 1 if head.caps and len(head.place) <= 4 and spaced and _prose_follows(window, at + 1) else None
    dash = _DATELINE_DASH.match(window, at)
    if dash is None:
        return None
    cut = dash.end()
    if window.startswith("(", cut):  # `SAN FRANCISCO--(BUSINESS WIRE)--Acme ...`
        wire = _agency_at(window, cut, lowercase)
        trailing = _DATELINE_DASH.match(window, wire[0]) if wire else None
        return trailing.end() if trailing else None
    if not _prose_follows(window, cut):
        return None
    if head.caps or head.qualified:
        return cut
    # A short capitalised place (`Indianapolis –`) takes a real dash: menus and titles read `Podcast - Episodes`.
    return cut if len(head.place) <= 3 and window[at:cut].strip() != "-" else None


def match_dateline(text: str, start: int, end: int) -> int | None:
    """Where the story proper begins when the paragraph `text[start:end]` opens with a dateline, else None.

    The offset is past the dateline and the space after it, so `text[offset:end]` is the story. None when the
    paragraph does not open with a dateline, and when nothing follows it (a lone `BAAR, SWITZERLAND` line is left
    to the caller). Reads at most `DATELINE_LOOKAHEAD` characters of the paragraph.
    """
    pos = start
    limit = min(end, start + DATELINE_LOOKAHEAD)
    while pos < limit and text[pos].isspace():
        pos += 1
    window = text[pos:limit]
    found = _DATELINE_END.search(window)
    if found is None:
        return None
    opening = text[pos : min(end, pos + _LOWERCASE_HEAD)]
    lowercase = opening == opening.lower()
    head = _read_head(window[: found.start()].strip(), lowercase)
    cut = _dateline_end(window, found.start(), head, lowercase) if head is not None else None
    if cut is None:
        return None
    story = pos + cut
    while story < end and text[story].isspace():
        story += 1
    return story if story < end else None


# --- bylines and timestamps --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Byline:
    """What a byline or timestamp line says: who wrote the story, for whom, and whether it carries a date."""

    authors: tuple[str, ...] = ()  # the people named, as written (`Jane Doe`, `JANE DOE`)
    agency: str | None = None  # the wire or outlet credited, as written (`Reuters`, `Associated Press`, `NJ.com`)
    dated: bool = False  # the line carries a date or a time

    @property
    def kind(self) -> str:
        """`byline` when it credits someone, `timestamp` when it only dates the story."""
        return "byline" if self.authors or self.agency else "timestamp"


# `By`, and the ways other languages and page templates introduce the writer. Two-word ones first.
_MARKERS = re.compile(
    r"(?:(?:Written|Posted|Words|Story|Reporting|Text|Report|Escrito|Publicado|Geschrieben|Écrit|Ecrit|Scritto)"
    r"\s+(?:by|por|von|par|da)|By|BY|by|Von|Par|Por|Door|Av"
    r"|(?:Authors?|Autor(?:es|in)?|Auteur|Autore|Text|Texto|Reporter|Byline|Текст|Автор)(?=\s*:))\s*:?(?=\s|$)",
)
_SOURCE_MARKER = re.compile(r"(?:Source|Quelle|Fonte|Fuente)\s*:(?=\s|$)")  # credits an outlet, never a person
_SENTENCE_MARKERS = frozenset({"By", "BY", "by", "Von", "Par", "Por", "Door", "Av"})  # these also open prose
_LINE_TOKEN = re.compile(r"[|•·;／,]|[^\s|•·;／,]+")
_SEPARATOR_CHARS = frozenset("|•·;／,/-–—:()[]<>«»")
_NUMERIC_DATE = re.compile(r"\(?\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:T[\d:.]+Z?|[.,)]?)")
_TIME = re.compile(
    r"\(?@?(?:\d{1,2}(?::\d{2}){1,2}(?:[ap]\.?m\.?)?|\d{1,2}h\d{2}|\d{1,2}(?:[.:]\d{2})?[ap]\.?m\.?)[),]?",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d{1,4}(?:st|nd|rd|th|er|º|\.)?,?")
_HANDLE = re.compile(r"@[A-Za-z_]\w*")
_DOMAIN = re.compile(
    r"[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*\.(?:com|net|org|co|uk|us|ca|au|in|de|fr|es|it|ru|br|news|info|io)"
)
_AM_PM = frozenset({"am", "pm", "a.m.", "p.m.", "a.m", "p.m"})
_RELATIVE = _words(
    "second seconds sec secs minute minutes min mins hour hours hr hrs day days week weeks month months year years "
    "ago just now today yesterday heute gestern hoje ontem hoy ayer aujourd'hui hier oggi ieri read"
)
_LABELS = _words(
    "published updated posted modified last first publish date created publiziert veröffentlicht "
    "aktualisiert publicado publicada atualizado atualizada actualizado actualizada publié publie mis jour "
    "pubblicato aggiornato gepubliceerd bijgewerkt опубликовано обновлено 입력 기사입력 수정 등록 发布 更新 公開日 "
    "更新日 投稿日"
)
_CONNECTORS = _words("on at am um à às a an le el de del em il du den the of en for")  # `on Monday, at 9`
_CONJUNCTIONS = _words("and & und et e y og")
_ROLE_WORDS = _words(
    "staff writer writers reporter reporters correspondent correspondents contributor contributors editor editors "
    "columnist journalist producer staffer critic reports"
)
_ROLE_MODIFIERS = _words(
    "senior chief special sports political foreign national associate deputy managing executive business science "
    "health tech technology entertainment investigative freelance guest contributing staff wire news digital "
    "metro city state white house"
)
_OUTLET_WORDS = _words(
    "news newspaper times post press media herald tribune journal gazette chronicle daily today magazine network "
    "radio tv television agency wire newswire online newsroom observer telegraph bureau desk"
)
_NOT_A_BYLINE = _words(  # photo and image credits sit next to bylines and name people too
    "© (c) photo photos photograph photography photographer image images getty shutterstock istock credit credits "
    "illustration caption file via pool"
)
# Words that open headlines, menus and prose, never a name (`May`, `Will`, `Do`, `An` are surnames or names).
_NOT_A_NAME = (_NOT_A_PLACE - {"may", "will", "do", "an", "new", "first", "last", "plus", "see"}) | _words(
    "share follow sign log menu home search subscribe comments comment print email save close skip"
)


@dataclass(slots=True)
class _Token:
    kind: str  # sep photo strong number month date label handle domain conj neutral role particle name x,
    # or for a phrase: marker source wire agency
    start: int
    end: int
    text: str


def _classify(text: str) -> str:
    core = text.strip("()[]:")
    folded = core.lower().rstrip(".,")
    if not core or all(c in _SEPARATOR_CHARS for c in text):
        return "sep"
    if folded in _NOT_A_BYLINE or text in ("©", "(c)"):
        return "photo"
    if _NUMERIC_DATE.fullmatch(text) or _TIME.fullmatch(text):
        return "strong"
    if _NUMBER.fullmatch(core):
        return "number"
    if folded in _MONTHS:
        return "month"
    if folded in _WEEKDAYS or folded in _TIME_ZONES or folded in _AM_PM or folded in _RELATIVE:
        return "date"
    if folded in _LABELS:
        return "label"
    if _HANDLE.fullmatch(core):
        return "handle"
    if _DOMAIN.fullmatch(core):
        return "domain"
    if core in _CONJUNCTIONS:
        return "conj"
    if core in _CONNECTORS or core in ("On", "At", "ON", "AT"):  # `By Jane Doe On 11/13/19 at 4:00 PM`
        return "neutral"
    if folded in _ROLE_WORDS and core.islower():
        return "role"
    if core.islower() and core.rstrip(".") in _NAME_PARTICLES:
        return "particle"
    if core[0].isupper() or (core[0].isalpha() and not core[0].islower()):  # capitalised, or an uncased script
        return "name" if all(c.isalpha() or c in ".'’-" for c in core) else "x"
    return "x"


def _tokens(line: str) -> list[_Token]:
    """The line's tokens, with agencies, markers and `by`-phrases read as one token each."""
    spans: dict[int, tuple[int, str]] = {}
    for match in _AGENCY_IN_LINE.finditer(line):
        spans[match.start()] = (match.end(), "wire" if match.group("wire") else "agency")
    for pattern, kind in ((_MARKERS, "marker"), (_SOURCE_MARKER, "source")):
        for match in pattern.finditer(line):
            spans.setdefault(match.start(), (match.end(), kind))
    tokens: list[_Token] = []
    skip_to = 0
    for match in _LINE_TOKEN.finditer(line):
        if match.start() < skip_to:
            continue
        span = spans.get(match.start())
        if span is not None:
            tokens.append(_Token(span[1], match.start(), span[0], line[match.start() : span[0]]))
            skip_to = span[0]
        else:
            tokens.append(_Token(_classify(match.group()), match.start(), match.end(), match.group()))
    return tokens


def _resolve_months(tokens: list[_Token]) -> None:
    """A month next to a number is a date (`Nov 19`, `19 November`); alone, capitalised, it may be a name (`May`)."""
    for i, token in enumerate(tokens):
        if token.kind != "month":
            continue
        near = [tokens[j].kind for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
        if "number" in near or "strong" in near or "month" in near:  # `Nov 19`, `Nov. November 18, 2019`
            token.kind = "strong"
        else:
            token.kind = "name" if token.text[0].isupper() else "date"


@dataclass(slots=True)
class _Run:
    """Capitalised words in a row: a person, an outlet (`NJ Advance Media`) or a role (`Senior Contributor`)."""

    tokens: list[_Token]

    def words(self) -> list[str]:
        return [t.text.strip("()[]:,") for t in self.tokens]

    def text(self, line: str) -> str:
        return line[self.tokens[0].start : self.tokens[-1].end]


def _split_role(run: _Run) -> tuple[_Run | None, str]:
    """Split `Bruce Y. Lee Senior Contributor` into the person and what the rest is: "", "role" or "outlet"."""
    folded = [w.lower().rstrip(".") for w in run.words()]
    role_at = next((i for i, w in enumerate(folded) if w in _ROLE_WORDS), None)
    if role_at is not None:
        while role_at > 0 and (folded[role_at - 1] in _ROLE_MODIFIERS or folded[role_at - 1] in _OUTLET_WORDS):
            role_at -= 1
        person = _Run(run.tokens[:role_at]) if role_at >= 2 else None
        if person is not None and any(w in _OUTLET_WORDS for w in folded[:role_at]):
            return None, "outlet"
        return person, "role"
    if any(w in _OUTLET_WORDS for w in folded):
        return None, "outlet"
    return run, ""


def _person(run: _Run, line: str, single_word_ok: bool) -> str | None:
    words = run.words()
    core = [w for w, t in zip(words, run.tokens) if t.kind != "particle"]
    if not (2 if not single_word_ok else 1) <= len(core) <= 5 or run.tokens[-1].kind == "particle":
        return None
    if any(len(w.rstrip(".")) > 1 and w.rstrip(".").lower() in _NOT_A_NAME for w in core):  # initials are fine
        return None
    half = len(run.tokens) // 2
    if len(run.tokens) % 2 == 0 and words[:half] == words[half:]:  # `Sean Martin Sean Martin` (avatar + link)
        return line[run.tokens[0].start : run.tokens[half - 1].end]
    return run.text(line)


def match_byline(line: str) -> Byline | None:
    """The byline or timestamp a whole line of page text is, else None.

    Bylines: `By Jane Doe`, `By Jane Doe, Reuters`, `By Jane Doe and John Roe`, `Jane Doe, CNN`,
    `Jane Doe | Staff writer`, `Von Hans Müller`, `Associated Press November 19, 2019, 9:02 AM`. Timestamps:
    `Published 11:34 PM EST Nov 19, 2019`, `Updated: Nov. 19, 2019`. A line of prose (`By the end of the year,
    prices rose.`), a photo credit, or a lone name with nothing that marks it as a byline is not one.
    """
    line = line.strip()
    if not line or len(line) > BYLINE_MAX_CHARS or line[0] in "—–―":
        return None  # `— Jane Doe (@jdoe) November 1, 2019` signs a quote or an embedded post, not the story
    tokens = _tokens(line)
    _resolve_months(tokens)
    if any(t.kind in ("x", "photo") for t in tokens):
        tokens = tokens[: _credit_end(tokens)]
        if not tokens or any(t.kind in ("x", "photo") for t in tokens):
            return None
    dated = any(t.kind == "strong" for t in tokens) or any(t.kind == "date" and t.text.lower() == "ago" for t in tokens)
    runs = _runs(tokens)
    marker = next((i for i, t in enumerate(tokens) if t.kind in ("marker", "source")), None)
    if marker is not None and any(t.kind in ("name", "particle", "role", "conj") for t in tokens[:marker]):
        marker = None  # `Edited by`, `He said by` ...: only dates and labels may stand before `By`
    if marker is None and any(t.kind in ("marker", "source") for t in tokens):
        return None
    wires = [t for t in tokens if t.kind == "wire"]
    outlets = [t for t in tokens if t.kind == "agency"]
    agency = (wires + outlets)[0].text if wires or outlets else None
    if marker is not None:
        return _credited_byline(line, tokens, marker, runs, agency, dated)
    return _bare_byline(line, tokens, runs, wires, agency, dated)


def _credit_end(tokens: list[_Token]) -> int:
    """After a marker that never opens prose (`Posted by`, `Publicado por:`, `Author:`) and the names after it,
    the first separator ends the credit: `Posted by Jane Doe - Categoria: Saúde - Tags: ...`. Else 0."""
    marker = next((i for i, t in enumerate(tokens) if t.kind == "marker"), None)
    if marker is None or tokens[marker].text in _SENTENCE_MARKERS:
        return 0
    named = False
    for i in range(marker + 1, len(tokens)):
        if tokens[i].kind == "sep" and tokens[i].text != "," and named:
            return i
        named = named or tokens[i].kind == "name"
    return 0


def _runs(tokens: list[_Token]) -> list[tuple[int, _Run]]:
    """(index of its first token, run) for every run of name words (particles inside, `May` as a name)."""
    runs: list[tuple[int, _Run]] = []
    current: list[_Token] = []
    for i, token in enumerate(tokens + [_Token("sep", 0, 0, "")]):
        if token.kind in ("name", "particle") and (current or token.kind == "name"):
            current.append(token)
            continue
        if current:
            runs.append((i - len(current), _Run(current)))
        current = []
    return runs


def _credited_byline(
    line: str, tokens: list[_Token], marker: int, runs: list[tuple[int, _Run]], agency: str | None, dated: bool
) -> Byline | None:
    """`By Jane Doe and John Roe, Reuters | Nov 19`: the people right after the marker, then what credits them."""
    marker_token = tokens[marker]
    if marker_token.kind == "source":  # `Source: Reuters`; `Source: Defense Ministry` cites, it does not credit
        name = agency or next((t.text for t in tokens[marker:] if t.kind == "domain"), None)
        return Byline(agency=name, dated=dated) if name else None
    evidence = dated or any(t.kind in ("handle", "domain", "wire", "agency", "role") for t in tokens)
    single_word_ok = marker_token.text not in _SENTENCE_MARKERS or evidence
    authors: list[str] = []
    i = marker + 1
    for at, run in runs:
        if at < i:
            continue
        if at != i:  # the names follow the marker, joined by `and`, `&` or commas; anything else ends them
            break
        person, rest = _split_role(run)
        name = _person(person, line, single_word_ok and not authors) if person else None
        if rest == "outlet" and not authors:
            agency = agency or run.text(line)
        if name is None:
            break
        authors.append(name)
        i = at + len(run.tokens)
        while i < len(tokens) and (tokens[i].kind == "conj" or tokens[i].text == ","):
            i += 1
        if rest:
            break
    if not authors and agency is None:
        if marker + 1 < len(tokens) and tokens[marker + 1].kind in ("wire", "agency", "domain"):
            agency = tokens[marker + 1].text  # `By Reuters`, `By NJ.com`
        else:
            return None
    if agency is None:
        domain = next((t.text for t in tokens[marker:] if t.kind == "domain"), None)
        agency = domain
    return Byline(authors=tuple(authors), agency=agency, dated=dated)


def _bare_byline(
    line: str, tokens: list[_Token], runs: list[tuple[int, _Run]], wires: list[_Token], agency: str | None, dated: bool
) -> Byline | None:
    """A line without `By`: `Jane Doe, CNN`, `Tom Davies Associated Press`, `Jane Doe | Staff writer`,
    `Chris Davies - Nov 19, 2019`, `Reuters November 18, 2019`, or a timestamp."""
    if any(t.kind == "conj" for t in tokens) and not runs:
        return None
    first_agency = next((i for i, t in enumerate(tokens) if t.kind in ("wire", "agency")), len(tokens))
    authors: list[str] = []
    credit = agency
    role = bureau = glued_date = False
    for at, run in runs:
        if at > first_agency:
            continue  # `Reuters, Washington`: the place the agency filed from
        person, rest = _split_role(run)
        role = role or rest == "role"
        bureau = bureau or any(w.lower() in ("bureau", "desk") for w in run.words())
        if rest == "outlet" and credit is None:
            credit = run.text(line)
        name = _person(person, line, single_word_ok=False) if person else None
        if name is None and not rest:
            return None  # a capitalised word that is neither a name nor a credit: a headline, a menu
        if name is not None:
            authors.append(name)
            after = at + len(run.tokens)
            glued_date = glued_date or (after < len(tokens) and tokens[after].kind in ("strong", "number", "date"))
    handle = any(t.kind == "handle" for t in tokens)
    if bureau:
        authors = []  # `New Delhi, News Nation Bureau`: a bureau is credited with the place it files from
    # `Hong Kong Protests | Reuters` is a page title; a byline reads `Jane Doe, Reuters`.
    titled = first_agency < len(tokens) and tokens[first_agency - 1].text in ("|", "-", "–", "—", ":")
    if authors and titled and not (dated or handle or role):
        return None
    credit = credit or next((t.text for t in tokens if t.kind == "domain"), None)
    if not authors:
        if credit is not None and (wires or dated) and not role:
            return Byline(agency=credit, dated=dated)  # `Associated Press`, `Reuters November 18, 2019 11:03 PM`
        if credit is None and not role and dated and not handle and not runs:
            return Byline(dated=True)  # `Published 11:34 PM EST Nov 19, 2019`
        return None
    # A name and a date alone must be set apart (`Chris Davies - Nov 19`): `Opening Bell 11.18.19` is a headline.
    if credit is not None or role or handle or (dated and len(authors) == 1 and not glued_date):
        return Byline(authors=tuple(authors), agency=credit, dated=dated)
    return None


# --- the author an editor's note or a bio names ------------------------------------------------------------------

_NOTE_AUTHOR = re.compile(
    r"\s*[(\[]?\s*(?i:Editor(?:['’]?s|s['’]?)?\s+note\s*(?::|—|–|--?)\s*)?(?:By\s+)?"
    r"(?P<name>[^\W\d_][\w.'’-]+(?:\s+(?:and\s+|&\s+)?(?:[^\W\d_][\w.'’-]*)){1,7}?)"
    r"(?:\s*\(@\w+\))?"
    r"\s*(?:,|\s+(?:is|was|are|were|has|had|have|served|serves|writes|wrote|teaches|taught|covers|directs|leads"
    r"|heads|works|worked|holds|chairs|founded|co-founded|runs|edits|hosts|reports|studies|researches|lives"
    r"|became)\b)"
)
_NOTE_PARTICLES = _NAME_PARTICLES | frozenset({"abu", "and", "&"})


def author_from_note(paragraph: str) -> str | None:
    """The author an `Editor's note:` or an author-bio paragraph opens with, else None.

    `Editor's Note: Maria Chen is a professor at ...`, `Editor’s note: Maria Chen, a professor, ...`,
    `Maria de la Cruz is a civil engineer ...`, `Maria Chen and John Roe are ...` (both, as written). The
    caller decides that the paragraph is a note or a bio; a note that names a show (`CNN Marketplace Africa
    covers ...`) or opens with something else (`In this series, ...`) names no one.
    """
    match = _NOTE_AUTHOR.match(paragraph[:400])
    if match is None:
        return None
    name = match.group("name").strip()
    words = name.split()
    for word in words:
        if word[0].islower() and word.rstrip(".") not in _NOTE_PARTICLES:
            return None
        if word[0].isupper() and word.rstrip(".").lower() in _NOT_A_NAME:
            return None
    if words[-1].lower() in _NOTE_PARTICLES or _AGENCY_IN_LINE.search(name):
        return None
    return name

"""Which language an article's body is written in, offline, with a confidence; "und" when unsure.

The detector is py3langid's naive Bayes model over byte n-grams (142 languages, shipped in its wheel). Its model
file is NumPy arrays in LZMA, read with `allow_pickle=False` (py3langid 0.4; older releases unpickled their
model, hence the version floor in pyproject). The probabilities are softmaxed with a temperature of
sqrt(bytes), so a short text gets a low confidence rather than a confident wrong guess.

Only the first `SAMPLE_BYTES` of the body are read: enough for a sure answer on any real paragraph, and it keeps
the cost per article a fraction of a millisecond whatever the input's size.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

UNDETERMINED = "und"  # ISO 639-2 "undetermined"
ENGLISH = "en"
# py3langid's cost grows with the bytes it reads: 600 bytes are ~200 characters of CJK text, ~600 of Latin, a
# few sentences, from which news prose is identified with confidence ≥ 0.99 (tests/test_language.py).
SAMPLE_BYTES = 600
# Below this, the answer is "und": the pipeline switches methods only on strong evidence. On 2,587 CNN
# highlights cut to 1–8 words, no English text reached it as another language (0.902 was the highest: a
# four-word Nigerian headline read as Nigerian Pidgin).
MIN_CONFIDENCE = 0.95
# Fewer letters than this is no evidence at all ("OK", "2:1").
MIN_LETTERS = 8
# Languages that the model tells apart but that share one written standard for our purpose (ISO 639-3
# macrolanguages): their probabilities are added up, and the best member names the group.
_MACROLANGUAGES = {"ary": "ar", "arz": "ar", "wuu": "zh", "yue": "zh", "nn": "no", "id": "ms", "uzs": "uz", "sdh": "ku"}
_NO_LANGUAGE = "zxx"  # the model's label for text with no linguistic content
_LETTER = re.compile(r"[^\W\d_]")
# Most articles are English, and English shows itself in its function words: a sample of at least
# `ENGLISH_MIN_WORDS` words of which `ENGLISH_STOP_SHARE` or more are English stop words (jusText's list) is
# English without running the model, which is most of an article's language cost. The share is 0.30 at the
# lowest on 400 CNN/DailyMail training stories (0.41 at the 10th percentile), and at most 0.18 on non-English
# text: the 18 non-English development pages, and the test paragraphs with English titles quoted in them.
ENGLISH_STOP_SHARE = 0.3
ENGLISH_MIN_WORDS = 30
_WORD = re.compile(r"\w+")

NAMES = {
    "ace": "Acehnese",
    "af": "Afrikaans",
    "am": "Amharic",
    "an": "Aragonese",
    "ar": "Arabic",
    "ary": "Moroccan Arabic",
    "arz": "Egyptian Arabic",
    "as": "Assamese",
    "az": "Azerbaijani",
    "ba": "Bashkir",
    "bcl": "Central Bikol",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "br": "Breton",
    "bs": "Bosnian",
    "ca": "Catalan",
    "crh": "Crimean Tatar",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "dz": "Dzongkha",
    "el": "Greek",
    "en": "English",
    "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "ext": "Extremaduran",
    "fa": "Persian",
    "fi": "Finnish",
    "fo": "Faroese",
    "fr": "French",
    "fuv": "Nigerian Fulfulde",
    "fy": "Western Frisian",
    "ga": "Irish",
    "gcf": "Guadeloupean Creole",
    "gcr": "Guianese Creole",
    "gd": "Scottish Gaelic",
    "gl": "Galician",
    "gom": "Goan Konkani",
    "grc": "Ancient Greek",
    "gu": "Gujarati",
    "gug": "Paraguayan Guarani",
    "guw": "Gun",
    "ha": "Hausa",
    "hbo": "Ancient Hebrew",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "ht": "Haitian Creole",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "ig": "Igbo",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "jv": "Javanese",
    "ka": "Georgian",
    "kab": "Kabyle",
    "kik": "Kikuyu",
    "kk": "Kazakh",
    "km": "Khmer",
    "kn": "Kannada",
    "ko": "Korean",
    "ku": "Kurdish",
    "ky": "Kyrgyz",
    "la": "Latin",
    "lb": "Luxembourgish",
    "lg": "Ganda",
    "lij": "Ligurian",
    "ln": "Lingala",
    "lo": "Lao",
    "lt": "Lithuanian",
    "ltg": "Latgalian",
    "lv": "Latvian",
    "mg": "Malagasy",
    "mk": "Macedonian",
    "ml": "Malayalam",
    "mn": "Mongolian",
    "mr": "Marathi",
    "ms": "Malay",
    "mt": "Maltese",
    "my": "Burmese",
    "ne": "Nepali",
    "nl": "Dutch",
    "nn": "Norwegian Nynorsk",
    "no": "Norwegian",
    "nso": "Northern Sotho",
    "oc": "Occitan",
    "om": "Oromo",
    "or": "Odia",
    "pa": "Punjabi",
    "pcm": "Nigerian Pidgin",
    "pl": "Polish",
    "ps": "Pashto",
    "pt": "Portuguese",
    "qu": "Quechua",
    "ro": "Romanian",
    "ru": "Russian",
    "rw": "Kinyarwanda",
    "sa": "Sanskrit",
    "sdh": "Southern Kurdish",
    "se": "Northern Sami",
    "si": "Sinhala",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sn": "Shona",
    "so": "Somali",
    "sq": "Albanian",
    "sr": "Serbian",
    "st": "Southern Sotho",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "tg": "Tajik",
    "th": "Thai",
    "tk": "Turkmen",
    "tl": "Tagalog",
    "tr": "Turkish",
    "tt": "Tatar",
    "ug": "Uyghur",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "uzs": "Southern Uzbek",
    "vec": "Venetian",
    "vi": "Vietnamese",
    "vo": "Volapük",
    "wa": "Walloon",
    "wuu": "Wu Chinese",
    "xh": "Xhosa",
    "yo": "Yoruba",
    "yue": "Cantonese",
    "zh": "Chinese",
    "zu": "Zulu",
}


@dataclass(frozen=True, slots=True)
class Language:
    """`code`: an ISO 639 code (two letters where one exists), or "und" when the evidence is weak.
    `confidence`: the model's probability of its best guess (its macrolanguage's, summed), also for "und"."""

    code: str
    confidence: float

    @property
    def name(self) -> str:
        return language_name(self.code)

    @property
    def is_other_than_english(self) -> bool:
        """Confidently a language other than English: what makes the pipeline leave its English-trained parts."""
        return self.code not in (ENGLISH, UNDETERMINED)

    def describe(self) -> str:
        """'German (de)', for messages."""
        return f"{self.name} ({self.code})"


def language_name(code: str) -> str:
    return "undetermined" if code == UNDETERMINED else NAMES.get(code, code)


def detect_language(text: str) -> Language:
    """The language of `text` (read up to `SAMPLE_BYTES`), or "und" with the best guess's confidence. Text that
    is plainly English (`ENGLISH_STOP_SHARE`) is English with confidence 1.0, without the model."""
    head = text[:SAMPLE_BYTES]  # never fewer bytes than characters
    if sum(1 for _ in islice(_LETTER.finditer(head), MIN_LETTERS)) < MIN_LETTERS:
        return Language(UNDETERMINED, 0.0)
    words = _WORD.findall(head.lower())
    if len(words) >= ENGLISH_MIN_WORDS and sum(map(_english_stop_words().__contains__, words)) >= (
        ENGLISH_STOP_SHARE * len(words)
    ):
        return Language(ENGLISH, 1.0)
    sample = head.encode("utf-8", errors="replace")[:SAMPLE_BYTES]
    # A cut inside a multi-byte character is trimmed by py3langid itself (up to three trailing bytes).
    totals: dict[str, float] = defaultdict(float)
    best_member: dict[str, tuple[float, str]] = {}
    for label, probability in _identifier().rank(sample):
        group = _MACROLANGUAGES.get(label, label)
        totals[group] += probability
        if group not in best_member or probability > best_member[group][0]:
            best_member[group] = (probability, label)
    group = max(totals, key=totals.__getitem__)
    confidence = min(1.0, totals[group])
    if confidence < MIN_CONFIDENCE or group == _NO_LANGUAGE:
        return Language(UNDETERMINED, confidence)
    return Language(best_member[group][1], confidence)


@lru_cache(maxsize=1)
def _english_stop_words() -> frozenset[str]:
    import justext  # installed with trafilatura

    return frozenset(justext.get_stoplist("English"))


def load() -> None:
    """Read the model now (about 0.6 s and 70 MB, once per process) rather than on the first article."""
    _identifier()


_lock = threading.Lock()
_loaded: list[Any] = []


def _identifier() -> Any:
    """py3langid's identifier with normalised probabilities, built once per process."""
    if not _loaded:
        with _lock:
            if not _loaded:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                if not str(MODEL_FILE).endswith(".npz.xz"):  # py3langid < 0.4 ships a pickle: never load it
                    raise RuntimeError("highlights needs py3langid>=0.4,<0.5 (older releases unpickle their model)")
                _loaded.append(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
    return _loaded[0]

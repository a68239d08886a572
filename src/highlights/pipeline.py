"""The one place the stages are wired: ingest → segment → score → fit → select → compress → render-ready Summary.

`Summarizer` holds the options and the model folder; `summarize()` is one with the shipped models.

Between ingest and segment, body lines that are not prose (links, code, encoded data, PDF syntax, keystrokes)
are kept out (`ingest.prose`), and the body's language is detected (`ingest.language`). The method and
compression are then chosen: when the caller left them to us (`None`), text confidently in a language other
than English gets `FALLBACK_METHOD` and whole sentences, because the learned method and compression are
trained on English news; when the caller named them, they are used, with a warning. Every such decision is a
sentence in `Summary.warnings`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from highlights.article import Article, Deletion, Highlight, Span, Summary, source_pieces
from highlights.compress import DEFAULT_COMPRESS, Compressed, apply_cuts
from highlights.compress.deletions import DeletionModel, deletion_model
from highlights.compress.fit import Fitted, bullet_words, fit_bullet, statements, words_after_fitting
from highlights.errors import EmptyInputError, NotProseError
from highlights.ingest import Document, ingest
from highlights.ingest.furniture import META_FILE as FURNITURE_META_FILE
from highlights.ingest.language import SAMPLE_BYTES, Language, detect_language
from highlights.ingest.prose import check_prose, looks_like_pdf, refusal
from highlights.model_folder import folder_key
from highlights.options import DEFAULT_MAX_WORDS_PER_BULLET, DEFAULT_METHOD, FALLBACK_METHOD, Budget, Options
from highlights.score import Scorer, get_scorer
from highlights.segment import bullet_candidates, segment
from highlights.select import auto_bullet_count, select
from highlights.summary_options import SUMMARY_OPTIONS, options_from


class _Unset:
    """The default of a keyword setting: not given, so the default of `Options` (or `Budget`) applies."""

    def __repr__(self) -> str:
        return "<Options' default>"


# Typed as Any so that the signatures below show each setting's own type.
UNSET: Any = _Unset()
# The keyword settings of `Summarizer` and `summarize()` are the declared summarize options, each by the name of
# the field it sets (`attribute`, where the apps say `attribution`); this maps them to the declared names. The
# signatures spell them out, for `help()` and type checkers; tests/test_options.py checks that they are exactly
# these, in this order.
_OPTION_NAMES = {option.python_name: option.name for option in SUMMARY_OPTIONS}


def _options(options: Options | None, settings: dict[str, Any]) -> Options:
    """`options`, or the `Options` the keyword `settings` given (not `UNSET`) make; both at once is an error,
    since the settings would be silently ignored."""
    given = {name: value for name, value in settings.items() if value is not UNSET}
    if options is not None:
        if given:
            raise TypeError(
                f"options= and {', '.join(given)} were both given, and options= would win: give the "
                "settings either in the Options (dataclasses.replace(options, ...)) or as keyword "
                "arguments, not both"
            )
        return options
    return options_from({_OPTION_NAMES[name]: value for name, value in given.items()})


class Summarizer:
    """The pipeline with one set of options and one model folder: `Summarizer(...).summarize(content)`.

    The settings are the summarize options (`summary_options.SUMMARY_OPTIONS`: the fields of `Options`, those of
    its `Budget` flattened), as keyword arguments or as `options=`, not both. `model_dir` is a folder of trained
    models (`highlights train --out DIR`; its `meta.json` must say they fit this version); None means the
    shipped ones; a folder that also holds a page-furniture model (`highlights train-furniture --out DIR`) reads pages
    with it. Models load once per process and folder, on first use (`load()` loads them now), so
    Summarizers are cheap to make and any number may share a folder.
    """

    def __init__(
        self,
        *,
        method: str | None = UNSET,
        bullets: int | None = UNSET,
        length: str = UNSET,
        max_words_per_bullet: int | None = UNSET,
        max_words: int | None = UNSET,
        redundancy: float | None = UNSET,
        format: str = UNSET,
        attribute: bool = UNSET,
        compress: bool | None = UNSET,
        options: Options | None = None,
        model_dir: Path | str | None = None,
    ) -> None:
        settings = {name: value for name, value in locals().items() if name in _OPTION_NAMES}  # the keywords above
        self.options = _options(options, settings)
        self.model_dir = folder_key(model_dir)  # None: the shipped models
        # The folder's page-furniture model too, when it has one (`highlights train-furniture --out` the same folder).
        has_furniture = self.model_dir is not None and (self.model_dir / FURNITURE_META_FILE).is_file()
        self.furniture_dir = self.model_dir if has_furniture else None
        if self.options.method is not None:
            get_scorer(self.options.method, self.model_dir)  # unknown names fail before any work

    def load(self) -> Summarizer:
        """Read the models this Summarizer may use now, not on the first article (a worker starting up)."""
        methods = [self.options.method] if self.options.method is not None else [DEFAULT_METHOD, FALLBACK_METHOD]
        for method in methods:
            get_scorer(method, self.model_dir).load()
        if self.options.compress is not False:  # on, or left to the language (on for English)
            deletion_model(self.model_dir).load()
        return self

    def summarize(self, content: str | bytes | Document | Article) -> Summary:
        """Highlight bullets for one article.

        `content` is article text (plain, scraped from a page, or HTML), bytes of it, a `Document` from
        `read_document()`, or an already ingested `Article`. `Summary.language` and `Summary.warnings` say what
        was found and done. Raises `HighlightsError` subclasses with a clear message for input that is empty,
        binary, unreadable or not prose.
        """
        options = self.options
        if isinstance(content, Article):
            article = content
        elif isinstance(content, Document):
            article = ingest(
                content.content,
                format=content.format if options.format == "auto" else options.format,
                source=content.source,
                furniture_model=self.furniture_dir,
            )
        else:
            article = ingest(content, format=options.format, furniture_model=self.furniture_dir)
        warnings: list[str] = []
        if not article.sentences:  # not segmented yet: the lines that are not prose can still be kept out
            article = _keep_prose(article, warnings)
        language = detect_language(_language_sample(article))
        method, compress = _choose(options, language, warnings)
        scorer = get_scorer(method, self.model_dir)
        if not article.sentences:
            article = segment(article, max_sentences=options.max_candidates)
        elif len(article.sentences) > options.max_candidates:
            article = replace(article, sentences=article.sentences[: options.max_candidates])
        if not article.sentences:
            raise EmptyInputError("the article has no sentences with words in them")

        scores = scorer.score(article)
        budget = options.budget
        deletions = deletion_model(self.model_dir) if compress else None
        # Which sentences may become bullets (a verb is told by English word lists: English text only), and how
        # long each is as one (fitted to the word budget).
        english = not language.is_other_than_english
        eligible = statements(article.sentences) if english else bullet_candidates(article.sentences)
        words, fitted = self._fit(article, scorer, scores, deletions, eligible)
        # A scorer that can judge whole summaries (the learned one) chooses the set itself; otherwise, or when
        # nothing it can judge fits the budget, sentences are taken greedily by score. Both read each sentence's
        # length once fitted to the budget.
        chosen = scorer.choose(article, scores, budget, words, eligible)
        if chosen is None:
            # A scorer that knows how many bullets its scores support decides that when the user did not.
            count = scorer.bullet_count(article, scores) if budget.bullets is None else None
            chosen = select(article, scores, budget, bullets=count, words=words, eligible=eligible)

        attribution = article.author if options.attribute and article.kind == "opinion" else None
        bullet_spans = [(i, _bullet_span(article, i, budget.max_words_per_bullet)) for i in chosen]
        shortened = self._compress(article, bullet_spans, deletions, fitted)
        over = [c for (_, span), c in zip(bullet_spans, shortened) if _bullet_length(article, span, c) > _limit(budget)]
        if over:
            warnings.append(_over_budget_warning(budget, compress))
        # CNN names the author on the first bullet of an opinion piece only.
        highlights = [
            _highlight(article, i, span, scores, attribution if k == 0 else None, compressed)
            for k, ((i, span), compressed) in enumerate(zip(bullet_spans, shortened))
        ]
        return Summary(
            highlights=highlights,
            text=article.text,
            method=method,
            title=article.title,
            author=article.author,
            kind=article.kind,
            reference_highlights=list(article.reference_highlights),
            source=article.source,
            removed=list(article.removed),
            sentence_count=len(article.sentences),
            language=language.code,
            warnings=warnings,
        )

    def _fit(
        self,
        article: Article,
        scorer: Scorer,
        scores: np.ndarray,
        deletions: DeletionModel | None,
        eligible: list[bool],
    ) -> tuple[list[int], dict[int, Fitted]]:
        """Each sentence's length once fitted to the per-bullet budget, and the sentences fitted by compressing
        them (`compress/fit.py`); without compression a sentence is as long as it is."""
        words = [sentence.words for sentence in article.sentences]
        limit = _fitting_limit(self.options.budget)
        if deletions is None or limit is None or max(words) <= limit:
            return words, {}
        budget = self.options.budget
        size = budget.bullets or scorer.bullet_count(article, scores) or auto_bullet_count(len(words))
        return words_after_fitting(article, scores, limit, deletions, size, eligible, parse=_parses(limit))

    def _compress(
        self,
        article: Article,
        bullets: list[tuple[int, Span]],
        deletions: DeletionModel | None,
        fitted: dict[int, Fitted],
    ) -> list[Compressed | None]:
        """Each chosen sentence compressed, in the summary it is part of: the cuts worth making, and for a
        sentence over the per-bullet budget, the cuts that fit it into the length the choice took it to have (as
        fitted before the choice when the summary's own rating cannot)."""
        if deletions is None:
            return [None] * len(bullets)
        limit = _fitting_limit(self.options.budget) or 0  # 0: no budget, nothing to fit
        over = [0 < limit < len(span.of(article.text).split()) for _, span in bullets]
        shortened: list[Compressed | None] = []
        parsed = over if _parses(limit) else None
        for (i, span), rated, fitting in zip(bullets, deletions.rated_cuts(article, bullets, fitting=parsed), over):
            if not fitting:
                shortened.append(apply_cuts(article.text, span, rated.worth_making()))
                continue
            # No longer than the choice took it to be (a total budget counts on it), and within the limit.
            assumed = fitted[i].words if i in fitted else limit
            result = fit_bullet(article.text, span, rated, assumed)
            if result.words > assumed and i in fitted:
                result = fitted[i]
            shortened.append(result.compressed)
        return shortened


def summarize(
    content: str | bytes | Document | Article,
    *,
    method: str | None = UNSET,
    bullets: int | None = UNSET,
    length: str = UNSET,
    max_words_per_bullet: int | None = UNSET,
    max_words: int | None = UNSET,
    redundancy: float | None = UNSET,
    format: str = UNSET,
    attribute: bool = UNSET,
    compress: bool | None = UNSET,
    options: Options | None = None,
) -> Summary:
    """Highlight bullets for one article, with the shipped models: `Summarizer(...).summarize(content)`.

    Keyword arguments are the settings of `Options` (defaults: those of `Options` and `Budget`); pass `options=`
    instead to reuse one set, not both (a setting given beside `options=` is a TypeError, not silently ignored).
    `method` and `compress` left as None are chosen by the article's language (see `Options`).
    """
    return Summarizer(
        method=method,
        bullets=bullets,
        length=length,
        max_words_per_bullet=max_words_per_bullet,
        max_words=max_words,
        redundancy=redundancy,
        format=format,
        attribute=attribute,
        compress=compress,
        options=options,
    ).summarize(content)


def _keep_prose(article: Article, warnings: list[str]) -> Article:
    """The article without its body lines that are not prose; refused when none is prose."""
    if looks_like_pdf(article.text):
        raise NotProseError(refusal("pdf"))
    prose = check_prose(article.text, article.body)
    if reason := prose.refusal:
        raise NotProseError(reason)
    if warning := prose.warning():
        warnings.append(warning)
    if not prose.removed:
        return article
    removed = sorted([*article.removed, *prose.removed], key=lambda r: (r.span.start, r.span.end))
    return replace(article, body=prose.body, removed=removed)


def _language_sample(article: Article) -> str:
    """The start of the body, enough for `detect_language` (which reads `SAMPLE_BYTES`)."""
    pieces: list[str] = []
    size = 0
    for span in article.body:
        pieces.append(article.text[span.start : min(span.end, span.start + SAMPLE_BYTES - size)])
        size += len(pieces[-1]) + 1
        if size >= SAMPLE_BYTES:
            break
    return "\n".join(pieces)


def _choose(options: Options, language: Language, warnings: list[str]) -> tuple[str, bool]:
    """The method and whether to compress, for this article's language; what was decided goes in `warnings`."""
    method = options.method if options.method is not None else DEFAULT_METHOD
    compress = options.compress if options.compress is not None else DEFAULT_COMPRESS
    if not language.is_other_than_english:
        return method, compress
    looks = f"The article looks like {language.describe()}"
    if options.method is None:
        method = FALLBACK_METHOD
        warnings.append(
            f"{looks}; the learned method is trained on English news, so `{method}` (the article's "
            "first sentences) was used."
        )
    elif method == "learned":
        warnings.append(
            f"{looks}; the learned method was used, but it is trained on English news, so its choice "
            "of sentences may be poor."
        )
    if compress and options.compress is None:
        compress = False
        warnings.append(
            f"{looks}; compression uses English word lists and an English-trained model, so the "
            "bullets are whole sentences."
        )
    elif compress:
        warnings.append(
            f"{looks}; compression was applied, but it uses English word lists and an English-trained "
            "model, so its cuts may be wrong."
        )
    return method, compress


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")


def _bullet_span(article: Article, index: int, max_words: int | None) -> Span:
    """The sentence, or for a run of text with no sentence ending (segment had to split it by length: a list or
    a text with no punctuation) over the budget, its first `max_words` words: a prefix of a sentence would be a
    fragment, a prefix of such a run is as good as the run."""
    sentence = article.sentences[index]
    span = sentence.span
    if max_words is not None and sentence.words > max_words and not _SENTENCE_END.search(sentence.text):
        words = list(re.finditer(r"\S+", article.text[span.start : span.end]))
        span = Span(span.start, span.start + words[max_words - 1].end())
    return span


def _parses(limit: int) -> bool:
    """Whether fitting to `limit` words reads the parse (`compress/syntax.py`, when the extra is installed): only for
    a budget shorter than the default's, so that the default's bullets (and memory) are the same with or without."""
    return limit < DEFAULT_MAX_WORDS_PER_BULLET


def _fitting_limit(budget: Budget) -> int | None:
    """The words each bullet is fitted to: `max_words_per_bullet`, or less when a total (`max_words`) must hold
    the bullets asked for, or two when the method decides (a summary of 30 words: bullets of 15)."""
    limit = budget.max_words_per_bullet
    if budget.max_words is not None:
        share = max(budget.max_words // (budget.bullets or 2), 1)
        limit = share if limit is None else min(limit, share)
    return limit


def _limit(budget: Budget) -> float:
    return budget.max_words_per_bullet if budget.max_words_per_bullet is not None else float("inf")


def _bullet_length(article: Article, span: Span, compressed: Compressed | None) -> int:
    return bullet_words(article.text, compressed) if compressed is not None else len(span.of(article.text).split())


def _over_budget_warning(budget: Budget, compress: bool) -> str:
    how = "even when cut as far as it reads as a sentence" if compress else "and compression is off"
    return (
        f"No sentence of the article fits in {budget.max_words_per_bullet} words {how}; rather than cut one "
        "mid-sentence, a bullet is longer than max_words_per_bullet."
    )


def _highlight(
    article: Article, index: int, span: Span, scores: np.ndarray, attribution: str | None, compressed: Compressed | None
) -> Highlight:
    score = float(scores[index])
    rank = 1 + int(np.count_nonzero(scores > scores[index]))  # equal scores share the better rank
    if compressed is not None:
        return Highlight(
            text=compressed.text(article.text),
            spans=compressed.spans,
            score=score,
            sentence_index=index,
            attribution=attribution,
            fixups=compressed.fixups,
            deleted=tuple(Deletion(span, kind) for kind, span in compressed.deletions),
            rank=rank,
        )
    pieces = source_pieces(article.text, span)
    text = " ".join(piece.of(article.text) for piece in pieces)
    return Highlight(text=text, spans=pieces, score=score, sentence_index=index, attribution=attribution, rank=rank)

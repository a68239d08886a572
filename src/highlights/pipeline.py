"""The one place the stages are wired: ingest → segment → score → select → render-ready Summary.

Between ingest and segment, body lines that are not prose (links, code, encoded data, PDF syntax, keystrokes)
are kept out (`ingest.prose`), and the body's language is detected (`ingest.language`). The method and
compression are then chosen: when the caller left them to us (`None`), text confidently in a language other
than English gets `FALLBACK_METHOD` and whole sentences, because the learned method and compression are
trained on English news; when the caller named them, they are used, with a warning. Every such decision is a
sentence in `Summary.warnings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from highlights.article import Article, Deletion, Highlight, Span, Summary
from highlights.compress import DEFAULT_COMPRESS, Compressed, apply_cuts
from highlights.errors import EmptyInputError, NotProseError
from highlights.ingest import Document, ingest
from highlights.ingest.language import SAMPLE_BYTES, Language, detect_language
from highlights.ingest.prose import check_prose, looks_like_pdf, refusal
from highlights.score import get_scorer
from highlights.segment import segment
from highlights.select import DEFAULT_MAX_WORDS_PER_BULLET, Budget, select

DEFAULT_METHOD = "learned"  # for English (or undetermined) text when the caller names no method
# For text confidently in another language when the caller names no method. `lead` rather than `centrality`:
# it needs no words of any language (centrality's tokens and stopwords are English, and CJK text has no spaces
# between words), and on CNN stories it scores above centrality (BENCHMARKS.md: 28.97 vs 27.29 ROUGE-1).
FALLBACK_METHOD = "lead"
# Only the first sentences are candidates: highlights come from the story, and this keeps every scorer
# (some are quadratic in sentences) linear in the size of the input.
MAX_CANDIDATES = 500
_WHITESPACE_RUN = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Options:
    """Everything `summarize()` can be told. Defaults are what the CLI and the service use.

    `method` and `compress` left as None are chosen by the article's language: `DEFAULT_METHOD` and
    `DEFAULT_COMPRESS` for English (or text too short to tell), `FALLBACK_METHOD` and no compression for text
    confidently in another language. Given explicitly, they are used whatever the language (with a warning).
    """

    method: str | None = None
    budget: Budget = field(default_factory=Budget)
    attribute: bool = True  # prefix opinion bullets with the author's name, as CNN does
    format: str = "auto"  # "auto", "text" or "html"
    max_candidates: int = MAX_CANDIDATES
    compress: bool | None = None  # shorten each bullet by deleting low-content spans (compress.py)


def summarize(
    content: str | bytes | Document | Article,
    *,
    method: str | None = None,
    bullets: int | None = None,
    max_words_per_bullet: int | None = DEFAULT_MAX_WORDS_PER_BULLET,
    max_words: int | None = None,
    redundancy: float | None = None,
    attribute: bool = True,
    format: str = "auto",
    compress: bool | None = None,
    options: Options | None = None,
) -> Summary:
    """Highlight bullets for one article.

    `content` is article text (plain, scraped from a page, or HTML), bytes of it, a `Document` from
    `read_document()`, or an already ingested `Article`. Keyword arguments are the knobs of `Options`;
    pass `options=` instead to reuse one set. `method` and `compress` left as None are chosen by the article's
    language (see `Options`); `Summary.language` and `Summary.warnings` say what was found and done. Raises
    `HighlightsError` subclasses with a clear message for input that is empty, binary, unreadable or not prose.
    """
    if options is None:
        budget = Budget(bullets, max_words_per_bullet, max_words, redundancy)
        options = Options(method=method, budget=budget, attribute=attribute, format=format, compress=compress)
    if options.method is not None:
        get_scorer(options.method)  # unknown names fail before any work

    if isinstance(content, Article):
        article = content
    elif isinstance(content, Document):
        article = ingest(content.content, format=content.format if options.format == "auto" else options.format,
                         source=content.source)
    else:
        article = ingest(content, format=options.format)
    warnings: list[str] = []
    if not article.sentences:  # not segmented yet: the lines that are not prose can still be kept out
        article = _keep_prose(article, warnings)
    language = detect_language(_language_sample(article))
    method, compress = _choose(options, language, warnings)
    scorer = get_scorer(method)
    if not article.sentences:
        article = segment(article, max_sentences=options.max_candidates)
    elif len(article.sentences) > options.max_candidates:
        article = replace(article, sentences=article.sentences[: options.max_candidates])
    if not article.sentences:
        raise EmptyInputError("the article has no sentences with words in them")

    scores = scorer.score(article)
    # A scorer that can judge whole summaries (the learned one) chooses the set itself; otherwise, or when
    # nothing it can judge fits the budget, sentences are taken greedily by score.
    chosen = scorer.choose(article, scores, options.budget) if hasattr(scorer, "choose") else None
    if chosen is None:
        # A scorer that knows how many bullets its scores support decides that when the user did not.
        count = None
        if options.budget.bullets is None and hasattr(scorer, "bullet_count"):
            count = scorer.bullet_count(article, scores)
        chosen = select(article, scores, options.budget, bullets=count)

    attribution = article.author if options.attribute and article.kind == "opinion" else None
    bullet_spans = [(i, _bullet_span(article, i, options.budget.max_words_per_bullet)) for i in chosen]
    shortened: list[Compressed | None]
    if compress:
        from highlights.score.deletions import deletion_model

        ranked = deletion_model().ranked_cuts(article, bullet_spans)
        shortened = [apply_cuts(article.text, span, cuts) for (_, span), cuts in zip(bullet_spans, ranked)]
    else:
        shortened = [None] * len(bullet_spans)
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
        warnings.append(f"{looks}; the learned method is trained on English news, so `{method}` (the article's "
                        "first sentences) was used.")
    elif method == "learned":
        warnings.append(f"{looks}; the learned method was used, but it is trained on English news, so its choice "
                        "of sentences may be poor.")
    if compress and options.compress is None:
        compress = False
        warnings.append(f"{looks}; compression uses English word lists and an English-trained model, so the "
                        "bullets are whole sentences.")
    elif compress:
        warnings.append(f"{looks}; compression was applied, but it uses English word lists and an English-trained "
                        "model, so its cuts may be wrong.")
    return method, compress


def source_pieces(text: str, span: Span) -> tuple[Span, ...]:
    """The span split at line breaks and runs of whitespace, so that joining the pieces with single spaces
    gives readable text while each piece is still exactly `text[start:end]`."""
    pieces = []
    pos = span.start
    for match in _WHITESPACE_RUN.finditer(text, span.start, span.end):
        if match.group() != " ":
            if match.start() > pos:
                pieces.append(Span(pos, match.start()))
            pos = match.end()
    if pos < span.end:
        pieces.append(Span(pos, span.end))
    return tuple(pieces)


def _bullet_span(article: Article, index: int, max_words: int | None) -> Span:
    sentence = article.sentences[index]
    span = sentence.span
    if max_words is not None and sentence.words > max_words:
        # Only reached when no sentence fits the limit: keep the first `max_words` words of the best one.
        words = list(re.finditer(r"\S+", article.text[span.start : span.end]))
        span = Span(span.start, span.start + words[max_words - 1].end())
    return span


def _highlight(article: Article, index: int, span: Span, scores: np.ndarray, attribution: str | None,
               compressed: Compressed | None) -> Highlight:
    score = float(scores[index])
    rank = 1 + int(np.count_nonzero(scores > scores[index]))  # equal scores share the better rank
    if compressed is not None:
        return Highlight(text=compressed.text(article.text), spans=compressed.spans, score=score,
                         sentence_index=index, attribution=attribution, fixups=compressed.fixups,
                         deleted=tuple(Deletion(span, kind) for kind, span in compressed.deletions), rank=rank)
    pieces = source_pieces(article.text, span)
    text = " ".join(piece.of(article.text) for piece in pieces)
    return Highlight(text=text, spans=pieces, score=score, sentence_index=index, attribution=attribution, rank=rank)

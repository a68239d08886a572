"""The token layer: each form of the words (ROUGE against rouge-score itself, PTB as the training corpus has it,
content terms), their offsets, and an article's layer made once and read by every stage."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rouge_score import tokenizers

from highlights.ingest import ingest
from highlights.segment import segment
from highlights.tokens import (
    _PTB_TOKEN,
    RougeTokens,
    _ptb_line_tokens,
    content_term,
    content_terms,
    ptb_tokens,
    rouge_token_spans,
    rouge_tokens,
)

ROUGE_SCORE = tokenizers.DefaultTokenizer(use_stemmer=True)  # what RougeScorer(use_stemmer=True) tokenizes with

# Text of every kind the tokenizers meet: accents and other scripts, the two letters whose lower case is ASCII
# (`İ` becomes `i̇`, the Kelvin sign `k`), digits in numbers, times and money, punctuation of every sort, PTB
# forms of the training corpus, words Porter treats specially, and whitespace of all kinds.
VARIED_TEXT = [
    "The mayor said on Tuesday that 3,000 homes flooded.",
    "He didn't go; it's the council's plan -- wasn't it?",
    "A 35-year-old man paid £20m ($25.5m) for 1990s art at 10:30pm in the U.S.",
    "Ünïcödé café naïve Zürich São Paulo Kraków ǅungla Æsir Œuvre straße ﬁnance",
    "İstanbul İZMİR Kelvin 273K KELVIN",
    "Путин встретился с Си Цзиньпином. 市议会周二投票。 ΟΔΟΣ Σίσυφος العربية",
    "emoji 🎉 party! #hashtag @user http://example.com/path?q=1&r=2 e-mail: a_b@c.org",
    "new delhi -lrb- cnn -rrb- -- `` there were thousands , '' he said . do n't",
    "dying skies flies running generously hopping sensational ribbons agreed cats",
    "a an the be ing ies abcd ABCD A1B2 x86_64 3D 4G 5th 21st",
    "tabs\tand\nnew\r\nlines\u00a0nbsp\u2009thin\u3000wide",
    "!!!???...---'''\"\"\"",
    "",
]


@pytest.mark.parametrize("text", VARIED_TEXT)
def test_rouge_tokens_are_rouge_scores_own(text: str) -> None:
    assert rouge_tokens(text) == ROUGE_SCORE.tokenize(text)


@pytest.mark.data
def test_rouge_tokens_are_rouge_scores_own_on_validation_articles() -> None:
    from conftest import CNNDM, shared_file
    from highlights.evaluate.data import load_dataset

    for path in ("validation-raw.jsonl.gz", "validation-lowertok.jsonl.gz"):
        for item in load_dataset(shared_file(CNNDM / path), limit=40).articles:
            for text in (item.text, *item.references):
                assert rouge_tokens(text) == ROUGE_SCORE.tokenize(text)


@pytest.mark.parametrize("text", VARIED_TEXT)
def test_rouge_token_offsets_point_at_their_characters(text: str) -> None:
    spans = rouge_token_spans(text)
    assert spans.stems == rouge_tokens(text)
    # Each token comes from the characters it points at: they lowercase to the run it is the stem of.
    assert all(rouge_tokens(text[a:b]) == [stem] for stem, a, b in zip(spans.stems, spans.starts, spans.ends))
    # A piece of a text has the tokens of that piece, with offsets in the whole text.
    start, end = len(text) // 3, len(text)
    piece = rouge_token_spans(text, start, end)
    assert piece.stems == rouge_tokens(text[start:end]) and all(a >= start for a in piece.starts)


def test_a_letter_whose_lower_case_is_longer_keeps_the_offsets() -> None:
    text = "Visit İstanbul's İZMİR port"
    spans = rouge_token_spans(text)
    assert spans.stems == ["visit", "i", "stanbul", "s", "i", "zmi", "r", "port"]
    surfaces = ["Visit", "İ", "stanbul", "s", "İ", "ZMİ", "R", "port"]
    assert [text[a:b] for a, b in zip(spans.starts, spans.ends)] == surfaces


def test_tokens_inside_a_span_index_its_text() -> None:
    text = "Police said three men, all armed, were arrested."
    tokens = rouge_token_spans(text)
    end = text.index(" were")
    inside = tokens.inside(text.index("three"), end)
    piece = text[text.index("three") : end]
    assert inside.stems == rouge_tokens(piece) == ["three", "men", "all", "arm"]
    assert [piece[a:b] for a, b in zip(inside.starts, inside.ends)] == ["three", "men", "all", "armed"]
    assert tokens.inside(0, len(text)) == tokens
    assert tokens.inside(3, 3) == RougeTokens([], [], [])


@pytest.mark.parametrize(
    ("raw", "tokens"),
    [
        ("He didn't go.", ["he", "did", "n't", "go", "."]),
        ("It's the council's plan", ["it", "'s", "the", "council", "'s", "plan"]),
        ("A 35-year-old man", ["a", "35", "-", "year", "-", "old", "man"]),
        ("It cost £20m in the U.S. on Jan. 3", ["it", "cost", "£", "20m", "in", "the", "u.s.", "on", "jan", ".", "3"]),
        ("(CNN) -- Rain fell", ["(", "cnn", ")", "--", "rain", "fell"]),
        ("“We won,” she said.", ['"', "we", "won", ",", '"', "she", "said", "."]),
        ("Rates rose 3.5% to 1,000", ["rates", "rose", "3.5", "%", "to", "1,000"]),
    ],
)
def test_ptb_tokens_are_the_training_corpus_tokens(raw: str, tokens: list[str]) -> None:
    assert ptb_tokens(raw) == tokens


@pytest.mark.parametrize(
    "tokenized",
    [
        "new delhi -lrb- cnn -rrb- -- in an unusual raid , thousands stormed a jail .",
        "`` there were thousands of them , '' doungal said , referring to the mob 's anger .",
        "the 35 - year - old suspect do n't know about £ 20m in the u.s. .",
    ],
)
def test_ptb_tokens_leave_corpus_text_as_it_is(tokenized: str) -> None:
    tokens = ptb_tokens(tokenized)
    assert ptb_tokens(" ".join(tokens)) == tokens
    assert "-lrb-" not in tokens and "``" not in tokens  # brackets and quotes in one form on both sides


@pytest.mark.parametrize(
    "line",
    [
        "he did n't go to the u.s. on jan. 3 , 2014 -- or did he ?",
        "über café naïve ǆungla 35 - year - old £ 20m 3.5 % 1,000 10:30pm 1990s",
        "o'neill 's \" quoted \" ... -- a&b r&d x_y __ 'tis",
        "   spaced\tout\u00a0text\u2009here  ",
        "",
    ],
)
def test_fast_ptb_tokenizer_matches_the_token_pattern(line: str) -> None:
    assert _ptb_line_tokens(line) == _PTB_TOKEN.findall(line)


def test_content_terms_are_stemmed_words_without_stop_words() -> None:
    assert content_terms("The protesters said they were protesting, and 5 of them, X, sat.") == [
        "protester",
        "protest",
        "5",
        "sat",
    ]
    # One rule for every view: a PTB token that is punctuation is no term either.
    assert [content_term(t) for t in ["n't", "--", "'s", "council", "2014", "a"]] == ["", "", "", "council", "2014", ""]


def test_an_article_reads_each_form_of_its_sentences_from_one_layer() -> None:
    article = segment(
        ingest(
            "The council voted on Monday. Protesters didn't agree with İZMİR's mayor, who said "
            "3,000 homes flooded. Work starts in May."
        )
    )
    layer = article.tokens
    assert article.tokens is layer  # made once, then read
    texts = [s.text for s in article.sentences]
    assert layer.ptb == [ptb_tokens(t) for t in texts]
    for i, sentence in enumerate(article.sentences):
        rouge = layer.rouge(i)
        assert rouge.stems == rouge_tokens(sentence.text)
        assert all(sentence.span.start <= a < b <= sentence.span.end for a, b in zip(rouge.starts, rouge.ends))
        assert layer.rouge(i) is rouge
        assert layer.terms(i) == content_terms(sentence.text)
    # Other sentences are another layer: the first sentences only, as the pipeline keeps at most its candidates.
    shorter = replace(article, sentences=article.sentences[:1])
    assert shorter.tokens is not layer and shorter.tokens.ptb == layer.ptb[:1]

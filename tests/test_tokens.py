"""The one ROUGE tokenizer against rouge-score's own, on every kind of text, and the offsets it gives."""

from __future__ import annotations

import pytest
from rouge_score import tokenizers

from highlights.tokens import RougeTokens, rouge_token_spans, rouge_tokens

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
    piece = text[text.index("three"):end]
    assert inside.stems == rouge_tokens(piece) == ["three", "men", "all", "arm"]
    assert [piece[a:b] for a, b in zip(inside.starts, inside.ends)] == ["three", "men", "all", "armed"]
    assert tokens.inside(0, len(text)) == tokens
    assert tokens.inside(3, 3) == RougeTokens([], [], [])

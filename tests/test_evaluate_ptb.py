"""PTB-tokenized corpora: the detokenizer on typical token patterns and the sentence/Article builder."""

from __future__ import annotations

import pytest

from highlights import summarize
from highlights.ingest.ptb import detokenize, ptb_article, ptb_sentences


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        ("he do n't know", "he don't know"),
        ("it 's the company 's plan , they 're sure", "it's the company's plan, they're sure"),
        ("-lrb- cnn -rrb- the deal", "(cnn) the deal"),
        ("the -lsb- sic -rsb- note", "the [sic] note"),
        ("`` we won , '' he said .", '"we won," he said.'),
        ("the 35 - year - old man", "the 35-year-old man"),
        ("a £ 20m deal and $ 5 bn", "a £20m deal and $5 bn"),
        ("the u.s. army", "the u.s. army"),
        ("up 5 % in 2014 ; then ... nothing !", "up 5% in 2014; then... nothing!"),
        ('she said " yes " and left', 'she said "yes" and left'),
        ("a -- dash", "a -- dash"),
    ],
)
def test_detokenize_typical_patterns(tokens, text):
    assert detokenize(tokens) == text


def test_sentences_split_at_final_tokens_keeping_closing_quotes():
    text = (
        'police said . " there were thousands . many were students , " he said . '
        "the u.s. embassy -lrb- in delhi -rrb- closed ! why ? `` we left . '' done"
    )
    assert ptb_sentences(text) == [
        "police said .",
        "`` there were thousands .",  # a straight quote that opens is made a directed one
        "many were students , '' he said .",
        "the u.s. embassy -lrb- in delhi -rrb- closed !",
        "why ?",
        "`` we left . ''",
        "done",
    ]


def test_article_offsets_are_valid_and_the_dateline_is_kept_out():
    text = (
        "new delhi ( cnn ) -- thousands stormed a jail , authorities said . "
        '" there were thousands of them , " doungal said . the suspect did n\'t survive .'
    )
    article = ptb_article(text, source="row-1")
    assert [s.text for s in article.sentences] == [
        "thousands stormed a jail, authorities said.",
        '"there were thousands of them," doungal said.',
        "the suspect didn't survive.",
    ]
    for i, sentence in enumerate(article.sentences):
        assert sentence.index == i
        assert article.text[sentence.span.start : sentence.span.end] == sentence.text
    assert [(r.reason, r.span.of(article.text)) for r in article.removed] == [("dateline", "new delhi (cnn) -- ")]
    assert article.text.startswith("new delhi (cnn) -- thousands")


def test_lrb_dateline_and_paragraphs():
    article = ptb_article("-lrb- cnn -rrb- first one . second one .\nnext paragraph here .")
    assert [(s.text, s.paragraph) for s in article.sentences] == [
        ("first one.", 0),
        ("second one.", 0),
        ("next paragraph here.", 1),
    ]
    assert all(article.text[s.span.start : s.span.end] == s.text for s in article.sentences)
    assert [b.of(article.text) for b in article.body] == ["(cnn) first one. second one.", "next paragraph here."]


def test_a_dateline_alone_is_not_cut_and_max_sentences_applies():
    assert [s.text for s in ptb_article("( cnn )").sentences] == ["(cnn)"]
    assert len(ptb_article("a . b . c . d .", max_sentences=2).sentences) == 2
    assert ptb_article("  ").sentences == []


def test_summarize_uses_the_built_sentences_without_resegmenting():
    article = ptb_article("the mayor resigned . the council meets on friday . " * 3)
    summary = summarize(article, method="lead", bullets=2)
    assert summary.sentence_count == 6
    assert [h.text for h in summary.highlights] == ["the mayor resigned.", "the council meets on friday."]
    for h in summary.highlights:
        assert " ".join(span.of(summary.text) for span in h.spans) == h.text


def test_the_opinion_disclaimer_marks_the_kind_as_ingest_does_for_raw_text():
    opinion = ptb_article(
        "( cnn ) -- we lost the city . it was the end .\n"
        "the opinions expressed in this commentary are solely those of the writer ."
    )
    assert opinion.kind == "opinion"
    assert opinion.sentences[-1].text.startswith("the opinions expressed")  # kept, as in the corpus
    # Words of the disclaimer elsewhere do not make a piece opinion.
    news = ptb_article("( cnn ) -- the opinions of voters were expressed in this week 's poll .")
    assert news.kind == "news"

"""The word tagger: its view of a sentence, its NumPy network against step-by-step references of torch's layers,
independence from the batch a sentence is in, its file, and the deletion model trained and run with it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from highlights import HighlightsError
from highlights.ingest import ingest
from highlights.score.deletions import METADATA_FILE, TAGGER_FEATURE, WORD_FEATURES, DeletionModel, _stemmed_tokens
from highlights.score.tagger import (
    RESERVED, TAGGER_FILE, TAGGER_INPUTS, UNKNOWN_MARK, UNKNOWN_NUMBER, UNKNOWN_WORD, WordTagger, piece_ids,
    sentence_pieces, tagger_inputs,
)
from highlights.segment import segment

SENTENCES = [
    'The mayor, who took office in 2019, said the bridge "is safe" -- for now (officials disagree).',
    "İstanbul's council met on Monday, police said.",
    "Short one.",
    "Crews worked through the night to restore power to 12,000 homes in the north of the county, the utility said.",
]
EMBEDDING, FEATURE_WIDTH, HIDDEN = 6, 4, 5


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _weights(architecture: str, vocabulary: list[str], seed: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    r = lambda *shape: rng.normal(0, 0.5, shape).astype(np.float32)  # noqa: E731
    inputs = len(TAGGER_INPUTS) + 1
    weights = {"vocabulary": np.asarray(vocabulary), "embedding": r(len(vocabulary), EMBEDDING).astype(np.float16),
               "features.weight": r(FEATURE_WIDTH, inputs), "features.bias": r(FEATURE_WIDTH)}
    width = EMBEDDING + FEATURE_WIDTH
    if architecture == "gru":
        for layer in range(2):
            for suffix in ("", "_reverse"):
                weights[f"gru.weight_ih_l{layer}{suffix}"] = r(3 * HIDDEN, width if layer == 0 else 2 * HIDDEN)
                weights[f"gru.weight_hh_l{layer}{suffix}"] = r(3 * HIDDEN, HIDDEN)
                weights[f"gru.bias_ih_l{layer}{suffix}"] = r(3 * HIDDEN)
                weights[f"gru.bias_hh_l{layer}{suffix}"] = r(3 * HIDDEN)
    else:
        for layer in range(3):
            weights[f"convs.{layer}.weight"] = r(HIDDEN, width if layer == 0 else HIDDEN, 5)
            weights[f"convs.{layer}.bias"] = r(HIDDEN)
    weights["output.weight"], weights["output.bias"] = r(1, 2 * HIDDEN), r(1)
    return weights


def _vocabulary() -> list[str]:
    pieces = sorted({p for s in SENTENCES for p in sentence_pieces(s)[0]})
    return list(RESERVED) + pieces[::2]  # half the pieces unknown, to exercise the reserved ids


def _rows(sentence: str, seed: int) -> np.ndarray:
    words = int(sentence_pieces(sentence)[1].sum())
    return np.random.default_rng(seed).random((words, len(WORD_FEATURES))).astype(np.float32) * 3


def _tagger(tmp_path: Path, architecture: str) -> tuple[WordTagger, dict[str, np.ndarray]]:
    weights = _weights(architecture, _vocabulary())
    np.savez_compressed(tmp_path / TAGGER_FILE, **weights)
    return WordTagger(tmp_path / TAGGER_FILE), weights


def _reference_inputs(sentence: str, rows: np.ndarray, w: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    pieces, is_word = sentence_pieces(sentence)
    index = {str(p): i for i, p in enumerate(w["vocabulary"])}
    ids = piece_ids(pieces, index)
    features = tagger_inputs(rows, WORD_FEATURES, is_word)
    x = np.concatenate([w["embedding"].astype(np.float32)[ids], features @ w["features.weight"].T
                        + w["features.bias"]], axis=1)
    return x, is_word


def _reference_gru(sentence: str, rows: np.ndarray, w: dict[str, np.ndarray]) -> np.ndarray:
    """torch.nn.GRU as its documentation writes it, one sentence, one step at a time."""
    x, is_word = _reference_inputs(sentence, rows, w)
    for layer in range(2):
        outputs = []
        for suffix, sequence in (("", x), ("_reverse", x[::-1])):
            w_ih, w_hh = w[f"gru.weight_ih_l{layer}{suffix}"], w[f"gru.weight_hh_l{layer}{suffix}"]
            b_ih, b_hh = w[f"gru.bias_ih_l{layer}{suffix}"], w[f"gru.bias_hh_l{layer}{suffix}"]
            h, states = np.zeros(HIDDEN), []
            for step in sequence:
                gi, gh = w_ih @ step + b_ih, w_hh @ h + b_hh
                r = _sigmoid(gi[:HIDDEN] + gh[:HIDDEN])
                z = _sigmoid(gi[HIDDEN:2 * HIDDEN] + gh[HIDDEN:2 * HIDDEN])
                n = np.tanh(gi[2 * HIDDEN:] + r * gh[2 * HIDDEN:])
                h = (1 - z) * n + z * h
                states.append(h)
            outputs.append(np.asarray(states) if not suffix else np.asarray(states)[::-1])
        x = np.concatenate(outputs, axis=1)
    return _sigmoid(x @ w["output.weight"][0] + w["output.bias"][0])[is_word]


def _reference_conv(sentence: str, rows: np.ndarray, w: dict[str, np.ndarray]) -> np.ndarray:
    """torch.nn.Conv1d (zero padding, dilation 2**layer) + ReLU, residual after the first, then the max."""
    x, is_word = _reference_inputs(sentence, rows, w)
    n = len(x)
    for layer in range(3):
        kernel, bias, dilation = w[f"convs.{layer}.weight"], w[f"convs.{layer}.bias"], 2 ** layer
        y = np.zeros((n, HIDDEN))
        for t in range(n):
            total = bias.astype(np.float64).copy()
            for k in range(5):
                source = t + (k - 2) * dilation
                if 0 <= source < n:
                    total += kernel[:, :, k] @ x[source]
            y[t] = np.maximum(total, 0)
        x = y if layer == 0 else x + y
    x = np.concatenate([x, np.repeat(x.max(axis=0, keepdims=True), n, axis=0)], axis=1)
    return _sigmoid(x @ w["output.weight"][0] + w["output.bias"][0])[is_word]


def test_the_taggers_words_are_the_deletion_models_words():
    for sentence in SENTENCES:
        pieces, is_word = sentence_pieces(sentence)
        assert [p for p, w in zip(pieces, is_word) if w] == _stemmed_tokens(sentence)[1]
        assert {p for p, w in zip(pieces, is_word) if not w} <= set(sentence)  # punctuation kept as itself
    pieces, is_word = sentence_pieces('He said "no" (twice).')
    assert pieces == ["he", "said", '"', "no", '"', "(", "twice", ")", "."]


def test_unknown_pieces_fall_back_to_their_kind():
    ids = piece_ids(["river", ",", "2019", "zzyzx", "§"], {"river": 4})
    assert list(ids) == [4, UNKNOWN_MARK, UNKNOWN_NUMBER, UNKNOWN_WORD, UNKNOWN_MARK]


@pytest.mark.parametrize(("architecture", "reference"), [("gru", _reference_gru), ("conv", _reference_conv)])
def test_the_numpy_network_is_torchs_layers_step_by_step(tmp_path, architecture, reference):
    tagger, weights = _tagger(tmp_path, architecture)
    rows = [_rows(s, k) for k, s in enumerate(SENTENCES)]
    chances = tagger.keep(SENTENCES, rows, WORD_FEATURES)  # one padded batch of sentences of unequal length
    for sentence, row, got in zip(SENTENCES, rows, chances):
        expected = reference(sentence, row, weights)
        assert got.shape == (len(row),) and np.all((got > 0) & (got < 1))
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("architecture", ["gru", "conv"])
def test_a_sentence_gets_the_same_chances_alone_or_in_a_batch(tmp_path, architecture):
    tagger, _ = _tagger(tmp_path, architecture)
    rows = [_rows(s, k) for k, s in enumerate(SENTENCES)]
    together = tagger.keep(SENTENCES, rows, WORD_FEATURES)
    for sentence, row, chances in zip(SENTENCES, rows, together):
        np.testing.assert_allclose(tagger.keep([sentence], [row], WORD_FEATURES)[0], chances, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="word rows"):
        tagger.keep(SENTENCES[:1], [rows[0][:-1]], WORD_FEATURES)


def test_a_missing_or_damaged_tagger_is_a_clear_error(tmp_path):
    with pytest.raises(HighlightsError, match="train_tagger"):
        WordTagger(tmp_path / TAGGER_FILE).load()
    (tmp_path / TAGGER_FILE).write_bytes(b"not a zip")
    with pytest.raises(HighlightsError, match="damaged"):
        WordTagger(tmp_path / TAGGER_FILE).load()


def _synthetic_rows(path: Path, articles: int = 40) -> None:
    rng = np.random.default_rng(5)
    words = "council river bridge sensor flood mayor school budget vote plan water road park city".split()
    tails = ["", ", officials said", "in the city", ", and the council met after the vote", "on monday"]
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for k in range(articles):
            sentences = [" ".join(rng.choice(words, rng.integers(6, 16))) + " " + rng.choice(tails) + " ."
                         for _ in range(rng.integers(5, 12))]
            highlights = "\n".join(s[:-2].split(",")[0] for s in sentences[:2])
            out.write(json.dumps({"id": f"t{k}", "article": " ".join(sentences), "highlights": highlights}) + "\n")


def test_the_deletion_model_trains_and_runs_with_a_tagger(tmp_path):
    from highlights.train import read_rows, train
    from highlights.train_deletions import train_deletion_model

    data = tmp_path / "train.jsonl.gz"
    _synthetic_rows(data)
    model_dir = tmp_path / "m"
    train(data, model_dir, workers=1, log=lambda _: None)
    rows = read_rows(data, None)
    export = tmp_path / "rows.npz"
    assert train_deletion_model(rows, model_dir, workers=1, tagger_export=export, log=lambda _: None) == (export,)
    with np.load(export, allow_pickle=False) as exported:
        words, vocabulary = len(exported["kept"]), [str(v) for v in exported["vocabulary"]]
        assert exported["is_word"].sum() == words and exported["starts"][-1] == len(exported["ids"])
        assert set(exported["fold"]) == {0, 1} and vocabulary[:len(RESERVED)] == list(RESERVED)
    oof = tmp_path / "oof.npz"
    np.savez_compressed(oof, keep=np.random.default_rng(1).random(words - 1), words=np.asarray(words - 1))
    with pytest.raises(HighlightsError, match=TAGGER_FILE):  # the tagger must be there first
        train_deletion_model(rows, model_dir, workers=1, tagger_oof=oof, log=lambda _: None)
    np.savez_compressed(model_dir / TAGGER_FILE, **_weights("conv", vocabulary))
    with pytest.raises(HighlightsError, match="chances for"):  # and its chances must be of these words
        train_deletion_model(rows, model_dir, workers=1, tagger_oof=oof, log=lambda _: None)
    np.savez_compressed(oof, keep=np.random.default_rng(1).random(words), words=np.asarray(words))
    train_deletion_model(rows, model_dir, workers=1, tagger_oof=oof, log=lambda _: None)
    metadata = json.loads((model_dir / METADATA_FILE).read_text())
    assert metadata["word_features"] == [*WORD_FEATURES, TAGGER_FEATURE]
    model = DeletionModel(model_dir)
    article = segment(ingest("The council met on Monday in the city hall, and the mayor spoke after the vote, "
                             "officials said. The river rose."))
    assert model.tagger is not None
    ranked = model.ranked_cuts(article, [(0, article.sentences[0].span)])
    assert len(ranked) == 1

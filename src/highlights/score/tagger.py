"""The word tagger: a small recurrent network that reads a selected sentence word by word, punctuation included,
and gives each word (`rouge_tokens`) the chance that the reference highlights keep it.

The LightGBM word model (`score/deletions.py`) sees a word's neighbours only through their keep rates; the
tagger reads the whole sentence in both directions, so it can tell the words of a trailing `, police said` or of
a `which …` clause from the same words in the main clause. Its chance is one more feature of the word model.

It runs in NumPy (no torch at inference): bidirectional GRU layers or dilated convolutions (whichever the
weights hold) over 64-wide word embeddings plus the word model's article features. `train_tagger.py` fits it (torch, a GPU when there is one) from the rows that
`highlights train --only-deletions --tagger-export` writes. The weights ship as `.npz`, read without pickle.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import numpy as np

from highlights.errors import HighlightsError
from highlights.evaluate.rouge import stem

TAGGER_FILE = "learned-tagger.npz"
# The word model's columns (`WORD_FEATURES`) the tagger reads, and how each becomes an input in about [0, 1].
TAGGER_INPUTS = (
    ("keep_rate", "share"), ("article_count", "count"), ("sentence_share", "share"),
    ("first_sentence_share", "share"), ("in_other_bullets", "share"), ("sentence_index", "count"),
    ("bullet_position", "count"), ("bullets", "count"), ("agency_dateline", "share"),
)
PAD, UNKNOWN_WORD, UNKNOWN_NUMBER, UNKNOWN_MARK = 0, 1, 2, 3
RESERVED = ("<pad>", "<word>", "<number>", "<mark>")
# rouge-score's words (runs of ASCII letters and digits of the lowered text) and every other visible character.
_PIECE = re.compile(r"([a-z0-9]+)|[^\sa-z0-9]")


def sentence_pieces(sentence: str) -> tuple[list[str], np.ndarray]:
    """The tagger's view of `sentence`: its words stemmed as `rouge_tokens` makes them and its punctuation, in
    order, and which pieces are words (the ones that get a chance, in `rouge_tokens` order)."""
    lowered = sentence.lower()
    if len(lowered) != len(sentence):  # as `deletions._stemmed_tokens`: the same words in the same order
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in sentence)
    pieces, is_word = [], []
    for match in _PIECE.finditer(lowered):
        word = match.group(1)
        pieces.append(stem(word) if word else match.group())
        is_word.append(word is not None)
    return pieces, np.asarray(is_word, dtype=bool)


def piece_ids(pieces: list[str], index: dict[str, int]) -> np.ndarray:
    ids = np.empty(len(pieces), dtype=np.int32)
    for i, piece in enumerate(pieces):
        code = index.get(piece)
        if code is None:
            alnum = piece[:1].isalnum()
            code = (UNKNOWN_NUMBER if any(ch.isdigit() for ch in piece) else UNKNOWN_WORD) if alnum else UNKNOWN_MARK
        ids[i] = code
    return ids


def tagger_inputs(word_rows: np.ndarray, feature_names: tuple[str, ...], is_word: np.ndarray) -> np.ndarray:
    """Per piece: the scaled article features of its word (zeros for punctuation) and a last column that says
    whether it is a word. `word_rows` are the word model's rows of the sentence's words."""
    columns = [feature_names.index(name) for name, _ in TAGGER_INPUTS]
    values = word_rows[:, columns].astype(np.float32)
    for j, (_, scale) in enumerate(TAGGER_INPUTS):
        if scale == "count":
            values[:, j] = np.log1p(np.maximum(values[:, j], 0.0)) / 5.0
    inputs = np.zeros((len(is_word), len(TAGGER_INPUTS) + 1), dtype=np.float32)
    inputs[is_word, :-1] = values
    inputs[:, -1] = is_word
    return inputs


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _bidirectional_gru(inputs: np.ndarray, lengths: np.ndarray, weights: dict[str, np.ndarray],
                       layer: int) -> np.ndarray:
    """One layer of torch.nn.GRU (gates r, z, n), both directions in one loop, over a padded batch `inputs`
    (batch, time, features). Padding never reaches a real step: the reverse direction reads each sentence
    flipped within its own length."""
    batch, steps, _ = inputs.shape
    order = np.arange(steps)[None, :]
    flipped = np.where(order < lengths[:, None], lengths[:, None] - 1 - order, order)
    name = f"_l{layer}"
    w_ih = np.stack([weights["gru.weight_ih" + name], weights["gru.weight_ih" + name + "_reverse"]])
    w_hh = np.stack([weights["gru.weight_hh" + name], weights["gru.weight_hh" + name + "_reverse"]])
    b_ih = np.stack([weights["gru.bias_ih" + name], weights["gru.bias_ih" + name + "_reverse"]])[:, None, None]
    b_hh = np.stack([weights["gru.bias_hh" + name], weights["gru.bias_hh" + name + "_reverse"]])[:, None]
    hidden = w_hh.shape[2]
    both = np.stack([inputs, np.take_along_axis(inputs, flipped[:, :, None], axis=1)])  # (2, batch, time, in)
    projected = both @ w_ih.transpose(0, 2, 1)[:, None] + b_ih  # every step at once: (2, batch, time, 3 hidden)
    w_hh_t = w_hh.transpose(0, 2, 1)
    state = np.zeros((2, batch, hidden), dtype=np.float32)
    outputs = np.empty((2, batch, steps, hidden), dtype=np.float32)
    for t in range(steps):
        x = projected[:, :, t]
        h = state @ w_hh_t + b_hh
        rz = 1.0 / (1.0 + np.exp(-(x[..., :2 * hidden] + h[..., :2 * hidden])))
        n = np.tanh(x[..., 2 * hidden:] + rz[..., :hidden] * h[..., 2 * hidden:])
        z = rz[..., hidden:]
        state = n + z * (state - n)
        outputs[:, :, t] = state
    backward = np.take_along_axis(outputs[1], flipped[:, :, None], axis=1)
    return np.concatenate([outputs[0], backward], axis=2)


def _dilated_convolutions(inputs: np.ndarray, lengths: np.ndarray, weights: dict[str, np.ndarray]) -> np.ndarray:
    """The "conv" architecture of `train_tagger.py`: same-padded dilated convolutions, padding zeroed after each
    (as in training), residual after the first, then the max over the sentence beside every piece."""
    batch, steps, _ = inputs.shape
    mask = (np.arange(steps)[None, :] < lengths[:, None])[:, :, None].astype(np.float32)
    x = inputs * mask
    layer = 0
    while f"convs.{layer}.weight" in weights:
        kernel, bias = weights[f"convs.{layer}.weight"], weights[f"convs.{layer}.bias"]  # (out, in, width)
        width, dilation = kernel.shape[2], 2 ** layer
        reach = (width // 2) * dilation
        padded = np.pad(x, ((0, 0), (reach, reach), (0, 0)))
        # One matrix product per layer: each piece's `width` dilated neighbours side by side.
        windows = np.concatenate([padded[:, k * dilation:k * dilation + steps] for k in range(width)], axis=2)
        y = windows.reshape(batch * steps, -1) @ weights[f"convs.{layer}.unfolded"] + bias
        y = np.maximum(y.reshape(batch, steps, -1), 0.0) * mask
        x = y if layer == 0 else x + y
        layer += 1
    return np.concatenate([x, np.broadcast_to(x.max(axis=1, keepdims=True), x.shape)], axis=2)


class WordTagger:
    """The shipped tagger (NumPy arrays from `.npz`, no pickle), loaded once, lazily."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @cached_property
    def weights(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.path, allow_pickle=False) as data:
                weights = {name: data[name] for name in data.files}
        except (OSError, ValueError) as error:
            raise HighlightsError(f"the word tagger is missing or damaged ({self.path}: {error}); rebuild it with "
                                  "`python -m highlights.train_tagger`") from None
        for name, array in list(weights.items()):
            if array.dtype.kind == "f":
                weights[name] = array.astype(np.float32)
            if name.startswith("convs.") and name.endswith(".weight"):  # (out, in, width) -> (width * in, out)
                weights[name[:-len("weight")] + "unfolded"] = np.ascontiguousarray(
                    weights[name].transpose(2, 1, 0).reshape(-1, array.shape[0]))
        return weights

    @cached_property
    def index(self) -> dict[str, int]:
        return {str(piece): code for code, piece in enumerate(self.weights["vocabulary"])}

    def load(self) -> "WordTagger":
        _ = self.index
        return self

    def keep(self, sentences: list[str], word_rows: list[np.ndarray], feature_names: tuple[str, ...]) -> list[np.ndarray]:
        """For each sentence, the chance of each of its words (`rouge_tokens` order); `word_rows` are the word
        model's feature rows of those words."""
        if not sentences:
            return []
        weights = self.weights
        views = [sentence_pieces(sentence) for sentence in sentences]
        lengths = np.asarray([len(pieces) for pieces, _ in views])
        steps = max(int(lengths.max()), 1)
        ids = np.zeros((len(views), steps), dtype=np.int32)
        features = np.zeros((len(views), steps, len(TAGGER_INPUTS) + 1), dtype=np.float32)
        for k, ((pieces, is_word), rows) in enumerate(zip(views, word_rows)):
            if int(is_word.sum()) != len(rows):
                raise ValueError(f"{len(rows)} word rows for a sentence of {int(is_word.sum())} words")
            ids[k, :len(pieces)] = piece_ids(pieces, self.index)
            features[k, :len(pieces)] = tagger_inputs(rows, feature_names, is_word)
        hidden = np.concatenate([weights["embedding"][ids], features @ weights["features.weight"].T
                                 + weights["features.bias"]], axis=2)
        if "convs.0.weight" in weights:
            hidden = _dilated_convolutions(hidden, lengths, weights)
        layer = 0
        while f"gru.weight_ih_l{layer}" in weights:
            hidden = _bidirectional_gru(hidden, lengths, weights, layer)
            layer += 1
        logits = (hidden @ weights["output.weight"].T + weights["output.bias"])[:, :, 0]
        return [_sigmoid(logits[k, :length][is_word]) for k, ((_, is_word), length) in enumerate(zip(views, lengths))]

"""Fit the word tagger (`score/tagger.py`) from the rows `highlights train --only-deletions --tagger-export`
writes, with torch (a GPU when there is one; CPU works, slower):

    python -m highlights.train_tagger tagger-rows.npz --out src/highlights/models --oof tagger-oof.npz

1. Out of fold, in the deletion model's two halves of the training summaries: a tagger fitted on one half gives
   the chances of the other half's words (`--oof`), the tagger feature the word model is fitted on.
2. On both halves: the shipped tagger (`learned-tagger.npz` in `--out`).

Seeded; the same rows give the same weights on the same kind of device (GPU and CPU round differently).
Imports nothing from `highlights`, so it runs where only numpy and torch are installed.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

TAGGER_FILE = "learned-tagger.npz"
# "gru": bidirectional GRU layers; "conv": `layers` convolutions of width 5 dilated 1, 2, 4, … (3 layers see 14
# pieces either side), residual after the first, then the sentence's max-pooled summary beside every piece.
CONFIG = {"architecture": "gru", "embedding": 64, "feature_width": 32, "hidden": 64, "layers": 2, "dropout": 0.1,
          "epochs": 4, "batch": 128, "learning_rate": 2e-3}
CONV_WIDTH = 5


def _model(vocabulary: int, inputs: int, config: dict):
    import torch
    from torch import nn

    class ConvTagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            width, hidden = config["embedding"] + config["feature_width"], config["hidden"]
            self.embedding = nn.Embedding(vocabulary, config["embedding"], padding_idx=0)
            self.features = nn.Linear(inputs, config["feature_width"])
            self.convs = nn.ModuleList(
                nn.Conv1d(width if k == 0 else hidden, hidden, CONV_WIDTH, padding=(CONV_WIDTH // 2) * 2 ** k,
                          dilation=2 ** k) for k in range(config["layers"]))
            self.dropout = nn.Dropout(config["dropout"])
            self.output = nn.Linear(2 * hidden, 1)

        def forward(self, ids, features, lengths):
            # Padding is zeroed after every layer, so a sentence's outputs do not depend on the batch it is in.
            mask = (torch.arange(ids.shape[1], device=ids.device)[None, :] < lengths.to(ids.device)[:, None])
            mask = mask[:, None, :].float()
            x = torch.cat([self.embedding(ids), self.features(features)], dim=2).transpose(1, 2) * mask
            for k, conv in enumerate(self.convs):
                y = torch.relu(conv(self.dropout(x))) * mask
                x = y if k == 0 else x + y
            pooled = x.max(dim=2, keepdim=True).values.expand_as(x)  # all ≥ 0, so zeroed padding never wins
            return self.output(torch.cat([x, pooled], dim=1).transpose(1, 2))[:, :, 0]

    if config["architecture"] == "conv":
        return ConvTagger()

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = nn.Embedding(vocabulary, config["embedding"], padding_idx=0)
            self.features = nn.Linear(inputs, config["feature_width"])
            self.gru = nn.GRU(config["embedding"] + config["feature_width"], config["hidden"],
                              num_layers=config["layers"], bidirectional=True, batch_first=True,
                              dropout=config["dropout"] if config["layers"] > 1 else 0.0)
            self.output = nn.Linear(2 * config["hidden"], 1)

        def forward(self, ids, features, lengths):
            x = torch.cat([self.embedding(ids), self.features(features)], dim=2)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            hidden, _ = self.gru(packed)
            hidden, _ = nn.utils.rnn.pad_packed_sequence(hidden, batch_first=True, total_length=ids.shape[1])
            return self.output(hidden)[:, :, 0]

    return Tagger()


class Rows:
    """The exported sentences: pieces (ids, inputs, word flags) and, per word, its label."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            self.vocabulary = data["vocabulary"]
            self.ids = data["ids"].astype(np.int64)
            self.inputs = data["inputs"].astype(np.float32)
            self.is_word = data["is_word"]
            self.kept = data["kept"].astype(np.float32)
            self.starts = data["starts"]  # piece offset of each sentence, and the end
            self.fold = data["fold"]
        self.word_starts = np.concatenate([[0], np.cumsum(self.is_word, dtype=np.int64)])[self.starts]
        self.piece_kept = np.zeros(len(self.ids), dtype=np.float32)
        self.piece_kept[self.is_word] = self.kept

    def batch(self, sentences: np.ndarray, device):
        import torch

        lengths = self.starts[sentences + 1] - self.starts[sentences]
        steps = int(lengths.max())
        ids = np.zeros((len(sentences), steps), dtype=np.int64)
        inputs = np.zeros((len(sentences), steps, self.inputs.shape[1]), dtype=np.float32)
        kept = np.zeros((len(sentences), steps), dtype=np.float32)
        mask = np.zeros((len(sentences), steps), dtype=bool)
        for k, s in enumerate(sentences):
            a, b = self.starts[s], self.starts[s + 1]
            ids[k, :b - a], inputs[k, :b - a] = self.ids[a:b], self.inputs[a:b]
            kept[k, :b - a], mask[k, :b - a] = self.piece_kept[a:b], self.is_word[a:b]
        to = lambda a: torch.from_numpy(a).to(device)  # noqa: E731
        return to(ids), to(inputs), torch.from_numpy(lengths.astype(np.int64)), to(kept), to(mask)


def fit(rows: Rows, sentences: np.ndarray, config: dict, seed: int, device, log=print):
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = _model(len(rows.vocabulary), rows.inputs.shape[1], config).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config["learning_rate"])
    batches_per_epoch = -(-len(sentences) // config["batch"])
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, config["learning_rate"],
                                                   total_steps=config["epochs"] * batches_per_epoch)
    loss_of = torch.nn.BCEWithLogitsLoss(reduction="sum")
    for epoch in range(config["epochs"]):
        start, total, words = time.perf_counter(), 0.0, 0
        model.train()
        order = rng.permutation(sentences)
        for k in range(0, len(order), config["batch"]):
            ids, inputs, lengths, kept, mask = rows.batch(order[k:k + config["batch"]], device)
            logits = model(ids, inputs, lengths)
            loss = loss_of(logits[mask], kept[mask])
            optimizer.zero_grad()
            (loss / mask.sum()).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            schedule.step()
            total, words = total + loss.item(), words + int(mask.sum())
        log(f"  epoch {epoch + 1}: loss {total / words:.4f} ({time.perf_counter() - start:.0f} s)")
    return model


def predict(model, rows: Rows, sentences: np.ndarray, device, batch: int = 512) -> np.ndarray:
    """The chances of the words of `sentences`, in their order."""
    import torch

    model.eval()
    chances = []
    with torch.no_grad():
        for k in range(0, len(sentences), batch):
            ids, inputs, lengths, _, mask = rows.batch(sentences[k:k + batch], device)
            chances.append(torch.sigmoid(model(ids, inputs, lengths))[mask].float().cpu().numpy())
    return np.concatenate(chances) if chances else np.zeros(0, np.float32)


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    positives = labels > 0.5
    n_pos, n_neg = int(positives.sum()), int((~positives).sum())
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / max(n_pos * n_neg, 1))


def train_tagger(data: Path, out_dir: Path, oof_path: Path, *, seed: int = 13, config: dict | None = None,
                 device: str | None = None, log=print) -> dict:
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # deterministic cuBLAS
    import torch

    config = {**CONFIG, **(config or {})}
    device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    torch.use_deterministic_algorithms(True, warn_only=True)  # warns where a kernel has no deterministic form
    rows = Rows(data)
    log(f"{len(rows.fold)} sentences, {len(rows.kept)} words, {len(rows.vocabulary)} pieces known; on {device}")
    oof = np.zeros(len(rows.kept), dtype=np.float32)
    report = {"config": config, "seed": seed, "device": str(device), "sentences": int(len(rows.fold)),
              "words": int(len(rows.kept)), "folds": []}
    for fold in (0, 1):
        start = time.perf_counter()
        log(f"fold {fold}: fitting on the other half")
        model = fit(rows, np.flatnonzero(rows.fold != fold), config, seed, device, log)
        held_out = np.flatnonzero(rows.fold == fold)
        words = np.concatenate([np.arange(rows.word_starts[s], rows.word_starts[s + 1]) for s in held_out])
        oof[words] = predict(model, rows, held_out, device)
        score = auc(rows.kept[words], oof[words])
        log(f"fold {fold}: out-of-fold AUC {score:.4f} ({time.perf_counter() - start:.0f} s)")
        report["folds"].append({"auc": round(score, 4), "seconds": round(time.perf_counter() - start, 1)})
    report["oof_auc"] = round(auc(rows.kept, oof), 4)
    log(f"out-of-fold AUC {report['oof_auc']:.4f}; fitting on both halves")
    model = fit(rows, np.arange(len(rows.fold)), config, seed, device, log)
    out_dir.mkdir(parents=True, exist_ok=True)
    weights = {name: value.detach().float().cpu().numpy().astype(np.float16 if name == "embedding.weight"
                                                                  else np.float32)
               for name, value in model.state_dict().items()}
    weights["embedding"] = weights.pop("embedding.weight")
    np.savez_compressed(out_dir / TAGGER_FILE, vocabulary=rows.vocabulary, **weights)
    np.savez_compressed(oof_path, keep=oof, words=np.asarray(len(rows.kept)))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", type=Path, help="the .npz that `highlights train --tagger-export` wrote")
    parser.add_argument("--out", type=Path, required=True, help="where learned-tagger.npz goes (the model folder)")
    parser.add_argument("--oof", type=Path, required=True, help="where the out-of-fold chances go (.npz)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--device", default=None, help="cuda or cpu (default: cuda when there is one)")
    parser.add_argument("--config", default="{}", help="JSON that overrides CONFIG, e.g. '{\"epochs\": 2}'")
    parser.add_argument("--report", type=Path, default=None, help="write the fit's figures (AUC, time) here")
    args = parser.parse_args()
    report = train_tagger(args.rows, args.out, args.oof, seed=args.seed, config=json.loads(args.config),
                          device=args.device, log=lambda m: print(m, flush=True))
    if args.report:
        args.report.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

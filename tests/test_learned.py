"""The learned method: the shipped model, its bullet count, training reproducibility, and a quality floor."""

from __future__ import annotations

import gzip
import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import CNNDM, shared_file
from highlights import DEFAULT_METHOD, HighlightsError, summarize
from highlights.cli import app
from highlights.evaluate.data import load_dataset
from highlights.evaluate.harness import evaluate
from highlights.evaluate.systems import build_system
from highlights.ingest import ingest
from highlights.score import get_scorer
from highlights.score.features import FEATURE_NAMES
from highlights.score.learned import BULLET_MODEL_FILE, MAX_BULLETS, MODEL_FILE, POLICY_FILE, LearnedScorer
from highlights.segment import segment
from highlights.train import train

MODELS = Path(__file__).resolve().parents[1] / "src" / "highlights" / "models"


def test_learned_is_the_default_method() -> None:
    assert DEFAULT_METHOD == "learned"


def test_the_shipped_model_is_small_and_in_safe_text_formats() -> None:
    files = [MODELS / MODEL_FILE, MODELS / BULLET_MODEL_FILE, MODELS / POLICY_FILE]
    assert sum(f.stat().st_size for f in files) <= 20 * 1024 * 1024
    for model in files[:2]:
        assert model.read_text(encoding="ascii").startswith("tree\nversion=")  # LightGBM's text format
    metadata = json.loads(files[2].read_text(encoding="utf-8"))
    assert tuple(metadata["features"]) == FEATURE_NAMES
    assert metadata["term_prior"]["rates"] and 0 < metadata["term_prior"]["default"] < 1


def test_scores_one_finite_number_per_sentence(example_text: str) -> None:
    article = segment(ingest(example_text))
    scores = get_scorer("learned").score(article)
    assert scores.shape == (len(article.sentences),) and np.isfinite(scores).all()


def test_bullet_count_follows_the_article(example_text: str) -> None:
    scorer = get_scorer("learned")
    article = segment(ingest(example_text))
    count = scorer.bullet_count(article, scorer.score(article))
    assert 2 <= count <= MAX_BULLETS
    assert len(summarize(example_text).highlights) == count
    # The user's number wins; tiny articles get what they have.
    assert len(summarize(example_text, bullets=1).highlights) == 1
    assert len(summarize("The bridge opened on Monday. Traffic was light.").highlights) == 2
    assert len(summarize("The bridge opened on Monday.").highlights) == 1


def test_cased_raw_and_lowercased_tokenized_text_score_alike() -> None:
    raw = ("The river council approved flood sensors on Tuesday. \"We've waited ten years,\" the mayor said. "
           "The sensors cost $2 million. They will be installed by May. Residents welcomed the plan.")
    tokenized = ("the river council approved flood sensors on tuesday . `` we 've waited ten years , '' the mayor "
                 "said . the sensors cost $ 2 million . they will be installed by may . residents welcomed the plan .")
    scorer = get_scorer("learned")
    from highlights.ingest.ptb import ptb_article

    a = scorer.score(segment(ingest(raw)))
    b = scorer.score(ptb_article(tokenized))
    np.testing.assert_allclose(a, b, rtol=1e-5)


def test_a_missing_or_foreign_model_is_a_clear_error(tmp_path: Path, example_text: str) -> None:
    article = segment(ingest(example_text))
    with pytest.raises(HighlightsError, match="highlights train"):
        LearnedScorer(tmp_path).score(article)
    for name in (MODEL_FILE, BULLET_MODEL_FILE, POLICY_FILE):
        shutil.copy(MODELS / name, tmp_path / name)
    metadata = json.loads((tmp_path / POLICY_FILE).read_text())
    metadata["features"] = metadata["features"][:-1]
    (tmp_path / POLICY_FILE).write_text(json.dumps(metadata))
    with pytest.raises(HighlightsError, match="other features"):
        LearnedScorer(tmp_path).score(article)


def _synthetic_training_rows(path: Path, articles: int = 60) -> None:
    """Lowercased, tokenized stories whose highlights repeat two of their sentences (made up, not news)."""
    rng = random.Random(7)
    words = "council river bridge sensor flood mayor school budget vote plan water road park city".split()
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for k in range(articles):
            sentences = [" ".join(rng.choices(words, k=rng.randint(6, 18))) + " ." for _ in range(rng.randint(5, 20))]
            picks = sorted(rng.sample(range(len(sentences)), 2))
            highlights = "\n".join(sentences[i][:-2] for i in picks)
            out.write(json.dumps({"id": f"t{k}", "article": " ".join(sentences), "highlights": highlights}) + "\n")


def test_training_is_reproducible(tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl.gz"
    _synthetic_training_rows(data)
    first = train(data, tmp_path / "a", workers=1, log=lambda _: None)
    second = train(data, tmp_path / "b", workers=1, log=lambda _: None)
    assert first.articles == 60
    for a, b in zip(first.files, second.files):
        assert a.read_bytes() == b.read_bytes()
    # What it built loads and scores.
    scorer = LearnedScorer(tmp_path / "a")
    assert len(scorer.score(segment(ingest("One thing happened. Then another. And a third.")))) == 3


def test_train_command_says_what_is_wrong(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["train", str(tmp_path / "nothing.jsonl"), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "no such file" in " ".join(result.output.split())
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"id": "1", "article": "", "highlights": "x"}\n')
    result = runner.invoke(app, ["train", str(empty), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "too few usable rows" in " ".join(result.output.split())


# A regression floor, not a benchmark: on the first 400 rows of each validation set the shipped model beat
# Lead-3 by R1 / R2 / RLsum +2.23 / +1.14 / +2.08 (lowertok) and +2.37 / +1.11 / +2.01 (raw) when it was
# trained; the floor leaves room for a retrained model to move a little (BENCHMARKS.md: full-set numbers).
FLOOR = {"rouge1": 1.5, "rouge2": 0.75, "rougeLsum": 1.5}


@pytest.mark.parametrize(("name", "detokenize"), [("validation-lowertok.jsonl.gz", "ptb"),
                                                  ("validation-raw.jsonl.gz", "none")])
def test_learned_beats_lead3_on_a_validation_slice(name: str, detokenize: str) -> None:
    data = load_dataset(shared_file(CNNDM / name), limit=400)
    systems = [build_system("lead-3", detokenize), build_system("learned", detokenize)]
    lead, learned = evaluate(systems, data.articles, detokenize=detokenize, memory_articles=0)
    for measure, floor in FLOOR.items():
        gap = learned.scores(measure).mean() - lead.scores(measure).mean()
        assert gap >= floor, (measure, gap)


def test_seed_page_bullets_are_at_least_as_close_to_its_own_highlights_as_lead3(seed_page: str) -> None:
    from highlights.evaluate.rouge import rouge

    learned = summarize(seed_page)
    lead = summarize(seed_page, method="lead", bullets=3)
    assert learned.reference_highlights and learned.kind == "opinion"
    ours = rouge(learned.bullets, learned.reference_highlights)
    theirs = rouge(lead.bullets, lead.reference_highlights)
    assert all(ours[m] >= theirs[m] for m in ("rouge1", "rouge2", "rougeLsum")), (ours, theirs)

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
from highlights.compress.deletions import METADATA_FILE as DELETION_METADATA_FILE
from highlights.compress.deletions import MODEL_FILE as DELETION_MODEL_FILE
from highlights.compress.deletions import WORD_MODEL_FILE as DELETION_WORD_MODEL_FILE
from highlights.evaluate.data import load_dataset
from highlights.evaluate.harness import evaluate
from highlights.evaluate.systems import build_system
from highlights.ingest import ingest
from highlights.model_folder import META_FILE
from highlights.options import Budget
from highlights.score import get_scorer
from highlights.score.candidates import CANDIDATE_FEATURES
from highlights.score.features import FEATURE_NAMES
from highlights.score.learned import (
    BULLET_MODEL_FILE,
    MAX_BULLETS,
    MIN_BULLETS,
    MODEL_FILE,
    PHRASE_FILE,
    POLICY_FILE,
    SUMMARY_MODEL_FILE,
    LearnedScorer,
)
from highlights.segment import segment
from highlights.train import PER_WORD_GRID, train

MODELS = Path(__file__).resolve().parents[1] / "src" / "highlights" / "models"


def test_learned_is_the_default_method() -> None:
    assert DEFAULT_METHOD == "learned"


def test_the_shipped_model_is_small_and_in_safe_text_formats() -> None:
    files = [MODELS / name for name in (MODEL_FILE, BULLET_MODEL_FILE, SUMMARY_MODEL_FILE, POLICY_FILE, PHRASE_FILE)]
    assert sum(f.stat().st_size for f in files) <= 20 * 1024 * 1024
    for model in files[:3]:
        assert model.read_text(encoding="ascii").startswith("tree\nversion=")  # LightGBM's text format
    metadata = json.loads(files[3].read_text(encoding="utf-8"))
    assert tuple(metadata["features"]) == FEATURE_NAMES
    assert tuple(metadata["candidate_features"]) == CANDIDATE_FEATURES
    assert metadata["term_prior"]["rates"] and 0 < metadata["term_prior"]["default"] < 1
    phrases = json.loads(files[4].read_text(encoding="utf-8"))
    assert len(phrases["weights"]) > 1000 and isinstance(phrases["bias"], float)


def test_scores_one_finite_number_per_sentence(example_text: str) -> None:
    article = segment(ingest(example_text))
    scores = get_scorer("learned").score(article)
    assert scores.shape == (len(article.sentences),) and np.isfinite(scores).all()


def test_bullet_count_follows_the_article(example_text: str) -> None:
    scorer = get_scorer("learned")
    article = segment(ingest(example_text))
    assert MIN_BULLETS <= scorer.bullet_count(article, scorer.score(article)) <= MAX_BULLETS
    assert MIN_BULLETS <= len(summarize(example_text).highlights) <= MAX_BULLETS
    # The user's number wins (one the summary model never saw is taken greedily); tiny articles get what they have.
    for bullets in (1, 2, 3, 4, 6):
        assert len(summarize(example_text, bullets=bullets).highlights) == bullets
    assert len(summarize("The bridge opened on Monday. Traffic was light.").highlights) == 2
    assert len(summarize("The bridge opened on Monday.").highlights) == 1


def test_cased_raw_and_lowercased_tokenized_text_score_alike() -> None:
    raw = (
        'The river council approved flood sensors on Tuesday. "We\'ve waited ten years," the mayor said. '
        "The sensors cost $2 million. They will be installed by May. Residents welcomed the plan."
    )
    tokenized = (
        "the river council approved flood sensors on tuesday . `` we 've waited ten years , '' the mayor "
        "said . the sensors cost $ 2 million . they will be installed by may . residents welcomed the plan ."
    )
    scorer = get_scorer("learned")
    from highlights.ingest.ptb import ptb_article

    a = scorer.score(segment(ingest(raw)))
    b = scorer.score(ptb_article(tokenized))
    np.testing.assert_allclose(a, b, rtol=1e-5)


def test_the_chosen_summary_keeps_to_the_budget(example_text: str) -> None:
    from highlights.select import overlap
    from highlights.tokens import content_terms_of

    scorer = get_scorer("learned")
    article = segment(ingest(example_text))
    scores = scorer.score(article)
    default = scorer.choose(article, scores, Budget())
    assert default == sorted(default) and MIN_BULLETS <= len(default) <= MAX_BULLETS
    assert len(set(default)) == len(default)
    short = scorer.choose(article, scores, Budget(max_words=35))
    assert short is None or sum(article.sentences[i].words for i in short) <= 35
    brief = scorer.choose(article, scores, Budget(max_words_per_bullet=15))
    assert brief is None or all(article.sentences[i].words <= 15 for i in brief)
    strict = scorer.choose(article, scores, Budget(redundancy=0.3))
    if strict is not None:
        # Overlap of the content terms the features see (of the PTB tokens).
        terms = [set(content_terms_of(article.tokens.ptb[i])) for i in strict]
        assert all(overlap(a, b) < 0.3 for k, a in enumerate(terms) for b in terms[k + 1 :])
    # Nothing fits: the pipeline falls back to greedy selection (which shortens the best sentence).
    assert scorer.choose(article, scores, Budget(max_words=1)) is None
    assert len(summarize(example_text, max_words=1).highlights) == 1


def test_a_line_that_does_not_end_like_a_sentence_is_never_chosen(example_text: str) -> None:
    # A subheading inside the story (or a related headline the page cleaner let through) given the best score of
    # all. Inside: above the dateline it would be the standfirst, which ingest keeps out.
    heading = "Why the bridge matters to the town"
    paragraphs = example_text.split("\n\n")
    text = "\n\n".join([*paragraphs[:5], heading, *paragraphs[5:]])
    scorer = get_scorer("learned")
    article = segment(ingest(text))
    index = next(s.index for s in article.sentences if s.text == heading)
    scores = scorer.score(article)
    scores[index] = scores.max() + 5.0
    chosen = scorer.choose(article, scores, Budget())
    assert chosen and index not in chosen


def test_a_missing_or_foreign_model_is_a_clear_error(tmp_path: Path, example_text: str) -> None:
    article = segment(ingest(example_text))
    with pytest.raises(HighlightsError, match="highlights train"):
        LearnedScorer(tmp_path).score(article)
    for name in (MODEL_FILE, BULLET_MODEL_FILE, SUMMARY_MODEL_FILE, POLICY_FILE, META_FILE):
        shutil.copy(MODELS / name, tmp_path / name)
    with pytest.raises(HighlightsError, match=PHRASE_FILE):
        LearnedScorer(tmp_path).score(article)
    shutil.copy(MODELS / PHRASE_FILE, tmp_path / PHRASE_FILE)
    metadata = json.loads((tmp_path / POLICY_FILE).read_text())
    metadata["features"] = metadata["features"][:-1]
    (tmp_path / POLICY_FILE).write_text(json.dumps(metadata))
    with pytest.raises(HighlightsError, match="other features"):
        LearnedScorer(tmp_path).score(article)


def _synthetic_training_rows(path: Path, articles: int = 60) -> None:
    """Lowercased, tokenized stories whose highlights repeat two of their sentences (made up, not news)."""
    rng = random.Random(7)
    words = "council river bridge sensor flood mayor school budget vote plan water road park city".split()
    tails = ["", "", ", officials said", "in the city", ", and the council met after the vote", "on monday"]

    def sentence() -> str:
        return " ".join(rng.choices(words, k=rng.randint(6, 18)) + [rng.choice(tails)]).strip() + " ."

    with gzip.open(path, "wt", encoding="utf-8") as out:
        for k in range(articles):
            sentences = [sentence() for _ in range(rng.randint(5, 20))]
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
    assert [f.name for f in first.files] == [
        MODEL_FILE,
        BULLET_MODEL_FILE,
        SUMMARY_MODEL_FILE,
        POLICY_FILE,
        PHRASE_FILE,
        DELETION_MODEL_FILE,
        DELETION_WORD_MODEL_FILE,
        DELETION_METADATA_FILE,
        META_FILE,
    ]
    # What it built loads, scores and chooses.
    scorer = LearnedScorer(tmp_path / "a")
    article = segment(ingest("One thing happened. Then another. And a third. A fourth came. The fifth ended it."))
    scores = scorer.score(article)
    assert len(scores) == 5
    assert MIN_BULLETS <= len(scorer.choose(article, scores, Budget())) <= MAX_BULLETS
    # And its deletion model rates cuts (from the same files, nothing of the shipped model).
    from highlights.compress.deletions import DeletionModel

    model = DeletionModel(tmp_path / "a")
    sentence = segment(
        ingest("The council met on Monday in the city hall, and the mayor spoke after the vote, officials said.")
    )
    ranked = model.ranked_cuts(sentence, [(0, sentence.sentences[0].span)])
    assert len(ranked) == 1 and model.metadata["training"]["cuts"] > 0


def test_offsets_follow_what_the_calibration_stories_want() -> None:
    from highlights.train import RatedSummaries, _best_offsets

    def article(rating: list[float], sizes: list[int], words: list[int], target: list[float]) -> RatedSummaries:
        return RatedSummaries(np.asarray(rating), np.asarray(sizes), np.asarray(words, dtype=float), np.asarray(target))

    # The model rates 3 bullets highest everywhere, but 2-bullet summaries score better on these stories: the
    # offset for 2 must make up the rating gap.
    by_size = [
        article([1.0, 2.0, 0.0], [2, 3, 4], [40, 60, 80], [30.0, 20.0, 10.0]),
        article([1.5, 2.0, 0.5], [2, 3, 4], [40, 60, 80], [30.0, 20.0, 10.0]),
        article([0.0, 1.0, -1.0], [2, 3, 4], [40, 60, 80], [30.0, 20.0, 10.0]),
    ]
    offsets = _best_offsets(by_size)
    chosen = [
        int(np.argmax(a.rating + [offsets["sizes"][str(m)] for m in a.sizes] + offsets["per_word"] * a.words))
        for a in by_size
    ]
    assert chosen == [0, 0, 0] and offsets["sizes"]["3"] == 0.0
    # Among summaries of one size, the shorter ones score better: a negative offset per word, no size offset.
    by_length = [article([1.0, 0.5, 0.0], [3, 3, 3], [70, 40, 55], [10.0, 30.0, 20.0]) for _ in range(3)]
    offsets = _best_offsets(by_length)
    assert offsets["per_word"] < 0 and offsets["sizes"] == {"2": 0.0, "3": 0.0, "4": 0.0}
    # When the model is already right, no offset (ties go to zero).
    right = [article([1.0, 2.0, 0.0], [2, 3, 4], [40, 60, 80], [20.0, 30.0, 10.0])]
    assert _best_offsets(right) == {"sizes": {"2": 0.0, "3": 0.0, "4": 0.0}, "per_word": 0.0}


def test_offsets_are_kept_only_where_they_hold_on_articles_they_were_not_fitted_on() -> None:
    from highlights.train import RatedSummaries, checked_offsets, no_offsets

    def article(rating: list[float], target: list[float]) -> RatedSummaries:
        return RatedSummaries(
            np.asarray(rating), np.asarray([2, 3, 4]), np.asarray([40.0, 60.0, 80.0]), np.asarray(target)
        )

    rng = random.Random(5)
    # Every story wants 2 bullets where the model rates 3 best: fitted on either half, the offset for 2 helps the other.
    wants_two = [article([1.0, 2.0 + rng.random(), 0.0], [30.0 + rng.random(), 20.0, 10.0]) for _ in range(40)]
    offsets, check = checked_offsets(wants_two)
    assert check["kept"] and check["held_out_gain"] > check["standard_error"] > 0 and check["articles"] == 40
    assert offsets != no_offsets()
    # The model already picks each story's best summary: offsets fitted on a half gain nothing on the other.
    right = [article([2.0, 1.0 + rng.random(), 0.0], [30.0, 20.0, 10.0 + rng.random()]) for _ in range(40)]
    offsets, check = checked_offsets(right)
    assert not check["kept"] and check["held_out_gain"] <= check["standard_error"] and offsets == no_offsets()


def _raw_twin(tokenized: str) -> str:
    """The made-up tokenized article as raw text would have it: cased, commas and stops against the words."""
    return tokenized.replace(" ,", ",").replace(" .", ".").capitalize()


def test_the_calibration_split_is_drawn_by_seed_and_holds_out_the_raw_twins() -> None:
    from highlights.train import article_key, calibration_split

    assert article_key("-lrb- cnn -rrb- -- the mayor 's plan , `` a good one '' .") == article_key(
        '(CNN) -- The mayor\'s plan, "a good one."'
    )
    rng = random.Random(3)
    rows = [
        (f"story {k} : the council met on day {rng.randint(1, 10**6)} , officials said .", [f"story {k}"])
        for k in range(200)
    ]
    raw = [(_raw_twin(rows[k][0]), rows[k][1]) for k in (5, 17, 123)] + [("A story no training row tells.", ["x"])]
    split = calibration_split(rows, 30, seed=13, raw_rows=raw)
    assert split == calibration_split(rows, 30, seed=13, raw_rows=raw)  # deterministic
    assert split.held_out != calibration_split(rows, 30, seed=14, raw_rows=raw).held_out
    held = set(split.held_out)
    assert {5, 17, 123} <= held and len(held) == 30 + split.raw_twins and split.raw_twins >= 1
    fit, held_out = split.parts(rows)
    assert len(fit) + len(held_out) == len(rows)  # disjoint, nothing lost
    assert not {text for text, _ in fit} & {text for text, _ in held_out}
    assert [rows[k] for k in split.held_out] == held_out
    # The draw follows the articles, not the file order.
    shuffled = rows[::-1]
    assert sorted(shuffled[k] for k in calibration_split(shuffled, 30, seed=13, raw_rows=raw).held_out) == sorted(
        held_out
    )
    with pytest.raises(HighlightsError, match="cannot hold out 201 of 200"):
        calibration_split(rows, 201)


def test_calibrated_training_needs_no_validation_rows(tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl.gz"
    _synthetic_training_rows(data, articles=80)
    with gzip.open(data, "rt", encoding="utf-8") as source:
        rows = [json.loads(line) for line in source]
    raw = tmp_path / "raw.jsonl"  # raw twins of three training rows, and one story of its own
    raw_rows = [{**rows[k], "id": f"raw{k}", "article": _raw_twin(rows[k]["article"])} for k in (2, 40, 77)]
    raw_rows.append({"id": "own", "article": _raw_twin(rows[0]["article"][::-1]), "highlights": rows[0]["highlights"]})
    raw.write_text("".join(json.dumps(r) + "\n" for r in raw_rows))
    result = train(data, tmp_path / "m", workers=1, calibration_size=20, calibrate_raw=[raw], log=lambda _: None)
    metadata = json.loads((tmp_path / "m" / POLICY_FILE).read_text())
    split = metadata["training"]["calibration_split"]
    assert split["held_out_rows"] == 20 + split["raw_twins"] and split["seed"] == 13
    assert split["raw"] == ["raw.jsonl"] and split["raw_rows"] == 4
    assert set(split["check"]) == {"other"} and split["check"]["other"]["articles"] > 0
    assert result.articles == metadata["training"]["articles"] == 80 - split["held_out_rows"]
    assert set(metadata["calibration"]) == {"other"}  # the made-up stories have no agency dateline
    assert set(metadata["calibration"]["other"]["sizes"]) == {"2", "3", "4"}
    assert metadata["calibration"]["other"]["per_word"] in PER_WORD_GRID


def test_train_command_says_what_is_wrong(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["train", str(tmp_path / "nothing.jsonl"), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "no such file" in " ".join(result.output.split())
    data = tmp_path / "rows.jsonl.gz"
    _synthetic_training_rows(data, articles=4)
    result = runner.invoke(
        app, ["train", str(data), "--calibrate-raw", str(tmp_path / "nothing.jsonl"), "--out", str(tmp_path / "m")]
    )
    assert result.exit_code == 2 and "no such file" in " ".join(result.output.split())
    result = runner.invoke(app, ["train", str(data), "--calibration-split", "3", "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "too few usable rows to train on (1 once 3 are held out" in " ".join(
        result.output.split()
    )
    result = runner.invoke(app, ["train", str(data), "--calibration-split", "5", "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "cannot hold out 5 of 4 training rows" in " ".join(result.output.split())
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"id": "1", "article": "", "highlights": "x"}\n')
    result = runner.invoke(app, ["train", str(empty), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "too few usable rows" in " ".join(result.output.split())


# A regression floor, not a benchmark: on the first 400 rows of each validation set the shipped model, its
# bullets compressed (the default), beat Lead-3 by R1 / R2 / RLsum +3.25 / +1.60 / +3.04 (lowertok) and +3.06 /
# +1.23 / +2.85 (raw) (whole sentences: +2.52 / +1.47 / +2.39 and +1.80 / +0.84 / +1.63; the models before it,
# whose calibration offsets were fitted on validation, compressed: +3.68 / +1.62 / +3.32 and +3.82 / +1.40 /
# +3.06); the floor leaves room for a retrained model to move a little (BENCHMARKS.md: full-set numbers).
FLOOR = {"rouge1": 1.5, "rouge2": 0.75, "rougeLsum": 1.5}


@pytest.mark.data
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "detokenize"), [("validation-lowertok.jsonl.gz", "ptb"), ("validation-raw.jsonl.gz", "none")]
)
def test_learned_beats_lead3_on_a_validation_slice(name: str, detokenize: str) -> None:
    data = load_dataset(shared_file(CNNDM / name), limit=400)
    systems = [build_system("lead-3", detokenize), build_system("learned", detokenize)]
    lead, learned = evaluate(systems, data.articles, detokenize=detokenize, memory_articles=0)
    for measure, floor in FLOOR.items():
        gap = learned.scores(measure).mean() - lead.scores(measure).mean()
        assert gap >= floor, (measure, gap)


@pytest.mark.data
def test_seed_page_gets_an_opinion_summary_of_two_to_four_bullets_from_its_text(seed_page: str) -> None:
    # Its bullets were closer than Lead-3's to its own two highlights while the calibration offsets were fitted on
    # validation stories; fitted on training rows, the default gives it four bullets and is not (34.23 / 7.34 /
    # 27.03 against Lead-3's 34.78 / 7.08 / 31.30), so this holds what the page must get, not a score.
    summary = summarize(seed_page)
    assert summary.reference_highlights and summary.kind == "opinion"
    assert MIN_BULLETS <= len(summary.highlights) <= MAX_BULLETS
    assert all(span.of(summary.text) for bullet in summary.highlights for span in bullet.spans)


def test_only_deletions_rebuilds_the_deletion_model_beside_existing_models(tmp_path: Path) -> None:
    from highlights.compress.deletions import DeletionModel

    data = tmp_path / "rows.jsonl.gz"
    _synthetic_training_rows(data)
    runner = CliRunner()
    out = tmp_path / "m"
    result = runner.invoke(app, ["train", str(data), "--out", str(out), "--only-deletions", "-w", "1"])
    assert result.exit_code == 2 and "highlights train" in " ".join(result.output.split())  # no learned model there
    out.mkdir(exist_ok=True)
    for name in (MODEL_FILE, BULLET_MODEL_FILE, SUMMARY_MODEL_FILE, POLICY_FILE, PHRASE_FILE, META_FILE):
        shutil.copy(MODELS / name, out / name)
    result = runner.invoke(app, ["train", str(data), "--out", str(out), "--only-deletions", "-w", "1"])
    assert result.exit_code == 0, result.output
    assert (out / DELETION_MODEL_FILE).is_file() and (out / DELETION_METADATA_FILE).is_file()
    assert DeletionModel(out).load().metadata["training"]["summaries"] == 60

"""Model folders: the meta.json beside the models, written by training and checked on load with a clear message;
and a Summarizer reading the models of its own folder, with no process-wide "the model"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from highlights import ModelFolderError, Summarizer, summarize
from highlights.compress import deletions as deletion_models
from highlights.model_folder import (
    META_FILE,
    ModelMeta,
    check_meta,
    default_model_dir,
    fitting_versions,
    write_meta,
)
from highlights.score import get_scorer, learned
from highlights.version import __version__

MODELS = default_model_dir()


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A copy of the shipped model folder (the learned and deletion models and the meta.json)."""
    folder = tmp_path / "models"
    shutil.copytree(MODELS, folder)
    return folder


def _edit_meta(folder: Path, model: str, **entry: object) -> None:
    meta = json.loads((folder / META_FILE).read_text())
    meta["models"][model].update(entry)
    (folder / META_FILE).write_text(json.dumps(meta))


def test_the_shipped_folder_says_its_models_fit_this_version() -> None:
    check_meta(MODELS, learned.model_meta())
    check_meta(MODELS, deletion_models.model_meta())
    assert json.loads((MODELS / META_FILE).read_text())["models"]["learned"]["highlights"] == fitting_versions()


def test_a_model_fits_its_release_up_to_the_next_that_may_change_features() -> None:
    assert fitting_versions("0.1.0") == {"from": "0.1.0", "below": "0.2.0"}
    assert fitting_versions("0.3.2.dev1") == {"from": "0.3.2", "below": "0.4.0"}
    assert fitting_versions("1.4.0") == {"from": "1.4.0", "below": "2.0.0"}


def test_other_features_or_normalization_are_refused_naming_the_folder_and_the_fix(model_copy: Path) -> None:
    _edit_meta(model_copy, "learned", digest="0" * 64)
    with pytest.raises(ModelFolderError) as refused:
        Summarizer(model_dir=model_copy).summarize("The council met on Monday. It voted to rebuild the bridge.")
    message = str(refused.value)
    assert str(model_copy) in message and "other features or another text normalization" in message
    assert f"highlights train ROWS --out {model_copy}" in message


def test_a_model_for_other_versions_is_refused_with_the_range_it_fits(model_copy: Path) -> None:
    _edit_meta(model_copy, "deletions", highlights={"from": "9.0.0", "below": "10.0.0"})
    with pytest.raises(ModelFolderError) as refused:
        deletion_models.DeletionModel(model_copy).load()
    message = str(refused.value)
    assert f"fits highlights 9.0.0 up to (not including) 10.0.0, and this is highlights {__version__}" in message
    assert f"highlights train ROWS --only-deletions --out {model_copy}" in message


def test_another_file_format_or_no_meta_at_all_is_refused(model_copy: Path) -> None:
    _edit_meta(model_copy, "learned", format=99)
    with pytest.raises(ModelFolderError, match="is in format 99 and this version of highlights reads format 1"):
        learned.LearnedScorer(model_copy).load()
    (model_copy / META_FILE).unlink()
    with pytest.raises(ModelFolderError, match=f"has no {META_FILE}"):
        learned.LearnedScorer(model_copy).load()
    (model_copy / META_FILE).write_text("{not json")
    with pytest.raises(ModelFolderError, match="cannot be read"):
        learned.LearnedScorer(model_copy).load()


def test_write_meta_keeps_the_other_models_entries(tmp_path: Path) -> None:
    first = ModelMeta("first", 1, "a" * 64, "rebuild first")
    write_meta(tmp_path, first)
    write_meta(tmp_path, ModelMeta("second", 2, "b" * 64, "rebuild second"))
    check_meta(tmp_path, first)
    with pytest.raises(ModelFolderError, match="says nothing about the third model; rebuild it with `make third`"):
        check_meta(tmp_path, ModelMeta("third", 1, "c" * 64, "make third"))


def test_a_summarizer_reads_the_models_of_its_own_folder(model_copy: Path, example_text: str) -> None:
    # Offsets that make the summary model prefer four bullets, in the copy only.
    policy = json.loads((model_copy / learned.POLICY_FILE).read_text())
    for offsets in policy["calibration"].values():
        offsets["sizes"] = {"2": -100.0, "3": -100.0, "4": 100.0}
    (model_copy / learned.POLICY_FILE).write_text(json.dumps(policy))

    shipped = summarize(example_text)
    four = Summarizer(model_dir=model_copy).summarize(example_text)
    assert len(four.highlights) == 4 != len(shipped.highlights)
    assert summarize(example_text) == shipped  # the shipped models are still the default's
    assert Summarizer(model_dir=str(model_copy), method="learned").summarize(example_text) == four


def test_models_load_once_per_folder(model_copy: Path) -> None:
    assert get_scorer("learned", model_copy) is get_scorer("learned", str(model_copy))
    assert get_scorer("learned", model_copy) is not get_scorer("learned")
    assert get_scorer("learned", MODELS) is get_scorer("learned")
    assert get_scorer("learned", model_copy).load().model_dir == model_copy.resolve()
    assert deletion_models.deletion_model(model_copy) is deletion_models.deletion_model(str(model_copy))
    assert deletion_models.deletion_model(model_copy) is not deletion_models.deletion_model()
    assert get_scorer("lead", model_copy).name == "lead"  # a method without models ignores the folder


PAGE = "\n".join(
    [
        "Home | News | Sport | Weather",
        "River town's homemade sensors beat the flood",
        "By Ana Ruiz",
        "The first warning came from a plastic box bolted under the Fifth Street bridge.",
        "Volunteers built 40 river sensors from spare parts for about $30 each.",
        "On the night of March 14 the sensors recorded the water rising 30 centimeters in an hour.",
        "Town officials estimate the early warning saved at least $2 million in property damage.",
        "The group now meets every Tuesday to repair sensors damaged by debris.",
        "Share this article",
        "Related: Flood defences to be reviewed",
    ]
)


def test_a_folder_with_a_furniture_model_reads_pages_with_it(model_copy: Path, tmp_path: Path) -> None:
    from highlights.ingest.furniture import META_FILE as FURNITURE_META

    assert Summarizer(model_dir=model_copy).furniture_dir == model_copy.resolve()
    assert Summarizer(model_dir=model_copy).summarize(PAGE).highlights
    # The folder's furniture model is the one read: a broken one is refused, naming the folder.
    broken = tmp_path / "broken"
    shutil.copytree(MODELS, broken)
    _edit_meta(broken, "furniture", format=999)
    with pytest.raises(ModelFolderError, match=str(broken)):
        Summarizer(model_dir=broken).summarize(PAGE)
    # A folder of summary models only (`highlights train --out`) reads pages with the shipped furniture model.
    (broken / FURNITURE_META).unlink()
    summarizer = Summarizer(model_dir=broken)
    assert summarizer.furniture_dir is None and summarizer.summarize(PAGE).highlights

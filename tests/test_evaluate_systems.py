"""Every eval system behind one interface: specs, the sumy peers on our sentences, plug-in methods, files."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from highlights.evaluate.data import prepare
from highlights.evaluate.systems import SystemSpecError, build_system, default_systems, parse_spec
from highlights.options import Options
from highlights.score import Scorer, methods, register
from highlights.score.base import _FACTORIES, _INSTANCES

TEXT = (
    "The council approved a plan to rebuild the old bridge on Monday. Dr. Smith of the U.S. agency said the "
    "bridge was unsafe. The plan costs $4.5 million. Work starts in May. The council will meet again in June. "
    "Residents welcomed the bridge plan."
)


def test_parse_spec():
    assert parse_spec("Centrality:bullets=3, compress=true").options == {"bullets": "3", "compress": "true"}
    assert parse_spec("predictions:/a/b:c,d.jsonl").options == {"path": "/a/b:c,d.jsonl"}
    with pytest.raises(SystemSpecError):
        parse_spec("lead:bullets")


@pytest.mark.parametrize("name", ["lexrank", "textrank", "lsa", "luhn"])
def test_sumy_peers_pick_our_sentences_without_nltk_data(monkeypatch, name):
    pytest.importorskip("sumy")
    import sumy.nlp.tokenizers

    def no_punkt(*args, **kwargs):
        raise LookupError("punkt_tab is not here")

    monkeypatch.setattr(sumy.nlp.tokenizers.Tokenizer, "__init__", no_punkt)
    sentences = [s.text for s in prepare(TEXT).sentences]
    assert "Dr. Smith of the U.S. agency said the bridge was unsafe." in sentences  # our splitter's sentences
    bullets = build_system(f"{name}:bullets=2").run("x", TEXT, [])
    assert len(bullets) == 2
    assert all(b in sentences for b in bullets)
    assert bullets == sorted(bullets, key=sentences.index)  # in article order


def test_missing_sumy_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "sumy.summarizers.lex_rank", None)
    with pytest.raises(SystemSpecError, match=r"needs sumy: pip install 'highlights\[peers\]'"):
        build_system("lexrank")


def test_lead_k_and_oracle():
    sentences = [s.text for s in prepare(TEXT).sentences]
    assert build_system("lead-2").run("x", TEXT, []) == sentences[:2]
    assert build_system("lead-50").run("x", TEXT, []) == sentences
    oracle = build_system("oracle:sentences=1").run("x", TEXT, ["Work starts in May."])
    assert oracle == ["Work starts in May."]


def test_project_methods_come_from_the_registry_including_later_plugins():
    assert set(methods()) <= set(default_systems())

    class LastFirst(Scorer):
        name = "last-first"

        def score(self, article):
            return np.arange(len(article.sentences), dtype=float)

    register("last-first")(LastFirst)
    try:
        assert "last-first" in default_systems()
        bullets = build_system("last-first:bullets=1,attribute=false").run("x", TEXT, [])
        assert bullets == ["Residents welcomed the bridge plan."]
    finally:
        _FACTORIES.pop("last-first", None)
        _INSTANCES.pop(("last-first", None), None)


def test_project_method_options_are_passed_through():
    system = build_system("centrality:bullets=2,compress=true,max_words_per_bullet=40,redundancy=0.5,attribute=false")
    assert system.options.budget.bullets == 2 and system.options.compress is True
    assert system.options.budget.max_words_per_bullet == 40 and system.options.budget.redundancy == 0.5
    assert system.options.attribute is False and system.options.method == "centrality"
    # The CLI's name works too, and `none` is the default of an option whose default is None.
    assert build_system("centrality:attribution=false,bullets=none").options == Options("centrality", attribute=False)
    assert len(system.run("x", TEXT, [])) == 2
    with pytest.raises(SystemSpecError, match="unknown option"):
        build_system("centrality:colour=red")
    with pytest.raises(SystemSpecError, match="true or false"):
        build_system("lead:compress=maybe")


def test_predictions_files_in_both_row_forms(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"id": "a", "bullets": ["one", " two "]})
        + "\n\n"
        + json.dumps({"id": 7, "highlights": "x\n\ny"})
        + "\n",
        encoding="utf-8",
    )
    system = build_system(f"predictions:{path}")
    assert system.label == "predictions:p.jsonl"
    assert system.run("a", "", []) == ["one", "two"] and system.run("7", "", []) == ["x", "y"]
    with pytest.raises(KeyError):
        system.run("b", "", [])
    path.write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(SystemSpecError, match="p.jsonl:1"):
        build_system(f"predictions:{path}")

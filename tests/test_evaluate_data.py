"""Eval data loaders: JSONL, JSONL.gz, CSV and Parquet with mapped field names; limit, sample, bad rows."""

from __future__ import annotations

import csv
import gzip
import json

import pytest

from highlights.errors import InputError
from highlights.evaluate.data import load_dataset, prepare

ROWS = [
    {
        "doc": f"a{i}",
        "story": f"Story {i} begins here. It goes on for a while. It ends.",
        "summary": f"one {i}\ntwo {i}",
    }
    for i in range(10)
]
MAPPED = {"id_field": "doc", "article_field": "story", "highlights_field": "summary"}


def _write_jsonl(path, rows, opener=open):
    with opener(path, "wt", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path


def _check(dataset):
    assert [a.id for a in dataset.articles] == [f"a{i}" for i in range(10)]
    assert dataset.articles[3].text == ROWS[3]["story"]
    assert dataset.articles[3].references == ["one 3", "two 3"]
    assert dataset.rows == 10 and not dataset.skipped


def test_jsonl_and_gzip(tmp_path):
    _check(load_dataset(_write_jsonl(tmp_path / "d.jsonl", ROWS), **MAPPED))
    _check(load_dataset(_write_jsonl(tmp_path / "d.jsonl.gz", ROWS, gzip.open), **MAPPED))


def test_csv(tmp_path):
    path = tmp_path / "d.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["doc", "story", "summary"])
        writer.writeheader()
        writer.writerows(ROWS)
    _check(load_dataset(path, **MAPPED))


def test_parquet_with_list_highlights(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = [{**row, "summary": row["summary"].split("\n")} for row in ROWS]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "d.parquet")
    _check(load_dataset(tmp_path / "d.parquet", **MAPPED))


def test_default_field_names_need_mapping(tmp_path):
    with pytest.raises(InputError, match="none of its 10 rows"):
        load_dataset(_write_jsonl(tmp_path / "d.jsonl", ROWS))


def test_limit_and_seeded_sample(tmp_path):
    path = _write_jsonl(tmp_path / "d.jsonl", ROWS)
    assert [a.id for a in load_dataset(path, limit=3, **MAPPED).articles] == ["a0", "a1", "a2"]
    first = [a.id for a in load_dataset(path, sample=4, seed=5, **MAPPED).articles]
    assert first == [a.id for a in load_dataset(path, sample=4, seed=5, **MAPPED).articles]
    assert len(first) == 4 and first == sorted(first, key=lambda i: int(i[1:]))  # file order kept
    assert first != [a.id for a in load_dataset(path, sample=4, seed=6, **MAPPED).articles]


def test_bad_rows_are_skipped_with_reasons(tmp_path):
    path = tmp_path / "d.jsonl"
    lines = [
        json.dumps(ROWS[0]),
        "{not json",
        json.dumps({"doc": "x", "story": "Text here.", "summary": ""}),
        json.dumps({"doc": "y", "summary": "a"}),
        json.dumps(ROWS[0]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dataset = load_dataset(path, **MAPPED)
    assert [a.id for a in dataset.articles] == ["a0", "a0#5"]  # duplicate ids made unique
    assert dataset.duplicate_ids == 1
    reasons = dataset.skip_reasons()
    assert len(dataset.skipped) == 3
    assert any(r.startswith("malformed JSON") for r in reasons)
    assert "no reference highlights in 'summary'" in reasons
    assert "no 'story' field" in reasons


@pytest.mark.parametrize("content", [b"", b"\n\n"])
def test_empty_files_are_an_input_error(tmp_path, content):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match="no rows"):
        load_dataset(path)


def test_missing_file_and_truncated_gzip(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_dataset(tmp_path / "nope.jsonl")
    data = gzip.compress(("\n".join(json.dumps(r) for r in ROWS * 50)).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cannot read"):
        load_dataset(tmp_path / "cut.jsonl.gz", **MAPPED)


def test_prepare_raw_and_ptb():
    raw = prepare("(CNN)The mayor resigned. The council meets on Friday.")
    assert [s.text for s in raw.sentences] == ["The mayor resigned.", "The council meets on Friday."]
    ptb = prepare("( cnn ) -- the mayor resigned . the council meets on friday .", "ptb")
    assert [s.text for s in ptb.sentences] == ["the mayor resigned.", "the council meets on friday."]
    with pytest.raises(ValueError):
        prepare("text", "moses")

"""The Ray engine on a local Ray instance gives the same output, byte for byte, as the local engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from highlights.batch import Engine, Job, run_job
from synthetic_articles import rows, write_jsonl

ray = pytest.importorskip("ray", reason="the Ray engine needs the optional extra: pip install 'highlights[ray]'")
pytestmark = pytest.mark.slow  # starting Ray alone takes seconds


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture
def inputs(tmp_path: Path) -> list[Path]:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_jsonl(first, rows(60, seed=21, prefix="a"), bad_every=25)
    write_jsonl(second, rows(40, seed=22, prefix="b"), bad_every=15)
    return [first, second]


def test_ray_engine_matches_local_engine(local_ray, tmp_path, inputs):
    local, on_ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    run_job(Job(inputs, local), Engine("local", workers=1))
    report = run_job(Job(inputs, on_ray), Engine("ray", workers=2, chunk_size=8))
    assert report.done == 100 and report.failed == 4
    assert on_ray.read_bytes() == local.read_bytes()
    assert (tmp_path / "ray.errors.jsonl").read_bytes() == (tmp_path / "local.errors.jsonl").read_bytes()
    assert [json.loads(line)["id"] for line in on_ray.read_text().splitlines()][:2] == ["a-0", "a-1"]


def test_ray_engine_resumes_a_job_the_local_engine_started(local_ray, tmp_path, inputs):
    class Stop(Exception):
        pass

    seen: list[int] = []

    def stop_after_three(rows: int) -> None:
        seen.append(rows)
        if len(seen) == 3:
            raise Stop

    local, resumed = tmp_path / "local.jsonl", tmp_path / "resumed.jsonl"
    run_job(Job(inputs, local))
    with pytest.raises(Stop):
        run_job(Job(inputs, resumed), Engine("local", chunk_size=16), on_chunk=stop_after_three)
    report = run_job(Job(inputs, resumed), Engine("ray", workers=2, chunk_size=8))
    assert report.skipped == 48
    assert resumed.read_bytes() == local.read_bytes()

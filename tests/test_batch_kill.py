"""`kill -9` at random moments, then the same command again until it finishes: every input id exactly once,
every line whole JSON, the same bytes as a run that was never interrupted."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from synthetic_articles import rows, write_jsonl

pytestmark = pytest.mark.slow  # a few dozen batch runs, each killed at a random moment
KILLS = 6


def batch(args: list[str], stderr=subprocess.PIPE) -> subprocess.Popen:
    command = [sys.executable, "-m", "highlights.cli", "batch", *args, "--no-progress", "--chunk-size", "8"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, text=True)


def committed(output: Path) -> int:
    try:
        progress = json.loads(output.with_name(output.name + ".progress").read_text())
    except (FileNotFoundError, ValueError):
        return 0
    return progress["rows"] + progress["errors"]


def test_kill_9_at_random_moments_then_resume(tmp_path: Path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    ids = write_jsonl(first, rows(1000, seed=11, prefix="a"), bad_every=100)
    ids += write_jsonl(second, rows(1000, seed=12, prefix="b"), bad_every=250)
    inputs = [str(first), str(second)]

    out = tmp_path / "out.jsonl"
    rng = random.Random(7)
    # Kill points chosen by progress, not by the clock, so they fall inside the job on any machine: one
    # during start-up, then after a random number of committed rows, a random few milliseconds into what
    # follows (a chunk being written, a worker mid-article, the progress record being replaced).
    targets = [0, *sorted(rng.sample(range(1, len(ids) - 200), KILLS - 1))]
    kills = 0
    for target in targets:
        process = batch([*inputs, "-o", str(out), "--workers", "2"], stderr=subprocess.DEVNULL)
        if target == 0:
            time.sleep(rng.uniform(0.05, 1.0))
        while process.poll() is None and committed(out) < target:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        if process.poll() is not None:
            continue  # it finished first: nothing to interrupt
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        kills += 1
    assert kills >= KILLS - 1
    final = batch([*inputs, "-o", str(out), "--workers", "2"])
    _, stderr = final.communicate(timeout=120)
    assert final.returncode == 0, stderr

    lines = out.read_text(encoding="utf-8").splitlines()
    error_lines = (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8").splitlines()
    written = [json.loads(line)["id"] for line in lines + error_lines]  # every line whole JSON
    assert Counter(written) == Counter(ids)
    assert json.loads((tmp_path / "out.jsonl.progress").read_text())["complete"]

    clean = tmp_path / "clean.jsonl"
    never_killed = batch([*inputs, "-o", str(clean), "--workers", "1"])
    _, stderr = never_killed.communicate(timeout=120)
    assert never_killed.returncode == 0, stderr
    assert out.read_bytes() == clean.read_bytes()
    assert (tmp_path / "out.errors.jsonl").read_bytes() == (tmp_path / "clean.errors.jsonl").read_bytes()

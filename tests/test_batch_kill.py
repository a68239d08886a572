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

from synthetic_articles import rows, write_jsonl

KILLS = 6


def batch(args: list[str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "highlights.cli", "batch", *args, "--no-progress", "--chunk-size", "8"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_kill_9_at_random_moments_then_resume(tmp_path: Path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    ids = write_jsonl(first, rows(1500, seed=11, prefix="a"), bad_every=100)
    ids += write_jsonl(second, rows(1500, seed=12, prefix="b"), bad_every=250)
    inputs = [str(first), str(second)]

    out = tmp_path / "out.jsonl"
    rng = random.Random(7)
    kills = 0
    for _ in range(KILLS):
        process = batch([*inputs, "-o", str(out), "--workers", "2"])
        time.sleep(rng.uniform(0.5, 4.0))
        if process.poll() is not None:
            break  # finished before the kill: nothing left to interrupt
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        kills += 1
    assert kills >= 3, "the job finished before it could be killed; make the input larger"
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

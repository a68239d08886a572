"""Shared fixtures: paths to ../shared (skipped cleanly when absent) and the shipped example."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "river-sensors.txt"
SEED_PAGE = SHARED / "examples" / "why-we-lost-aleppo.txt"
CNNDM = SHARED / "data" / "cnndm"


def shared_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared holds third-party data that is not shipped)")
    return path


@pytest.fixture
def seed_page() -> str:
    return shared_file(SEED_PAGE).read_text(encoding="utf-8")


@pytest.fixture
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")

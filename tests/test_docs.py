"""The documents a newcomer reads first stay short, and every relative link in them leads somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Issue #21: a README that gets a newcomer through the two commands, a results page rather than a lab diary.
LIMITS = {"README.md": 15_000, "BENCHMARKS.md": 30_000}
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_front_documents_stay_short(name):
    size = len((ROOT / name).read_text(encoding="utf-8"))
    assert size <= LIMITS[name], f"{name} is {size:,} characters; move detail under docs/"


def _documents() -> list[Path]:
    front = [ROOT / "README.md", ROOT / "BENCHMARKS.md", ROOT / "CONTRIBUTING.md"]
    return front + sorted((ROOT / "docs").rglob("*.md"))


@pytest.mark.parametrize("document", _documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_relative_links_resolve(document):
    text = document.read_text(encoding="utf-8")
    broken = []
    for target in LINK.findall(text):
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        path = target.split("#", 1)[0]
        if not path:
            continue
        resolved = (document.parent / path).resolve()
        if resolved.is_relative_to(ROOT) and not resolved.exists():  # ../shared is the data's, not ours
            broken.append(target)
    assert not broken, f"{document.name}: links to nothing: {broken}"

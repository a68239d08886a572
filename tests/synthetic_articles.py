"""Small made-up news articles for batch tests (no third-party text), plus bad rows of every kind."""

from __future__ import annotations

import json
import random
from pathlib import Path

_SUBJECTS = [
    "The council",
    "A local engineer",
    "The river authority",
    "Farmers in the valley",
    "The mayor",
    "Researchers at the university",
    "The transport minister",
    "A group of volunteers",
    "The hospital",
]
_VERBS = ["announced", "rejected", "approved", "questioned", "delayed", "funded", "reviewed", "celebrated"]
_OBJECTS = [
    "a plan to rebuild the old bridge",
    "new sensors along the flood plain",
    "the budget for next year",
    "a report on water quality",
    "the closure of the northern road",
    "a pilot scheme for electric buses",
    "higher wages for night nurses",
    "a study of the drought",
]
_TAILS = [
    "on Monday",
    "after a long debate",
    "despite strong protests",
    "in a statement",
    "for the third time",
    "to the surprise of residents",
    "before the election",
    "with little notice",
]

# Rows that must end up in the errors file, each with the reason's key words.
BAD_ROWS = [
    ('{"id": "broken-json", "article": "unterminated', "malformed JSON"),
    ('{"id": "no-article", "highlights": "x"}', "no 'article' field"),
    ('{"id": "empty-article", "article": ""}', "is empty"),
    ('{"id": "blank-article", "article": "   \\n  "}', "is empty"),
    ('{"id": "number-article", "article": 42}', "not text"),
    ('["not", "an", "object"]', "not a JSON object"),
]


def article(rng: random.Random, sentences: int) -> str:
    return " ".join(
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}."
        for _ in range(sentences)
    )


def rows(count: int, seed: int = 0, prefix: str = "a") -> list[dict]:
    rng = random.Random(seed)
    return [
        {"id": f"{prefix}-{i}", "article": article(rng, rng.randint(2, 7)), "highlights": "ref"} for i in range(count)
    ]


def write_jsonl(path: Path, good: list[dict], bad_every: int = 0) -> list[str]:
    """Write `good` rows, with a bad row after every `bad_every` good ones (0: none). Returns every row's
    expected id in order (bad JSON rows are named `row-LINE` by the reader)."""
    ids, lines = [], []
    bad = iter(BAD_ROWS * (len(good) // max(bad_every, 1) + 1))
    for i, row in enumerate(good, start=1):
        lines.append(json.dumps(row))
        ids.append(row["id"])
        if bad_every and i % bad_every == 0:
            raw, _ = next(bad)
            lines.append(raw)
            try:
                value = json.loads(raw)
                ids.append(value["id"] if isinstance(value, dict) else f"row-{len(lines)}")
            except json.JSONDecodeError:
                ids.append(f"row-{len(lines)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids

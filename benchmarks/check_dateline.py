"""Check (not a test) of `highlights.ingest.dateline` on real text, reading ../shared at run time.

    .venv/bin/python benchmarks/check_dateline.py cnn [--show N] [--file F]  # vs text.py's rule of 85329ca
    .venv/bin/python benchmarks/check_dateline.py pages [--show N]   # bylines/datelines on real page text

`cnn`: for each of the 1,000 raw CNN validation stories, where the story begins after the dateline of its first
paragraph, by `match_dateline` and by `_cut_dateline` of text.py at commit BASELINE (read from git); prints
the count of differences and the differing openings. Also compares `author_from_note` with text.py's
`_AUTHOR_IN_BIO` on every `Editor's note` / bio paragraph.

`pages`: on the 92 dev pages, the lines around the article's start (before the first line of the annotated body)
and the body's own lines: how many `match_byline` takes for a byline or a timestamp in each, and how many first
body paragraphs open with a dateline. Prints the lines it takes and those it leaves that look like bylines, to
read; the page text is never written anywhere.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

from highlights.ingest.dateline import author_from_note, match_byline, match_dateline

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

BASELINE = "85329ca"  # text.py before it called this module: the rules it must not regress on


def _baseline_text_module() -> types.ModuleType:
    """text.py as it was at BASELINE, read from git and imported from a temporary file: the old code itself."""
    source = subprocess.run(
        ["git", "show", f"{BASELINE}:src/highlights/ingest/text.py"],
        cwd=Path(__file__).resolve().parents[1],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="check-dateline-"))
    path = folder / "baseline_text.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("baseline_text", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    shutil.rmtree(folder)
    return module


OLD = _baseline_text_module()
_DISCLAIMER = re.compile(r"(?:views|opinions)\s+expressed\s+in\s+this", re.IGNORECASE)


def _old_story_start(text: str, start: int, end: int) -> int:
    return OLD._cut_dateline(text, OLD.Span(start, end), []).start


def _first_paragraph(text: str) -> tuple[int, int]:
    start = len(text) - len(text.lstrip())
    newline = text.find("\n", start)
    end = len(text) if newline < 0 else newline
    return start, len(text[:end].rstrip())


def check_cnn(show: int, name: str) -> None:
    path = SHARED / "cnndm" / name
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        articles = [json.loads(line)["article"] for line in handle]
    differences = []
    for text in articles:
        start, end = _first_paragraph(text)
        old = _old_story_start(text, start, end)
        new = match_dateline(text, start, end)
        new = start if new is None else new
        if old != new:
            differences.append((text[start : max(old, new) + 40], old - start, new - start))
    cut = sum(1 for text in articles if match_dateline(text, *_first_paragraph(text)) is not None)
    print(f"{name}: {len(articles)} stories; datelines cut: {cut}; differences from text.py's rule: {len(differences)}")
    for opening, old, new in differences[:show]:
        print(f"  old story at {old:3}, new at {new:3}: {opening!r}")
    notes = bios = same = 0
    for text in articles:
        for paragraph in re.split(r"(?<=[.!?])\s+(?=Editor)|\n", text):
            if not (OLD._EDITORS_NOTE.match(paragraph) or _DISCLAIMER.search(paragraph[:600])):
                continue
            notes += 1
            old_name = OLD._author_from_bio(paragraph)
            new_name = author_from_note(paragraph)
            bios += old_name is not None
            same += old_name == new_name
            if old_name != new_name:
                print(f"  author: old {old_name!r}, new {new_name!r}: {paragraph[:110]!r}")
    print(f"note/bio paragraphs: {notes}; text.py's rule named {bios}; same name from author_from_note: {same}")


def _body_start_line(lines: list[str], gold: str) -> int:
    """Index of the page line where the annotated body begins (its first 6 words, in order)."""
    first = next((line for line in gold.splitlines() if len(re.findall(r"\w+", line)) >= 4), "")
    words = re.findall(r"\w+", first)[:6]
    for i, line in enumerate(lines):
        if words and re.findall(r"\w+", line)[: len(words)] == words:
            return i
    return -1


def check_pages(show: int) -> None:
    path = SHARED / "pages" / "dev.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        pages = [json.loads(line) for line in handle]
    header_hits: list[tuple[int, str, object]] = []
    body_hits: list[tuple[int, str, object]] = []
    looks_missed: list[tuple[int, str]] = []
    found = datelines = authors = 0
    looks_like = re.compile(
        r"^(?:by|von|par|por)\s|\b(?:published|updated|posted)\b|\b(?:associated press|reuters)\b"
        r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}:\d{2}",
        re.IGNORECASE,
    )
    for n, page in enumerate(pages):
        lines = [line.strip() for line in page["page_text"].splitlines() if line.strip()]
        begin = _body_start_line(lines, page["gold_body"])
        if begin < 0:
            continue
        found += 1
        gold_lines = {line.strip() for line in page["gold_body"].splitlines() if line.strip()}
        named = False
        for line in lines[max(0, begin - 12) : begin]:
            byline = match_byline(line)
            if byline is not None:
                header_hits.append((n, line, byline))
                named = named or bool(byline.authors)
            elif looks_like.search(line) and len(line) <= 200:
                looks_missed.append((n, line))
        authors += named
        for line in lines[begin:]:
            if line in gold_lines and (byline := match_byline(line)) is not None:
                body_hits.append((n, line, byline))
        first = lines[begin]
        cut = match_dateline(first, 0, len(first))
        if cut is not None:
            datelines += 1
            print(f"  dateline p{n}: {first[:cut]!r}")
    print(f"{len(pages)} pages, body start found on {found}; first body paragraphs with a dateline: {datelines}")
    print(
        f"header zone (12 lines before the body): {len(header_hits)} lines taken "
        f"({sum(1 for *_, b in header_hits if b.authors)} with authors, "
        f"{sum(1 for *_, b in header_hits if b.agency and not b.authors)} agency only, "
        f"{sum(1 for *_, b in header_hits if not b.authors and not b.agency)} timestamps only); "
        f"pages with an author found: {authors}"
    )
    for n, line, byline in header_hits[:show]:
        print(f"  p{n}: {line[:90]!r} -> {byline}")
    print(f"header-zone lines left that look like a byline or date: {len(looks_missed)}")
    for n, line in looks_missed[:show]:
        print(f"  p{n}: {line[:100]!r}")
    print(f"annotated-body lines taken for bylines/timestamps: {len(body_hits)}")
    for n, line, byline in body_hits[:show]:
        print(f"  p{n}: {line[:90]!r} -> {byline}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["cnn", "pages"])
    parser.add_argument("--show", type=int, default=40, help="how many examples to print")
    parser.add_argument("--file", default="validation-raw.jsonl.gz", help="`cnn`: which file of ../shared/data/cnndm")
    args = parser.parse_args()
    if args.what == "cnn":
        check_cnn(args.show, args.file)
    else:
        check_pages(args.show)


if __name__ == "__main__":
    main()

"""Rewrite the generated blocks of BENCHMARKS.md from the recorded results (benchmarks/results/<area>.json).

    .venv/bin/python benchmarks/render_results.py           # rewrite every block
    .venv/bin/python benchmarks/render_results.py --check   # exit 1 when the page differs from what the JSON renders

A block is the text between `<!-- results:AREA -->` and `<!-- /results:AREA -->`; everything outside the blocks
is hand-written and kept as it is. Each block gets a line saying when, at which commit, with which models and on
what machine the area was measured, the command that measures it again (and records it), and its table, rounded
here; the JSON keeps the numbers unrounded. Every result needs its block and every block its result.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

from recording import AREAS, PAGE, RESULTS

BLOCK = re.compile(r"<!-- results:(?P<area>[a-z]+) -->\n.*?<!-- /results:(?P=area) -->", re.S)
OPENING = re.compile(r"<!-- results:([a-z]+) -->")
KEYS = ("area", "date_utc", "commit", "uncommitted", "machine", "command", "configuration", "table", "notes")


class RenderError(Exception):
    """Why the page cannot be rendered (said to the user, no traceback)."""


def load_results(folder: Path = RESULTS) -> dict[str, dict]:
    """Every `<area>.json` in `folder`, by area, checked for the keys the renderer reads."""
    results = {}
    for path in sorted(folder.glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise RenderError(f"{path}: not JSON ({error})") from None
        missing = [key for key in KEYS if not isinstance(document, dict) or key not in document]
        if missing:
            raise RenderError(f"{path}: no {', '.join(missing)}; record it again with its benchmark's --record")
        if document["area"] != path.stem or path.stem not in AREAS:
            raise RenderError(f"{path}: holds area {document['area']!r}; the file is named for one of {AREAS}")
        results[path.stem] = document
    return results


def _number(value: float | int, digits: int | None, sign: bool = False) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if digits is None:
        return f"{value:,}" if isinstance(value, int) else str(value)
    return f"{value:{'+' if sign else ''},.{digits}f}"


def cell(value, digits: int | None) -> str:
    """One table cell as Markdown: numbers rounded to the column's digits, intervals and differences spelled out."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value.replace("|", "\\|")
    if isinstance(value, dict) and "mean" in value:
        low, high = _number(value["low"], digits), _number(value["high"], digits)
        return f"{_number(value['mean'], digits)} [{low}, {high}]"
    if isinstance(value, dict) and "difference" in value:
        text = _number(value["difference"], digits, sign=True)
        if value.get("low") is not None:
            text += f" [{_number(value['low'], digits, sign=True)}, {_number(value['high'], digits, sign=True)}]"
        if value.get("p") is not None:
            text += f", p {value['p']:.3f}"
        return text
    if isinstance(value, (int, float)):
        return _number(value, digits)
    raise RenderError(f"a cell the renderer does not know: {value!r}")


def table(columns: list[dict], rows: list[list]) -> list[str]:
    lines = [
        "| " + " | ".join(column["name"] for column in columns) + " |",
        "|" + "".join("---|" if column["digits"] is None else "---:|" for column in columns),
    ]
    for row in rows:
        if len(row) != len(columns):
            raise RenderError(f"a row of {len(row)} cells under {len(columns)} columns: {row!r}")
        lines.append("| " + " | ".join(cell(value, column["digits"]) for value, column in zip(row, columns)) + " |")
    return lines


def heading(result: dict) -> str:
    machine = result["machine"]
    models = result["configuration"].get("models") or {}
    line = f"Measured {result['date_utc']} UTC at commit `{result['commit'][:7]}`"
    if models.get("digest"):
        line += f" (model files `{models['digest'][:8]}`)"
    line += (
        f", on {machine['cpus_visible']} CPUs ({machine['platform']}, {machine['python']}), load average "
        f"{machine['load_average_at_start']:.1f} at the start"
    )
    if machine.get("other_cpus_busy") is not None:
        line += f"; other processes kept {machine['other_cpus_busy']:.2f} CPUs busy on average"
    line += f" over its {machine['wall_seconds']:,.0f} s."
    if result["uncommitted"]:
        line += f" **Measured with uncommitted changes: {', '.join(result['uncommitted'])}.**"
    return line


def render_block(result: dict) -> str:
    """The text of one area's block, between its markers."""
    lines = [
        heading(result),
        "",
        "```",
        f".venv/bin/python {result['command']}",
        "```",
        "",
        *table(result["table"]["columns"], result["table"]["rows"]),
    ]
    if result["notes"]:
        lines += ["", *result["notes"]]
    return "\n".join(lines) + "\n"


def render_page(page: str, results: dict[str, dict]) -> str:
    """`page` with each block rewritten from its result; `RenderError` when a block and the results disagree."""
    opened = OPENING.findall(page)
    if len(set(opened)) != len(opened):
        raise RenderError(f"a block appears twice: {sorted({a for a in opened if opened.count(a) > 1})}")
    rendered = []

    def replace(match: re.Match) -> str:
        area = match["area"]
        if area not in results:
            raise RenderError(f"the page has a block for {area} but there is no benchmarks/results/{area}.json")
        rendered.append(area)
        return f"<!-- results:{area} -->\n{render_block(results[area])}<!-- /results:{area} -->"

    out = BLOCK.sub(replace, page)
    unclosed = sorted(set(opened) - set(rendered))
    if unclosed:
        raise RenderError(f"no closing <!-- /results:AREA --> for {', '.join(unclosed)}")
    unplaced = sorted(set(results) - set(rendered))
    if unplaced:
        raise RenderError(f"no <!-- results:AREA --> block on the page for {', '.join(unplaced)}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the page differs from what the JSON renders")
    parser.add_argument("--page", type=Path, default=PAGE, help="the page [default: BENCHMARKS.md]")
    parser.add_argument("--results", type=Path, default=RESULTS, help="the results [default: benchmarks/results]")
    args = parser.parse_args(argv)
    try:
        page = args.page.read_text(encoding="utf-8")
        rendered = render_page(page, load_results(args.results))
    except (OSError, RenderError) as error:
        print(f"render_results: {error}", file=sys.stderr)
        return 2
    if args.check:
        if rendered == page:
            return 0
        diff = difflib.unified_diff(page.splitlines(), rendered.splitlines(), str(args.page), "rendered", lineterm="")
        print("\n".join(diff), file=sys.stderr)
        print(
            f"{args.page} differs from what {args.results} renders: run benchmarks/render_results.py", file=sys.stderr
        )
        return 1
    if rendered != page:
        args.page.write_text(rendered, encoding="utf-8")
        print(f"rewrote {', '.join(sorted(set(OPENING.findall(page))))} in {args.page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

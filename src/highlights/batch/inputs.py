"""What a batch reads: the input files in a fixed order, and their rows as `Item`s that know where they are.

Every row is keyed by its place, (file index, record index within the file), not by its id: ids repeat in
real archives and may be missing. A `Position` is the first place not yet handled, which is all a resumed
job needs to skip what is done, without keeping a set of ids that grows with the job.
"""

from __future__ import annotations

import gzip
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from highlights.errors import InputError
from highlights.ingest.sources import READ_ERRORS, clean_text, is_dataset, iter_records


@dataclass(frozen=True, slots=True)
class Fields:
    """Column names of a dataset row."""

    id: str = "id"
    article: str = "article"
    highlights: str = "highlights"


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """The first row not yet handled: `record` rows of input file `file` are done, and all earlier files."""

    file: int = 0
    record: int = 0


@dataclass(frozen=True, slots=True)
class Item:
    """One input row on its way to a worker. `error` is set when the row cannot be summarized as read."""

    file: int  # index into the job's input files
    record: int  # 0-based index among the file's records
    path: str
    line: int  # 1-based row number in the file, as `iter_records` counts
    id: str
    article: str | None
    error: str | None
    rest_of_file: bool = False  # the error covers the rest of the file: go on with the next one

    @property
    def next_position(self) -> Position:
        return Position(self.file + 1, 0) if self.rest_of_file else Position(self.file, self.record + 1)


def expand_inputs(specs: list[str], outputs: tuple[Path, ...] = ()) -> list[Path]:
    """Files in command-line order; a directory stands for its dataset files (recursively, sorted by path).

    A file named twice (or reached through two arguments) is read once. `outputs` (the job's own output,
    errors file, Parquet folder) are never inputs: a directory holding them skips them, naming one fails.
    """
    files: list[Path] = []
    written = {path.resolve() for path in outputs}
    seen: set[Path] = set()
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and is_dataset(p)
                and p.resolve() not in written
                and not written & set(p.resolve().parents)
            )
            if not found:
                raise InputError(f"{spec} holds no JSONL, CSV or Parquet files")
        elif path.is_file():
            if path.resolve() in written or written & set(path.resolve().parents):
                raise InputError(f"{spec} is where this job writes; it cannot also be an input")
            found = [path]
        elif path.exists():  # a device, a pipe: it cannot be read again to resume, nor end at all (/dev/zero)
            raise InputError(f"{spec} is not a regular file; batch reads files (copy a stream to a file first)")
        else:
            raise InputError(f"no such file or directory: {spec}")
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files


def describe_inputs(files: list[Path]) -> list[dict]:
    """Path (as given), size and modification time of each input: a resumed job must read the same bytes."""
    described = []
    for file in files:
        stat = file.stat()
        described.append({"path": str(file), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns})
    return described


def iter_items(files: list[Path], start: Position = Position(), fields: Fields = Fields()) -> Iterator[Item]:
    """The rows of every file from `start` on, in order."""
    for file_index in range(start.file, len(files)):
        skip = start.record if file_index == start.file else 0
        yield from iter_file_items(files[file_index], file_index, skip, fields)


def iter_file_items(path: Path, file_index: int, skip: int = 0, fields: Fields = Fields()) -> Iterator[Item]:
    """The rows of one file after the first `skip`. A file that breaks mid-way (truncated gzip, corrupt
    Parquet, unreadable) yields one error item for the rest of that file, so the job goes on with the next."""
    records = iter_records(path, id_field=fields.id, article_field=fields.article, highlights_field=fields.highlights)
    name = clean_text(str(path))  # an undecodable byte in a file name must not stop the output being written
    record_index, line = skip - 1, 0
    try:
        for record_index, record in enumerate(itertools.islice(records, skip, None), start=skip):
            line = record.line
            yield Item(file_index, record_index, name, record.line, record.id, record.article, record.error)
    except READ_ERRORS as error:  # ArrowInvalid is a ValueError
        yield Item(
            file_index,
            record_index + 1,
            name,
            line + 1,
            "",
            None,
            clean_text(f"cannot read the rest of the file: {error}"),
            rest_of_file=True,
        )


def count_rows(files: list[Path]) -> int:
    """Rows in the inputs, for the progress bar: Parquet from its metadata, JSONL by counting
    lines, CSV by parsing (quoted fields may hold line breaks). Unreadable files count as 0."""
    total = 0
    for path in files:
        name = path.name.lower()
        try:
            if name.endswith(".parquet"):
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            elif name.endswith((".csv", ".csv.gz")):
                total += sum(1 for _ in iter_records(path))
            else:
                total += _count_lines(path)
        except Exception:  # noqa: BLE001 - a count is only an estimate; reading reports the real error
            continue
    return total


def _count_lines(path: Path) -> int:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    count, last = 0, b"\n"
    with opener(path, "rb") as handle:
        while block := handle.read(1 << 20):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

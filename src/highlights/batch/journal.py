"""Crash-safe output: rows are made durable first, then a small progress record says how far they go.

The output (JSONL file, or a directory of Parquet parts), the errors file (JSONL) and the progress record
`OUTPUT.progress` move together in commits:

1. append the finished rows (whole lines) / write the next Parquet part to a temporary name and rename it;
2. flush and fsync them;
3. only then replace `OUTPUT.progress` atomically (temporary file, fsync, `os.replace`) with the new input
   `Position`, the committed output length (bytes, or number of parts) and the committed errors length.

Whatever a `kill -9` leaves after the last commit (a torn line, rows of an uncommitted chunk, a stray part)
lies beyond the committed lengths, and a resumed job cuts it off before going on from the recorded
position. So every input row ends up in the output or the errors file exactly once, and memory does not
grow with the job: no set of ids is kept. One job at a time: the output is locked while a job writes it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from highlights.batch.inputs import Position
from highlights.batch.work import Outcome
from highlights.errors import InputError

PROGRESS_FORMAT = "highlights-batch-progress/1"
PART_PREFIX = "part-"
DEFAULT_PART_ROWS = 10_000


@dataclass(slots=True)
class Progress:
    """The committed state of a job, as stored in `OUTPUT.progress`."""

    job: dict  # what the job reads and how it summarizes: a resume must be the same job
    position: Position  # first input row not in the output or the errors file
    rows: int = 0  # rows in the output
    errors: int = 0  # rows in the errors file
    output_size: int = 0  # JSONL: bytes; Parquet: parts
    errors_bytes: int = 0
    complete: bool = False

    def to_json(self) -> str:
        data = {"format": PROGRESS_FORMAT, **asdict(self)}
        data["position"] = [self.position.file, self.position.record]
        return json.dumps(data, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Progress:
        data = json.loads(text)
        if data.pop("format", None) != PROGRESS_FORMAT:
            raise ValueError("not a highlights batch progress record")
        data["position"] = Position(*data["position"])
        return cls(**data)


def progress_path(output: Path) -> Path:
    return output.with_name(output.name + ".progress")


def default_errors_path(output: Path) -> Path:
    stem = output.name.removesuffix(".jsonl").removesuffix(".parquet")
    return output.with_name(stem + ".errors.jsonl")


# --- durable files ----------------------------------------------------------------------------------


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some filesystems cannot fsync a directory; the rename is still atomic
        pass
    finally:
        os.close(fd)


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def _lock(fd: int, output: Path) -> None:
    try:
        import fcntl
    except ImportError:  # not on this platform: one job per output is then up to the user
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise InputError(f"another highlights batch is writing {output}; wait for it or choose another output") from None


class JsonlSink:
    """An append-only JSONL file whose committed length is known."""

    def __init__(self, path: Path, *, lock: bool = False) -> None:
        self.path = path
        try:
            self._file = open(path, "a+b")  # noqa: SIM115 - held open for the whole job
        except OSError as error:
            raise InputError(f"cannot write {path}: {error.strerror or error}") from None
        if lock:
            _lock(self._file.fileno(), path)

    def is_empty(self) -> bool:
        return os.fstat(self._file.fileno()).st_size == 0

    def rollback(self, committed: int) -> None:
        """Cut off everything after the last commit: a torn line, rows of a chunk that never committed."""
        size = os.fstat(self._file.fileno()).st_size
        if size < committed:
            raise InputError(f"{self.path} is shorter than its progress record says ({size:,} < {committed:,} "
                             "bytes); it was changed outside highlights batch: pass --restart to start over")
        self._file.truncate(committed)
        os.fsync(self._file.fileno())

    def append(self, line: str) -> None:
        self._file.write(line.encode("utf-8") + b"\n")

    def ready(self) -> bool:
        return True

    def commit(self) -> int:
        self._file.flush()
        os.fsync(self._file.fileno())
        return os.fstat(self._file.fileno()).st_size

    def close(self) -> None:
        self._file.close()


class ParquetSink:
    """A directory of Parquet parts `part-000000.parquet`, ...; a part appears whole (rename) or not at all."""

    def __init__(self, path: Path, *, include_text: bool, part_rows: int = DEFAULT_PART_ROWS) -> None:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError("Parquet output needs pyarrow: pip install 'highlights[parquet]'") from None
        if path.exists() and not path.is_dir():
            raise InputError(f"{path} is a file; Parquet output is a directory of parts: choose another path")
        path.mkdir(parents=False, exist_ok=True)
        self.path = path
        self.part_rows = part_rows
        self._schema = row_schema(include_text)
        self._buffer: list[dict] = []
        self._parts = 0
        self._dir_fd = os.open(path, os.O_RDONLY)
        _lock(self._dir_fd, path)

    def _part(self, index: int) -> Path:
        return self.path / f"{PART_PREFIX}{index:06d}.parquet"

    def _ours(self) -> list[Path]:
        return [p for p in self.path.iterdir() if p.name.startswith(PART_PREFIX)]

    def is_empty(self) -> bool:
        return not self._ours()

    def rollback(self, committed: int) -> None:
        missing = [i for i in range(committed) if not self._part(i).exists()]
        if missing:
            raise InputError(f"{self._part(missing[0])} is missing though its progress record lists it; "
                             "pass --restart to start over")
        keep = {self._part(i).name for i in range(committed)}
        for path in self._ours():
            if path.name not in keep:
                path.unlink()
        self._parts = committed

    def append(self, line: str) -> None:
        self._buffer.append(json.loads(line))

    def ready(self) -> bool:
        return len(self._buffer) >= self.part_rows

    def commit(self) -> int:
        if self._buffer:
            import pyarrow as pa
            import pyarrow.parquet as pq

            final = self._part(self._parts)
            tmp = final.with_name(final.name + ".tmp")
            pq.write_table(pa.Table.from_pylist(self._buffer, schema=self._schema), tmp)
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, final)
            fsync_dir(self.path)
            self._parts += 1
            self._buffer = []
        return self._parts

    def close(self) -> None:
        os.close(self._dir_fd)


def row_schema(include_text: bool):
    """The output row (`highlights.render.to_dict` plus id, file, line) as an Arrow schema, fixed so that
    every part has the same column types even when a part happens to hold only nulls in a column."""
    import pyarrow as pa

    highlight = pa.struct([
        ("text", pa.string()), ("source_text", pa.string()), ("attribution", pa.string()),
        ("spans", pa.list_(pa.list_(pa.int64()))), ("score", pa.float64()), ("sentence_index", pa.int64()),
        ("fixups", pa.list_(pa.struct([("position", pa.int64()), ("old", pa.string()), ("new", pa.string()),
                                       ("reason", pa.string())]))),
        ("deleted", pa.list_(pa.struct([("span", pa.list_(pa.int64())), ("kind", pa.string())]))),
    ])
    removed = pa.struct([("span", pa.list_(pa.int64())), ("reason", pa.string())])
    fields = [
        ("id", pa.string()), ("file", pa.string()), ("line", pa.int64()),
        ("title", pa.string()), ("author", pa.string()), ("kind", pa.string()), ("method", pa.string()),
        ("source", pa.string()), ("highlights", pa.list_(highlight)), ("reference_highlights", pa.list_(pa.string())),
        ("removed", pa.list_(removed)), ("sentence_count", pa.int64()),
    ]
    if include_text:
        fields.append(("text", pa.string()))
    return pa.schema(fields)


# --- the journal ------------------------------------------------------------------------------------


class Journal:
    """Output, errors file and progress record of one job. Open it, `record()` chunks in input order,
    `finish()`, `close()`. After a crash, opening it again resumes from the last commit."""

    def __init__(self, output: JsonlSink | ParquetSink, errors: JsonlSink, progress: Progress, path: Path) -> None:
        self.output = output
        self.errors = errors
        self.progress = progress
        self._progress_path = path
        # Recorded but not yet committed (Parquet output commits once per part, not per chunk).
        self._pending_position = progress.position
        self._pending_rows = 0
        self._pending_errors = 0

    @classmethod
    def open(
        cls,
        output: Path,
        errors: Path,
        job: dict,
        *,
        parquet: bool = False,
        include_text: bool = False,
        part_rows: int = DEFAULT_PART_ROWS,
        restart: bool = False,
    ) -> Journal:
        if not output.parent.is_dir():
            raise InputError(f"the output's folder {output.parent} does not exist")
        if output.resolve() == errors.resolve():
            raise InputError("the output and the errors file must be different files")
        if not parquet and output.is_dir():
            raise InputError(f"{output} is a directory; JSONL output is a file (end the name in .parquet for parts)")
        # Lock first: nothing below may race another job on the same output.
        sink = ParquetSink(output, include_text=include_text, part_rows=part_rows) if parquet else JsonlSink(output, lock=True)
        error_sink = JsonlSink(errors)
        try:
            path = progress_path(output)
            progress = _read_progress(path)
            if progress is None or restart:
                if progress is None and not restart and not sink.is_empty():
                    raise InputError(f"{output} exists and has no {path.name}, so it is not a batch to resume; "
                                     "remove it, choose another output, or pass --restart to overwrite it")
                sink.rollback(0)
                error_sink.rollback(0)
                progress = Progress(job, Position())
                fsync_dir(output.parent)
                write_atomically(path, progress.to_json())
            else:
                if progress.job != job:
                    changed = sorted(k for k in set(job) | set(progress.job) if job.get(k) != progress.job.get(k))
                    raise InputError(f"{output} was made by a different job (it differs in: {', '.join(changed)}); "
                                     "run the same command to resume, pass --restart to start over, or choose "
                                     "another output")
                sink.rollback(progress.output_size)
                error_sink.rollback(progress.errors_bytes)
        except BaseException:
            sink.close()
            error_sink.close()
            raise
        return cls(sink, error_sink, progress, path)

    @property
    def position(self) -> Position:
        return self.progress.position

    @property
    def complete(self) -> bool:
        return self.progress.complete

    def record(self, outcomes: list[Outcome], position: Position) -> None:
        """Add the outcomes of the rows before `position` (in input order); commit when the output is ready."""
        for outcome in outcomes:
            (self.output if outcome.ok else self.errors).append(outcome.json)
        self._pending_position = position
        self._pending_rows += sum(o.ok for o in outcomes)
        self._pending_errors += sum(not o.ok for o in outcomes)
        if self.output.ready():
            self._commit()

    def finish(self) -> None:
        """Commit what is left and mark the job complete."""
        self._commit(complete=True)

    def _commit(self, complete: bool = False) -> None:
        progress = self.progress
        progress.output_size = self.output.commit()
        progress.errors_bytes = self.errors.commit()
        progress.position = self._pending_position
        progress.rows += self._pending_rows
        progress.errors += self._pending_errors
        progress.complete = complete
        self._pending_rows = self._pending_errors = 0
        write_atomically(self._progress_path, progress.to_json())

    def close(self) -> None:
        self.output.close()
        self.errors.close()


def _read_progress(path: Path) -> Progress | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return Progress.from_json(text)
    except (ValueError, TypeError, KeyError) as error:
        raise InputError(f"{path} is not a readable progress record ({error}); pass --restart to start over") from None

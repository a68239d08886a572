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
grow with the job: no set of ids is kept. One job at a time: a job locks its output (the JSONL file, or the
Parquet directory) and its errors file while it writes them; the progress record needs no lock of its own,
since its name is the output's plus `.progress` and only the holder of the output's lock writes it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from highlights.batch.inputs import Position
from highlights.batch.work import Outcome, writable
from highlights.errors import InputError

# /2: the job identity holds every option (`Job.fingerprint`). A /1 record lacks some (--compress among them),
# so resuming one could mix rows made two ways: it is refused.
PROGRESS_FORMAT = "highlights-batch-progress/2"
_OLDER_FORMATS = ("highlights-batch-progress/1",)
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
        written = data.pop("format", None)
        if written in _OLDER_FORMATS:
            raise OlderProgress(written)
        if written != PROGRESS_FORMAT:
            raise ValueError("not a highlights batch progress record")
        data["position"] = Position(*data["position"])
        return cls(**data)


class OlderProgress(Exception):
    """A progress record written by an older highlights, which did not record the whole job."""


def progress_path(output: Path) -> Path:
    return output.with_name(output.name + ".progress")


def default_errors_path(output: Path) -> Path:
    """`out.jsonl` → `out.errors.jsonl`; any other name gets `.errors.ndjson` appended (`out.parquet` →
    `out.parquet.errors.ndjson`, `out` → `out.errors.ndjson`). Only .jsonl outputs get names ending in
    `.errors.jsonl`, one per output, so two outputs never share a default errors file."""
    if output.name.endswith(".jsonl"):
        return output.with_name(output.name.removesuffix(".jsonl") + ".errors.jsonl")
    return output.with_name(output.name + ".errors.ndjson")


def job_files(output: Path, errors: Path) -> tuple[Path, ...]:
    """Every path a job writes (temporary names aside): none of them can be one of its inputs."""
    return output, errors, progress_path(output)


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


def _lock(fd: int, path: Path, choose: str) -> None:
    """Hold an exclusive lock on the open file `fd` (released when it is closed, or the process dies)."""
    try:
        import fcntl
    except ImportError:  # not on this platform: one job per file is then up to the user
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise InputError(
            f"another highlights batch is writing {path} (as its output or errors file); wait for "
            f"it to finish or choose {choose}"
        ) from None


class JsonlSink:
    """An append-only JSONL file whose committed length is known, locked while it is open. `choose` ends the
    message if another job holds the lock ("another output", "another --errors file")."""

    def __init__(self, path: Path, *, choose: str = "another output") -> None:
        self.path = path
        try:
            self._file = open(path, "a+b")  # noqa: SIM115 - held open for the whole job
        except OSError as error:
            raise InputError(f"cannot write {path}: {error.strerror or error}") from None
        try:
            _lock(self._file.fileno(), path, choose)
        except BaseException:
            self._file.close()
            raise

    def is_empty(self) -> bool:
        return os.fstat(self._file.fileno()).st_size == 0

    def rollback(self, committed: int) -> None:
        """Cut off everything after the last commit: a torn line, rows of a chunk that never committed."""
        size = os.fstat(self._file.fileno()).st_size
        if size < committed:
            raise InputError(
                f"{self.path} is shorter than its progress record says ({size:,} < {committed:,} "
                "bytes); it was changed outside highlights batch: pass --restart to start over"
            )
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
        try:
            _lock(self._dir_fd, path, "another output")
        except BaseException:
            os.close(self._dir_fd)
            raise

    def _part(self, index: int) -> Path:
        return self.path / f"{PART_PREFIX}{index:06d}.parquet"

    def _ours(self) -> list[Path]:
        return [p for p in self.path.iterdir() if p.name.startswith(PART_PREFIX)]

    def is_empty(self) -> bool:
        return not self._ours()

    def rollback(self, committed: int) -> None:
        missing = [i for i in range(committed) if not self._part(i).exists()]
        if missing:
            raise InputError(
                f"{self._part(missing[0])} is missing though its progress record lists it; pass --restart to start over"
            )
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
            import pyarrow as pa  # the optional `parquet` extra: only a Parquet output loads it
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
    import pyarrow as pa  # the optional `parquet` extra: only a Parquet output loads it

    highlight = pa.struct(
        [
            ("text", pa.string()),
            ("source_text", pa.string()),
            ("attribution", pa.string()),
            ("spans", pa.list_(pa.list_(pa.int64()))),
            ("score", pa.float64()),
            ("rank", pa.int64()),
            ("sentence_index", pa.int64()),
            (
                "fixups",
                pa.list_(
                    pa.struct(
                        [("position", pa.int64()), ("old", pa.string()), ("new", pa.string()), ("reason", pa.string())]
                    )
                ),
            ),
            ("deleted", pa.list_(pa.struct([("span", pa.list_(pa.int64())), ("kind", pa.string())]))),
        ]
    )
    removed = pa.struct([("span", pa.list_(pa.int64())), ("reason", pa.string())])
    fields = [
        ("id", pa.string()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("title", pa.string()),
        ("author", pa.string()),
        ("kind", pa.string()),
        ("method", pa.string()),
        ("language", pa.string()),
        ("warnings", pa.list_(pa.string())),
        ("source", pa.string()),
        ("highlights", pa.list_(highlight)),
        ("reference_highlights", pa.list_(pa.string())),
        ("removed", pa.list_(removed)),
        ("sentence_count", pa.int64()),
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
        # Lock first: nothing below may race another job on the same output or errors file.
        sink = ParquetSink(output, include_text=include_text, part_rows=part_rows) if parquet else JsonlSink(output)
        try:
            error_sink = JsonlSink(errors, choose="another --errors file")
        except BaseException:
            sink.close()
            raise
        try:
            path = progress_path(output)
            progress = _read_progress(path, restart)
            if progress is None or restart:
                if progress is None and not restart and not sink.is_empty():
                    raise InputError(
                        f"{output} exists and has no {path.name}, so it is not a batch to resume; "
                        "remove it, choose another output, or pass --restart to overwrite it"
                    )
                if progress is None and not restart and not error_sink.is_empty():
                    raise InputError(
                        f"{errors} already holds rows, and {output} has no {path.name}: it may be "
                        "another job's errors file; remove it, choose another --errors file, or "
                        "pass --restart to overwrite it"
                    )
                sink.rollback(0)
                error_sink.rollback(0)
                progress = Progress(job, Position())
                fsync_dir(output.parent)
                write_atomically(path, progress.to_json())
            else:
                if progress.job != job:
                    changed = _differences(progress.job, job)
                    raise InputError(
                        f"{output} was made by a different job (it differs in: {', '.join(changed)}); "
                        "run the same command to resume, pass --restart to start over, or choose "
                        "another output"
                    )
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
        """Add the outcomes of the rows before `position` (in input order); commit when the output is ready.
        A row whose line cannot be written as UTF-8 goes to the errors file instead (`work.writable`)."""
        for outcome in outcomes:
            outcome = writable(outcome)
            (self.output if outcome.ok else self.errors).append(outcome.json)
            self._pending_rows += outcome.ok
            self._pending_errors += not outcome.ok
        self._pending_position = position
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


def _differences(old: dict, new: dict, prefix: str = "") -> list[str]:
    """Dotted names of the entries that differ, nested ones included ("settings.options.compress")."""
    changed = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if isinstance(before, dict) and isinstance(after, dict):
            changed += _differences(before, after, f"{prefix}{key}.")
        elif before != after:
            changed.append(prefix + key)
    return changed


def _read_progress(path: Path, restart: bool) -> Progress | None:
    """The committed state, None when there is none (or `restart` discards it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return Progress.from_json(text)
    except OlderProgress:
        if restart:
            return None
        raise InputError(
            f"{path} was written by an older highlights that did not record every option of the job "
            "(--compress among them), so resuming it could mix rows made two ways; pass --restart "
            "to start over, or choose another output"
        ) from None
    except (ValueError, TypeError, KeyError) as error:
        if restart:
            return None
        raise InputError(f"{path} is not a readable progress record ({error}); pass --restart to start over") from None

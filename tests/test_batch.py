"""`highlights batch`: inputs of every kind, bad rows, 1 vs N workers, Parquet parts, resume after a crash."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from highlights.article import Fixup
from highlights.batch import Engine, Job, Settings, run_job
from highlights.batch.inputs import count_rows, expand_inputs
from highlights.batch.journal import Journal, default_errors_path, progress_path
from highlights.cli import app
from highlights.compress import apply_fixups
from highlights.errors import InputError
from highlights.options import Budget, Options
from synthetic_articles import BAD_ROWS, rows, write_jsonl

runner = CliRunner()


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def ids_of(path: Path) -> list[str]:
    return [row["id"] for row in read_lines(path)] if path.exists() else []


@pytest.fixture
def dataset(tmp_path: Path) -> tuple[Path, list[str]]:
    path = tmp_path / "in.jsonl"
    return path, write_jsonl(path, rows(150, seed=1), bad_every=20)


class _Crash(Exception):
    pass


def crash_after(chunks: int):
    """An `on_chunk` callback that stops the job like a crash after `chunks` chunks were recorded."""
    seen = []

    def on_chunk(_rows: int) -> None:
        seen.append(1)
        if len(seen) >= chunks:
            raise _Crash

    return on_chunk


def test_every_row_once_and_bad_rows_reported(tmp_path, dataset):
    path, ids = dataset
    out = tmp_path / "out.jsonl"
    report = run_job(Job([path], out), Engine(chunk_size=16))
    errors = read_lines(tmp_path / "out.errors.jsonl")
    assert Counter(ids_of(out) + [e["id"] for e in errors]) == Counter(ids)
    assert report.done == len(ids_of(out)) == 150 and report.failed == len(errors) == len(BAD_ROWS) + 1
    for error, (_, reason) in zip(errors, BAD_ROWS):
        assert reason in error["reason"] and error["file"] == str(path) and error["line"] > 1
    for row in read_lines(out):
        assert row["highlights"] and all(h["spans"] for h in row["highlights"])
        assert "text" not in row  # rows stay small unless --include-text


def test_spans_index_the_text_when_included(tmp_path, dataset):
    path, _ = dataset
    out = tmp_path / "out.jsonl"
    run_job(Job([path], out, settings=Settings(include_text=True)))
    for row in read_lines(out):
        for bullet in row["highlights"]:
            joined = " ".join(row["text"][a:b] for a, b in bullet["spans"])
            fixups = tuple(Fixup(f["position"], f["old"], f["new"], f["reason"]) for f in bullet["fixups"])
            assert apply_fixups(joined, fixups) == bullet["source_text"]


@pytest.mark.slow
def test_one_and_two_workers_write_identical_files(tmp_path, dataset):
    path, _ = dataset
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_job(Job([path], one), Engine(workers=1, chunk_size=7))
    run_job(Job([path], two), Engine(workers=2, chunk_size=7))
    assert one.read_bytes() == two.read_bytes()
    assert (tmp_path / "one.errors.jsonl").read_bytes() == (tmp_path / "two.errors.jsonl").read_bytes()


def test_directories_gzip_csv_and_parquet_inputs(tmp_path):
    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    first, second, third = rows(10, seed=2, prefix="j"), rows(10, seed=3, prefix="c"), rows(10, seed=4, prefix="p")
    with gzip.open(folder / "a.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in first)
    with open(folder / "b.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["id", "article", "highlights"])
        writer.writeheader()
        writer.writerows(second)
    pa, pq = pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.Table.from_pylist(third), folder / "sub" / "c.parquet")
    (folder / "notes.txt").write_text("not a dataset")
    files = expand_inputs([str(folder), str(folder / "b.csv")])  # b.csv named twice: read once
    assert [f.name for f in files] == ["a.jsonl.gz", "b.csv", "c.parquet"]
    assert count_rows(files) == 30
    out = tmp_path / "out.jsonl"
    run_job(Job(files, out))
    assert ids_of(out) == [r["id"] for r in first + second + third]


def test_outputs_inside_an_input_folder_are_not_read(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    write_jsonl(folder / "in.jsonl", rows(12, seed=7))
    args = ["batch", str(folder), "-o", str(folder / "out.jsonl"), "--no-progress", "-w", "1"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)  # out.jsonl and out.errors.jsonl now lie in the input folder
    assert again.exit_code == 0 and "already complete" in again.output
    named = runner.invoke(app, ["batch", str(folder / "out.jsonl"), "-o", str(folder / "out.jsonl"), "--restart"])
    assert named.exit_code == 2 and "cannot also be an input" in named.output
    assert len(read_lines(folder / "out.jsonl")) == 12


def test_parquet_output_matches_jsonl(tmp_path, dataset):
    pq = pytest.importorskip("pyarrow.parquet")
    path, _ = dataset
    run_job(Job([path], tmp_path / "out.jsonl"))
    parts = tmp_path / "out.parquet"
    run_job(Job([path], parts, parquet=True), part_rows=40)
    names = sorted(p.name for p in parts.iterdir())
    assert names == [f"part-{i:06d}.parquet" for i in range(len(names))] and len(names) >= 2
    table = pq.ParquetDataset(parts).read()
    assert table.to_pylist() == read_lines(tmp_path / "out.jsonl")


def test_resume_after_crash_cuts_torn_and_uncommitted_rows(tmp_path, dataset):
    path, ids = dataset
    clean = tmp_path / "clean.jsonl"
    run_job(Job([path], clean), Engine(chunk_size=8))
    out = tmp_path / "out.jsonl"
    with pytest.raises(_Crash):
        run_job(Job([path], out), Engine(chunk_size=8), on_chunk=crash_after(5))
    committed = json.loads(progress_path(out).read_text())
    assert committed["position"] == [0, 40] and not committed["complete"]
    # What a kill -9 may leave beyond the last commit: rows of an uncommitted chunk and a torn line.
    with open(out, "a", encoding="utf-8") as handle:
        handle.write(clean.read_text().splitlines()[40] + "\n" + '{"id": "a-41", "file": "in.js')
    with open(tmp_path / "out.errors.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"id": "torn')
    report = run_job(Job([path], out), Engine(chunk_size=8))
    assert report.skipped == 40 and report.done + report.failed == len(ids) - 40
    assert out.read_bytes() == clean.read_bytes()
    assert (tmp_path / "out.errors.jsonl").read_bytes() == (tmp_path / "clean.errors.jsonl").read_bytes()
    again = run_job(Job([path], out))
    assert again.already_complete and again.done == 0 and out.read_bytes() == clean.read_bytes()


def test_parquet_resume_drops_uncommitted_parts(tmp_path, dataset):
    pq = pytest.importorskip("pyarrow.parquet")
    path, _ = dataset
    run_job(Job([path], tmp_path / "clean.parquet", parquet=True), part_rows=30)
    out = tmp_path / "out.parquet"
    with pytest.raises(_Crash):
        run_job(Job([path], out, parquet=True), Engine(chunk_size=10), part_rows=30, on_chunk=crash_after(8))
    assert json.loads(progress_path(out).read_text())["output_size"] == 2
    shutil.copy(out / "part-000000.parquet", out / "part-000002.parquet")  # a part written, never committed
    (out / "part-000003.parquet.tmp").write_bytes(b"half a part")
    run_job(Job([path], out, parquet=True), Engine(chunk_size=10), part_rows=30)
    assert pq.ParquetDataset(out).read().to_pylist() == pq.ParquetDataset(tmp_path / "clean.parquet").read().to_pylist()
    assert not list(out.glob("*.tmp"))


def test_a_different_job_is_not_resumed(tmp_path, dataset):
    path, _ = dataset
    out = tmp_path / "out.jsonl"
    with pytest.raises(_Crash):
        run_job(Job([path], out), Engine(chunk_size=8), on_chunk=crash_after(2))
    lead = Job([path], out, settings=Settings(Options(method="lead")))
    with pytest.raises(InputError, match="differs in: settings.options.method"):
        run_job(lead)
    report = run_job(lead, restart=True)
    assert report.skipped == 0 and {row["method"] for row in read_lines(out)} == {"lead"}


def test_changed_input_is_not_resumed(tmp_path, dataset):
    path, _ = dataset
    out = tmp_path / "out.jsonl"
    with pytest.raises(_Crash):
        run_job(Job([path], out), Engine(chunk_size=8), on_chunk=crash_after(2))
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(rows(1, seed=9, prefix="late")[0]) + "\n")
    with pytest.raises(InputError, match="differs in: inputs"):
        run_job(Job([path], out))


def test_foreign_output_is_not_overwritten(tmp_path, dataset):
    path, _ = dataset
    out = tmp_path / "out.jsonl"
    out.write_text("precious\n")
    with pytest.raises(InputError, match="not a batch to resume"):
        run_job(Job([path], out))
    assert out.read_text() == "precious\n"


def test_one_job_at_a_time_per_output(tmp_path, dataset):
    path, _ = dataset
    out = tmp_path / "out.jsonl"
    job = Job([path], out)
    journal = Journal.open(out, job.errors_path, job.fingerprint())
    try:
        with pytest.raises(InputError, match="another highlights batch"):
            run_job(job)
    finally:
        journal.close()
    assert run_job(job).done == 150


def test_unreadable_file_is_reported_and_the_rest_goes_on(tmp_path):
    good = tmp_path / "b.jsonl"
    write_jsonl(good, rows(5, seed=5))
    broken = tmp_path / "a.jsonl.gz"
    with gzip.open(broken, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in rows(400, seed=6, prefix="g"))
    broken.write_bytes(broken.read_bytes()[:-2000])  # a truncated download
    out = tmp_path / "out.jsonl"
    run_job(Job([broken, good], out))
    errors = read_lines(tmp_path / "out.errors.jsonl")
    assert len(errors) == 1 and "cannot read the rest of the file" in errors[0]["reason"]
    assert ids_of(out)[-5:] == [f"a-{i}" for i in range(5)] and ids_of(out)[0] == "g-0"


def test_cli_runs_and_reports(tmp_path, dataset):
    path, _ = dataset
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["batch", str(path), "-o", str(out), "-w", "1", "--no-progress", "-m", "lead", "-n", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "done 150" in result.output and "failed 7" in result.output
    assert all(len(row["highlights"]) <= 2 and row["method"] == "lead" for row in read_lines(out))
    again = runner.invoke(app, ["batch", str(path), "-o", str(out), "--no-progress", "-m", "lead", "-n", "2"])
    assert again.exit_code == 0 and "already complete" in again.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.jsonl"], "no such file or directory"),
        (["IN", "-m", "nope"], "unknown method"),
        (["IN", "--input-format", "nope"], "'nope' is not one of 'auto', 'text', 'html'"),
        (["IN", "-n", "21"], "Invalid value for '--bullets'"),
        (["IN", "-o", "-"], "give -o a path"),
        (["IN", "-o", "no/such/folder/out.jsonl"], "does not exist"),
    ],
)
def test_cli_usage_errors_exit_2(tmp_path, dataset, args, message):
    path, _ = dataset
    args = [str(path) if a == "IN" else a for a in args]
    if "-o" not in args:
        args += ["-o", str(tmp_path / "out.jsonl")]
    result = runner.invoke(app, ["batch", *args, "--no-progress"])
    assert result.exit_code == 2 and message in result.output


# --- the whole job in the fingerprint; locks and errors files (issue #19, items 5 and 6) ----------------


def test_resuming_with_another_compress_is_refused(tmp_path, dataset):
    """The reproducer: a job killed part-way, resumed with --no-compress, used to finish with both kinds of row."""
    path, _ = dataset
    out = tmp_path / "out.jsonl"
    compressed = Settings(Options(compress=True))
    with pytest.raises(_Crash):
        run_job(Job([path], out, settings=compressed), Engine(chunk_size=8), on_chunk=crash_after(2))
    with pytest.raises(InputError, match=r"differs in: settings\.options\.compress"):
        run_job(Job([path], out, settings=Settings(Options(compress=False))))
    assert run_job(Job([path], out, settings=compressed)).skipped == 16


def test_the_fingerprint_holds_every_option(tmp_path, dataset):
    path, _ = dataset
    settings = json.loads(json.dumps(Job([path], tmp_path / "out.jsonl").fingerprint()))["settings"]
    assert set(settings) == {f.name for f in dataclasses.fields(Settings)}
    assert set(settings["options"]) == {f.name for f in dataclasses.fields(Options)}
    assert set(settings["options"]["budget"]) == {f.name for f in dataclasses.fields(Budget)}


def test_resuming_with_another_errors_file_is_refused(tmp_path, dataset):
    path, _ = dataset
    out = tmp_path / "out.jsonl"
    with pytest.raises(_Crash):
        run_job(Job([path], out), Engine(chunk_size=8), on_chunk=crash_after(2))
    with pytest.raises(InputError, match="differs in: errors"):
        run_job(Job([path], out, errors=tmp_path / "elsewhere.jsonl"))


def test_a_progress_record_of_an_older_version_is_refused(tmp_path, dataset):
    path, _ = dataset
    out = tmp_path / "out.jsonl"
    with pytest.raises(_Crash):
        run_job(Job([path], out), Engine(chunk_size=8), on_chunk=crash_after(2))
    record = json.loads(progress_path(out).read_text())
    # What highlights-batch-progress/1 stored: the options without compress, and no errors path.
    options = record["job"].pop("settings")["options"]
    del options["compress"]
    record["job"].pop("errors")
    record.update(format="highlights-batch-progress/1", job={**record["job"], "options": options})
    progress_path(out).write_text(json.dumps(record))
    with pytest.raises(InputError, match="older highlights .* --restart"):
        run_job(Job([path], out))
    assert run_job(Job([path], out), restart=True).skipped == 0


def test_restart_replaces_an_unreadable_progress_record(tmp_path, dataset):
    path, _ = dataset
    out = tmp_path / "out.jsonl"
    run_job(Job([path], out))
    progress_path(out).write_text("{torn")
    with pytest.raises(InputError, match="not a readable progress record"):
        run_job(Job([path], out))
    assert run_job(Job([path], out), restart=True).done == 150


def test_default_errors_files_never_collide():
    outputs = ["out.jsonl", "out", "out.parquet", "out.ndjson", "out.parquet.jsonl", "out.JSONL", "out.errors"]
    errors = [default_errors_path(Path(name)) for name in outputs]
    assert default_errors_path(Path("data/out.jsonl")) == Path("data/out.errors.jsonl")
    assert default_errors_path(Path("out.parquet")) == Path("out.parquet.errors.ndjson")
    assert len(set(errors)) == len(errors) and not set(errors) & {Path(name) for name in outputs}


def test_the_errors_file_is_locked(tmp_path, dataset):
    """The reproducer: two jobs writing one errors file interleaved their rows (399 rows instead of 250)."""
    path, _ = dataset
    shared = tmp_path / "shared.errors.jsonl"
    first = Job([path], tmp_path / "first.jsonl", errors=shared)
    journal = Journal.open(first.output, shared, first.fingerprint())
    try:
        with pytest.raises(InputError, match=f"another highlights batch is writing {shared}"):
            run_job(Job([path], tmp_path / "second.jsonl", errors=shared))
        result = runner.invoke(
            app,
            [
                "batch",
                str(path),
                "-o",
                str(tmp_path / "third.parquet"),
                "--errors",
                str(shared),
                "--no-progress",
                "-w",
                "1",
            ],
        )
        assert result.exit_code == 2 and "another highlights batch is writing" in result.output
    finally:
        journal.close()
    assert not (tmp_path / "second.jsonl").exists() or (tmp_path / "second.jsonl").stat().st_size == 0


def test_another_jobs_errors_file_is_not_overwritten(tmp_path, dataset):
    path, _ = dataset
    shared = tmp_path / "errors.jsonl"
    run_job(Job([path], tmp_path / "first.jsonl", errors=shared))
    before = shared.read_bytes()
    assert before
    with pytest.raises(InputError, match="may be another job's errors file"):
        run_job(Job([path], tmp_path / "second.jsonl", errors=shared))
    assert shared.read_bytes() == before


def test_outputs_named_alike_keep_their_own_errors(tmp_path, dataset):
    """`-o out` and `-o out.jsonl` both used to write out.errors.jsonl."""
    path, _ = dataset
    for name in ("out", "out.jsonl"):
        result = runner.invoke(
            app, ["batch", str(path), "-o", str(tmp_path / name), "--no-progress", "-w", "1", "-m", "lead"]
        )
        assert result.exit_code == 0, result.output
    assert len(read_lines(tmp_path / "out.errors.jsonl")) == len(read_lines(tmp_path / "out.errors.ndjson")) == 7


def test_the_progress_record_is_not_an_input(tmp_path, dataset):
    path, _ = dataset
    out = tmp_path / "out.jsonl"
    run_job(Job([path], out))
    result = runner.invoke(app, ["batch", str(path), str(progress_path(out)), "-o", str(out), "--no-progress"])
    assert result.exit_code == 2 and "cannot also be an input" in result.output


# --- issue #21, item 9: reasons that read as whole sentences ---------------------------------------------

MALFORMED = [
    ('{"id": "t", "article": "tab\there"}', "a string holds a raw tab or line break, or is not closed"),
    ('{"id": "u", "article": "cut short', "a string holds a raw tab or line break, or is not closed"),
    ('{"id": "v", "article": "C:\\q"}', "a string holds a backslash that starts no valid escape"),
    ('{"id": "c", "article" "x"}', "a colon is missing after a key"),
    ('{"id": "d" "article": "x"}', "a comma is missing between two items"),
    ('{"id": "x", "article": "A."} trailing', "more follows the JSON value on the same line"),
]


def test_a_malformed_json_row_is_reported_in_a_whole_sentence(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(['{"id": "ok", "article": "The council met on Monday. It voted."}', *(raw for raw, _ in MALFORMED)])
        + "\n",
        encoding="utf-8",
    )
    run_job(Job([path], tmp_path / "out.jsonl"))
    errors = read_lines(tmp_path / "out.errors.jsonl")
    assert len(errors) == len(MALFORMED)
    for error, (_, problem) in zip(errors, MALFORMED):
        # Python's message ("Invalid control character at") ended on a preposition whose position was cut off.
        assert error["reason"].startswith(f"malformed JSON on line {error['line']}: {problem}"), error
        assert not error["reason"].endswith((" at", ":")), error


def test_a_long_reason_is_cut_at_a_word_with_an_ellipsis(tmp_path, monkeypatch):
    import highlights.batch.work as work
    from highlights.errors import MAX_REASON_CHARS

    def explode(content, **kwargs):
        raise RuntimeError("the parser choked on " + "somewhere deep inside the tree\n" * 40)

    monkeypatch.setattr(work, "summarize", explode)
    path = tmp_path / "in.jsonl"
    write_jsonl(path, rows(1, seed=3))
    run_job(Job([path], tmp_path / "out.jsonl"))
    (error,) = read_lines(tmp_path / "out.errors.jsonl")
    reason = error["reason"]
    assert reason.startswith("internal error (RuntimeError): the parser choked on somewhere deep inside the tree ")
    assert len(reason) <= MAX_REASON_CHARS and "\n" not in reason
    assert reason.endswith("…") and reason[:-1].split()[-1] in {"on", "somewhere", "deep", "inside", "the", "tree"}


def test_reasons_name_the_column_when_it_is_known_and_stay_bounded():
    from highlights.errors import MAX_REASON_CHARS, malformed_json_reason, one_line

    assert malformed_json_reason("Invalid control character at", 7, column=12).startswith(
        "malformed JSON on line 7, column 12: a string holds a raw tab or line break, or is not closed"
    )
    assert malformed_json_reason("Something new starting at", 3) == "malformed JSON on line 3: something new"
    assert malformed_json_reason("Unterminated string starting at", 9).endswith("line 9: a string is not closed")
    assert one_line("short\n reason") == "short reason"
    cut = one_line("word " * 100, limit=42)
    assert cut == "word word word word word word word word…" and len(cut) <= 42
    assert len(one_line("x" * 1000)) == MAX_REASON_CHARS  # one endless word is cut where it must be


def test_the_help_states_the_exit_codes():
    shown = " ".join(runner.invoke(app, ["batch", "--help"]).output.replace("│", " ").split())
    assert "exit code is 0 when the job is complete" in shown and "130 after Ctrl-C" in shown
    assert "Each output row holds the input id, file and line" in shown

"""The `highlights` command as users run it: output, formats, exit codes, no tracebacks."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys

import pytest

from conftest import EXAMPLE, SEED_PAGE, shared_file


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "highlights", *args], input=stdin, capture_output=True, timeout=120)


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in result.stderr and b"Traceback" not in result.stdout


def test_file_prints_bullets_reference_and_rouge():
    result = cli(str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.splitlines()[0] == "River town's homemade sensors beat the flood"
    assert out.count("• ") >= 3
    assert "The page's own highlights" in out
    assert "ROUGE-1" in out and "ROUGE-Lsum" in out


def test_json_format_and_options():
    result = cli(str(EXAMPLE), "-m", "lead", "-n", "2", "--max-words-per-bullet", "40", "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["method"] == "lead" and len(data["highlights"]) == 2
    text = data["text"]
    for bullet in data["highlights"]:
        assert " ".join(text[s:e] for s, e in bullet["spans"]) == bullet["source_text"]


def test_markdown_format():
    result = cli(str(EXAMPLE), "--format", "markdown")
    assert result.returncode == 0
    assert result.stdout.decode().startswith("# River town")


def test_stdin():
    result = cli("-", stdin=b"The mayor resigned on Tuesday. The council will meet on Friday.")
    assert result.returncode == 0
    assert "The mayor resigned on Tuesday." in result.stdout.decode()


def test_explicit_summarize_subcommand_and_methods_listing():
    assert cli("summarize", str(EXAMPLE), "-n", "1").returncode == 0
    result = cli("methods")
    assert "lead" in result.stdout.decode() and "(default)" in result.stdout.decode()


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (["-"], b"", b"empty"),
        (["-"], b"   \n ", b"empty"),
        (["-"], bytes(range(256)) * 20, b"binary"),
        (["/no/such/file.txt"], None, b"no such file"),
        (["/"], None, b"directory"),
        (["-m", "nope", "-"], b"Text.", b"unknown method"),
        (["http://127.0.0.1:9/article"], None, b"non-public address"),
        (["http://10.0.0.1/article"], None, b"non-public address"),
        (["ftp://example.com/a.txt"], None, b"only http(s)"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(args, stdin, message):
    result = cli(*args, stdin=stdin)
    assert result.returncode == 2, result
    assert message in result.stderr.lower()
    no_traceback(result)


def test_bad_option_value_exits_2():
    result = cli(str(EXAMPLE), "-n", "0")
    assert result.returncode == 2
    no_traceback(result)


def test_dataset_rows_with_bad_rows_reported(tmp_path):
    rows = [
        {"id": "a", "article": "The mayor resigned on Tuesday. The council will meet.", "highlights": "Mayor quits ."},
        {"id": "b", "article": ""},
        {"id": "c"},
        {"id": "d", "article": "Engineers finished the bridge. It opens in May."},
    ]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json\n")
    result = cli(str(path), "-f", "json")
    assert result.returncode == 0  # some rows failed, and are reported; the others are the output
    out = json.loads(result.stdout)
    assert [row["id"] for row in out] == ["a", "d"]
    err = result.stderr.decode()
    assert "id=b" in err and "id=c" in err and "malformed JSON" in err
    no_traceback(result)


@pytest.mark.data
def test_seed_page_through_the_cli():
    page = shared_file(SEED_PAGE)
    result = cli(str(page))
    assert result.returncode == 0
    out = result.stdout.decode()
    assert "Abdul Jabbar al Aqidi" in out and "opinion" in out
    bullets = [line for line in out.splitlines() if line.startswith("• ")]
    ours = bullets[: len(bullets) - 2]
    for furniture in ("02:56", "Follow CNN", "Join us", "opinions expressed", "was commander of"):
        assert not any(furniture in b for b in ours)


def test_a_dataset_that_breaks_part_way_is_reported_after_its_good_rows(tmp_path):
    path = tmp_path / "rows.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for i in range(300):
            row = {"id": f"r{i}", "article": f"Row {i} of the file was written. It ends here."}
            handle.write(json.dumps(row) + "\n")
    path.write_bytes(path.read_bytes()[:-500])  # a truncated download
    result = cli(str(path), "-f", "jsonl", "-m", "lead")
    assert result.returncode == 0  # the rows before the break were summarized
    assert json.loads(result.stdout.splitlines()[0])["id"] == "r0"
    assert b"cannot read the rest of the file" in result.stderr
    no_traceback(result)


def test_a_row_that_breaks_the_pipeline_is_reported_and_the_others_go_on(tmp_path, monkeypatch):
    # As in `highlights batch`: an unexpected error on one row (a bug) is that row's reason, not a traceback.
    from typer.testing import CliRunner

    import highlights.cli as cli_module

    real = cli_module.summarize

    def flaky(content, **kwargs):
        if "boom" in content:
            raise RuntimeError("a bug")
        return real(content, **kwargs)

    monkeypatch.setattr(cli_module, "summarize", flaky)
    path = tmp_path / "rows.jsonl"
    rows = [
        {"id": "a", "article": "The mayor resigned on Tuesday. The council will meet."},
        {"id": "b", "article": "The boom was heard across town. Windows broke."},
        {"id": "c", "article": "Engineers finished the bridge. It opens in May."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = CliRunner().invoke(cli_module.app, [str(path), "-f", "jsonl"])
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines() if line.startswith("{")] == ["a", "c"]
    assert "id=b" in result.output and "internal error (RuntimeError): a bug" in result.output


# --- issue #21: what a newcomer met ----------------------------------------------------------------------

LONG_MISSING = "/no/such/folder/" + "a-long-directory-name-" * 5 + "/missing"


@pytest.mark.parametrize(
    "args",
    [
        [LONG_MISSING + ".txt"],  # summarize
        ["batch", LONG_MISSING + ".jsonl", "-o", "/tmp/highlights-never-written.jsonl"],  # batch's own console
        [str(EXAMPLE), "--bullets", "0", "--max-words-per-bullet", "0"],  # a usage error click reports
        ["summarize", str(EXAMPLE), "--no-such-option-" + "x" * 80],
    ],
)
def test_errors_are_one_unwrapped_line_when_stderr_is_not_a_terminal(args):
    # `highlights missing.txt 2>err.txt`: rich wraps at 80 columns when stderr is no terminal; a log line must stay
    # whole, so that grep and log readers see the message in one piece.
    result = cli(*args)
    assert result.returncode == 2, result
    error_lines = [line for line in result.stderr.decode().splitlines() if line.lower().startswith("error")]
    assert len(error_lines) == 1, result.stderr.decode()
    assert "│" not in result.stderr.decode() and "╭" not in result.stderr.decode()  # no box either
    if LONG_MISSING in " ".join(args):
        assert LONG_MISSING in error_lines[0]
    no_traceback(result)


def test_an_error_naming_brackets_is_printed_as_is():
    # A path is text, not rich markup: `[/x]` used to raise MarkupError (a traceback), `[red]` vanished.
    result = cli("/no/such/[/x]/[red]file[/red].txt")
    assert result.returncode == 2
    assert "/no/such/[/x]/[red]file[/red].txt" in result.stderr.decode()
    no_traceback(result)


def test_usage_errors_on_a_terminal_still_read_well():
    import os
    import pty

    master, slave = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "highlights", str(EXAMPLE), "-n", "0"],
            check=False,
            stdout=subprocess.PIPE,
            stderr=slave,
            timeout=120,
            env={**os.environ, "COLUMNS": "100"},
        )
    finally:
        os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the writer is gone and everything was read
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert result.returncode == 2
    text = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", shown.decode()).split())  # colours are fine on a terminal
    assert "Invalid value for '--bullets'" in text and "Traceback" not in text


def test_article_words_in_brackets_are_printed_as_they_are():
    result = cli(
        "-", stdin=b"The mayor [/x] resigned on Tuesday after [bold]a long debate. The council will meet on Friday."
    )
    assert result.returncode == 0, result.stderr
    assert "• The mayor [/x] resigned on Tuesday after [bold]a long debate." in result.stdout.decode()
    no_traceback(result)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/article", "http://[::1]/story", "http://10.0.0.1/article"])
def test_a_refused_private_url_says_how_to_allow_it(url):
    result = cli(url)
    assert result.returncode == 2
    (line,) = result.stderr.decode().splitlines()
    assert "non-public address" in line and "--allow-private-urls" in line, line


def test_methods_are_listed_with_what_each_does_and_the_defaults():
    result = cli("methods")
    assert result.returncode == 0
    lines = {line.split()[0]: line for line in result.stdout.decode().splitlines()}
    assert set(lines) == {"centrality", "lead", "learned"}
    assert "PageRank" in lines["centrality"] and "first sentences" in lines["lead"]
    assert "CNN/DailyMail" in lines["learned"] and "(default)" in lines["learned"]
    assert "default for text in other languages" in lines["lead"]
    assert "default" not in lines["centrality"]


def test_a_method_describes_itself_by_attribute_or_docstring():
    from highlights.render import method_description

    class Described:
        description = "Scores every sentence 1."

    class Documented:
        """Random: picks sentences at random.

        More detail that is not shown."""

    assert method_description(Described()) == "Scores every sentence 1."
    assert method_description(Documented()) == "Picks sentences at random."


# --- several inputs and datasets: valid JSON, JSON Lines, and the exit code ------------------------------

ARTICLE_A = b"The mayor resigned on Tuesday after a long debate. The council will meet on Friday to choose a successor."
ARTICLE_B = b"Engineers finished the new bridge over the river. It opens to traffic in May, a month early."


def two_articles(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(ARTICLE_A)
    b.write_bytes(ARTICLE_B)
    return str(a), str(b)


def dataset_rows(tmp_path, good: int, bad: int):
    """`good` usable rows and `bad` unusable ones (an empty article, malformed JSON), interleaved."""
    lines = []
    for i in range(good):
        lines.append(json.dumps({"id": f"g{i}", "article": ARTICLE_A.decode() if i % 2 else ARTICLE_B.decode()}))
        if i < bad:
            lines.append(json.dumps({"id": f"b{i}", "article": ""}) if i % 2 else '{"id": "broken", "article": ')
    lines += [json.dumps({"id": f"b{i}", "article": ""}) for i in range(good, bad)]
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.slow
def test_several_inputs_as_json_are_one_json_array(tmp_path):
    a, b = two_articles(tmp_path)
    result = cli(a, b, "-f", "json", "-m", "lead")
    assert result.returncode == 0, result.stderr
    summaries = json.loads(result.stdout)  # not two objects one after the other
    assert isinstance(summaries, list) and [s["source"] for s in summaries] == [a, b]
    assert all(s["highlights"] and s["text"] for s in summaries)
    single = json.loads(cli(a, "-f", "json", "-m", "lead").stdout)
    assert isinstance(single, dict) and single == summaries[0]  # one article: one object, as before


def test_json_stays_valid_when_an_input_fails(tmp_path):
    a, _ = two_articles(tmp_path)
    result = cli(a, str(tmp_path / "missing.txt"), "-f", "json", "-m", "lead")
    assert result.returncode == 2
    assert [s["source"] for s in json.loads(result.stdout)] == [a]
    assert "missing.txt: no such file" in result.stderr.decode()
    everything_fails = cli(str(tmp_path / "x.txt"), str(tmp_path / "y.txt"), "-f", "json")
    assert everything_fails.returncode == 2 and json.loads(everything_fails.stdout) == []


@pytest.mark.slow
def test_a_dataset_as_json_is_one_array_and_as_jsonl_one_line_a_row(tmp_path):
    a, _ = two_articles(tmp_path)
    rows = dataset_rows(tmp_path, good=3, bad=0)
    as_json = cli(rows, "-f", "json", "-m", "lead")
    assert as_json.returncode == 0, as_json.stderr
    summaries = json.loads(as_json.stdout)
    assert [(s["id"], s["file"], s["line"]) for s in summaries] == [("g0", rows, 1), ("g1", rows, 2), ("g2", rows, 3)]
    assert "text" not in summaries[0]  # rows stay small, as in `highlights batch`

    mixed = cli(a, rows, "-f", "jsonl", "-m", "lead")
    assert mixed.returncode == 0, mixed.stderr
    lines = [json.loads(line) for line in mixed.stdout.decode().splitlines()]
    assert lines[0]["source"] == a and [row["id"] for row in lines[1:]] == ["g0", "g1", "g2"]
    assert lines[1:] == summaries  # the same objects, one a line
    assert lines[0] == json.loads(cli(a, "-f", "json", "-m", "lead").stdout)


def test_markdown_of_several_inputs_names_each_one(tmp_path):
    a, b = two_articles(tmp_path)
    result = cli(a, b, "-f", "markdown", "-m", "lead")
    assert result.returncode == 0
    out = result.stdout.decode()
    assert f"## {a}" in out and f"## {b}" in out and out.index(f"## {a}") < out.index(f"## {b}")


def test_the_output_formats_are_explained_in_the_help():
    shown = " ".join(cli("summarize", "--help").stdout.decode().replace("│", " ").split())
    assert "JSON array" in shown and "one JSON object per line" in shown
    assert "at least one row" in shown  # the exit code of a dataset with bad rows
    assert "log-odds" in shown and "rank" in shown  # what a bullet's score in the JSON is


@pytest.mark.slow
def test_a_dataset_with_some_bad_rows_exits_0_as_batch_does(tmp_path):
    rows = dataset_rows(tmp_path, good=18, bad=2)
    result = cli(rows, "-f", "jsonl", "-m", "lead")
    assert result.returncode == 0, result.stderr  # the bad rows are reported, the good ones are the output
    assert len(result.stdout.decode().splitlines()) == 18
    err = result.stderr.decode()
    assert "malformed JSON" in err and "id=b1" in err and "'article' is empty" in err
    assert "18 rows summarized, 2 skipped" in err
    batch = cli("batch", rows, "-o", str(tmp_path / "out.jsonl"), "-m", "lead", "--no-progress")
    assert batch.returncode == result.returncode == 0


def test_a_dataset_with_no_usable_row_exits_2(tmp_path):
    rows = dataset_rows(tmp_path, good=0, bad=3)
    result = cli(rows, "-f", "json")
    assert result.returncode == 2 and json.loads(result.stdout) == []
    assert "none of its 3 rows could be summarized" in result.stderr.decode()
    (tmp_path / "empty.jsonl").write_text("")
    empty = cli(str(tmp_path / "empty.jsonl"))
    assert empty.returncode == 2 and "holds no rows" in empty.stderr.decode()


def test_a_malformed_row_is_reported_in_a_whole_sentence(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"id": "a", "article": ARTICLE_A.decode()}) + '\n{"id": "b", "article": "a\tb"}\n')
    result = cli(str(path), "-m", "lead")
    assert result.returncode == 0
    reason = (
        "malformed JSON on line 2: a string holds a raw tab or line break, or is not closed before the line "
        "ends (inside a string, write a tab as \\t and a line break as \\n)"
    )
    assert f"{path}:2 id=row-2: {reason}" in result.stderr.decode()


def test_no_arguments_prints_the_help_and_nothing_on_stderr():
    result = cli()
    assert result.returncode == 2 and "Usage:" in result.stdout.decode() and result.stderr == b""

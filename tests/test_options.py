"""The summarize options, declared once (`highlights.summary_options`): the CLI, `batch`, the service and `eval` each
offer every one of them with its help, default and bounds, refuse a value outside them with a clear error, and
a result has one JSON shape in all of them."""

from __future__ import annotations

import inspect
import json
import typing
from dataclasses import replace

import pytest
import typer
from typer.testing import CliRunner

from conftest import EXAMPLE
from highlights import Summarizer, pipeline, summarize
from highlights.cli import app
from highlights.cli_options import with_summary_options
from highlights.evaluate.systems import METHOD_OPTIONS, SystemSpecError, build_system
from highlights.options import Options
from highlights.summary_options import DEFAULT_OPTIONS, SUMMARY_OPTIONS, Option, options_from
from synthetic_articles import rows, write_jsonl

runner = CliRunner()


def flag(option: Option) -> str:
    return "--" + option.name.replace("_", "-")


def other_value(option: Option) -> object:
    """A valid value other than the option's default."""
    if option.type is bool:
        return not option.default
    if option.type is str:
        return next(choice for choice in option.allowed() if choice != option.default)
    return option.type(option.maximum if option.maximum is not None else (option.minimum or 0) + 7)


def bad_values(option: Option) -> list[object]:
    """Values outside the option's bounds or choices."""
    bad: list[object] = []
    if option.minimum is not None:
        bad.append(option.minimum - 1 if option.type is int else option.minimum / 2)
    if option.maximum is not None:
        bad.append(option.maximum + 1)
    if option.choices:
        bad.append("nope")
    return bad


OUT_OF_BOUNDS = [(option, value) for option in SUMMARY_OPTIONS for value in bad_values(option)]
OUT_OF_BOUNDS_IDS = [f"{option.name}={value}" for option, value in OUT_OF_BOUNDS]


def cli_args(values: dict[str, object]) -> list[str]:
    args: list[str] = []
    for name, value in values.items():
        option = next(o for o in SUMMARY_OPTIONS if o.name == name)
        if option.type is bool:
            args.append(flag(option) if value else "--no-" + flag(option)[2:])
        else:
            args += [flag(option), str(value)]
    return args


# --- the declaration -----------------------------------------------------------------------------------


def test_the_defaults_are_those_of_options():
    assert options_from({}) == Options() == DEFAULT_OPTIONS
    for option in SUMMARY_OPTIONS:
        # A None default must say what it means; the help shows it as the default.
        assert option.nullable == bool(option.unset), option.name
        assert option.help and not option.help.endswith("."), option.name


@pytest.mark.parametrize("option", SUMMARY_OPTIONS, ids=lambda o: o.name)
def test_each_option_sets_its_own_field(option: Option):
    value = other_value(option)
    built = options_from({option.name: value})
    group, _, field = option.field.rpartition(".")
    if group:
        assert getattr(built.budget, field) == value
        assert built == replace(Options(), budget=replace(Options().budget, **{field: value}))
    else:
        assert built == replace(Options(), **{field: value})


def test_an_unknown_option_name_is_refused():
    with pytest.raises(ValueError, match="unknown option"):
        options_from({"colour": "red"})


# --- the Python API ------------------------------------------------------------------------------------


@pytest.mark.parametrize("function", [Summarizer.__init__, summarize], ids=["Summarizer", "summarize"])
def test_the_python_api_takes_each_option_by_its_field_name_with_its_type(function):
    """The signatures spell the settings out (for help() and type checkers); they must be the declared ones."""
    parameters = inspect.signature(function, eval_str=True).parameters
    settings = [name for name in parameters if name not in ("self", "content", "options", "model_dir")]
    assert settings == [option.python_name for option in SUMMARY_OPTIONS]
    for option in SUMMARY_OPTIONS:
        annotation = parameters[option.python_name].annotation
        assert option.type in (typing.get_args(annotation) or (annotation,)), option.name


def test_summarize_hands_each_setting_to_its_summarizer(monkeypatch):
    made: list[Options] = []

    class Recording(Summarizer):
        def summarize(self, content):
            made.append(self.options)

    monkeypatch.setattr(pipeline, "Summarizer", Recording)
    values = {option.name: other_value(option) for option in SUMMARY_OPTIONS}
    pipeline.summarize("text", **{option.python_name: values[option.name] for option in SUMMARY_OPTIONS})
    assert made == [options_from(values)] and made[0] != Options()
    assert Summarizer(**{option.python_name: values[option.name] for option in SUMMARY_OPTIONS}).options == made[0]


# --- the CLI and batch ---------------------------------------------------------------------------------


def test_the_cli_gathers_every_option_into_one_options():
    captured: list[Options] = []
    probe = typer.Typer()

    @probe.command()
    @with_summary_options
    def run(name: str, options: Options = Options()) -> None:
        captured.append(options)

    values = {option.name: other_value(option) for option in SUMMARY_OPTIONS}
    result = runner.invoke(probe, ["x", *cli_args(values)])
    assert result.exit_code == 0, result.output
    assert captured == [options_from(values)]
    assert runner.invoke(probe, ["x"]).exit_code == 0 and captured[-1] == Options()


@pytest.mark.parametrize("command", ["summarize", "batch"])
def test_the_help_shows_each_option_with_its_default_and_bounds(command: str):
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "3000", "TERM": "dumb"})
    assert result.exit_code == 0
    lines = {line.split()[1]: line for line in result.output.splitlines() if line.strip("│ ").startswith("--")}
    for option in SUMMARY_OPTIONS:
        shown = " ".join(lines[flag(option)].split())
        assert option.help in shown
        default = option.unset if option.nullable else option.default
        if option.type is bool and not option.nullable:
            default = option.name if option.default else "no-" + option.name
        assert f"[default: {default}]" in shown, shown
        if option.minimum is not None and option.maximum is not None:
            assert f"[{option.minimum}<=x<={option.maximum}]" in shown, shown
        elif option.minimum is not None:
            assert f"[x>={option.minimum}]" in shown, shown
        if option.choices:
            assert ", ".join(option.allowed()) in shown or "|".join(option.allowed()) in shown, shown
    assert "Number of bullets [default: by article length]." in " ".join(result.output.split())


@pytest.mark.parametrize("option, value", OUT_OF_BOUNDS, ids=OUT_OF_BOUNDS_IDS)
def test_the_cli_refuses_a_value_out_of_bounds_with_exit_code_2(tmp_path, option: Option, value: object):
    for args in (["summarize", str(EXAMPLE)], ["batch", str(EXAMPLE), "-o", str(tmp_path / "out.jsonl")]):
        result = runner.invoke(app, [*args, flag(option), str(value)])
        assert result.exit_code == 2, result.output
        assert f"Invalid value for '{flag(option)}'" in result.output, result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "out.jsonl").exists()


# --- the service ---------------------------------------------------------------------------------------


@pytest.fixture
def client():
    pytest.importorskip("fastapi", reason="the service needs the `serve` extra (fastapi, uvicorn)")
    from fastapi.testclient import TestClient

    from highlights.service.app import create_app
    from highlights.service.settings import Settings

    return TestClient(create_app(Settings(warm_up=False, workers=0)), raise_server_exceptions=False)


def test_the_service_request_has_each_option_with_its_default_and_bounds(client):
    from highlights.service.schemas import HighlightsRequest

    schema = client.get("/openapi.json").json()["components"]["schemas"]["HighlightsRequest"]["properties"]
    for option in SUMMARY_OPTIONS:
        assert HighlightsRequest.model_fields[option.name].default == option.default
        prop = schema[option.name]
        assert prop["description"].startswith(option.help) and (
            not option.nullable or option.unset in prop["description"]
        )
        numbers = next((kind for kind in prop.get("anyOf", [prop]) if kind.get("type") in ("integer", "number")), {})
        assert numbers.get("minimum") == option.minimum and numbers.get("maximum") == option.maximum
    values = {option.name: other_value(option) for option in SUMMARY_OPTIONS}
    assert HighlightsRequest(text="x", **values).options() == options_from(values)


@pytest.mark.parametrize("option, value", OUT_OF_BOUNDS, ids=OUT_OF_BOUNDS_IDS)
def test_the_service_refuses_a_value_out_of_bounds_with_422_naming_the_field(client, option: Option, value: object):
    response = client.post("/v1/highlights", json={"text": "One. Two.", option.name: value})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error" and option.name in error["message"]
    assert [detail["field"] for detail in error["details"]] == [option.name]


# --- eval ----------------------------------------------------------------------------------------------


def test_eval_takes_every_option_but_the_method_and_the_input_format():
    assert {o.name for o in SUMMARY_OPTIONS} - {o.name for o in METHOD_OPTIONS} == {"method", "input_format"}
    values = {option.name: other_value(option) for option in METHOD_OPTIONS}
    spec = ",".join(f"{name}={str(value).lower()}" for name, value in values.items())
    assert build_system(f"lead:{spec}").options == replace(options_from(values), method="lead")


@pytest.mark.parametrize(
    "option, value",
    [(o, v) for o, v in OUT_OF_BOUNDS if o in METHOD_OPTIONS],
    ids=[i for (o, _), i in zip(OUT_OF_BOUNDS, OUT_OF_BOUNDS_IDS) if o in METHOD_OPTIONS],
)
def test_eval_refuses_a_value_out_of_bounds_naming_the_option(option: Option, value: object):
    # `bullets must be a whole number from 1 to 20, not '0'`; `unknown length 'nope'; choose one of: …`
    with pytest.raises(
        SystemSpecError, match=rf"{option.name} must be .*, not '{value}'|unknown {option.name} '{value}'"
    ):
        build_system(f"lead:{option.name}={value}")


# --- one output shape ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_json_batch_rows_and_the_service_give_the_same_fields(tmp_path, client):
    data = tmp_path / "rows.jsonl"
    write_jsonl(data, rows(3, seed=2))
    article = tmp_path / "article.txt"
    article.write_text(json.loads(data.read_text().splitlines()[0])["article"], encoding="utf-8")
    options = ["-m", "lead", "-n", "2"]

    single = runner.invoke(app, [str(article), "-f", "json", *options])
    assert single.exit_code == 0, single.output
    cli_json = json.loads(single.stdout)
    service = client.post(
        "/v1/highlights", json={"text": article.read_text(encoding="utf-8"), "method": "lead", "bullets": 2}
    )
    assert service.status_code == 200, service.text
    # The same article and options: the same object, field for field (the CLI read it from a file it names).
    assert cli_json["source"] == str(article) and {**cli_json, "source": None} == service.json()

    dataset = runner.invoke(app, [str(data), "-f", "json", *options])
    assert dataset.exit_code == 0, dataset.output
    cli_rows = json.loads(dataset.stdout)
    out = tmp_path / "out.jsonl"
    batch = runner.invoke(app, ["batch", str(data), "-o", str(out), "-w", "1", "--no-progress", *options])
    assert batch.exit_code == 0, batch.output
    batch_rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert cli_rows == batch_rows and len(batch_rows) == 3
    highlight_fields = list(cli_json["highlights"][0])
    for row in batch_rows:
        assert list(row) == ["id", "file", "line", *(key for key in cli_json if key != "text")]
        assert all(list(highlight) == highlight_fields for highlight in row["highlights"])

"""The summarize options (`highlights.summary_options.SUMMARY_OPTIONS`) as typer options, for `highlights` and `batch`.

`@with_summary_options` puts one CLI option per declared option where the command has its `options` parameter,
and calls the command with them gathered into one `Options`. The bounds are click's ranges (shown beside each
option, and a usage error with exit code 2 when a value is outside them); a default that is None is shown in
the help as what it means.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, Literal, Optional, TypeVar

import typer

from highlights.summary_options import SUMMARY_OPTIONS, Option, options_from

Result = TypeVar("Result")


def cli_help(option: Option) -> str:
    """The option's help as `--help` shows it. typer shows a default other than None itself, and the bounds beside
    the type; the choices of a plain string option (methods, plug-ins included) are listed here."""
    text = option.help
    if option.type is str and callable(option.choices):
        text += f": {', '.join(option.allowed())}"
    if option.nullable:
        text += f" \\[default: {option.unset}]"  # escaped: typer reads help as rich markup
    return text + "."


def typer_parameter(option: Option) -> inspect.Parameter:
    """The command parameter typer makes the CLI option from."""
    flag = "--" + option.name.replace("_", "-")
    names = [f"{flag}/--no-{flag[2:]}" if option.type is bool else flag, *([option.short] if option.short else [])]
    kind: Any = option.type
    if option.type is str and not callable(option.choices) and option.choices:
        kind = Literal[tuple(option.allowed())]  # shown as <auto|text|html>, checked by typer
    check = _check_choice(option) if callable(option.choices) else None
    info = typer.Option(*names, min=option.minimum, max=option.maximum, help=cli_help(option), callback=check)
    # A type made at run time from the declaration, which mypy cannot check statically.
    annotation = Annotated[Optional[kind] if option.nullable else kind, info]  # type: ignore[valid-type]
    return inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY, default=option.default, annotation=annotation)


def _check_choice(option: Option) -> Callable[[Any], Any]:
    """A typer callback: the value, or a usage error naming the choices (known only at run time: plug-ins)."""

    def check(value: Any) -> Any:
        try:
            return option.check_choice(value)
        except ValueError as error:
            raise typer.BadParameter(str(error)) from None

    return check


def with_summary_options(command: Callable[..., Result]) -> Callable[..., Result]:
    """`command` with every summarize option as a CLI option, put where its `options` parameter is; it is
    called with them gathered into that parameter, an `Options`."""
    signature = inspect.signature(command, eval_str=True)
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        if parameter.name == "options":
            parameters += map(typer_parameter, SUMMARY_OPTIONS)
        else:
            parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY))

    @functools.wraps(command)
    def run(**values: Any) -> Result:
        chosen = {option.name: values.pop(option.name) for option in SUMMARY_OPTIONS}
        return command(**values, options=options_from(chosen))

    # What typer reads the options from; mypy knows no __signature__ on a function.
    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
    return run

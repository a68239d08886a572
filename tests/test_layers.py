"""The import layering of src/ ([tool.importlinter] in pyproject.toml): every module imports only from the
layers below it, no package's modules import each other in a cycle, and the library under the apps does not
import their frameworks. The same check as `lint-imports` in CI; here it runs with the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

lint = pytest.importorskip("importlinter.cli", reason="import-linter is not installed (pip install -e '.[dev]')")

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_import_contracts_hold(capsys: pytest.CaptureFixture[str]) -> None:
    code = lint.lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out

"""The import layering of src/ ([tool.importlinter] in pyproject.toml): every module imports only from the
layers below it, no package's modules import each other in a cycle, and the library under the apps does not
import their frameworks. The same check as `lint-imports` in CI; here it runs with the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter.cli", reason="import-linter is not installed (pip install -e '.[dev]')")

ROOT = Path(__file__).resolve().parents[1]
# In a process of its own: import-linter configures logging with `dictConfig`, which closes the handlers already
# there, and absl's (installed when rouge-score is imported) then closes the stream pytest captured stderr into.
LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def test_the_import_contracts_hold() -> None:
    # This checkout's src/ first, so that the contracts are checked on these sources whatever is installed.
    path = os.pathsep.join([str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
    result = subprocess.run(
        [sys.executable, "-c", LINT, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr

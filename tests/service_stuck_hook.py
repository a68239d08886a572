"""A `Settings.worker_init` hook for tests/test_service_abuse.py: in each summarizer process it wraps the
pipeline so that an article containing STUCK_MARKER spins forever (what a pathological input does to a
quadratic step), after writing the process id to $HIGHLIGHTS_TEST_STUCK_DIR/<pid>. Only the operator's
settings can install it; no request can."""

from __future__ import annotations

import os
from pathlib import Path

STUCK_MARKER = "STUCK-SPINNING-FOREVER"
STUCK_DIR_ENV = "HIGHLIGHTS_TEST_STUCK_DIR"


def install() -> None:
    from highlights.service import worker

    real = worker.summarize

    def summarize(content: object, **kwargs: object) -> object:
        if isinstance(content, str) and STUCK_MARKER in content:
            Path(os.environ[STUCK_DIR_ENV], str(os.getpid())).touch()
            while True:  # burns CPU until the service kills the process
                pass
        return real(content, **kwargs)

    worker.summarize = summarize

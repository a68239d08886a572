"""What a server operator can set. Passed to uvicorn workers through one environment variable (JSON)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

from highlights.ingest.sources import FETCH_TIMEOUT_S, MAX_FETCH_BYTES

SETTINGS_ENV = "HIGHLIGHTS_SERVICE_SETTINGS"


@dataclass(frozen=True, slots=True)
class Settings:
    """Limits and switches of one service instance (every worker gets the same).

    max_body_bytes: larger request bodies get 413 (declared Content-Length and bytes actually read).
    request_timeout_s: a request still working after this gets 504 (the worker thread finishes in the
        background; `threads` bounds how many such threads a worker can have).
    allow_urls: accept `url` inputs at all (off by default: fetching is a way into the server's network).
    allow_private_urls: also fetch loopback/private/link-local addresses (for tests and trusted networks).
    warm_up: build every scorer and run the pipeline once at startup, so no request pays for loading.
    """

    max_body_bytes: int = 12_000_000  # a 10 MB article (GUIDE §5) plus JSON escaping headroom
    request_timeout_s: float = 30.0
    allow_urls: bool = False
    allow_private_urls: bool = False
    fetch_timeout_s: float = FETCH_TIMEOUT_S
    fetch_max_bytes: int = MAX_FETCH_BYTES
    max_batch_items: int = 32
    threads: int = 4
    warm_up: bool = True

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> Settings:
        raw = os.environ.get(SETTINGS_ENV)
        return cls(**json.loads(raw)) if raw else cls()


def default_workers() -> int:
    """One worker process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)

"""What a server operator can set. `app_from_env` reads them from one environment variable (JSON)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

from highlights.ingest.sources import FETCH_TIMEOUT_S, MAX_FETCH_BYTES

SETTINGS_ENV = "HIGHLIGHTS_SERVICE_SETTINGS"


@dataclass(frozen=True, slots=True)
class Settings:
    """Limits and switches of one service instance.

    max_body_bytes: larger request bodies get 413 (declared Content-Length and bytes actually read).
    request_timeout_s: a request not done this long after its body arrived gets 504 (a batch item, a
        `timeout` error in its place); the summarizer process still working on it is killed and replaced.
    header_timeout_s: a client gets this long for a request's headers (from connecting, or from the end of
        its previous response); slower, 408 and the connection closes.
    body_timeout_s: a request body may pause this long, and after the first `body_timeout_s` must keep
        arriving at 10 kB/s on average; otherwise 408 and the connection closes.
    workers: summarizer processes (each loads the models, about 350 MB). 0 runs the pipeline in `threads`
        threads of the server process instead (tests, embedding): a request past its time limit is
        answered but its work cannot be stopped.
    worker_init: 'package.module:function' called in each summarizer process before warm-up, e.g. to
        register a plug-in scorer there (plug-ins registered in the server process are not seen in them).
    allow_urls: accept `url` inputs at all (off by default: fetching is a way into the server's network).
    allow_private_urls: also fetch loopback/private/link-local addresses (for tests and trusted networks).
    warm_up: build every scorer and run the pipeline once at startup, so no request pays for loading.
    """

    max_body_bytes: int = 12_000_000  # a 10 MB article (GUIDE §5) plus JSON escaping headroom
    request_timeout_s: float = 30.0
    header_timeout_s: float = 10.0
    body_timeout_s: float = 10.0
    allow_urls: bool = False
    allow_private_urls: bool = False
    fetch_timeout_s: float = FETCH_TIMEOUT_S
    fetch_max_bytes: int = MAX_FETCH_BYTES
    max_batch_items: int = 32
    workers: int = field(default_factory=lambda: default_workers())
    threads: int = 4
    worker_init: str | None = None
    warm_up: bool = True

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> Settings:
        raw = os.environ.get(SETTINGS_ENV)
        return cls(**json.loads(raw)) if raw else cls()


def default_workers() -> int:
    """One summarizer process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)

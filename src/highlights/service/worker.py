"""The work of one request, as a summarizer process runs it, and that process's start-up.

Everything here runs outside the event loop: in the service's summarizer processes (`pool.py`), or in
threads of the server process when `Settings.workers` is 0. Results travel back as plain data (an
`Outcome`), never as exceptions, so nothing depends on an exception class pickling.
"""

from __future__ import annotations

import ctypes
import importlib
import logging
import os
import signal
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from threadpoolctl import threadpool_limits

from highlights.errors import (
    EmptyInputError,
    FetchError,
    HighlightsError,
    InputError,
    NotProseError,
    UnknownMethodError,
    with_private_address_hint,
)
from highlights.ingest.sources import Document, fetch_document
from highlights.pipeline import summarize
from highlights.render import to_dict
from highlights.score import get_scorer, methods
from highlights.service.schemas import HighlightsRequest, json_bytes
from highlights.service.settings import Settings

log = logging.getLogger("highlights.service")

_ERROR_CODES: list[tuple[type[HighlightsError], str]] = [
    (EmptyInputError, "empty_input"),
    (FetchError, "fetch_error"),
    (UnknownMethodError, "unknown_method"),
    (NotProseError, "not_prose"),
    (InputError, "input_error"),
]
_WARM_UP_TEXT = (
    "The council approved the new bridge on Tuesday after a long debate. Work starts in May and should "
    "take two years. Residents asked for a footpath, and the plans now include one."
)
# The client cannot lift the guard; the operator can, and the message tells the client whom to ask.
PRIVATE_URLS_HINT = (
    "this server fetches public addresses only (its operator can allow private ones with "
    "`highlights serve --allow-private-urls`)"
)
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
READY = "ready"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One article's result: `result` (to_dict's JSON), or an error `code` and `message` with its HTTP status."""

    result: bytes | None = None
    status: int = 200
    code: str = ""
    message: str = ""


INTERNAL_ERROR = Outcome(status=500, code="internal_error", message="internal error; it has been logged on the server")


def error_code(error: HighlightsError) -> str:
    return next((code for cls, code in _ERROR_CODES if isinstance(error, cls)), "input_error")


def summarize_request(request: HighlightsRequest, settings: Settings) -> dict[str, Any]:
    """Fetch if a URL, summarize, `to_dict`."""
    options = request.options()
    content: Document | str
    if request.url is not None:
        content = fetch_document(
            request.url,
            allow_private=settings.allow_private_urls,
            timeout=settings.fetch_timeout_s,
            max_bytes=settings.fetch_max_bytes,
        )
    elif request.html is not None:
        content = request.html
    else:
        assert request.text is not None  # the schema's validator requires exactly one of text, html and url
        content = request.text
    return to_dict(summarize(content, options=options))


def highlight(request: HighlightsRequest, settings: Settings) -> Outcome:
    """The whole work of one article, serialized here so the server process only forwards bytes."""
    try:
        return Outcome(result=json_bytes(summarize_request(request, settings)))
    except HighlightsError as error:
        error = with_private_address_hint(error, PRIVATE_URLS_HINT)
        return Outcome(status=422, code=error_code(error), message=str(error))
    except Exception:  # logged here, where the traceback is; the client gets a 500 without it
        log.exception("unexpected error summarizing a request")
        return INTERNAL_ERROR


def warm_up() -> None:
    """Load every scorer (models load once per process) and run the pipeline once, HTML included."""
    started = time.perf_counter()
    for name in methods():
        try:
            get_scorer(name)
            summarize(_WARM_UP_TEXT, method=name)
        except Exception:  # a broken plug-in must not keep the others from serving
            log.exception("warming up method %r failed", name)
    summarize(f"<html><body><article><p>{_WARM_UP_TEXT}</p></article></body></html>", format="html")
    log.info(
        "warm-up done in %.2f s in process %d (methods: %s)",
        time.perf_counter() - started,
        os.getpid(),
        ", ".join(methods()),
    )


def serve(connection: Connection, init: str | None, warm: bool) -> None:
    """A summarizer process: start up, say READY, then answer `(function, args)` with `function(*args)` until
    the server closes the pipe. The functions sent (`highlight`) return their errors as values."""
    start_process(init, warm)
    connection.send(READY)
    while True:
        try:
            function, args = connection.recv()
        except EOFError:  # the server is gone or stopping
            return
        connection.send(function(*args))


def start_process(init: str | None, warm: bool) -> None:
    """Tie this process's life to its parent's, run the operator's `init` hook, load the models."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the server stops us
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:%(name)s:%(message)s")
    # One BLAS thread: parallelism comes from the processes.
    threadpool_limits(1)
    if init:
        load_hook(init)()
    if warm:
        warm_up()


def load_hook(path: str) -> Any:
    """'package.module:function' → the function."""
    module, _, name = path.partition(":")
    if not name:
        raise ValueError(f"worker_init must look like 'package.module:function', not {path!r}")
    return getattr(importlib.import_module(module), name)


def die_with_parent() -> None:
    """SIGKILL this process when its parent ends, however it ends (kill -9 included), so no summarizer
    outlives the server. Linux only; elsewhere the pool's own shutdown has to do."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the line above took effect
        os._exit(1)

"""`highlights serve`: the HTTP service and its web page under uvicorn."""

from __future__ import annotations

import os
import socket
from typing import Annotated, Optional

import typer

from highlights.service.settings import SETTINGS_ENV, Settings, default_workers

_DEFAULTS = Settings()


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Worker processes [default: one per core].")] = None,
    allow_urls: Annotated[bool, typer.Option(help="Accept `url` inputs (fetched with a timeout and a size cap).")] = False,
    allow_private_urls: Annotated[bool, typer.Option(help="Also fetch loopback/private/link-local addresses.")] = False,
    max_body_bytes: Annotated[int, typer.Option(min=1, help="Largest request body; larger gets 413.")] = _DEFAULTS.max_body_bytes,
    timeout: Annotated[float, typer.Option(min=0.1, help="Per-request time limit in seconds; past it, 504.")] = _DEFAULTS.request_timeout_s,
    max_batch_items: Annotated[int, typer.Option(min=1, help="Most articles in one batch request.")] = _DEFAULTS.max_batch_items,
    threads: Annotated[int, typer.Option(min=1, help="Threads per worker that run the pipeline off the event loop.")] = _DEFAULTS.threads,
    log_level: Annotated[str, typer.Option(help="uvicorn log level: critical, error, warning, info, debug.")] = "info",
) -> None:
    """Serve the JSON API (/v1/highlights, /docs) and the web page (/) until Ctrl-C."""
    from highlights.cli import fail

    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        raise fail("the service needs its extra: pip install 'highlights[serve]'") from None
    try:
        _check_can_listen(host, port)
    except OSError as error:
        raise fail(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    settings = Settings(
        max_body_bytes=max_body_bytes, request_timeout_s=timeout, allow_urls=allow_urls,
        allow_private_urls=allow_private_urls, max_batch_items=max_batch_items,
        threads=threads,
    )
    os.environ[SETTINGS_ENV] = settings.to_env()  # every worker process builds its app from this
    typer.echo(f"highlights: page at http://{host}:{port}/  ·  API docs at http://{host}:{port}/docs", err=True)
    uvicorn.run("highlights.service.app:app_from_env", factory=True, host=host, port=port,
                workers=workers or default_workers(), log_level=log_level.lower())


def _check_can_listen(host: str, port: int) -> None:
    """Bind once before starting, so a taken port or a wrong address is one clear line (exit code 2)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)

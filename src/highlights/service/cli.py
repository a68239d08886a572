"""`highlights serve`: the HTTP service and its web page under uvicorn."""

from __future__ import annotations

import math
import socket
from typing import Annotated, Optional

import typer

from highlights.messages import error, stderr_console
from highlights.service.settings import Settings, default_workers

_DEFAULTS = Settings(workers=0)
err = stderr_console()


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        Optional[int],
        typer.Option(
            min=1,
            help="Summarizer processes, each with its own copy of the models (~350 MB); one per core if not "
            "given. One server process answers HTTP and hands them the work.",
        ),
    ] = None,
    allow_urls: Annotated[
        bool, typer.Option(help="Accept `url` inputs (fetched with a timeout and a size cap).")
    ] = False,
    allow_private_urls: Annotated[bool, typer.Option(help="Also fetch loopback/private/link-local addresses.")] = False,
    max_body_bytes: Annotated[
        int, typer.Option(min=1, help="Largest request body; larger gets 413.")
    ] = _DEFAULTS.max_body_bytes,
    timeout: Annotated[
        float,
        typer.Option(
            min=0.1, help="Per-request time limit in seconds; past it, 504 and the process doing the work is replaced."
        ),
    ] = _DEFAULTS.request_timeout_s,
    header_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a client gets to send a request's headers; past it, 408.")
    ] = _DEFAULTS.header_timeout_s,
    body_timeout: Annotated[
        float,
        typer.Option(
            min=0.1, help="Longest pause in a request body, in seconds (and after it, at least 10 kB/s); past it, 408."
        ),
    ] = _DEFAULTS.body_timeout_s,
    max_batch_items: Annotated[
        int, typer.Option(min=1, help="Most articles in one batch request.")
    ] = _DEFAULTS.max_batch_items,
    threads: Annotated[
        Optional[int],
        typer.Option(
            min=1,
            hidden=True,
            help="No effect since the work runs in summarizer processes (kept so that old command lines still start).",
        ),
    ] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level: critical, error, warning, info, debug.")] = "info",
) -> None:
    """Serve the JSON API (/v1/highlights, /docs) and the web page (/) until Ctrl-C."""
    try:  # the optional extra, imported only to run the service
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise error(err, "the service needs its extra: pip install 'highlights[serve]'") from None
    try:
        _check_can_listen(host, port)
    except OSError as problem:
        raise error(err, f"cannot listen on {host}:{port}: {problem.strerror or problem}") from None
    if threads is not None:
        typer.echo("highlights: --threads has no effect any more (see --workers)", err=True)
    settings = Settings(
        max_body_bytes=max_body_bytes,
        request_timeout_s=timeout,
        header_timeout_s=header_timeout,
        body_timeout_s=body_timeout,
        allow_urls=allow_urls,
        allow_private_urls=allow_private_urls,
        max_batch_items=max_batch_items,
        workers=workers or default_workers(),
    )
    typer.echo(f"highlights: page at http://{host}:{port}/  ·  API docs at http://{host}:{port}/docs", err=True)
    run_server(settings, host, port, log_level)


def run_server(settings: Settings, host: str, port: int, log_level: str = "info") -> None:
    """One uvicorn process with the app and the read-guarded protocol, until Ctrl-C or SIGTERM. Shutting down
    waits for requests in progress (they end by their time limit), then stops the summarizer processes."""
    import uvicorn  # the service's optional extra (FastAPI too, in the two modules below): loaded only here

    from highlights.service.app import create_app
    from highlights.service.protocol import guarded_protocol

    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level=log_level.lower(),
        http=guarded_protocol(settings),
        timeout_graceful_shutdown=math.ceil(settings.request_timeout_s) + 1,
    )


def _check_can_listen(host: str, port: int) -> None:
    """Bind once before starting, so a taken port or a wrong address is one clear line (exit code 2)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)

"""The FastAPI app: `create_app(settings)`.

Endpoints: POST /v1/highlights, POST /v1/highlights/batch, GET /v1/config, GET /healthz, the page at `/`
(files under /static, nothing from a CDN) and OpenAPI docs at /docs. The pipeline is CPU work: it runs in the
summarizer processes of `pool.py`, never on the event loop, and a request past its time limit has its process
killed. One server process is enough: it only parses requests and forwards bytes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from highlights.errors import HighlightsError
from highlights.options import DEFAULT_METHOD
from highlights.render import method_description
from highlights.score import get_scorer, methods
from highlights.service.middleware import BodyLimitMiddleware, CatchAllMiddleware, error_response
from highlights.service.pool import ProcessRunner, Runner, ThreadRunner, WorkerLost
from highlights.service.schemas import (
    BatchItem,
    BatchRequest,
    BatchResponse,
    ErrorResponse,
    HighlightsRequest,
    HighlightsResult,
    ServiceConfig,
    json_bytes,
)
from highlights.service.settings import Settings
from highlights.service.worker import INTERNAL_ERROR, Outcome, error_code, highlight
from highlights.version import __version__

log = logging.getLogger("highlights.service")
STATIC_DIR = Path(__file__).with_name("static")

# The page loads only its own files; this header makes the browser refuse anything else.
PAGE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"


class ApiError(Exception):
    """An error with its HTTP status, answered as {"error": {"code", "message"}}."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def make_runner(settings: Settings) -> Runner:
    if settings.workers == 0:
        return ThreadRunner(settings.threads, settings.request_timeout_s, warm_up=settings.warm_up)
    return ProcessRunner(
        settings.workers, settings.request_timeout_s, init=settings.worker_init, warm_up=settings.warm_up
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # Made here, started in the lifespan: without one (a TestClient used without `with`), the process pool
    # starts its processes on the first request instead.
    runner = make_runner(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runner.start()
        yield
        await runner.stop()

    # FastAPIOffline: the docs pages load Swagger UI / ReDoc from files in the package, not from a CDN.
    app = FastAPIOffline(
        title="highlights",
        version=__version__,
        summary="CNN-style story highlights for news articles; every bullet points back to its source.",
        lifespan=lifespan,
        swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from validator.swagger.io
        responses={422: {"model": ErrorResponse, "description": "Invalid request or unusable article"}},
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(CatchAllMiddleware)  # added last = outermost: also catches the body limit's errors
    _add_error_handlers(app)

    timeout_message = (
        f"the request took longer than the {settings.request_timeout_s:g} s limit; try a shorter article or fewer items"
    )

    async def run(request: HighlightsRequest, deadline: float) -> Outcome:
        """One article in a summarizer process, by `deadline` (event-loop time): past it, a timeout outcome."""
        try:
            return await runner.run(highlight, request, settings, size=request.input_size, deadline=deadline)
        except asyncio.TimeoutError:
            return Outcome(status=504, code="timeout", message=timeout_message)
        except WorkerLost:  # logged by the pool, which has started another process
            return INTERNAL_ERROR

    def check_allowed(request: HighlightsRequest) -> None:
        if request.url is not None and not settings.allow_urls:
            raise ApiError(
                403, "url_fetching_disabled", "this server does not fetch URLs; send the article as `text` or `html`"
            )

    @app.post(
        "/v1/highlights",
        response_model=HighlightsResult,
        tags=["highlights"],
        responses={403: {"model": ErrorResponse}, 413: {"model": ErrorResponse}, 504: {"model": ErrorResponse}},
    )
    async def highlights(request: HighlightsRequest) -> Response:
        """Highlight bullets for one article, each with the character spans of its source in `text`."""
        check_allowed(request)
        outcome = await run(request, asyncio.get_running_loop().time() + settings.request_timeout_s)
        if outcome.result is None:
            return error_response(outcome.status, outcome.code, outcome.message)
        return json_response(outcome.result)  # to_dict's JSON, made in the summarizer process

    @app.post(
        "/v1/highlights/batch",
        response_model=BatchResponse,
        tags=["highlights"],
        responses={403: {"model": ErrorResponse}, 413: {"model": ErrorResponse}},
    )
    async def highlights_batch(batch: BatchRequest) -> Response:
        """Several articles in one request, summarized in parallel. An article that cannot be summarized, or
        is not done within the time limit (which covers the whole batch), gets an `error` in its place; the
        others go on."""
        if len(batch.items) > settings.max_batch_items:
            raise ApiError(
                422,
                "too_many_items",
                f"{len(batch.items)} items; this server takes at most {settings.max_batch_items} per batch",
            )
        for item in batch.items:
            check_allowed(item)
        deadline = asyncio.get_running_loop().time() + settings.request_timeout_s
        outcomes = await asyncio.gather(*(run(item, deadline) for item in batch.items))
        return json_response(batch_json(batch.items, outcomes))

    descriptions = {name: method_description(get_scorer(name)) for name in methods()}  # builds no model

    @app.get("/v1/config", response_model=ServiceConfig, tags=["service"])
    async def config() -> ServiceConfig:
        """Methods and limits of this server (the page reads them)."""
        return ServiceConfig(
            methods=methods(),
            method_descriptions=descriptions,
            default_method=DEFAULT_METHOD,
            url_fetching=settings.allow_urls,
            max_body_bytes=settings.max_body_bytes,
            max_batch_items=settings.max_batch_items,
            request_timeout_s=settings.request_timeout_s,
            version=__version__,
        )

    @app.get("/healthz", tags=["service"])
    async def healthz() -> dict[str, str | int]:
        """Answered by the server process alone, whatever the summarizers are doing. `workers_ready` is below
        `workers` while a process replaced after a time-out warms up."""
        return {
            "status": "ok",
            "version": __version__,
            "workers": settings.workers or settings.threads,
            "workers_ready": runner.ready(),
        }

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Content-Security-Policy": PAGE_POLICY})

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def app_from_env() -> FastAPI:
    """For running the app under uvicorn directly (`uvicorn --factory highlights.service.app:app_from_env`), with
    the settings as JSON in $HIGHLIGHTS_SERVICE_SETTINGS. `highlights serve` does more: its protocol adds the
    header and body read timeouts and the lingering close (pass `--http
    highlights.service.protocol:GuardedH11Protocol` to uvicorn for them, with the default timeouts)."""
    logging.basicConfig(level=logging.INFO)
    return create_app(Settings.from_env())


def json_response(body: bytes) -> Response:
    return Response(body, media_type="application/json")


def batch_json(items: list[BatchItem], outcomes: list[Outcome]) -> bytes:
    """The BatchResponse, with each result's JSON spliced in as the summarizer process made it (not parsed
    and written again here, on the event loop)."""
    entries = []
    for index, (item, outcome) in enumerate(zip(items, outcomes)):
        error = (
            None if outcome.result is not None else {"code": outcome.code, "message": outcome.message, "details": None}
        )
        entry = json_bytes({"index": index, "id": item.id, "error": error})
        entries.append(entry[:-1] + b',"result":' + (outcome.result or b"null") + b"}")
    failed = sum(outcome.result is None for outcome in outcomes)
    return b'{"results":[' + b",".join(entries) + b'],"failed":' + str(failed).encode() + b"}"


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HighlightsError)
    async def on_highlights_error(request: Request, exc: HighlightsError):  # noqa: ANN202
        return error_response(422, error_code(exc), str(exc))

    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, exc: ApiError):  # noqa: ANN202
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError):  # noqa: ANN202
        details = [_validation_detail(e) for e in exc.errors()]
        summary = "; ".join(f"{d['field'] or 'body'}: {d['message']}" for d in details[:5])
        return error_response(422, "validation_error", f"invalid request: {summary}", details)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException):  # noqa: ANN202
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))


def _validation_detail(error: dict) -> dict[str, str]:
    """pydantic's error as {"field": "items.0.text", "message": ...}, without its "Value error, " prefix."""
    loc = [str(part) for part in error.get("loc", ()) if part != "body"]
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "")
        position = f" at character {loc[0]}" if loc else ""
        return {"field": "", "message": f"the body is not valid JSON{position}{': ' + reason if reason else ''}"}
    return {"field": ".".join(loc), "message": message}

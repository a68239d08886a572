"""The FastAPI app: `create_app(settings)`.

Endpoints: POST /v1/highlights, POST /v1/highlights/batch, GET /v1/config, GET /healthz, the page at `/`
(files under /static, nothing from a CDN) and OpenAPI docs at /docs. The pipeline is CPU work: it runs in a
per-worker thread pool, never on the event loop; uvicorn's `--workers` processes use the other cores.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from threadpoolctl import threadpool_limits

from highlights import __version__
from highlights.errors import EmptyInputError, FetchError, HighlightsError, InputError, UnknownMethodError
from highlights.ingest.sources import fetch_document
from highlights.pipeline import DEFAULT_METHOD, Options, summarize
from highlights.render import to_dict
from highlights.score import get_scorer, methods
from highlights.select import Budget
from highlights.service.middleware import BodyLimitMiddleware, CatchAllMiddleware, error_response
from highlights.service.schemas import (
    BatchRequest,
    BatchResponse,
    BatchResultItem,
    ErrorBody,
    ErrorResponse,
    HighlightsRequest,
    HighlightsResult,
    ServiceConfig,
)
from highlights.service.settings import Settings

log = logging.getLogger("highlights.service")
STATIC_DIR = Path(__file__).with_name("static")
T = TypeVar("T")

# The page loads only its own files; this header makes the browser refuse anything else.
PAGE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
_ERROR_CODES: list[tuple[type[HighlightsError], str]] = [
    (EmptyInputError, "empty_input"),
    (FetchError, "fetch_error"),
    (UnknownMethodError, "unknown_method"),
    (InputError, "input_error"),
]
_WARM_UP_TEXT = (
    "The council approved the new bridge on Tuesday after a long debate. Work starts in May and should "
    "take two years. Residents asked for a footpath, and the plans now include one."
)


class ApiError(Exception):
    """An error with its HTTP status, answered as {"error": {"code", "message"}}."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_code(error: HighlightsError) -> str:
    return next((code for cls, code in _ERROR_CODES if isinstance(error, cls)), "input_error")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # Threads only take CPU work off the event loop (the GIL lets one run at a time); worker processes
    # give parallelism. A request past its time limit leaves its thread to finish in the background.
    executor = ThreadPoolExecutor(max_workers=settings.threads, thread_name_prefix="highlights")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm_up:
            await asyncio.get_running_loop().run_in_executor(executor, _warm_up)
        yield
        executor.shutdown(wait=False, cancel_futures=True)

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

    async def off_loop(work: Callable[[], T]) -> T:
        """Run `work` in the thread pool, within the request time limit."""
        future = asyncio.get_running_loop().run_in_executor(executor, work)
        try:
            return await asyncio.wait_for(future, settings.request_timeout_s)
        except asyncio.TimeoutError:
            raise ApiError(504, "timeout", f"the request took longer than the {settings.request_timeout_s:g} s "
                                           "limit; try a shorter article or fewer items") from None

    def check_allowed(request: HighlightsRequest) -> None:
        if request.url is not None and not settings.allow_urls:
            raise ApiError(403, "url_fetching_disabled",
                           "this server does not fetch URLs; send the article as `text` or `html`")

    @app.post("/v1/highlights", response_model=HighlightsResult, tags=["highlights"],
              responses={403: {"model": ErrorResponse}, 413: {"model": ErrorResponse},
                         504: {"model": ErrorResponse}})
    async def highlights(request: HighlightsRequest) -> Response:
        """Highlight bullets for one article, each with the character spans of its source in `text`."""
        check_allowed(request)
        # Serialized in the worker thread too: to_dict's output is already the response (HighlightsResult).
        return json_response(await off_loop(lambda: _json(summarize_request(request, settings))))

    @app.post("/v1/highlights/batch", response_model=BatchResponse, tags=["highlights"],
              responses={403: {"model": ErrorResponse}, 413: {"model": ErrorResponse},
                         504: {"model": ErrorResponse}})
    async def highlights_batch(batch: BatchRequest) -> Response:
        """Several articles in one request. An article that cannot be summarized gets an `error` in its
        place; the others go on. The time limit covers the whole batch."""
        if len(batch.items) > settings.max_batch_items:
            raise ApiError(422, "too_many_items",
                           f"{len(batch.items)} items; this server takes at most {settings.max_batch_items} per batch")
        for item in batch.items:
            check_allowed(item)
        return json_response(await off_loop(lambda: summarize_batch(batch, settings).model_dump_json().encode()))

    @app.get("/v1/config", response_model=ServiceConfig, tags=["service"])
    async def config() -> ServiceConfig:
        """Methods and limits of this server (the page reads them)."""
        return ServiceConfig(
            methods=methods(), default_method=DEFAULT_METHOD, url_fetching=settings.allow_urls,
            max_body_bytes=settings.max_body_bytes, max_batch_items=settings.max_batch_items,
            request_timeout_s=settings.request_timeout_s, version=__version__,
        )

    @app.get("/healthz", tags=["service"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Content-Security-Policy": PAGE_POLICY})

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def app_from_env() -> FastAPI:
    """The factory uvicorn workers call (`highlights serve` puts the settings in the environment)."""
    logging.basicConfig(level=logging.INFO)
    return create_app(Settings.from_env())


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(body: bytes) -> Response:
    return Response(body, media_type="application/json")


def request_options(request: HighlightsRequest) -> Options:
    budget = Budget(request.bullets, request.max_words_per_bullet, request.max_words, request.redundancy)
    fmt = "html" if request.html is not None else request.input_format
    return Options(method=request.method, budget=budget, attribute=request.attribution, format=fmt,
                   compress=request.compress)


def summarize_request(request: HighlightsRequest, settings: Settings) -> dict[str, Any]:
    """The work of one request (runs in a worker thread): fetch if a URL, summarize, `to_dict`."""
    options = request_options(request)
    if request.url is not None:
        content = fetch_document(request.url, allow_private=settings.allow_private_urls,
                                 timeout=settings.fetch_timeout_s, max_bytes=settings.fetch_max_bytes)
    else:
        content = request.html if request.html is not None else request.text
    return to_dict(summarize(content, options=options))


def summarize_batch(batch: BatchRequest, settings: Settings) -> BatchResponse:
    results = []
    for index, item in enumerate(batch.items):
        result = error = None
        try:
            result = HighlightsResult.model_validate(summarize_request(item, settings))
        except HighlightsError as exc:
            error = ErrorBody(code=error_code(exc), message=str(exc))
        except Exception:  # one bad item must not cost the others their results
            log.exception("unexpected error on batch item %d", index)
            error = ErrorBody(code="internal_error", message="internal error; it has been logged on the server")
        results.append(BatchResultItem(index=index, id=item.id, result=result, error=error))
    return BatchResponse(results=results, failed=sum(r.error is not None for r in results))


def _warm_up() -> None:
    """Load every scorer (models load once per worker process) and run the pipeline once, HTML included.
    numpy's BLAS stays on one thread: requests run in parallel threads and worker processes already."""
    threadpool_limits(1)
    started = time.perf_counter()
    for name in methods():
        try:
            get_scorer(name)
            summarize(_WARM_UP_TEXT, method=name)
        except Exception:  # a broken plug-in must not keep the others from serving
            log.exception("warming up method %r failed", name)
    summarize(f"<html><body><article><p>{_WARM_UP_TEXT}</p></article></body></html>", format="html")
    log.info("warm-up done in %.2f s (methods: %s)", time.perf_counter() - started, ", ".join(methods()))


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

"""ASGI middleware: the request body cap (413) and the last-resort 500 that never shows a traceback."""

from __future__ import annotations

import logging

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from highlights.service.schemas import json_bytes

log = logging.getLogger("highlights.service")


def error_response(
    status: int, code: str, message: str, details: list | None = None, headers: dict[str, str] | None = None
) -> Response:
    """Every error the service sends has this one shape: {"error": {"code", "message", "details"?}}, in UTF-8
    whatever the message echoes."""
    body: dict = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return Response(json_bytes({"error": body}), status_code=status, media_type="application/json", headers=headers)


class BodyLimitMiddleware:
    """Refuse bodies over `max_bytes` with 413: by the declared Content-Length, and by counting while reading
    (a chunked body declares none). The body is read here, bounded, and replayed to the app."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await error_response(400, "bad_request", "Content-Length is not a number")(scope, receive, send)
                return
            if int(declared) > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left; nobody to answer
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self._too_large(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as the server would

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Answered before the body is read: the connection is closed after it, and the server's protocol
        # (protocol.py) goes on reading what the client still sends for a while, so that a client that
        # sends its whole body before reading gets this answer rather than a connection reset.
        message = f"the request body is larger than this server's limit of {self.max_bytes:,} bytes"
        response = error_response(413, "body_too_large", message, headers={"Connection": "close"})
        await response(scope, receive, send)


class CatchAllMiddleware:
    """Anything unexpected: log it with its traceback here, answer 500 JSON without it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise  # half a response is out; the server closes the connection
            await error_response(500, "internal_error", "internal error; it has been logged on the server")(
                scope, receive, send
            )

"""uvicorn's HTTP/1.1 protocol (h11) with the read timeouts it lacks and a lingering close.

uvicorn has a keep-alive timeout, but nothing bounds how long a client may take to send a request's headers
(a connection that sends nothing, or a byte a second, is held for good) or its body. And when a response
ends the connection while the client is still sending its body (a 413 answered from Content-Length), closing
the socket with unread data makes the kernel send a reset, and a client that sends its whole body before
reading never sees the answer. `guarded_protocol(settings)` makes the protocol class that fixes both:

- headers: `header_timeout_s` from the connection's start, or from the end of the previous response; past
  it, a 408 (or a plain close if nothing came) and the connection closes.
- body: a pause longer than `body_timeout_s`, or less than MIN_BODY_RATE on average after the first
  `body_timeout_s`: the same (the app sees the client as gone).
- a close while the client is still sending is a lingering close: our side is shut (the client reads the
  whole response and an end of file) and what still comes is read and thrown away, for at most LINGER_S
  seconds and LINGER_MAX_BYTES bytes, before the socket closes.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from highlights.service.schemas import json_bytes
from highlights.service.settings import Settings

MIN_BODY_RATE = 10_000  # bytes/s
LINGER_S = 5.0
LINGER_MAX_BYTES = 64 * 1024 * 1024
_DEFAULTS = Settings(workers=0)


def timeout_response(message: str) -> bytes:
    body = json_bytes({"error": {"code": "request_timeout", "message": message}})
    head = (
        f"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode() + body


class GuardedH11Protocol(H11Protocol):
    header_timeout_s: float = _DEFAULTS.header_timeout_s
    body_timeout_s: float = _DEFAULTS.body_timeout_s

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._raw_transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._phase = ""  # "headers", "body" or "app" (the request is in; no read timeout)
        self._phase_bytes = 0
        self._body_started = 0.0
        self._lingering = False
        self._lingered_bytes = 0

    # --- asyncio.Protocol -------------------------------------------------------------------------------

    # uvicorn's hint, kept: it narrows asyncio.Protocol's BaseTransport to Transport (uvicorn ignores it too)
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._raw_transport = transport
        # The proxy has the Transport methods uvicorn calls, forwarding the rest; it is no Transport subclass.
        super().connection_made(_GuardedTransport(transport, self))  # type: ignore[arg-type]
        self._watch(0)

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            self._lingered_bytes += len(data)
            if self._lingered_bytes > LINGER_MAX_BYTES:
                self._raw().close()
            return
        super().data_received(data)
        self._watch(len(data))

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timer()
        super().connection_lost(exc)

    # --- uvicorn hooks -----------------------------------------------------------------------------------

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self._closing() and self.conn.their_state is h11.SEND_BODY:
            # Answered before the body was read, on a connection uvicorn would keep: it would read the rest
            # of the body without any bound. Close instead (lingering, so the client gets this response).
            self.close_transport()
        self._watch(0)

    def shutdown(self) -> None:
        if not self._lingering:  # a lingering connection ends by itself, soon
            super().shutdown()

    # --- the guard ---------------------------------------------------------------------------------------

    def close_transport(self) -> None:
        """What uvicorn's `transport.close()` does here: a lingering close while the client may still send."""
        if self._lingering or self._raw().is_closing():
            return
        still_sending = self.conn.their_state in (h11.SEND_BODY, h11.ERROR) or (
            self._phase == "headers" and self._phase_bytes > 0
        )
        if not still_sending or not self._raw().can_write_eof():
            self._cancel_timer()
            self._raw().close()
            return
        self._lingering = True
        self._raw().write_eof()  # after the buffered response: the client reads it, then an end of file
        self._raw().resume_reading()
        self._set_timer(LINGER_S, self._raw().close)

    def _closing(self) -> bool:
        return self._lingering or self._raw().is_closing()

    def _watch(self, received: int) -> None:
        """After every read: which part of a request is awaited, and by when."""
        if self._closing():
            return
        state = self.conn.their_state
        if state is h11.IDLE:  # (the rest of) a request's headers; the deadline runs from the phase's start
            if self._phase != "headers":
                self._enter("headers")
                self._set_timer(self.header_timeout_s, self._headers_timed_out)
            self._phase_bytes += received
        elif state is h11.SEND_BODY:
            if self._phase != "body":
                self._enter("body")
                self._body_started = self.loop.time()
            self._phase_bytes += received
            now = self.loop.time()
            paced = self._body_started + self.body_timeout_s + self._phase_bytes / MIN_BODY_RATE
            self._set_timer(min(self.body_timeout_s, paced - now), self._body_timed_out)
        elif self._phase != "app":
            self._enter("app")
            self._cancel_timer()

    def _enter(self, phase: str) -> None:
        self._phase, self._phase_bytes = phase, 0

    def _headers_timed_out(self) -> None:
        if self._phase_bytes == 0:  # nothing of a request came: just close, as for an idle keep-alive
            self._cancel_timer()
            self._raw().close()
            return
        self._time_out(f"the request headers did not arrive within {self.header_timeout_s:g} s")

    def _body_timed_out(self) -> None:
        if self.flow.read_paused:  # the server is not reading (the app is behind): not the client's fault
            self._set_timer(self.body_timeout_s, self._body_timed_out)
            return
        self._time_out(
            f"the request body stalled (no progress within {self.body_timeout_s:g} s, or slower "
            f"than {MIN_BODY_RATE // 1000} kB/s)"
        )

    def _time_out(self, message: str) -> None:
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            if cycle.response_started:  # too late for a 408; just end it
                self._raw().close()
                return
            cycle.disconnected = True  # the app's receive() gets http.disconnect, its send() goes nowhere
            cycle.message_event.set()
        self._raw().write(timeout_response(message))
        self.close_transport()

    def _set_timer(self, delay: float, callback: Any) -> None:
        self._cancel_timer()
        self._timer = self.loop.call_later(max(delay, 0.0), callback)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _raw(self) -> asyncio.Transport:
        assert self._raw_transport is not None
        return self._raw_transport


class _GuardedTransport:
    """The transport as uvicorn's code sees it: every close goes through the protocol's lingering close."""

    def __init__(self, transport: asyncio.Transport, protocol: GuardedH11Protocol) -> None:
        self._transport = transport
        self._protocol = protocol

    def close(self) -> None:
        self._protocol.close_transport()

    def is_closing(self) -> bool:
        return self._protocol._closing()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def guarded_protocol(settings: Settings) -> type[GuardedH11Protocol]:
    """The protocol class for uvicorn's `http=` with this server's read timeouts."""
    return type(
        "GuardedH11Protocol",
        (GuardedH11Protocol,),
        {"header_timeout_s": settings.header_timeout_s, "body_timeout_s": settings.body_timeout_s},
    )

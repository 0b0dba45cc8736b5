"""Request body size limit and per-key rate limits."""

from __future__ import annotations

import math
import threading
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from traza.api.errors import PayloadTooLarge, error_response


class BodyLimit:
    """Refuse bodies over ``limit`` bytes: at once when Content-Length says so, else while
    reading (chunked uploads), before anything is parsed or written to disk."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    def _message(self) -> str:
        return (f"the body is larger than the {self.limit:,} bytes allowed: split the declarations "
                "into several files")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    await error_response(413, "payload_too_large", self._message())(scope, receive, send)
                    return
        # A chunked body (no Content-Length) is counted as it is read. Past the limit the
        # answer is a 413 sent from here; the app is told the client left (so it stops
        # reading and writes nothing) and whatever it sends afterwards is dropped. Raising
        # into the app instead let FastAPI's body parser turn the refusal into a 400.
        seen, refused, started = 0, False, False

        async def sending(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        async def counted() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                if started:  # the app answered before reading all of it: nothing to do but stop
                    raise PayloadTooLarge(self._message())
                refused = True
                await error_response(413, "payload_too_large", self._message())(scope, receive, send)
                return {"type": "http.disconnect"}
            return message

        await self.app(scope, counted, sending)


class RateLimiter:
    """A token bucket per key: ``per_minute`` on average, bursts up to ``burst``. Buckets live
    in each worker process; with N workers a key gets at most N times the rate."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate, self.burst = per_minute / 60.0, float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))

"""The outermost layer of the web app: read-only methods, security headers, and no unhandled error escaping.

Written as plain ASGI rather than Starlette middleware so it also covers responses the framework makes
itself (404 for unknown paths, 500s): every response leaves with the same headers.
"""

from __future__ import annotations

import logging
from typing import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SECURITY_HEADERS", "ALLOWED_METHODS", "Guard"]

log = logging.getLogger("rashomon.web")

# No scripts, frames, fonts, connections or remote images anywhere: the pages are HTML and inline CSS.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
ALLOWED_METHODS = ("GET", "HEAD")

# (status, path) -> (body, media type): the app's one error shape, as a page or as JSON.
ErrorRenderer = Callable[[int, str, str], tuple[bytes, str]]


class Guard:
    """Refuses every method but GET and HEAD with 405, adds the security headers to every response, and
    turns an exception nobody handled into a 500 in the app's error shape (the traceback goes to the log)."""

    def __init__(self, app: ASGIApp, render_error: ErrorRenderer):
        self.app = app
        self.render_error = render_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        path = scope.get("path", "")
        if scope["method"] not in ALLOWED_METHODS:
            body, media = self.render_error(405, path, f"method {scope['method']} is not allowed: this server is "
                                                       "read-only; use GET or HEAD")
            await _respond(send_secured, 405, body, media, {"allow": ", ".join(ALLOWED_METHODS)})
            return
        try:
            await self.app(scope, receive, send_secured)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], path)
            if started:
                raise
            body, media = self.render_error(500, path, "internal error: the server could not answer; "
                                                       "its log has the details")
            await _respond(send_secured, 500, body, media, {}, head=scope["method"] == "HEAD")


async def _respond(send: Send, status: int, body: bytes, media: str, extra: dict[str, str],
                   head: bool = False) -> None:
    headers = [(b"content-type", media.encode("latin-1")), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})

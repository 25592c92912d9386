"""Per-host politeness for every request a watch makes: feeds, robots.txt and linked pages alike.

It sits under the Fetcher as its HTTP transport, so nothing the Fetcher sends can skip it.
"""

from __future__ import annotations

from typing import Callable

import httpx

__all__ = ["PoliteTransport"]


class PoliteTransport(httpx.BaseTransport):
    """Waits so that two requests to the same host start at least ``delay`` seconds apart.

    ``clock`` and ``sleep`` are injectable so tests can run on a fake clock; ``inner`` is the transport
    that really sends (``httpx.HTTPTransport()`` by default, ``httpx.MockTransport`` in unit tests).
    """

    def __init__(self, delay: float, *, clock: Callable[[], float], sleep: Callable[[float], object],
                 inner: httpx.BaseTransport | None = None, hosts: dict[str, float] | None = None):
        self.delay = delay
        self.clock = clock
        self.sleep = sleep
        self._owns_inner = inner is None
        self.inner = inner or httpx.HTTPTransport()
        # host -> when its last request started; shared when a watch replaces its Fetcher, so the
        # politeness carries over.
        self._last: dict[str, float] = {} if hosts is None else hosts
        self.requests = 0
        self.waited = 0.0   # seconds spent waiting for a host, all told

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        last = self._last.get(host)
        if last is not None:
            wait = last + self.delay - self.clock()
            if wait > 0:
                self.sleep(wait)
                self.waited += wait
        self._last[host] = self.clock()
        self.requests += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        if self._owns_inner:  # a transport the caller gave stays the caller's to close
            self.inner.close()

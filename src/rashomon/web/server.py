"""``rashomon serve``: the web app under uvicorn."""

from __future__ import annotations

import ipaddress
import logging

from ..errors import ConfigError
from ..settings import Settings

__all__ = ["serve", "is_loopback"]

log = logging.getLogger("rashomon.web")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Serve the store ``settings.db`` until interrupted. The app has no login: on an address other than
    loopback, anyone who can reach it reads every stored article."""
    import uvicorn

    from .app import create_app

    if not 0 <= port <= 65535:
        raise ConfigError(f"--port {port} is not a TCP port; expected 0 to 65535")
    app = create_app(settings)
    if not is_loopback(host):
        log.warning("serving on %s: the app has no login, so anyone who can reach this address can read "
                    "the store", host)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, proxy_headers=False)

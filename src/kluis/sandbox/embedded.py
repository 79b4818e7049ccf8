"""The sandbox bank inside the process, for when no sandbox server is running.

With the embedded defaults, `kluis sync`, `kluis link` and the chat work without starting
anything: if the configured bank is the sandbox's own address and nothing listens there,
requests go straight to the sandbox app in this process. A running `kluis sandbox serve` is
always preferred, so two processes never keep two copies of the sandbox's state.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx

from kluis.config import Settings


def _is_listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


def embedded_sandbox_transport(settings: Settings) -> httpx.AsyncBaseTransport | None:
    """An in-process transport to the sandbox app, or None to use the network as usual."""
    if not settings.embedded_sandbox:
        return None
    target = urlsplit(settings.bank_url)
    sandbox = (settings.sandbox_host, settings.sandbox_port)
    if (target.hostname, target.port) != sandbox or _is_listening(*sandbox):
        return None
    from kluis.sandbox.api import create_sandbox_app  # the app is only built when needed

    return httpx.ASGITransport(app=create_sandbox_app(settings))

"""`kluis serve`: the gateway's web app (web chat, consent pages) on one address."""

from __future__ import annotations

import asyncio
from typing import Annotated
from urllib.parse import urlsplit

import typer
import uvicorn
from fastapi import FastAPI

from kluis.channels.hub import ADAPTERS
from kluis.cli.common import console, run
from kluis.config import Settings, load_settings
from kluis.sandbox.embedded import embedded_sandbox_transport

DEFAULT_PORT = 8080
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def gateway_address(settings: Settings, port: int | None) -> tuple[Settings, str, int]:
    """Where the gateway listens, and settings whose public URL points there.

    On loopback the public URL follows `--port`, so that the bank sends the browser back
    to the port we listen on; behind a proxy (any other public URL) it is left alone.
    """
    public = urlsplit(settings.public_url)
    host = public.hostname if public.hostname in _LOOPBACK else "127.0.0.1"
    listen_port = port or public.port or DEFAULT_PORT
    if public.hostname in _LOOPBACK and listen_port != public.port:
        url = f"{public.scheme}://{public.hostname}:{listen_port}"
        settings = settings.model_copy(update={"public_url": url})
    return settings, host or "127.0.0.1", listen_port


def server_for(app: FastAPI, host: str, port: int) -> uvicorn.Server:
    """A quiet uvicorn server: no access log (paths carry states and ids), warnings only."""
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, ws="none"
    )
    return uvicorn.Server(config)


async def start_server(server: uvicorn.Server) -> asyncio.Task[None]:
    """Start serving in this event loop; return once it accepts connections."""
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise typer.Exit(1)
        await asyncio.sleep(0.05)
    return task


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[
        int | None,
        typer.Option(
            help=f"Port to listen on (default: the port of KLUIS_PUBLIC_URL, else {DEFAULT_PORT}).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run the gateway: the web chat at /chat, the webhooks of the configured chat platforms
    at /webhooks/{channel} with the worker that answers them, the bank's consent callback,
    /healthz."""
    from kluis.web.app import create_app  # the web app is only built when served

    settings, _, listen_port = gateway_address(load_settings(), port)
    public = settings.public_url.rstrip("/")
    console.print(
        f"Kluis listens on http://{host}:{listen_port}. Open {public}/chat", highlight=False
    )
    channels = [name for name in ADAPTERS if settings.channel_enabled(name)]
    for name in channels:
        console.print(f"  {name} webhook: {public}/webhooks/{name}", highlight=False)
    if not channels:
        console.print(
            "No chat platform is configured (see docs/channels.md); the web chat works.",
            highlight=False,
        )
    if embedded_sandbox_transport(settings) is not None:
        console.print(
            "The sandbox bank is not running, so its approval page cannot open in a browser: "
            "start it with `kluis sandbox serve`, or run `kluis demo`.",
            highlight=False,
        )
    server = server_for(create_app(settings), host, listen_port)
    run(server.serve())

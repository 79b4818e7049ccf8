"""What the browser tests share: Debian's Chromium, a phone-sized page, and the sandbox bank
and the gateway each served by uvicorn on a free loopback port."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.async_api import Page, ViewportSize, async_playwright

from kluis.cli.serve import server_for, start_server
from kluis.config import Settings, load_settings
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.security import new_key
from kluis.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE: ViewportSize = {"width": 390, "height": 844}

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Servers:
    settings: Settings
    bank: SandboxBank

    def url(self, path: str) -> str:
        return f"{self.settings.public_url}{path}"

    @property
    def chat_url(self) -> str:
        return self.url("/chat")


@asynccontextmanager
async def bank_and_gateway(tmp_path: Path, **extra: Any) -> AsyncIterator[Servers]:
    """The sandbox bank and the gateway, each served by uvicorn on a free loopback port;
    `extra` settings on top."""
    bank_port, gateway_port = free_port(), free_port()
    settings = load_settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'kluis.db'}",
        seal_keys=[new_key()],
        bank_url=f"http://127.0.0.1:{bank_port}",
        sandbox_port=bank_port,
        public_url=f"http://127.0.0.1:{gateway_port}",
        embedded_sandbox=False,
        **extra,
    )
    bank = SandboxBank.from_settings(settings)
    running: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []
    try:
        for app, port in (
            (create_sandbox_app(settings, bank), bank_port),
            (create_app(settings), gateway_port),
        ):
            server = server_for(app, "127.0.0.1", port)
            running.append((server, await start_server(server)))
        yield Servers(settings, bank)
    finally:
        for server, task in reversed(running):
            server.should_exit = True
            await task


@asynccontextmanager
async def phone_page() -> AsyncIterator[Page]:
    """A phone-sized Chromium page in Dutch."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = await browser.new_context(viewport=PHONE, locale="nl-NL")
            tab = await context.new_page()
            tab.set_default_timeout(15_000)
            yield tab
        finally:
            await browser.close()

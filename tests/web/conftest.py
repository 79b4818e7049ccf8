"""The web app in-process over an in-process sandbox bank, and a customer's two browsers:
one on our pages, one on the bank's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kluis.config import Settings, load_settings
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.security import new_key
from kluis.web.app import create_app
from tests.web.support import BANK_URL, PUBLIC_URL, client_of


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        seal_keys=[new_key()],
        bank_url=BANK_URL,
        public_url=PUBLIC_URL,
        embedded_sandbox=False,
        bank_retries=1,
        bank_backoff_seconds=0.0,
    )


@pytest.fixture
def bank(web_settings: Settings) -> SandboxBank:
    return SandboxBank.from_settings(web_settings)


@pytest.fixture
def sandbox(web_settings: Settings, bank: SandboxBank) -> httpx.AsyncBaseTransport:
    return httpx.ASGITransport(app=create_sandbox_app(web_settings, bank))


@pytest.fixture
async def app(web_settings: Settings, sandbox: httpx.AsyncBaseTransport) -> AsyncIterator[FastAPI]:
    application = create_app(web_settings, transport=sandbox)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app, **{"Accept-Language": "en-GB,en;q=0.9"}) as http:
        yield http


@pytest.fixture
async def bank_browser(sandbox: httpx.AsyncBaseTransport) -> AsyncIterator[httpx.AsyncClient]:
    """The customer's browser on the bank's pages."""
    async with httpx.AsyncClient(transport=sandbox, base_url=BANK_URL) as http:
        yield http

"""Fixtures for the sandbox bank: its ledger over a fresh data directory, and its app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from kluis.config import Settings
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank

BASE_URL = "http://sandbox.test"


@pytest.fixture
def bank(settings: Settings) -> SandboxBank:
    """The demo bank over the test's own sandbox directory (clock and state)."""
    return SandboxBank.from_settings(settings)


@pytest.fixture
def sandbox_app(settings: Settings, bank: SandboxBank) -> FastAPI:
    return create_sandbox_app(settings, bank)


@pytest.fixture
async def client(sandbox_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client of the sandbox app."""
    transport = httpx.ASGITransport(app=sandbox_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http

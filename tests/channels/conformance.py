"""The world every channel's conformance test runs in: the real web app with its worker,
the in-process sandbox bank, and the platform's stand-in on loopback."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from kluis.channels.worker import ChannelWorker
from kluis.config import Settings, load_settings
from kluis.consent.linking import link_sandbox_customer
from kluis.runtime import Runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.security import new_key
from kluis.store.models import Base
from kluis.web.app import create_app
from kluis.web.pages import Gateway
from tests.channels.drivers import Driver
from tests.channels.fake_platform import FakePlatform, fake_platform
from tests.web.support import BANK_URL, PUBLIC_URL, client_of

CHANNELS = ("messenger", "whatsapp", "telegram", "alexa", "dialogflow")
USER = "31612345678"
STRANGER = "31687654321"


def driver_for(channel: str) -> Driver:
    driver: Driver = importlib.import_module(f"tests.channels.drivers.{channel}").DRIVER
    return driver


@dataclass
class World:
    driver: Driver
    app: FastAPI
    client: httpx.AsyncClient
    platform: FakePlatform
    worker: ChannelWorker
    runtime: Runtime
    bank: SandboxBank
    settings: Settings

    async def post(self, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
        """POST a webhook; genuine unless other headers are given."""
        chosen = self.driver.genuine(body) if headers is None else headers
        return await self.client.post(
            f"/webhooks/{self.driver.channel}",
            content=body,
            headers={"Content-Type": "application/json", **chosen},
        )

    async def say(self, user: str, text: str, event_id: str) -> httpx.Response:
        response = await self.post(self.driver.text_event(user, text, event_id))
        await self.worker.drain()
        return response

    async def link(self, customer_id: str = "c-sanne", user: str = USER) -> None:
        names = {"c-sanne": ("Sanne de Vries", "nl"), "c-emily": ("Emily Carter", "en")}
        name, language = names[customer_id]
        await link_sandbox_customer(
            self.runtime,
            customer_id,
            name,
            language,
            channel=self.driver.channel,
            platform_user_id=user,
        )

    async def count(self, table: str) -> int:
        model = Base.metadata.tables[table]
        async with self.runtime.database.session() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    async def rows(self, table: str) -> list[dict[str, Any]]:
        model = Base.metadata.tables[table]
        async with self.runtime.database.session() as session:
            result = await session.execute(select(model))
            return [dict(row._mapping) for row in result]


def world_settings(tmp_path: Path, platform_settings: dict[str, Any], **extra: Any) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        seal_keys=[new_key()],
        bank_url=BANK_URL,
        public_url=PUBLIC_URL,
        embedded_sandbox=False,
        bank_retries=1,
        bank_backoff_seconds=0.0,
        channel_backoff_seconds=0.0,
        **platform_settings,
        **extra,
    )


@asynccontextmanager
async def world(driver: Driver, tmp_path: Path, **extra: Any) -> AsyncIterator[World]:
    async with fake_platform(driver) as platform:
        settings = world_settings(tmp_path, driver.settings(platform.url), **extra)
        bank = SandboxBank.from_settings(settings)
        sandbox = httpx.ASGITransport(app=create_sandbox_app(settings, bank))
        app = create_app(settings, transport=sandbox, run_worker=False)
        async with app.router.lifespan_context(app):
            gateway = app.state.gateway
            assert isinstance(gateway, Gateway)
            assert gateway.channels is not None
            worker = ChannelWorker(gateway.channels, gateway.dialogue)
            async with client_of(app) as client:
                yield World(driver, app, client, platform, worker, gateway.runtime, bank, settings)

"""Wiring: builds the long-lived parts of Kluis from the settings, once, at an edge."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

import httpx

from kluis.banks.berlingroup.client import BerlinGroupClient
from kluis.banks.cards import CardControlClient
from kluis.banks.resilience import CircuitBreaker, RetryPolicy
from kluis.banks.sync import Syncer
from kluis.config import Settings
from kluis.events.bus import EventBus
from kluis.sandbox.clock import SandboxClock
from kluis.sandbox.embedded import embedded_sandbox_transport
from kluis.security import Sealer, load_or_create_keys
from kluis.store.database import Database


def today_source(settings: Settings) -> Callable[[], date]:
    """Where Kluis reads today's date: the sandbox clock, or the system's UTC date."""
    if settings.clock == "sandbox":
        return SandboxClock(settings.sandbox_dir).today
    return lambda: datetime.now(UTC).date()


@dataclass(slots=True)
class Runtime:
    """The parts that live as long as the process: database, sealer, bank client, events."""

    settings: Settings
    database: Database
    sealer: Sealer
    http: httpx.AsyncClient
    bank: BerlinGroupClient
    bus: EventBus
    today: Callable[[], date]
    cards: CardControlClient

    def syncer(self) -> Syncer:
        return Syncer(
            self.database,
            self.bank,
            self.sealer,
            self.bus,
            unattended_limit=self.settings.unattended_reads_per_day,
            today=self.today,
        )


@asynccontextmanager
async def open_runtime(
    settings: Settings,
    transport: httpx.AsyncBaseTransport | None = None,
    *,
    today: Callable[[], date] | None = None,
) -> AsyncIterator[Runtime]:
    """Open the database (migrating it), the bank client and the event bus; close them after."""
    database = Database(settings.effective_database_url)
    await database.migrate()
    sealer = Sealer(load_or_create_keys(settings.seal_keys, settings.data_dir / "seal.keys"))
    http = httpx.AsyncClient(
        transport=transport or embedded_sandbox_transport(settings),
        timeout=httpx.Timeout(settings.bank_timeout_seconds),
    )
    bank = BerlinGroupClient(
        http,
        settings.bank_url,
        retry=RetryPolicy(attempts=settings.bank_retries, base_delay=settings.bank_backoff_seconds),
        breaker=CircuitBreaker(
            failure_threshold=settings.circuit_failure_threshold,
            reset_seconds=settings.circuit_reset_seconds,
        ),
        page_size=settings.sync_page_size,
    )
    runtime = Runtime(
        settings,
        database,
        sealer,
        http,
        bank,
        EventBus(database),
        today or today_source(settings),
        CardControlClient(http, settings.bank_url),
    )
    # Imported here: the alerts are built on the runtime this module defines.
    from kluis.alerts.pipeline import subscribe

    subscribe(runtime)
    try:
        yield runtime
    finally:
        await http.aclose()
        await database.dispose()

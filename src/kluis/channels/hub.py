"""The channels a running gateway has configured, and what they share: one HTTP client to
the platforms, the inbox webhooks are recorded in, the worker that answers.

    async with open_channels(runtime) as hub:      # what the web app's lifespan does
        hub.get("telegram")                        # the adapter, or None when it is off
        await hub.record("telegram", messages)     # -> how many were new
"""

from __future__ import annotations

import asyncio
import importlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import httpx

from kluis.channels.base import Channel, InboundMessage, VoiceChannel
from kluis.channels.platform_api import PlatformAPI
from kluis.channels.writer import BatchWriter
from kluis.runtime import Runtime

# Each adapter lives in its own module and is imported only when its channel is configured.
ADAPTERS: dict[str, str] = {
    "messenger": "kluis.channels.messenger:MessengerChannel",
    "whatsapp": "kluis.channels.whatsapp:WhatsAppChannel",
    "telegram": "kluis.channels.telegram:TelegramChannel",
    "alexa": "kluis.channels.alexa:AlexaChannel",
    "dialogflow": "kluis.channels.dialogflow:DialogflowChannel",
}
INBOX_CONTEXT = "channel-inbox"
# How many conversations the worker answers at once (and connections to the platforms).
CONCURRENT_SENDS = 8
OUTBOX_CONTEXT = "channel-outbox"


def adapter_class(name: str) -> type[Channel] | type[VoiceChannel]:
    module_name, _, class_name = ADAPTERS[name].partition(":")
    cls: type[Channel] | type[VoiceChannel] = getattr(
        importlib.import_module(module_name), class_name
    )
    return cls


class ChannelHub:
    """The configured channel adapters and the inbox they feed."""

    def __init__(
        self, runtime: Runtime, http: httpx.AsyncClient, adapters: dict[str, Channel | VoiceChannel]
    ) -> None:
        self.runtime = runtime
        self.http = http
        self.adapters = adapters
        self.arrived = asyncio.Event()
        self.writer = BatchWriter(runtime.database)

    def busy(self, within: float = 0.02) -> bool:
        """Whether webhooks recorded something a moment ago (the worker then lets them go
        first)."""
        return time.monotonic() - self.writer.last_write < within

    def get(self, name: str) -> Channel | VoiceChannel | None:
        return self.adapters.get(name)

    @property
    def has_messaging(self) -> bool:
        """Whether a messaging platform (one the worker answers) is configured."""
        return any(isinstance(adapter, Channel) for adapter in self.adapters.values())

    def messaging(self, name: str) -> Channel | None:
        adapter = self.adapters.get(name)
        return adapter if isinstance(adapter, Channel) else None

    async def record(self, channel: str, messages: list[InboundMessage]) -> int:
        """Record webhook events for the worker (sealed); a platform's retry of an event
        already recorded (or repeated in the body) is recognised by its event id, in the
        writer. Returns how many were new."""
        if not messages:
            return 0
        sealer = self.runtime.sealer
        events = [
            (message.event_id, sealer.seal(message.to_json(), context=INBOX_CONTEXT))
            for message in messages
        ]
        new = await self.writer.record(channel, events, datetime.now(UTC))
        if new:
            self.arrived.set()
        return len(new)


def build_adapters(runtime: Runtime, http: httpx.AsyncClient) -> dict[str, Channel | VoiceChannel]:
    settings = runtime.settings
    api = PlatformAPI(
        http, attempts=settings.channel_send_attempts, backoff=settings.channel_backoff_seconds
    )
    adapters: dict[str, Channel | VoiceChannel] = {}
    for name in ADAPTERS:
        if settings.channel_enabled(name):
            adapters[name] = adapter_class(name)(settings, api)
    return adapters


@asynccontextmanager
async def open_channels(
    runtime: Runtime, transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[ChannelHub]:
    """The hub over the configured channels; `transport` replaces the network to the
    platforms (tests)."""
    http = httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(runtime.settings.channel_timeout_seconds),
        follow_redirects=False,
        # A few kept-alive connections per platform, as many as the worker sends at once:
        # the connection pool looks at each one on every request.
        limits=httpx.Limits(
            max_connections=CONCURRENT_SENDS, max_keepalive_connections=CONCURRENT_SENDS
        ),
    )
    hub = ChannelHub(runtime, http, build_adapters(runtime, http))
    try:
        yield hub
    finally:
        await hub.writer.close()
        await http.aclose()

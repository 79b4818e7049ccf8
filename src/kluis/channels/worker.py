"""The worker that answers what the webhooks recorded, and sends what Kluis starts.

For each recorded event, in the order it arrived: who is this (the link), is a person at
the bank handling the conversation, then the dialogue's answer, sent through the channel's
adapter and recorded as a delivery. Messages Kluis starts (reminders, alerts) wait as
deliveries and go out when due, inside the platform's messaging window as an update, or
outside it as an approved template that only says there is a message.

    worker = ChannelWorker(hub, dialogue)
    worker.start()            # in the web app's lifespan
    await worker.run_once()   # tests: handle what is waiting now
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from kluis.background import Background
from kluis.channels.base import Channel, InboundMessage, OutboundMessage, Purpose
from kluis.channels.grants import grant_hash, plausible
from kluis.channels.hub import CONCURRENT_SENDS, INBOX_CONTEXT, OUTBOX_CONTEXT, ChannelHub
from kluis.channels.identity import seal_user, user_key
from kluis.channels.platform_api import PlatformError
from kluis.channels.texts import Lang, say
from kluis.consent.link_tokens import LINK_TOKEN_LIFETIME, link_url, token_hash
from kluis.dialogue.types import Reply, Responder
from kluis.errors import KluisError
from kluis.nlu import parse as nlu_parse
from kluis.privacy.log_redaction import turn_secrets
from kluis.security import new_token
from kluis.store.channel_contacts import Contact, ContactRepository
from kluis.store.customers import CustomerRepository
from kluis.store.deliveries import DeliveryRepository, DueDelivery
from kluis.store.grants import GrantRepository
from kluis.store.inbox import FAILED, InboxItem, InboxRepository
from kluis.store.link_tokens import LinkTokenRepository

logger = logging.getLogger(__name__)
T = TypeVar("T")

_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
_STALE = timedelta(minutes=2)
_MAX_ATTEMPTS = 5
_MAX_DELIVERY_ATTEMPTS = 6
_PURGE_EVERY = timedelta(minutes=10)
_MAX_LAG = timedelta(seconds=2)


def chosen_option(text: str, offered: tuple[str, ...]) -> str:
    """A bare number answers the numbered options last offered ("2" -> the second)."""
    match = _NUMBER.match(text)
    if match and offered:
        number = int(match.group(1))
        if 1 <= number <= len(offered):
            return offered[number - 1]
    return text


def outbound_reply(reply: Reply, user_id: str, lang: Lang) -> OutboundMessage:
    """A dialogue reply as a platform message: quick replies, the chart as a picture."""
    image = None
    if reply.chart is not None:
        from kluis.insights.chart_images import chart_png  # drawn only when needed

        image = chart_png(reply.chart, lang)
    return OutboundMessage(
        user_id=user_id,
        text=reply.text,
        buttons=reply.buttons,
        image=image,
        image_alt=reply.chart.title if reply.chart else "",
        protect=True,
        lang=lang,
    )


class ChannelWorker:
    """Handles the inbox and the due deliveries of one gateway process."""

    def __init__(
        self, hub: ChannelHub, dialogue: Responder, *, batch: int = 32, idle: float = 1.0
    ) -> None:
        self.hub = hub
        self.runtime = hub.runtime
        self.dialogue = dialogue
        self._batch = batch
        self._idle = idle
        self._loop = Background("kluis-channel-worker", self._run)
        self._purged_at = datetime.min.replace(tzinfo=UTC)

    # -- running ---------------------------------------------------------------------

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def _run(self) -> None:
        while True:
            self.hub.arrived.clear()
            try:
                done = await self.run_once()
            except KluisError as error:
                logger.warning("channel worker round failed: %s", type(error).__name__)
                done = 0
            except Exception as error:  # the worker must outlive any one bad event
                logger.error("channel worker round failed: %s", type(error).__name__)
                done = 0
            if done == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.hub.arrived.wait(), self._idle)

    async def run_once(self) -> int:
        """Handle the events and deliveries waiting now; how many there were."""
        now = datetime.now(UTC)
        items = await self._write(
            lambda session: InboxRepository(session).claim(self._batch, now, _STALE)
        )
        # One person's events in the order they came; different people at the same time.
        conversations: dict[tuple[str, str], list[tuple[InboxItem, InboundMessage | None]]] = {}
        for item in items:
            inbound = self._open(item)
            person = inbound.user_id if inbound is not None else f"unreadable-{item.id}"
            conversations.setdefault((item.channel, person), []).append((item, inbound))
        room = asyncio.Semaphore(CONCURRENT_SENDS)

        async def answer(events: list[tuple[InboxItem, InboundMessage | None]]) -> None:
            async with room:
                await self._handle_in_order(events)

        await asyncio.gather(*(answer(events) for events in conversations.values()))
        delivered = await self._deliver_due()
        if now - self._purged_at > _PURGE_EVERY:
            await self._purge(now)
        return len(items) + delivered

    async def _let_webhooks_go_first(self, item: InboxItem) -> None:
        """While webhooks are arriving, acknowledging them comes first (a platform that
        waits too long retries, which only adds load); an answer waits at most
        `_MAX_LAG` for that."""
        while self.hub.busy() and datetime.now(UTC) - item.received_at < _MAX_LAG:  # noqa: ASYNC110
            await asyncio.sleep(0.01)  # a quiet moment is a time, not an event

    async def drain(self, rounds: int = 100) -> None:
        """Run until nothing is waiting (tests and `kluis` commands)."""
        for _ in range(rounds):
            if await self.run_once() == 0:
                return

    async def _purge(self, now: datetime) -> None:
        self._purged_at = now
        settings = self.runtime.settings
        before = now - timedelta(days=settings.webhook_dedupe_days)
        records = now - timedelta(days=settings.channel_delivery_retention_days)

        async def purge(session: AsyncSession) -> None:
            await InboxRepository(session).purge(before)
            await DeliveryRepository(session).purge(records)
            await GrantRepository(session).purge(before)

        await self._write(purge)

    # -- inbound ---------------------------------------------------------------------

    def _open(self, item: InboxItem) -> InboundMessage | None:
        try:
            return InboundMessage.from_json(
                self.runtime.sealer.open(item.body_sealed, context=INBOX_CONTEXT)
            )
        except (KluisError, ValueError, TypeError) as error:
            logger.error("%s event cannot be read: %s", item.channel, type(error).__name__)
            return None

    async def _handle_in_order(self, events: list[tuple[InboxItem, InboundMessage | None]]) -> None:
        for item, inbound in events:
            await self._let_webhooks_go_first(item)
            await self._handle_item(item, inbound)

    async def _handle_item(self, item: InboxItem, inbound: InboundMessage | None) -> None:
        channel = self.hub.messaging(item.channel)
        customer_id: str | None = None
        # The event cannot be read (a key that was removed), the channel was switched off
        # since (nothing to answer with), or the event was taken too often already (each
        # time a worker died on it): it is given up.
        failed = inbound is None or channel is None or item.attempts > _MAX_ATTEMPTS
        try:
            if inbound is not None and channel is not None and not failed:
                with turn_secrets(inbound.text, inbound.user_id):
                    customer_id = await self._handle(channel, item, inbound)
        except Exception as error:  # one bad event must not stop the others
            logger.warning(
                "%s event not handled (attempt %d): %s",
                item.channel,
                item.attempts,
                type(error).__name__,
            )
            if item.attempts < _MAX_ATTEMPTS:
                await self._write(lambda session: InboxRepository(session).release(item.id))
                return
            failed = True
        now = datetime.now(UTC)
        await self._write(
            lambda session: InboxRepository(session).finish(
                item.id, now, customer_id=customer_id, failed=failed
            )
        )

    async def _handle(
        self, channel: Channel, item: InboxItem, inbound: InboundMessage
    ) -> str | None:
        now = datetime.now(UTC)
        key = user_key(self.runtime, channel.name, inbound.user_id)
        writes = inbound.kind in {"message", "start", "linked"}
        sealed = seal_user(self.runtime, inbound.user_id)

        async def first_look(session: AsyncSession) -> tuple[str | None, int, Contact]:
            identity = await CustomerRepository(session).identity(channel.name, inbound.user_id)
            customer = identity.customer_id if identity else None
            contact = await ContactRepository(session).touch(
                channel.name,
                key,
                sealed,
                now,
                # The window counts from when the message reached us: platform clocks and
                # replayed deliveries must not move it.
                inbound_at=now if writes else None,
                customer_id=customer,
            )
            return customer, await DeliveryRepository(session).sent_for_inbox(item.id), contact

        customer_id, already, contact = await self._write(first_look)
        if already:
            return customer_id  # answered before a crash; never answer twice
        kind = inbound.kind
        if kind == "status":
            await self._status(channel, inbound, now)
        elif kind == "handover":
            await self._change(channel, key, owner="human" if inbound.payload == "human" else "bot")
        elif kind in {"blocked", "unblocked"}:
            await self._change(channel, key, reachable=kind == "unblocked")
        elif kind == "unlinked":
            customer_id = await self._unlink(channel, item, inbound, key, customer_id)
        elif kind == "linked":
            customer_id = await self._linked(channel, item, inbound, key, customer_id)
        elif kind == "start":
            customer_id = await self._start(channel, item, inbound, key, customer_id)
        elif kind == "message":
            await self._message(channel, item, inbound, contact, customer_id)
        return customer_id

    async def _write(self, operation: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Every write goes through the hub's batch writer, with the webhooks' own: one
        writer at a time, so acknowledging never waits on SQLite's lock."""
        return await self.hub.writer.submit(operation)

    async def _change(self, channel: Channel, key: str, **values: object) -> None:
        now = datetime.now(UTC)
        await self._write(
            lambda session: ContactRepository(session).change(channel.name, key, now, **values)
        )

    async def _status(self, channel: Channel, inbound: InboundMessage, now: datetime) -> None:
        if not inbound.message_id or inbound.payload not in {"sent", "delivered", "read", "failed"}:
            return
        message_id, status, error = inbound.message_id, inbound.payload, inbound.extra.get("error")
        await self._write(
            lambda session: DeliveryRepository(session).platform_status(
                channel.name, message_id, status, now, error
            )
        )

    def _lang(self, inbound: InboundMessage, customer_lang: str | None = None) -> Lang:
        if customer_lang in ("nl", "en"):
            return "en" if customer_lang == "en" else "nl"
        if inbound.language:
            return inbound.language
        if inbound.text and len(inbound.text.split()) >= 2:
            parsed = nlu_parse(inbound.text, today=self.runtime.today(), lang="auto")
            return "en" if parsed.lang == "en" else "nl"
        return "nl"

    async def _customer_lang(self, customer_id: str | None) -> str | None:
        if customer_id is None:
            return None
        async with self.runtime.database.session() as session:
            customer = await CustomerRepository(session).get(customer_id)
        return customer.language if customer else None

    async def _message(
        self,
        channel: Channel,
        item: InboxItem,
        inbound: InboundMessage,
        contact: Contact,
        customer_id: str | None,
    ) -> None:
        if contact.owner == "human":
            return  # a person at the bank has the conversation; Kluis stays quiet
        key = contact.user_key
        if customer_id is None:
            await self._link_prompt(channel, item, inbound, key, self._lang(inbound))
            return
        try:  # read, and typing: the answer is coming
            await channel.acknowledge(inbound)
        except PlatformError as failure:  # the answer itself still goes out
            logger.info("%s acknowledgement failed: %s", channel.name, failure.code)
        if not inbound.text.strip():
            said = self._lang(inbound, await self._customer_lang(customer_id))
            await self._tell(channel, item, inbound, key, customer_id, "unsupported", said)
            return
        text = chosen_option(inbound.text, contact.offered)
        turn = await self.dialogue.respond(customer_id, channel.name, text)
        lang: Lang = "en" if turn.lang == "en" else "nl"
        offered: tuple[str, ...] = ()
        for reply in turn.replies:
            await self._send(
                channel,
                outbound_reply(reply, inbound.user_id, lang),
                key,
                customer_id,
                "reply",
                item.id,
            )
            offered = reply.buttons or offered
        await self._change(channel, key, offered=list(offered))
        if turn.handoff and await channel.hand_over(inbound.user_id, turn.intent):
            await self._change(channel, key, owner="human")
            await self._tell(channel, item, inbound, key, customer_id, "handover", lang, "handover")

    async def _link_prompt(
        self,
        channel: Channel,
        item: InboxItem,
        inbound: InboundMessage,
        key: str,
        lang: Lang,
        *,
        failed: bool = False,
    ) -> None:
        token, now = new_token(), datetime.now(UTC)
        await self._write(
            lambda session: LinkTokenRepository(session).add(
                token_hash(token),
                channel.name,
                inbound.user_id,
                created_at=now,
                expires_at=now + LINK_TOKEN_LIFETIME,
            )
        )
        url = link_url(self.runtime, token)
        prompt = say("link.prompt", lang, bank=self.runtime.settings.bank_name)
        if failed:
            prompt = f"{say('link.failed', lang)} {prompt}"
        message = OutboundMessage(
            inbound.user_id,
            prompt,
            link=(say("link.button", lang), url),
            account_link=True,
            lang=lang,
        )
        await self._send(channel, message, key, None, "link_prompt", item.id)

    async def _redeem(self, kind: str, code: str) -> tuple[str, str | None] | None:
        if not plausible(code):
            return None
        now = datetime.now(UTC)
        return await self._write(
            lambda session: GrantRepository(session).redeem(grant_hash(code), kind, now)
        )

    async def _complete_link(
        self, channel: Channel, item: InboxItem, inbound: InboundMessage, key: str, customer_id: str
    ) -> str:
        """Link the platform user to the customer and tell them it worked."""
        now = datetime.now(UTC)

        async def link(session: AsyncSession) -> None:
            await CustomerRepository(session).link_identity(
                channel.name, inbound.user_id, customer_id
            )
            await ContactRepository(session).change(
                channel.name, key, now, customer_id=customer_id, owner="bot"
            )

        await self._write(link)
        lang = self._lang(inbound, await self._customer_lang(customer_id))
        await self._tell(channel, item, inbound, key, customer_id, "link.done", lang, "linked")
        return customer_id

    async def _linked(
        self,
        channel: Channel,
        item: InboxItem,
        inbound: InboundMessage,
        key: str,
        customer_id: str | None,
    ) -> str | None:
        granted = await self._redeem(f"{channel.name}_link", inbound.payload or "")
        if granted is None or (granted[1] is not None and granted[1] != inbound.user_id):
            logger.warning("%s account linking with an unknown code ignored", channel.name)
            return customer_id
        return await self._complete_link(channel, item, inbound, key, granted[0])

    async def _start(
        self,
        channel: Channel,
        item: InboxItem,
        inbound: InboundMessage,
        key: str,
        customer_id: str | None,
    ) -> str | None:
        code = inbound.payload or ""
        granted = await self._redeem(f"{channel.name}_start", code) if code else None
        if granted is not None:
            return await self._complete_link(channel, item, inbound, key, granted[0])
        lang = self._lang(inbound, await self._customer_lang(customer_id))
        if customer_id is not None:
            await self._tell(channel, item, inbound, key, customer_id, "welcome.back", lang)
            return customer_id
        await self._link_prompt(channel, item, inbound, key, lang, failed=bool(code))
        return None

    async def _unlink(
        self,
        channel: Channel,
        item: InboxItem,
        inbound: InboundMessage,
        key: str,
        customer_id: str | None,
    ) -> str | None:
        lang = self._lang(inbound, await self._customer_lang(customer_id))
        now = datetime.now(UTC)

        async def unlink(session: AsyncSession) -> None:
            await CustomerRepository(session).unlink_identity(channel.name, inbound.user_id)
            await ContactRepository(session).change(
                channel.name, key, now, customer_id=None, offered=[]
            )

        await self._write(unlink)
        await self._tell(channel, item, inbound, key, customer_id, "unlinked", lang, "unlinked")
        return customer_id

    # -- outbound --------------------------------------------------------------------

    async def _tell(
        self,
        channel: Channel,
        item: InboxItem,
        inbound: InboundMessage,
        key: str,
        customer_id: str | None,
        text: str,
        lang: Lang,
        kind: str = "reply",
    ) -> bool:
        """Send one of the channel texts (`kluis.channels.texts`) to the sender."""
        bank = self.runtime.settings.bank_name
        message = OutboundMessage(inbound.user_id, say(text, lang, bank=bank), lang=lang)
        return await self._send(channel, message, key, customer_id, kind, item.id)

    async def _send(
        self,
        channel: Channel,
        message: OutboundMessage,
        key: str,
        customer_id: str | None,
        kind: str,
        inbox_id: int | None,
    ) -> bool:
        status, platform_id, error = "sent", None, None
        try:
            platform_id = await channel.send(message)
        except PlatformError as failure:
            status, error = "failed", failure.code
        now = datetime.now(UTC)
        await self._write(
            lambda session: DeliveryRepository(session).add(
                channel=channel.name,
                user_key=key,
                kind=kind,
                status=status,
                now=now,
                customer_id=customer_id,
                inbox_id=inbox_id,
                platform_message_id=platform_id,
                error=error,
                attempts=1,
            )
        )
        return status == "sent"

    async def deliver_due(self) -> int:
        """Send the messages Kluis started that are due; how many were handled."""
        return await self._deliver_due()

    async def _deliver_due(self) -> int:
        now = datetime.now(UTC)
        due = await self._write(
            lambda session: DeliveryRepository(session).claim_due(self._batch, now)
        )
        for delivery in due:
            await self._deliver(delivery)
        return len(due)

    async def _deliver(self, delivery: DueDelivery) -> None:
        now = datetime.now(UTC)
        channel = self.hub.messaging(delivery.channel)
        message = OutboundMessage.from_json(
            self.runtime.sealer.open(delivery.body_sealed, context=OUTBOX_CONTEXT)
        )
        async with self.runtime.database.session() as session:
            contact = await ContactRepository(session).get(delivery.channel, delivery.user_key)
        status, platform_id, error, retry_at = "sent", None, None, None
        if channel is None:
            status, error = FAILED, "channel_off"
        elif contact is not None and not contact.reachable:
            status, error = FAILED, "unreachable"
        else:
            window = channel.window
            last = contact.last_inbound_at if contact else None
            inside = window is None or (last is not None and now - last < window)
            purpose: Purpose = "update" if inside else "notice"
            try:
                with turn_secrets(message.text, message.user_id):
                    platform_id = await channel.send(replace(message, purpose=purpose))
            except PlatformError as failure:
                status, error = FAILED, failure.code
                retryable = failure.status is None or failure.status == 429 or failure.status >= 500
                if retryable and delivery.attempts < _MAX_DELIVERY_ATTEMPTS:
                    backoff = self.runtime.settings.channel_backoff_seconds
                    retry_at = now + timedelta(seconds=backoff * 60 * 2**delivery.attempts)
        await self._write(
            lambda session: DeliveryRepository(session).settle(
                delivery.id,
                now,
                status=status,
                platform_message_id=platform_id,
                error=error,
                retry_at=retry_at,
            )
        )

"""Messages Kluis starts (reminders now, alerts later) on a customer's messaging channel.

    await queue_message(runtime, customer_id, "telegram", text, kind="consent_expiry", lang="nl")

The message waits as a delivery (its text sealed) for the gateway's worker, which sends it
inside the platform's messaging window as an update, or outside it as the approved
template that only says there is a message to read. Voice channels and the web chat have
nothing to push to: there the message waits in the conversation.
"""

from __future__ import annotations

from datetime import UTC, datetime

from kluis.channels.base import OutboundMessage
from kluis.channels.hub import OUTBOX_CONTEXT
from kluis.channels.identity import user_key
from kluis.channels.texts import Lang
from kluis.runtime import Runtime
from kluis.store.customers import CustomerRepository
from kluis.store.deliveries import DeliveryRepository
from kluis.store.inbox import PENDING

PUSH_CHANNELS = frozenset({"messenger", "whatsapp", "telegram"})


async def queue_message(
    runtime: Runtime,
    customer_id: str,
    channel: str,
    text: str,
    *,
    kind: str,
    lang: Lang,
    buttons: tuple[str, ...] = (),
    link: tuple[str, str] | None = None,
) -> int:
    """Queue `text` for every account the customer linked on `channel`; how many."""
    if channel not in PUSH_CHANNELS:
        return 0
    now = datetime.now(UTC)
    queued = 0
    async with runtime.database.session() as session:
        identities = await CustomerRepository(session).identities(customer_id, channel)
        deliveries = DeliveryRepository(session)
        for identity in identities:
            message = OutboundMessage(
                identity.platform_user_id,
                text,
                buttons=buttons,
                link=link,
                purpose="update",
                protect=True,
                lang=lang,
                notice_parameters=(runtime.settings.bank_name,),
            )
            await deliveries.add(
                channel=channel,
                user_key=user_key(runtime, channel, identity.platform_user_id),
                kind=kind,
                status=PENDING,
                now=now,
                customer_id=customer_id,
                body_sealed=runtime.sealer.seal(message.to_json(), context=OUTBOX_CONTEXT),
            )
            queued += 1
    return queued

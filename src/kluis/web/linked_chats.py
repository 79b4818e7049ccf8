"""The chats a customer linked to Kluis, as "Mijn toestemmingen" lists them, and unlinking one.

    chats = await linked_chats(runtime, customer_id)          # for the page
    channel = await unlink_chat(runtime, hub, customer_id, identity_id)
    ended = await end_alexa_link(runtime, customer_id)        # Alexa linked in the Alexa app

A chat is a platform identity (a Messenger PSID, a WhatsApp number, a Telegram chat, an Alexa
user, a Dialogflow session user) linked to the customer; the web chat is the customer's own
sign-in and is not listed. The page names a chat by its identity's row number and shows at
most the last four characters of the platform id: the id itself never reaches the page.

Unlinking removes the identity, lets go of the platform contact and ends the customer's
unused grants on that channel (for Alexa: the account link's access and refresh tokens).
Messenger is told through its unlink API; when Messenger cannot be reached the link is gone
at Kluis all the same, and only the error code is logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from kluis.channels.hub import ADAPTERS, ChannelHub
from kluis.channels.identity import user_key
from kluis.channels.messenger import MessengerChannel
from kluis.channels.platform_api import PlatformError
from kluis.dialogue.formatting import day
from kluis.runtime import Runtime
from kluis.store.channel_contacts import ContactRepository
from kluis.store.customers import CustomerRepository
from kluis.store.grants import GrantRepository
from kluis.store.models import ChannelIdentityRow
from kluis.web.consent_texts import ConsentTexts
from kluis.web.consent_views import local_day

logger = logging.getLogger(__name__)

LISTED_CHANNELS = tuple(ADAPTERS)
ALEXA, MESSENGER = "alexa", "messenger"
ALEXA_LINK_KINDS = ("alexa_access", "alexa_refresh")
# The customer waits on the page while Messenger is told: one retry, not the worker's four.
MESSENGER_UNLINK_ATTEMPTS = 2
TAIL_CHARS = 4
_MAX_IDENTITY_DIGITS = 18


@dataclass(frozen=True, slots=True)
class LinkedChat:
    """One linked chat, without its platform id: `tail` holds at most its last characters."""

    identity_id: int
    channel: str
    tail: str
    linked_at: datetime


@dataclass(frozen=True, slots=True)
class LinkedChats:
    """The customer's linked chats, and whether an Alexa account link (tokens) is alive."""

    chats: tuple[LinkedChat, ...]
    alexa_link: bool

    @property
    def alexa_without_chat(self) -> bool:
        """Alexa was linked in the Alexa app (tokens) but no Alexa identity is listed."""
        return self.alexa_link and all(chat.channel != ALEXA for chat in self.chats)


@dataclass(frozen=True, slots=True)
class ChatLine:
    """A linked chat in words, as the page shows it; `alexa_link` only for Alexa."""

    identity_id: int
    name: str
    ending: str | None
    since: str
    alexa_link: str | None


def tail(user_id: str) -> str:
    """The last four characters of a platform id; of a short id at most half of it, so an id
    is never shown whole."""
    visible = min(TAIL_CHARS, len(user_id) // 2)
    return user_id[-visible:] if visible else ""


def identity_number(value: str) -> int | None:
    """The identity row a form names, or None when the value cannot be one."""
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > _MAX_IDENTITY_DIGITS:
        return None
    return int(value)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def linked_chats(runtime: Runtime, customer_id: str) -> LinkedChats:
    """The customer's chats on the platforms, oldest link first."""
    now = datetime.now(UTC)
    async with runtime.database.session() as session:
        # The row's number and date are needed, which `CustomerRepository.identities` does
        # not give.
        rows = await session.scalars(
            select(ChannelIdentityRow)
            .where(
                ChannelIdentityRow.customer_id == customer_id,
                ChannelIdentityRow.channel.in_(LISTED_CHANNELS),
            )
            .order_by(ChannelIdentityRow.id)
        )
        chats = tuple(
            LinkedChat(row.id, row.channel, tail(row.platform_user_id), _aware(row.created_at))
            for row in rows
        )
        alexa = await GrantRepository(session).holds(customer_id, ALEXA, ALEXA_LINK_KINDS, now)
    return LinkedChats(chats, alexa)


def chat_lines(linked: LinkedChats, words: ConsentTexts) -> list[ChatLine]:
    """The chats in the customer's words."""
    alexa_state = words.chats_alexa_on if linked.alexa_link else words.chats_alexa_off
    return [
        ChatLine(
            identity_id=chat.identity_id,
            name=words.channel(chat.channel),
            ending=words.chats_ending.format(tail=chat.tail) if chat.tail else None,
            since=day(local_day(chat.linked_at), words.language, with_year=True),
            alexa_link=alexa_state if chat.channel == ALEXA else None,
        )
        for chat in linked.chats
    ]


def unlinked_notice(done: str, words: ConsentTexts) -> str | None:
    """The confirmation for `?done=unlinked-<channel>`, None for anything else."""
    channel = done.removeprefix("unlinked-")
    if channel == done or channel not in LISTED_CHANNELS:
        return None
    if channel == ALEXA:
        return words.chats_unlinked_alexa
    return words.chats_unlinked.format(channel=words.channel(channel))


async def unlink_chat(
    runtime: Runtime, hub: ChannelHub | None, customer_id: str, identity_id: int
) -> str | None:
    """Unlink one of the customer's own chats; its channel, or None when the customer has no
    such chat (then nothing changes)."""
    now = datetime.now(UTC)
    async with runtime.database.session() as session:
        row = await session.scalar(
            select(ChannelIdentityRow).where(
                ChannelIdentityRow.id == identity_id,
                ChannelIdentityRow.customer_id == customer_id,
                ChannelIdentityRow.channel.in_(LISTED_CHANNELS),
            )
        )
        if row is None:
            return None
        channel, user_id = row.channel, row.platform_user_id
        await CustomerRepository(session).unlink_identity(channel, user_id)
        await ContactRepository(session).change(
            channel, user_key(runtime, channel, user_id), now, customer_id=None, offered=[]
        )
        await GrantRepository(session).revoke_for_customer(customer_id, channel, now)
    logger.info("a %s chat was unlinked on the consents page", channel)
    if channel == MESSENGER:
        await tell_messenger(hub, user_id)
    return channel


async def end_alexa_link(runtime: Runtime, customer_id: str) -> bool:
    """End an Alexa account link made in the Alexa app (its tokens); False when there was
    none."""
    now = datetime.now(UTC)
    async with runtime.database.session() as session:
        grants = GrantRepository(session)
        if not await grants.holds(customer_id, ALEXA, ALEXA_LINK_KINDS, now):
            return False
        await grants.revoke_for_customer(customer_id, ALEXA, now)
    logger.info("an alexa account link was ended on the consents page")
    return True


async def tell_messenger(hub: ChannelHub | None, psid: str) -> bool:
    """Ask Messenger to unlink the PSID too, when the Messenger channel is on. A refusal or
    an outage is logged by its code and does not undo the unlink here."""
    messenger = hub.get(MESSENGER) if hub is not None else None
    if not isinstance(messenger, MessengerChannel):
        return False
    try:
        await messenger.unlink(psid, attempts=MESSENGER_UNLINK_ATTEMPTS)
    except PlatformError as error:
        logger.warning("messenger was not told of an unlink: %s", error.code)
        return False
    return True

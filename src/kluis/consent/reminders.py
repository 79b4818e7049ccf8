"""Reminding customers, on their own channel, that their consent is about to end.

A reminder is written once per consent, in the customer's language, on the channel they
prefer (else the one they last talked on, else the web chat), with the one-step way to
renew and a check code that proves the message is Kluis's. On Messenger, WhatsApp and
Telegram it is also queued for the gateway to push (`kluis.channels.proactive`). Message
texts never reach a log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kluis.channels.proactive import queue_message
from kluis.dialogue.formatting import Lang, day
from kluis.domain import Consent, ConsentStatus, ConversationMessage
from kluis.privacy.check_codes import issue_check_code
from kluis.runtime import Runtime
from kluis.store.consents import ConsentRepository
from kluis.store.conversations import ConversationRepository
from kluis.store.customers import CustomerRepository
from kluis.store.models import ConversationMessageRow, CustomerPreferencesRow

logger = logging.getLogger(__name__)

KIND = "consent_expiry"
DEFAULT_CHANNEL = "web"

TEXTS: dict[Lang, str] = {
    "nl": (
        "Je toestemming om je rekeninggegevens te lezen loopt op {date} af. "
        "Wil je hem verlengen? Dat kan in één stap: open {url} en bevestig het bij je bank. "
        "Doe je niets, dan stop ik op die dag met het lezen van je rekeningen.\n"
        "Kluis vraagt je nooit om wachtwoorden, pincodes of inlogcodes.\n"
        "Controlecode: {code}. Twijfel je of dit bericht echt van ons is? "
        "Vraag me 'is dit bericht echt?' of kijk het na op {url}."
    ),
    "en": (
        "Your consent for me to read your account details ends on {date}. "
        "Would you like to renew it? It takes one step: open {url} and confirm it at your "
        "bank. If you do nothing, I'll stop reading your accounts on that day.\n"
        "Kluis never asks you for passwords, PINs or login codes.\n"
        "Check code: {code}. Not sure this message is really from us? "
        "Ask me 'is this message real?' or check it at {url}."
    ),
}


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder that was written: to whom, where, and the check code it carried."""

    customer_id: str
    consent_id: int
    channel: str
    language: Lang
    valid_until: date
    check_code: str


def reminder_text(language: Lang, valid_until: date, today: date, url: str, code: str) -> str:
    """The reminder as the customer reads it."""
    return TEXTS[language].format(date=day(valid_until, language, today=today), url=url, code=code)


async def channel_for(session: AsyncSession, customer_id: str) -> str:
    """Where Kluis writes to the customer on its own: their preferred channel, else the one
    they last talked on, else the web chat."""
    preferred = await session.scalar(
        select(CustomerPreferencesRow.preferred_channel).where(
            CustomerPreferencesRow.customer_id == customer_id
        )
    )
    if preferred:
        return preferred
    latest = await session.scalar(
        select(ConversationMessageRow.channel)
        .where(ConversationMessageRow.customer_id == customer_id)
        .order_by(ConversationMessageRow.at.desc(), ConversationMessageRow.id.desc())
        .limit(1)
    )
    return latest or DEFAULT_CHANNEL


def _language(value: str) -> Lang:
    return "en" if value == "en" else "nl"


async def _renewed(runtime: Runtime, consent: Consent, last_day: date) -> bool:
    """The customer already has another valid consent that outlasts the reminder window."""
    async with runtime.database.session() as session:
        others = await ConsentRepository(session, runtime.sealer).for_customer(consent.customer_id)
    return any(
        other.id != consent.id
        and other.status is ConsentStatus.VALID
        and other.valid_until > last_day
        for other in others
    )


async def _remind(runtime: Runtime, consent: Consent, today: date) -> Reminder | None:
    url = f"{runtime.settings.public_url.rstrip('/')}/consents"
    now = datetime.now(UTC)
    async with runtime.database.session() as session:
        customer = await CustomerRepository(session).get(consent.customer_id)
        if customer is None:
            return None
        if not await ConsentRepository(session, runtime.sealer).claim_reminder(consent.id, now):
            return None  # another run reminded this consent a moment ago
        language = _language(customer.language)
        channel = await channel_for(session, customer.id)
        code = await issue_check_code(session, customer.id, channel, KIND)
        text = reminder_text(language, consent.valid_until, today, url, code)
        await ConversationRepository(session).add(
            ConversationMessage(
                customer_id=customer.id, channel=channel, direction="out", text=text, at=now
            )
        )
    # On a messaging platform the reminder is also pushed; the gateway's worker sends it.
    await queue_message(runtime, customer.id, channel, text, kind=KIND, lang=language)
    return Reminder(customer.id, consent.id, channel, language, consent.valid_until, code)


async def send_expiry_reminders(runtime: Runtime, *, days_before: int) -> list[Reminder]:
    """Remind every customer whose valid consent ends within `days_before` days, once."""
    today = runtime.today()
    last_day = today + timedelta(days=days_before)
    async with runtime.database.session() as session:
        due = await ConsentRepository(session, runtime.sealer).valid_until_before(last_day)
    reminders: list[Reminder] = []
    for consent in sorted(due, key=lambda item: item.id):
        if consent.valid_until < today or await _renewed(runtime, consent, last_day):
            continue
        reminder = await _remind(runtime, consent, today)
        if reminder is not None:
            reminders.append(reminder)
    logger.info("consent expiry reminders written: %d", len(reminders))
    return reminders

"""Giving an alert: once, on the customer's channel, in their language, within their quiet
hours and daily limit, recorded and audited.

    record = await give(runtime, candidate)      # None: the same alert was given before
    released = await release_due(runtime)        # held alerts whose quiet hours are over

An alert is recorded once per (customer, kind, dedupe key), whatever happens after, so a
sync that runs twice never alerts twice. Urgent alerts (fraud) go out at once, day or night,
and do not count towards the daily limit. Others wait out the customer's quiet hours (held,
then released), and past the daily limit they are recorded as skipped, not given.

Given means: written to the conversation on the customer's channel (the web chat shows it
when it next looks), pushed on Messenger, WhatsApp or Telegram by the gateway's worker (a
neutral template outside the platform's messaging window), and a disclosure in the
customer's audit log. The text is composed for the channel's disclosure policy and kept
sealed with the alert; it never reaches a log.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kluis.alerts.candidates import AlertCandidate, AlertMessage
from kluis.alerts.kinds import DEFAULT_DAILY_LIMIT, DEFAULT_QUIET_END, DEFAULT_QUIET_START
from kluis.channels.proactive import queue_message
from kluis.consent.reminders import channel_for
from kluis.dialogue.formatting import Lang
from kluis.domain import BANK_TIME_ZONE, AuditEvent, ConversationMessage
from kluis.privacy.policy import policy_for
from kluis.privacy.preferences import get_preferences
from kluis.runtime import Runtime
from kluis.store.accounts import AccountRepository
from kluis.store.alerts import (
    HELD,
    SENT,
    SKIPPED,
    AlertRecord,
    AlertRepository,
    AlertRuleRepository,
    NewAlert,
    QuietHours,
)
from kluis.store.audit import AuditRepository
from kluis.store.conversations import ConversationRepository
from kluis.store.customers import CustomerRepository

logger = logging.getLogger(__name__)

ALERT_CONTEXT = "alert-body"


@dataclass(frozen=True, slots=True)
class Body:
    """What an alert says, as it was composed for its channel (kept sealed)."""

    text: str
    buttons: tuple[str, ...]
    lang: Lang
    topic: str

    def seal(self, runtime: Runtime) -> bytes:
        data = {"text": self.text, "buttons": list(self.buttons), "lang": self.lang}
        data["topic"] = self.topic
        return runtime.sealer.seal(json.dumps(data, ensure_ascii=False), context=ALERT_CONTEXT)

    @classmethod
    def open(cls, runtime: Runtime, sealed: bytes) -> Body:
        data: dict[str, Any] = json.loads(runtime.sealer.open(sealed, context=ALERT_CONTEXT))
        lang: Lang = "en" if data.get("lang") == "en" else "nl"
        buttons = tuple(str(button) for button in data.get("buttons") or ())
        return cls(str(data["text"]), buttons, lang, str(data.get("topic") or "message"))


def _clock(text: str | None, default: str) -> time:
    try:
        return time.fromisoformat(text or default)
    except ValueError:
        return time.fromisoformat(default)


def quiet_until(now: datetime, quiet: QuietHours) -> datetime | None:
    """When the customer's quiet hours that `now` falls in end (None: not quiet now). Quiet
    hours are local to the bank's time zone and may run past midnight (22:00 to 07:30)."""
    start = _clock(quiet.start, DEFAULT_QUIET_START)
    end = _clock(quiet.end, DEFAULT_QUIET_END)
    if start == end:
        return None  # no quiet hours
    local = now.astimezone(BANK_TIME_ZONE)
    moment = local.time()
    if start < end:
        inside = start <= moment < end
        ends = local.date()
    else:
        inside = moment >= start or moment < end
        ends = local.date() + timedelta(days=1) if moment >= start else local.date()
    if not inside:
        return None
    return datetime.combine(ends, end, tzinfo=BANK_TIME_ZONE).astimezone(UTC)


def _start_of_day(now: datetime) -> datetime:
    local = now.astimezone(BANK_TIME_ZONE)
    return datetime.combine(local.date(), time(0), tzinfo=BANK_TIME_ZONE).astimezone(UTC)


async def _over_limit(session: AsyncSession, customer_id: str, now: datetime, limit: int) -> bool:
    given = await AlertRepository(session).given_since(customer_id, _start_of_day(now))
    return given >= limit


async def give(
    runtime: Runtime, candidate: AlertCandidate, *, now: datetime | None = None
) -> AlertRecord | None:
    """Record the alert and give it, hold it for the quiet hours' end, or skip it over the
    daily limit; None when the same alert was recorded before (or the customer is gone)."""
    now = now or datetime.now(UTC)
    async with runtime.database.session() as session:
        customer = await CustomerRepository(session).get(candidate.customer_id)
        if customer is None:
            return None
        channel = await channel_for(session, customer.id)
        lang: Lang = "en" if customer.language == "en" else "nl"
        policy = policy_for(channel, await get_preferences(session, customer.id))
        message = candidate.compose(lang, policy)
        body = Body(message.text, message.buttons, lang, candidate.topic)
        status, deliver_after = SENT, None
        if not candidate.urgent:
            quiet = await AlertRuleRepository(session).quiet_hours(customer.id)
            deliver_after = quiet_until(now, quiet)
            limit = quiet.daily_limit if quiet.daily_limit is not None else DEFAULT_DAILY_LIMIT
            if deliver_after is not None:
                status = HELD
            elif await _over_limit(session, customer.id, now, limit):
                status = SKIPPED
        record = await AlertRepository(session).add(
            _new(candidate, status, channel, body.seal(runtime), deliver_after), now
        )
        if record is None:
            return None
        alerts = AlertRepository(session)
        for other in candidate.bundled:  # said in the same message: recorded alongside
            await alerts.add(_new(other, status, channel, None, deliver_after), now)
        if status == SENT:
            await _write(session, record, body, now)
    logger.info("alert %s: %s", candidate.kind, status)
    if status == SENT:
        await _push(runtime, record, body)
    return record


def _new(
    candidate: AlertCandidate,
    status: str,
    channel: str,
    body_sealed: bytes | None,
    deliver_after: datetime | None,
) -> NewAlert:
    return NewAlert(
        customer_id=candidate.customer_id,
        kind=candidate.kind,
        dedupe_key=candidate.dedupe_key,
        status=status,
        urgent=candidate.urgent,
        channel=channel,
        account_id=candidate.account_id,
        transaction_id=candidate.transaction_id,
        card_id=candidate.card_id,
        score=candidate.score,
        body_sealed=body_sealed,
        deliver_after=deliver_after,
    )


async def _write(session: AsyncSession, record: AlertRecord, body: Body, now: datetime) -> None:
    """The alert in the conversation, and its disclosure in the audit log."""
    channel = record.channel or "web"
    await ConversationRepository(session).add(
        ConversationMessage(
            customer_id=record.customer_id, channel=channel, direction="out", text=body.text, at=now
        )
    )
    accounts: tuple[str, ...] = ()
    if record.account_id is not None:
        found = await AccountRepository(session).by_id(record.account_id)
        accounts = (found.resource_id,) if found is not None else ()
    await AuditRepository(session).record(
        AuditEvent(
            customer_id=record.customer_id,
            action="alert",
            data_category="transactions" if record.transaction_id is not None else "balances",
            at=now,
            channel=channel,
            intent=f"alert.{record.kind}",
            accounts=accounts,
            detail={"alert": str(record.id), "kind": record.kind},
        )
    )


async def _push(runtime: Runtime, record: AlertRecord, body: Body) -> None:
    """On a messaging platform the gateway's worker sends it (nothing to push elsewhere)."""
    if record.channel is None:
        return
    await queue_message(
        runtime,
        record.customer_id,
        record.channel,
        body.text,
        kind=f"alert_{record.kind}"[:32],
        lang=body.lang,
        buttons=body.buttons,
    )


async def release_due(runtime: Runtime, *, now: datetime | None = None) -> int:
    """Give the held alerts whose quiet hours are over (or skip them past the daily limit);
    how many were given."""
    now = now or datetime.now(UTC)
    given = 0
    async with runtime.database.session() as session:
        due = await AlertRepository(session).due(now)
    for record in due:
        body = Body.open(runtime, record.body_sealed) if record.body_sealed else None
        async with runtime.database.session() as session:
            quiet = await AlertRuleRepository(session).quiet_hours(record.customer_id)
            limit = quiet.daily_limit if quiet.daily_limit is not None else DEFAULT_DAILY_LIMIT
            alerts = AlertRepository(session)
            if body is None or await _over_limit(session, record.customer_id, now, limit):
                await alerts.mark(record.id, SKIPPED, now)
                continue
            await alerts.mark(record.id, SENT, now)
            await _write(session, record, body, now)
        await _push(runtime, record, body)
        given += 1
    if due:
        logger.info("held alerts released: %d of %d given", given, len(due))
    return given


def message_of(runtime: Runtime, record: AlertRecord) -> AlertMessage | None:
    """What an alert said (for a chat page that shows it), or None if nothing was kept."""
    if record.body_sealed is None:
        return None
    body = Body.open(runtime, record.body_sealed)
    return AlertMessage(body.text, body.buttons)

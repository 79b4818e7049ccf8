"""The consent's life after linking: revoke, narrow, remind, renew, and purge what ended.

- `revoke`: "stop met delen" / "revoke access" from any channel. The consent ends here at
  once (nothing under it is shown again: the gate only serves valid consents) and at the
  bank (`DELETE /v1/consents/{id}`). A bank that cannot be reached is told later by
  `retry_bank_deletes`; the customer never waits for it.
- `narrow`: "alleen mijn betaalrekening nog": Kluis uses only the chosen accounts from now
  on; the others' data is hidden at once and purged after the retention period.
- `send_expiry_reminders` (see `kluis.consent.reminders`) and `renew` + `supersede_previous`:
  a reminder before the consent ends, and renewal in one step at the bank.
- `purge_ended` (see `kluis.consent.retention`): data under ended consents and of dropped
  accounts is deleted after the retention period.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from kluis.consent.card_control import end_card_control
from kluis.consent.linking import start_link
from kluis.consent.reminders import Reminder, send_expiry_reminders
from kluis.consent.retention import PurgeReport, consent_uses, purge_ended
from kluis.domain import Consent, ConsentStatus
from kluis.errors import (
    BankRequestRejected,
    BankUnavailable,
    ConsentError,
    ConsentExpired,
    ConsentNotReady,
    ConsentRevoked,
    MalformedResponse,
    RateLimited,
)
from kluis.runtime import Runtime
from kluis.store.accounts import AccountRepository
from kluis.store.consents import ConsentRepository
from kluis.store.retention import RetentionRepository

__all__ = [
    "PurgeReport",
    "Reminder",
    "narrow",
    "purge_ended",
    "renew",
    "retry_bank_deletes",
    "revoke",
    "send_expiry_reminders",
    "supersede_previous",
]

logger = logging.getLogger(__name__)

_GONE_AT_BANK = {404, 410}


def _same_bank(runtime: Runtime, bank_url: str) -> bool:
    return bank_url.rstrip("/") == runtime.settings.bank_url.rstrip("/")


async def tell_bank(runtime: Runtime, bank_url: str, bank_consent_id: str) -> bool:
    """Delete the consent at the bank. True when the bank no longer honours it (deleted now,
    or already ended or unknown there); False when it must be tried again later."""
    if not _same_bank(runtime, bank_url):
        return False  # a consent id is a credential: never send it to another bank
    try:
        await runtime.bank.delete_consent(bank_consent_id)
    except (ConsentRevoked, ConsentExpired):
        return True
    except BankRequestRejected as exc:
        if exc.status_code in _GONE_AT_BANK:
            return True
        logger.warning("the bank refused to delete a consent (status %s)", exc.status_code)
        return False
    except (BankUnavailable, RateLimited, MalformedResponse):
        return False
    return True


async def _bank_url(runtime: Runtime, consent: Consent) -> str:
    async with runtime.database.session() as session:
        connection = await ConsentRepository(session, runtime.sealer).get_connection(
            consent.connection_id
        )
    return connection.bank_url if connection else ""


async def end_consents(runtime: Runtime, consents: Iterable[Consent]) -> None:
    """End each consent here at once (terminated by us), then tell the bank; what the bank
    could not hear is remembered for `retry_bank_deletes`."""
    ending = list(consents)
    async with runtime.database.session() as session:
        repository = ConsentRepository(session, runtime.sealer)
        for consent in ending:
            await repository.set_status(consent.id, ConsentStatus.TERMINATED_BY_TPP)
            await repository.set_bank_delete_pending(consent.id, True)
    for consent in ending:
        if await tell_bank(runtime, await _bank_url(runtime, consent), consent.bank_consent_id):
            async with runtime.database.session() as session:
                await ConsentRepository(session, runtime.sealer).set_bank_delete_pending(
                    consent.id, False
                )


async def revoke(runtime: Runtime, customer_id: str) -> Consent | None:
    """End the customer's valid consent (every one, if a renewal left two) here and at the
    bank, and card control with it. Returns the ended consent, or None when there was none."""
    await end_card_control(runtime, customer_id)
    async with runtime.database.session() as session:
        consents = await ConsentRepository(session, runtime.sealer).for_customer(customer_id)
    valid = [consent for consent in consents if consent.status is ConsentStatus.VALID]
    if not valid:
        return None
    await end_consents(runtime, valid)
    async with runtime.database.session() as session:
        return await ConsentRepository(session, runtime.sealer).get(valid[0].id)


async def retry_bank_deletes(runtime: Runtime) -> int:
    """Tell the bank about consents that ended while it could not be reached, including
    those of customers erased since. Returns how many the bank has now been told about."""
    told = 0
    async with runtime.database.session() as session:
        pending = await ConsentRepository(session, runtime.sealer).with_bank_delete_pending()
    for consent in pending:
        if await tell_bank(runtime, await _bank_url(runtime, consent), consent.bank_consent_id):
            async with runtime.database.session() as session:
                await ConsentRepository(session, runtime.sealer).set_bank_delete_pending(
                    consent.id, False
                )
            told += 1
    bank_url = runtime.settings.bank_url
    async with runtime.database.session() as session:
        deferred = await ConsentRepository(session, runtime.sealer).deferred_bank_deletes(bank_url)
    for row_id, bank_consent_id in deferred:
        done = await tell_bank(runtime, bank_url, bank_consent_id)
        async with runtime.database.session() as session:
            await ConsentRepository(session, runtime.sealer).settle_deferred_bank_delete(
                row_id, told=done
            )
        told += int(done)
    logger.info("bank deletes told: %d", told)
    return told


async def _active(runtime: Runtime, customer_id: str) -> Consent:
    async with runtime.database.session() as session:
        consent = await ConsentRepository(session, runtime.sealer).active_for_customer(customer_id)
    if consent is None:
        raise ConsentNotReady("there is no valid consent to change")
    return consent


async def narrow(
    runtime: Runtime, customer_id: str, resource_ids: tuple[str, ...] | None
) -> Consent:
    """Let Kluis use only these accounts (the bank's resource ids) under the customer's
    valid consent; None takes every account the consent covers back into use."""
    consent = await _active(runtime, customer_id)
    kept = tuple(dict.fromkeys(resource_ids)) if resource_ids is not None else None
    async with runtime.database.session() as session:
        accounts = await AccountRepository(session).for_connection(consent.connection_id)
        whole = replace(consent, restricted_to=None)
        covered = {account.resource_id for _, account in accounts if consent_uses(whole, account)}
        if kept is not None:
            if not kept:
                raise ConsentError(
                    "choose at least one account; to stop sharing altogether, revoke the consent"
                )
            if not set(kept) <= covered:
                raise ConsentError("the consent does not cover one of the chosen accounts")
        repository = ConsentRepository(session, runtime.sealer)
        await repository.restrict(consent.id, kept)
        await RetentionRepository(session).mark_dropped(
            consent.connection_id, kept, datetime.now(UTC)
        )
        narrowed = await repository.get(consent.id)
    if narrowed is None:  # pragma: no cover - the row was read in this very session
        raise ConsentNotReady("the consent disappeared while it was being changed")
    return narrowed


async def renew(runtime: Runtime, customer_id: str, channel: str, *, psu_ip_address: str) -> str:
    """Ask the bank for a new consent with the same access as the customer's current one
    (or their latest, if it has ended); returns the bank's approval URL. The bank sends the
    customer back to `/consent/callback`; after `finish_link` stores the new consent, the
    callback calls `supersede_previous` to end the old one."""
    async with runtime.database.session() as session:
        consents = await ConsentRepository(session, runtime.sealer).for_customer(customer_id)
    base = next((c for c in consents if c.status is ConsentStatus.VALID), None) or next(
        iter(consents), None
    )
    if base is None:
        raise ConsentNotReady("there is no consent to renew; link the bank first")
    return await start_link(
        runtime, customer_id, channel, psu_ip_address=psu_ip_address, access=base.access
    )


async def supersede_previous(
    runtime: Runtime, customer_id: str, new_consent_id: int
) -> list[Consent]:
    """The customer approved `new_consent_id`: end their other valid consents on the same
    bank connection, here and at the bank. A narrowing the customer chose carries over to
    the new consent, so renewing never widens what Kluis sees. Returns the ended consents;
    calling it again ends nothing more."""
    async with runtime.database.session() as session:
        repository = ConsentRepository(session, runtime.sealer)
        new = await repository.get(new_consent_id)
        if new is None or new.customer_id != customer_id or new.status is not ConsentStatus.VALID:
            raise ConsentNotReady("the new consent is not a valid consent of this customer")
        previous = [
            consent
            for consent in await repository.for_connection(new.connection_id)
            if consent.id != new.id and consent.status is ConsentStatus.VALID
        ]
        narrowed = next((c for c in previous if c.restricted_to is not None), None)
        if new.restricted_to is None and narrowed is not None:
            await repository.restrict(new.id, narrowed.restricted_to)
    await end_consents(runtime, previous)
    return previous

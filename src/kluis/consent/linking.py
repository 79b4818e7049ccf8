"""Giving Kluis a consent to read a customer's bank, and linking a channel user to them.

`request_consent` asks the bank for a consent and returns where the customer approves it;
`confirm_consent` reads the bank's decision back and stores the consent. The sandbox shortcut
`link_sandbox_customer` does both, approving through the sandbox's script form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from kluis.banks.connector import ConsentRequest
from kluis.domain import Consent, ConsentAccess, ConsentStatus
from kluis.errors import ConsentNotReady
from kluis.runtime import Runtime
from kluis.sandbox.approve import decide_in_sandbox
from kluis.security import new_token
from kluis.store.consents import ConsentRepository
from kluis.store.customers import CustomerRepository
from kluis.store.link_requests import LinkRequestRepository

MAX_VALIDITY = timedelta(days=180)
FREQUENCY_PER_DAY = 4


@dataclass(frozen=True, slots=True)
class PendingConsent:
    """A consent the bank created and the customer still has to approve at `approve_url`."""

    bank_consent_id: str
    approve_url: str | None
    connection_id: int


async def request_consent(
    runtime: Runtime,
    customer_id: str,
    *,
    psu_id: str,
    psu_ip_address: str,
    access: ConsentAccess | None = None,
    redirect_uri: str | None = None,
) -> PendingConsent:
    """Ask the bank for a recurring consent of at most 180 days, 4 unattended reads a day."""
    settings = runtime.settings
    async with runtime.database.session() as session:
        connection = await ConsentRepository(session, runtime.sealer).connection(
            customer_id, settings.bank_name, settings.bank_url, psu_id
        )
    created = await runtime.bank.create_consent(
        ConsentRequest(
            psu_id=psu_id,
            access=access or ConsentAccess(all_accounts=True),
            valid_until=runtime.today() + MAX_VALIDITY,
            frequency_per_day=FREQUENCY_PER_DAY,
            recurring=True,
            redirect_uri=redirect_uri or f"{settings.public_url.rstrip('/')}/consent/callback",
            psu_ip_address=psu_ip_address,
        )
    )
    return PendingConsent(created.consent_id, created.sca_redirect, connection.id)


async def confirm_consent(runtime: Runtime, pending: PendingConsent) -> Consent:
    """Read the bank's decision and store the consent as the bank describes it."""
    details = await runtime.bank.consent(pending.bank_consent_id)
    if details.status is not ConsentStatus.VALID:
        raise ConsentNotReady("the bank has not confirmed the consent", status_code=None)
    async with runtime.database.session() as session:
        consents = ConsentRepository(session, runtime.sealer)
        connection = await consents.get_connection(pending.connection_id)
        if connection is None:
            raise ConsentNotReady("the bank connection for this consent is gone")
        return await consents.add(
            connection,
            details.consent_id,
            status=details.status,
            access=details.access,
            valid_until=details.valid_until,
            frequency_per_day=details.frequency_per_day,
            recurring=details.recurring,
        )


async def start_link(
    runtime: Runtime,
    customer_id: str,
    channel: str,
    *,
    psu_ip_address: str,
    access: ConsentAccess | None = None,
    identity: tuple[str, str] | None = None,
    return_uri: str | None = None,
) -> str:
    """Ask the bank for a consent for a customer who is present; returns the bank's approval
    URL to send their browser to. The bank sends them back to `/consent/callback` with a
    one-time state that `finish_link` redeems.

    `access` defaults to all accounts; `ConsentAccess()` (empty lists) asks for a bank-offered
    consent, where the customer picks the accounts on the bank's page. `identity` is a chat
    user (channel, platform user id) to link to the customer once the bank approves; it is
    kept with the request for the callback, with `return_uri`, the platform page to send the
    browser back to afterwards (Messenger's account linking)."""
    async with runtime.database.session() as session:
        customer = await CustomerRepository(session).get(customer_id)
    if customer is None:
        raise ConsentNotReady("unknown customer")
    state = new_token(24)
    callback = f"{runtime.settings.public_url.rstrip('/')}/consent/callback?state={state}"
    pending = await request_consent(
        runtime,
        customer_id,
        psu_id=customer_id,
        psu_ip_address=psu_ip_address,
        access=access,
        redirect_uri=callback,
    )
    if pending.approve_url is None:
        raise ConsentNotReady("the bank offered no approval page for the consent")
    async with runtime.database.session() as session:
        await LinkRequestRepository(session, runtime.sealer).create(
            state,
            customer_id,
            pending.connection_id,
            channel,
            pending.bank_consent_id,
            identity=identity,
            return_uri=return_uri,
        )
    return pending.approve_url


async def finish_link(runtime: Runtime, state: str) -> Consent:
    """Redeem the one-time state the bank sent back and store the consent it approved."""
    async with runtime.database.session() as session:
        request = await LinkRequestRepository(session, runtime.sealer).redeem(state)
    if request is None:
        raise ConsentNotReady("this link has expired or was already used; please start again")
    return await confirm_consent(
        runtime, PendingConsent(request.bank_consent_id, None, request.connection_id)
    )


async def link_sandbox_customer(
    runtime: Runtime,
    customer_id: str,
    name: str,
    language: str,
    *,
    channel: str | None = None,
    platform_user_id: str | None = None,
) -> Consent:
    """Operator shortcut on the sandbox: a full, valid consent, approved by script."""
    async with runtime.database.session() as session:
        customers = CustomerRepository(session)
        await customers.ensure(customer_id, name, language)
        if channel is not None and platform_user_id is not None:
            await customers.link_identity(channel, platform_user_id, customer_id)
    pending = await request_consent(
        runtime, customer_id, psu_id=customer_id, psu_ip_address="127.0.0.1"
    )
    if pending.approve_url is None:
        raise ConsentNotReady("the bank offered no approval page for the consent")
    await decide_in_sandbox(runtime.http, pending.approve_url, customer_id)
    return await confirm_consent(runtime, pending)

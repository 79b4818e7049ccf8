"""Consent enforcement for every AIS read, and the count of unattended reads.

Checks, in order, each refusal a Berlin Group error:

1. `X-Request-ID` present, else 400 FORMAT_ERROR; `Consent-ID` present, else 400 FORMAT_ERROR.
2. The consent is known (else 401 CONSENT_UNKNOWN), valid (401 CONSENT_INVALID when not
   approved, refused, revoked or terminated) and not past `validUntil` (401 CONSENT_EXPIRED).
3. The account exists and belongs to the consent's customer, on the right endpoint family
   (`/v1/accounts` for checking and savings, `/v1/card-accounts` for credit cards), else
   404 RESOURCE_UNKNOWN.
4. The consent opens this kind of data of this account, else 403 CONSENT_INVALID.
5. Counting (RTS article 36(5)): a read without `PSU-IP-Address` is unattended. Unattended
   reads are counted per consent, account, kind of data (details, balances, transactions)
   and sandbox day; the read after `frequencyPerDay` of them answers 429 ACCESS_EXCEEDED.
   Refused reads are not counted. The account list counts as one details read of every
   account it lists (its `withBalance` balances ride along uncounted), so a client that
   lists accounts and reads balances and transactions four times a day stays within a
   budget of four. The pages of one transaction query count once (see `record_query`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from fastapi import Request

from kluis.sandbox.context import SandboxContext, new_identifier
from kluis.sandbox.model import SandboxAccount
from kluis.sandbox.paging import PageRequest
from kluis.sandbox.problems import SandboxRequestError, format_error
from kluis.sandbox.state import ConsentRecord, DataKind, PageQuery, ReadKey, SandboxState

Family = Literal["accounts", "card-accounts"]


def require_request_id(request: Request) -> None:
    """Every Berlin Group call carries `X-Request-ID`."""
    if not request.headers.get("X-Request-ID", "").strip():
        raise format_error("the X-Request-ID header is required")


def is_attended(request: Request) -> bool:
    """Whether the customer asked for this read now: the TPP then sends `PSU-IP-Address`."""
    return bool(request.headers.get("PSU-IP-Address", "").strip())


def consent_for_read(context: SandboxContext, request: Request) -> ConsentRecord:
    """The valid consent named by the `Consent-ID` header, or the Berlin Group refusal."""
    require_request_id(request)
    consent_id = request.headers.get("Consent-ID", "").strip()
    if not consent_id:
        raise format_error("the Consent-ID header is required")
    consent = context.state.consents.get(consent_id)
    if consent is None:
        raise SandboxRequestError(401, "CONSENT_UNKNOWN", "the consent is unknown")
    status = consent.status_on(context.today())
    if status == "expired":
        raise SandboxRequestError(401, "CONSENT_EXPIRED", "the consent has expired")
    if status != "valid":
        raise SandboxRequestError(401, "CONSENT_INVALID", f"the consent is {status}")
    return consent


def family_of(account: SandboxAccount) -> Family:
    return "card-accounts" if account.kind == "credit_card" else "accounts"


def account_for_read(
    context: SandboxContext, consent: ConsentRecord, resource_id: str, family: Family
) -> SandboxAccount:
    """The customer's account behind `resource_id` on this endpoint family, else 404."""
    account = context.bank.account(resource_id)
    if account is None or account.customer_id != consent.psu_id or family_of(account) != family:
        raise SandboxRequestError(404, "RESOURCE_UNKNOWN", "no such account")
    return account


def require_grant(consent: ConsentRecord, account: SandboxAccount, kind: DataKind) -> None:
    """403 CONSENT_INVALID unless the consent opens this kind of data of this account."""
    if not consent.grant.allows(account.resource_id, kind):
        raise SandboxRequestError(
            403, "CONSENT_INVALID", f"the consent does not cover {kind} of this account"
        )


def listed_accounts(
    context: SandboxContext, consent: ConsentRecord, family: Family
) -> tuple[SandboxAccount, ...]:
    """The accounts of this family whose details the consent opens."""
    return tuple(
        account
        for account in context.bank.accounts_of(consent.psu_id)
        if family_of(account) == family and consent.grant.allows(account.resource_id, "details")
    )


async def count_reads(
    context: SandboxContext,
    consent: ConsentRecord,
    accounts: Sequence[SandboxAccount],
    kind: DataKind,
    *,
    attended: bool,
) -> None:
    """Count one unattended read of `kind` for each account, or refuse them all with 429."""
    if attended or not accounts:
        return
    keys = _keys(context, consent, accounts, kind)
    async with context.changing() as state:
        _refuse_if_exhausted(state, keys, consent)
        for key in keys:
            state.count_read(key)


async def record_query(
    context: SandboxContext,
    consent: ConsentRecord,
    account: SandboxAccount,
    request: PageRequest,
    *,
    attended: bool,
    pages: int,
) -> str | None:
    """Count a transaction query once and return the token its page links carry.

    A request whose `pageToken` names this same query (consent, account, parameters) made
    earlier on the same sandbox day continues it and is not counted again; any other
    request is a new query. Queries of a single page need no token.
    """
    today = context.today()
    query = request.query
    wanted = PageQuery(
        consent_id=consent.consent_id,
        resource_id=account.resource_id,
        day=today,
        booking_status=query.booking_status,
        date_from=query.date_from,
        date_to=query.date_to,
        items_per_page=query.items_per_page,
    )
    token = request.page_token
    if token is not None and context.state.page_queries.get(token) == wanted:
        return token
    keys = [] if attended else _keys(context, consent, [account], "transactions")
    if not keys and pages <= 1:
        return None
    async with context.changing() as state:
        _refuse_if_exhausted(state, keys, consent)
        for key in keys:
            state.count_read(key)
        if pages <= 1:
            return None
        token = new_identifier()
        state.page_queries[token] = wanted
        return token


def _keys(
    context: SandboxContext,
    consent: ConsentRecord,
    accounts: Sequence[SandboxAccount],
    kind: DataKind,
) -> list[ReadKey]:
    today = context.today()
    return [
        ReadKey(
            consent_id=consent.consent_id, resource_id=account.resource_id, kind=kind, day=today
        )
        for account in accounts
    ]


def _refuse_if_exhausted(
    state: SandboxState, keys: Sequence[ReadKey], consent: ConsentRecord
) -> None:
    if any(state.read_count(key) >= consent.frequency_per_day for key in keys):
        raise SandboxRequestError(
            429,
            "ACCESS_EXCEEDED",
            f"the {consent.frequency_per_day} unattended reads a day of this consent are used "
            "up for this data of this account; send PSU-IP-Address when the customer asks, "
            "or wait for the next day",
        )

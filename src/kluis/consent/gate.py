"""The gate: the one way to customers' bank data (design principle 1).

Every read passes here. The gate finds the customer's valid consent, keeps only the accounts
and kinds of data it covers, applies the channel's disclosure policy
(`kluis.privacy.policy`: masked numbers, hidden names, rounded amounts, the voice PIN),
refreshes the store from the bank when the customer is asking and the data is old (an
attended read), and writes an audit record of what it disclosed, to whom, for which
question, under which policy. Nothing else calls a bank connector for a customer's question.

A voice channel without the voice PIN in this conversation gets `VoicePinRequired` (or
`VoicePinLocked`) before anything is read or recorded: nothing was disclosed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Generic, TypeVar

from kluis.banks.connector import Presence
from kluis.domain import Account, AuditEvent, Consent, ConsentStatus, DataKind
from kluis.errors import (
    BankUnavailable,
    ConsentExpired,
    ConsentNotReady,
    MalformedResponse,
    RateLimited,
    VoicePinLocked,
    VoicePinRequired,
)
from kluis.insights.flows import Categorised, OwnAccounts, is_own_transfer
from kluis.insights.rules import categorise_with
from kluis.money import Money
from kluis.privacy.log_redaction import mark_sensitive
from kluis.privacy.policy import DisclosurePolicy, policy_for
from kluis.privacy.preferences import get_preferences
from kluis.runtime import Runtime
from kluis.store.accounts import AccountRepository
from kluis.store.audit import AuditRepository
from kluis.store.category_rules import CategoryRuleRepository
from kluis.store.consents import ConsentRepository
from kluis.store.transactions import TransactionRepository

__all__ = ["AccountView", "DataRequest", "Disclosed", "Gate", "Presence"]

T = TypeVar("T")

FRESH_SECONDS = 600.0
BALANCE_PREFERENCE = ("expected", "interimAvailable", "closingBooked", "interimBooked")


@dataclass(frozen=True, slots=True)
class DataRequest:
    """Who asks, where, and why: every disclosure is recorded with these."""

    customer_id: str
    channel: str
    intent: str
    presence: Presence = field(default_factory=Presence)
    voice_pin_ok: bool = False  # the customer said their voice PIN in this conversation


@dataclass(frozen=True, slots=True)
class AccountView:
    """An account as this channel may show it: `number` masked or empty per the policy,
    `balance` rounded when `approximate`."""

    resource_id: str
    kind: str
    name: str
    number: str
    currency: str
    balance: Money | None
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class Disclosed(Generic[T]):
    """What the gate disclosed, and whether the bank could be asked for fresh data.

    `approximate`: amounts were rounded (a discreet voice); say so. `held_from`: the day of
    the earliest transaction Kluis holds on the accounts shown, whatever the window asked
    (what the bank gave when the history was read); None when there are none."""

    items: T
    today: date
    refreshed: bool
    bank_unreachable: bool = False
    approximate: bool = False
    held_from: date | None = None


def _covers(consent: Consent, account: Account, kind: DataKind) -> bool:
    """The consent covers this kind of data for the account, and the customer has not
    narrowed Kluis's use of it to other accounts."""
    if consent.restricted_to is not None and account.resource_id not in consent.restricted_to:
        return False
    access = consent.access
    if access.all_accounts:
        return True
    listed = {
        DataKind.DETAILS: access.accounts,
        DataKind.BALANCES: access.balances,
        DataKind.TRANSACTIONS: access.transactions,
    }[kind]
    references = {ref.replace(" ", "") for ref in listed}
    return bool(
        (account.iban and account.iban in references)
        or (account.masked_pan and account.masked_pan in references)
    )


class Gate:
    """Consent-checked, policy-applied, audited reads of one bank's data."""

    def __init__(self, runtime: Runtime, *, fresh_seconds: float = FRESH_SECONDS) -> None:
        self._runtime = runtime
        self._fresh_seconds = fresh_seconds
        self._refreshed: dict[str, tuple[float, date]] = {}

    async def consent(self, customer_id: str) -> Consent:
        """The customer's valid consent; ConsentNotReady or ConsentExpired otherwise."""
        async with self._runtime.database.session() as session:
            consents = ConsentRepository(session, self._runtime.sealer)
            consent = await consents.active_for_customer(customer_id)
            expired = consent is not None and consent.valid_until < self._runtime.today()
            if consent is not None and expired:
                await consents.set_status(consent.id, ConsentStatus.EXPIRED)
        if consent is None:
            raise ConsentNotReady("there is no valid consent to read this customer's bank")
        if expired:
            raise ConsentExpired("the consent has expired", consent_id=str(consent.id))
        return consent

    async def policy(self, request: DataRequest) -> DisclosurePolicy:
        """The disclosure policy for this request; on voice, the voice PIN must have been
        given (VoicePinRequired) and not be locked (VoicePinLocked)."""
        async with self._runtime.database.session() as session:
            preferences = await get_preferences(session, request.customer_id)
        policy = policy_for(request.channel, preferences)
        if policy.needs_voice_pin:
            if preferences.voice_pin_locked:
                raise VoicePinLocked("voice disclosures are locked until a new voice PIN is set")
            if not request.voice_pin_ok:
                raise VoicePinRequired(
                    "voice answers need the voice PIN first", pin_set=preferences.voice_pin_set
                )
        return policy

    async def _refresh(self, request: DataRequest) -> tuple[bool, bool]:
        """Sync when the data is older than a few minutes or the bank's day changed.

        Returns (refreshed, bank_unreachable). A bank that cannot answer leaves the stored
        data to answer from; an expired or revoked consent stops everything."""
        today = self._runtime.today()
        last = self._refreshed.get(request.customer_id)
        if (
            last is not None
            and last[1] == today
            and time.monotonic() - last[0] < self._fresh_seconds
        ):
            return False, False
        try:
            await self._runtime.syncer().sync_customer(request.customer_id, request.presence)
        except (BankUnavailable, RateLimited, MalformedResponse):
            return False, True
        self._refreshed[request.customer_id] = (time.monotonic(), today)
        return True, False

    async def _audit(
        self,
        request: DataRequest,
        consent: Consent,
        category: str,
        accounts: list[str],
        policy: DisclosurePolicy,
    ) -> None:
        async with self._runtime.database.session() as session:
            await AuditRepository(session).record(
                AuditEvent(
                    customer_id=request.customer_id,
                    action="disclose",
                    data_category=category,
                    at=datetime.now(UTC),
                    consent_id=consent.id,
                    channel=request.channel,
                    intent=request.intent,
                    accounts=tuple(accounts),
                    detail={"policy": policy.name},
                )
            )

    async def _accounts(self, consent: Consent) -> list[tuple[int, Account]]:
        async with self._runtime.database.session() as session:
            return await AccountRepository(session).for_connection(consent.connection_id)

    async def accounts(
        self, request: DataRequest, *, with_balances: bool = True
    ) -> Disclosed[list[AccountView]]:
        """The accounts the consent shows, with the balance a customer calls their balance.

        Without balances (which accounts does Kluis see?) nothing is read from the bank and the
        audit records a disclosure of account details only."""
        consent = await self.consent(request.customer_id)
        policy = await self.policy(request)
        # The account list alone needs the bank only when nothing has been read yet.
        needs_bank = with_balances or not await self._accounts(consent)
        refreshed, unreachable = await self._refresh(request) if needs_bank else (False, False)
        views: list[AccountView] = []
        async with self._runtime.database.session() as session:
            repository = AccountRepository(session)
            for account_id, account in await repository.for_connection(consent.connection_id):
                if not _covers(consent, account, DataKind.DETAILS) and not _covers(
                    consent, account, DataKind.BALANCES
                ):
                    continue
                balance = None
                if with_balances and _covers(consent, account, DataKind.BALANCES):
                    stored = {b.balance_type: b for b in await repository.balances(account_id)}
                    chosen = next((stored[k] for k in BALANCE_PREFERENCE if k in stored), None)
                    balance = policy.amount(chosen.amount) if chosen else None
                mark_sensitive(account.name, account.owner_name)
                views.append(
                    AccountView(
                        resource_id=account.resource_id,
                        kind=account.kind.value,
                        name=account.name or account.kind.value,
                        number=policy.account_number(account),
                        currency=account.currency,
                        balance=balance,
                        approximate=policy.round_amounts,
                    )
                )
        category = "balances" if with_balances else "accounts"
        await self._audit(request, consent, category, [v.resource_id for v in views], policy)
        return Disclosed(views, self._runtime.today(), refreshed, unreachable, policy.round_amounts)

    async def transactions(
        self,
        request: DataRequest,
        *,
        start: date | None = None,
        end: date | None = None,
        resource_ids: set[str] | None = None,
        counterparty: Callable[[str | None], bool] | None = None,
    ) -> Disclosed[list[Categorised]]:
        """Categorised transactions in [start, end] (never after today), newest first.

        `counterparty` keeps only the transactions whose counterparty name it accepts. It is
        asked before the policy hides names, so "payments at Albert Heijn" still finds them
        for a customer who hides names; the answer then shows the category instead."""
        consent = await self.consent(request.customer_id)
        policy = await self.policy(request)
        refreshed, unreachable = await self._refresh(request)
        today = self._runtime.today()
        end = min(end or today, today)
        accounts = await self._accounts(consent)
        own = OwnAccounts.of(account for _, account in accounts)
        items: list[Categorised] = []
        shown: list[str] = []
        shown_ids: list[int] = []
        disclosed_text: list[str | None] = []
        async with self._runtime.database.session() as session:
            repository = TransactionRepository(session)
            # The customer's own corrections decide first ("zet Vattenfall onder energie").
            rules = await CategoryRuleRepository(session).rules(request.customer_id)
            for account_id, account in accounts:
                if not _covers(consent, account, DataKind.TRANSACTIONS):
                    continue
                if resource_ids is not None and account.resource_id not in resource_ids:
                    continue
                shown.append(account.resource_id)
                shown_ids.append(account_id)
                for stored in await repository.for_account(account_id, start=start, end=end):
                    transaction = stored.transaction
                    if counterparty is not None and not counterparty(transaction.counterparty_name):
                        continue
                    disclosed_text += (transaction.counterparty_name, transaction.remittance)
                    items.append(
                        Categorised(
                            # Categories and own transfers are worked out from the whole
                            # record; only what the policy allows leaves the gate.
                            transaction=policy.transaction(transaction),
                            category=categorise_with(rules, transaction, own.ibans),
                            own_transfer=is_own_transfer(transaction, own),
                        )
                    )
            held_from = await repository.first_day(shown_ids)
        items.sort(key=lambda item: item.day or date.min, reverse=True)
        # Names and free text have no pattern the log filter could know them by.
        mark_sensitive(*disclosed_text)
        await self._audit(request, consent, "transactions", shown, policy)
        return Disclosed(items, today, refreshed, unreachable, policy.round_amounts, held_from)

"""Reading a `POST /v1/consents` body and turning its `access` into a grant.

The body follows the NextGenPSD2 `consents` schema. The sandbox supports:

- explicit lists under `accounts`, `balances` and `transactions`, naming accounts by `iban`
  (checking and savings) or `maskedPan` (credit cards); naming an account for balances or
  transactions also opens its details, as the specification says;
- empty lists (a bank-offered consent): every account of the customer, for each kind of data
  whose list is present;
- `allPsd2`, `availableAccounts` (details only) or `availableAccountsWithBalance` (details and
  balances) set to `allAccounts` or `allAccountsWithOwnerName`, optionally narrowed by
  `restrictedTo` (cash account types CACC, SVGS, CARD).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from kluis.sandbox.model import SandboxAccount
from kluis.sandbox.problems import SandboxRequestError, format_error
from kluis.sandbox.state import ConsentGrant, ConsentScope

MAX_VALIDITY_DAYS = 180
MAX_FREQUENCY_PER_DAY = 4

AllAccounts = Literal["allAccounts", "allAccountsWithOwnerName"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

CASH_ACCOUNT_TYPES: dict[str, str] = {"checking": "CACC", "savings": "SVGS", "credit_card": "CARD"}


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")


class AccountReferenceBody(_Body):
    """An account reference in a consent request; the sandbox knows IBANs and masked PANs."""

    iban: StrictStr | None = None
    masked_pan: StrictStr | None = Field(default=None, alias="maskedPan")
    currency: StrictStr | None = None
    bban: StrictStr | None = None
    pan: StrictStr | None = None
    msisdn: StrictStr | None = None


class AccessBody(_Body):
    accounts: list[AccountReferenceBody] | None = None
    balances: list[AccountReferenceBody] | None = None
    transactions: list[AccountReferenceBody] | None = None
    available_accounts: AllAccounts | None = Field(default=None, alias="availableAccounts")
    available_accounts_with_balance: AllAccounts | None = Field(
        default=None, alias="availableAccountsWithBalance"
    )
    all_psd2: AllAccounts | None = Field(default=None, alias="allPsd2")
    restricted_to: list[StrictStr] | None = Field(default=None, alias="restrictedTo")


class ConsentBody(_Body):
    """The `consents` request body; every field the specification requires is required."""

    access: AccessBody
    recurring_indicator: StrictBool = Field(alias="recurringIndicator")
    valid_until: date = Field(alias="validUntil")
    frequency_per_day: StrictInt = Field(alias="frequencyPerDay")
    combined_service_indicator: StrictBool = Field(alias="combinedServiceIndicator")

    @field_validator("valid_until", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        # pydantic would also take timestamps and date-times; the specification says ISO date.
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise ValueError("must be an ISO date (YYYY-MM-DD)")
        return value


@dataclass(frozen=True, slots=True)
class ConsentTerms:
    """A checked consent request, ready to be stored."""

    scope: ConsentScope
    owner_name: bool
    grant: ConsentGrant
    recurring: bool
    valid_until: date
    frequency_per_day: int
    combined_service: bool


def parse_consent_body(payload: object) -> ConsentBody:
    """Validate the JSON body; a problem is a 400 FORMAT_ERROR naming the field."""
    try:
        return ConsentBody.model_validate(payload)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}"
            for error in exc.errors()
        ]
        raise format_error("; ".join(problems)) from exc


def check_terms(
    body: ConsentBody, accounts: tuple[SandboxAccount, ...], today: date
) -> ConsentTerms:
    """Check the request against the customer's accounts and the sandbox clock.

    `validUntil` must not be in the past; it is capped at today + 180 days (a TPP reads the
    adjusted date back with GET). `frequencyPerDay` is 1..4 for a recurring consent and 1
    for a one-off one.
    """
    if body.valid_until < today:
        raise SandboxRequestError(400, "PERIOD_INVALID", "validUntil lies in the past")
    valid_until = min(body.valid_until, today + timedelta(days=MAX_VALIDITY_DAYS))
    if body.recurring_indicator:
        if not 1 <= body.frequency_per_day <= MAX_FREQUENCY_PER_DAY:
            raise format_error(f"frequencyPerDay must be 1 to {MAX_FREQUENCY_PER_DAY}")
    elif body.frequency_per_day != 1:
        raise format_error("frequencyPerDay must be 1 for a one-off consent")
    scope, owner_name, grant = resolve_access(body.access, accounts)
    return ConsentTerms(
        scope=scope,
        owner_name=owner_name,
        grant=grant,
        recurring=body.recurring_indicator,
        valid_until=valid_until,
        frequency_per_day=body.frequency_per_day,
        combined_service=body.combined_service_indicator,
    )


def resolve_access(
    access: AccessBody, accounts: tuple[SandboxAccount, ...]
) -> tuple[ConsentScope, bool, ConsentGrant]:
    """Which of the customer's accounts the requested access opens, per kind of data."""
    candidates: tuple[tuple[ConsentScope, AllAccounts | None], ...] = (
        ("allPsd2", access.all_psd2),
        ("availableAccounts", access.available_accounts),
        ("availableAccountsWithBalance", access.available_accounts_with_balance),
    )
    global_requests = [(scope, value) for scope, value in candidates if value is not None]
    lists = {
        "accounts": access.accounts,
        "balances": access.balances,
        "transactions": access.transactions,
    }
    present = {name: items for name, items in lists.items() if items is not None}
    if len(global_requests) > 1:
        raise format_error(
            "access: ask for one of allPsd2, availableAccounts, availableAccountsWithBalance"
        )
    if global_requests:
        if any(present.values()):
            raise format_error("access: allPsd2 and availableAccounts cannot name accounts")
        scope, value = global_requests[0]
        ids = _restricted(accounts, access.restricted_to)
        kinds = {
            "allPsd2": (ids, ids, ids),
            "availableAccounts": (ids, (), ()),
            "availableAccountsWithBalance": (ids, ids, ()),
        }[scope]
        grant = ConsentGrant(details=kinds[0], balances=kinds[1], transactions=kinds[2])
        return scope, value == "allAccountsWithOwnerName", grant
    if not present:
        raise format_error("access names no accounts and no allPsd2 or availableAccounts")
    if all(len(items) == 0 for items in present.values()):
        ids = _restricted(accounts, access.restricted_to)
        grant = ConsentGrant(
            details=ids,
            balances=ids if "balances" in present else (),
            transactions=ids if "transactions" in present else (),
        )
        return "bankOffered", False, grant
    if any(len(items) == 0 for items in present.values()):
        raise format_error(
            "access: an empty list asks for a bank-offered consent; leave all lists empty"
        )
    resolved = {
        name: tuple(
            _resolve(f"access.{name}[{position}]", reference, accounts)
            for position, reference in enumerate(items)
        )
        for name, items in present.items()
    }
    balances = _unique(resolved.get("balances", ()))
    transactions = _unique(resolved.get("transactions", ()))
    details_wanted = (*resolved.get("accounts", ()), *balances, *transactions)
    order = [account.resource_id for account in accounts]
    details = tuple(sorted(set(details_wanted), key=order.index))
    grant = ConsentGrant(details=details, balances=balances, transactions=transactions)
    return "explicit", False, grant


def reference_of(account: SandboxAccount) -> dict[str, str]:
    """How a consent names this account: its IBAN, or its masked PAN for a credit card."""
    if account.iban is not None:
        return {"iban": account.iban}
    return {"maskedPan": account.masked_pan or ""}


def _restricted(
    accounts: tuple[SandboxAccount, ...], restricted_to: list[str] | None
) -> tuple[str, ...]:
    if restricted_to is None:
        return tuple(account.resource_id for account in accounts)
    allowed = set(restricted_to)
    return tuple(
        account.resource_id for account in accounts if CASH_ACCOUNT_TYPES[account.kind] in allowed
    )


def _unique(ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _resolve(
    where: str, reference: AccountReferenceBody, accounts: tuple[SandboxAccount, ...]
) -> str:
    if reference.bban or reference.pan or reference.msisdn:
        raise format_error(f"{where}: the sandbox names accounts by iban or maskedPan only")
    if (reference.iban is None) == (reference.masked_pan is None):
        raise format_error(f"{where}: give exactly one of iban and maskedPan")
    for account in accounts:
        matches = (
            reference.iban is not None and account.iban == reference.iban.replace(" ", "").upper()
        ) or (
            reference.masked_pan is not None
            and account.kind == "credit_card"
            and account.masked_pan == reference.masked_pan
        )
        if matches:
            if reference.currency is not None and reference.currency != account.currency:
                raise format_error(f"{where}: the account is not held in {reference.currency}")
            return account.resource_id
    raise format_error(f"{where} is not an account of this PSU")

"""The Berlin Group NextGenPSD2 1.3 payloads Kluis reads, and their mapping to our domain.

Parsing is tolerant of what the spec leaves optional and strict about what Kluis relies on:
an amount that is not a decimal, a date that is not a date, a list that is not a list, each
raise `MalformedResponse`.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kluis.domain import (
    BANK_TIME_ZONE,
    Account,
    AccountKind,
    Balance,
    BookingStatus,
    ConsentAccess,
    ConsentStatus,
    Transaction,
)
from kluis.errors import MalformedResponse
from kluis.money import Money


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


# The spec's `amountValue`. Decimal() alone would also take "1_250.00", " 5", Arabic-Indic
# digits, and 30-digit amounts that later break rounding with a decimal.InvalidOperation.
_AMOUNT = re.compile(r"-?[0-9]{1,14}(\.[0-9]{1,3})?")


class AmountModel(_Model):
    currency: str = Field(min_length=3, max_length=3)
    amount: str

    def money(self) -> Money:
        if not _AMOUNT.fullmatch(self.amount):
            raise MalformedResponse("the bank sent an amount that is not a number")
        try:
            return Money.parse(self.amount, self.currency)
        except ValueError as exc:
            raise MalformedResponse("the bank sent an amount that is not a number") from exc


class AccountReferenceModel(_Model):
    iban: str | None = None
    bban: str | None = None
    masked_pan: str | None = Field(default=None, alias="maskedPan")
    pan: str | None = None


class Href(_Model):
    href: str


class BalanceModel(_Model):
    balance_amount: AmountModel = Field(alias="balanceAmount")
    balance_type: str = Field(alias="balanceType")
    reference_date: date | None = Field(default=None, alias="referenceDate")


class AccountModel(_Model):
    resource_id: str | None = Field(default=None, alias="resourceId")
    iban: str | None = None
    masked_pan: str | None = Field(default=None, alias="maskedPan")
    currency: str
    name: str | None = None
    display_name: str | None = Field(default=None, alias="displayName")
    product: str | None = None
    cash_account_type: str | None = Field(default=None, alias="cashAccountType")
    owner_name: str | None = Field(default=None, alias="ownerName")
    balances: list[BalanceModel] | None = None


class AccountListModel(_Model):
    accounts: list[AccountModel]


class CardAccountListModel(_Model):
    card_accounts: list[AccountModel] = Field(alias="cardAccounts")


class AccountDetailsModel(_Model):
    account: AccountModel


class CardAccountDetailsModel(_Model):
    card_account: AccountModel = Field(alias="cardAccount")


class BalancesModel(_Model):
    balances: list[BalanceModel]


# An ISO 20022 ExternalPurpose1Code: four letters. Banks serve codes newer than the spec's
# list, so any four letters are kept.
_PURPOSE_CODE = re.compile(r"[A-Za-z]{4}")


def purpose_code_of(value: object) -> str | None:
    """A `purposeCode` in capitals; None for anything but four ASCII letters: such a value
    says nothing about the payment and never makes the entry unreadable."""
    if not isinstance(value, str):
        return None
    code = value.strip()
    return code.upper() if _PURPOSE_CODE.fullmatch(code) else None


class TransactionModel(_Model):
    transaction_id: str | None = Field(default=None, alias="transactionId")
    entry_reference: str | None = Field(default=None, alias="entryReference")
    end_to_end_id: str | None = Field(default=None, alias="endToEndId")
    mandate_id: str | None = Field(default=None, alias="mandateId")
    creditor_id: str | None = Field(default=None, alias="creditorId")
    booking_date: date | None = Field(default=None, alias="bookingDate")
    value_date: date | None = Field(default=None, alias="valueDate")
    transaction_amount: AmountModel = Field(alias="transactionAmount")
    creditor_name: str | None = Field(default=None, alias="creditorName")
    creditor_account: AccountReferenceModel | None = Field(default=None, alias="creditorAccount")
    debtor_name: str | None = Field(default=None, alias="debtorName")
    debtor_account: AccountReferenceModel | None = Field(default=None, alias="debtorAccount")
    remittance: str | None = Field(default=None, alias="remittanceInformationUnstructured")
    bank_transaction_code: str | None = Field(default=None, alias="bankTransactionCode")
    additional_information: str | None = Field(default=None, alias="additionalInformation")
    purpose_code: str | None = Field(default=None, alias="purposeCode")

    @field_validator("purpose_code", mode="before")
    @classmethod
    def _purpose_code(cls, value: object) -> str | None:
        return purpose_code_of(value)


class CardTransactionModel(_Model):
    card_transaction_id: str | None = Field(default=None, alias="cardTransactionId")
    transaction_date: date | None = Field(default=None, alias="transactionDate")
    booking_date: date | None = Field(default=None, alias="bookingDate")
    value_date: date | None = Field(default=None, alias="valueDate")
    transaction_amount: AmountModel = Field(alias="transactionAmount")
    merchant_category_code: str | None = Field(default=None, alias="merchantCategoryCode")
    masked_pan: str | None = Field(default=None, alias="maskedPAN")
    transaction_details: str | None = Field(default=None, alias="transactionDetails")
    acceptor_date_time: datetime | None = Field(default=None, alias="acceptorTransactionDateTime")


class AccountReportModel(_Model):
    booked: list[TransactionModel] = Field(default_factory=list)
    pending: list[TransactionModel] = Field(default_factory=list)
    links: dict[str, Href] = Field(default_factory=dict, alias="_links")


class CardReportModel(_Model):
    booked: list[CardTransactionModel] = Field(default_factory=list)
    pending: list[CardTransactionModel] = Field(default_factory=list)
    links: dict[str, Href] = Field(default_factory=dict, alias="_links")


class TransactionsResponseModel(_Model):
    transactions: AccountReportModel | None = None
    links: dict[str, Href] = Field(default_factory=dict, alias="_links")


class CardTransactionsResponseModel(_Model):
    card_transactions: CardReportModel | None = Field(default=None, alias="cardTransactions")
    links: dict[str, Href] = Field(default_factory=dict, alias="_links")


class ConsentCreatedModel(_Model):
    consent_id: str = Field(alias="consentId")
    consent_status: str = Field(alias="consentStatus")
    links: dict[str, Href] = Field(default_factory=dict, alias="_links")


class ConsentStatusModel(_Model):
    consent_status: str = Field(alias="consentStatus")


class ConsentAccessModel(_Model):
    accounts: list[AccountReferenceModel] | None = None
    balances: list[AccountReferenceModel] | None = None
    transactions: list[AccountReferenceModel] | None = None
    all_psd2: str | None = Field(default=None, alias="allPsd2")
    available_accounts: str | None = Field(default=None, alias="availableAccounts")


class ConsentInformationModel(_Model):
    access: ConsentAccessModel
    recurring_indicator: bool = Field(alias="recurringIndicator")
    valid_until: date = Field(alias="validUntil")
    frequency_per_day: int = Field(alias="frequencyPerDay")
    consent_status: str = Field(alias="consentStatus")


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], payload: Any) -> M:
    """Validate a decoded JSON body; a body that does not fit raises MalformedResponse."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        # Name the fields, never the values: the payload holds IBANs, names and amounts,
        # and the original error (which quotes it) is not chained on purpose.
        fields = sorted({".".join(str(part) for part in error["loc"]) for error in exc.errors()})
        raise MalformedResponse(
            f"the bank's answer does not match the Berlin Group format ({model.__name__}: "
            f"{', '.join(fields[:5]) or 'body'})"
        ) from None


def consent_status(text: str) -> ConsentStatus:
    try:
        return ConsentStatus(text)
    except ValueError as exc:
        raise MalformedResponse("the bank sent an unknown consent status") from exc


def _reference(reference: AccountReferenceModel) -> str | None:
    return reference.iban or reference.masked_pan or reference.bban or reference.pan


def access_to_domain(model: ConsentAccessModel) -> ConsentAccess:
    def refs(items: list[AccountReferenceModel] | None) -> tuple[str, ...]:
        return tuple(ref for item in items or [] if (ref := _reference(item)) is not None)

    return ConsentAccess(
        # `availableAccounts` grants the account list only; `allPsd2` grants all three kinds.
        all_accounts=model.all_psd2 in {"allAccounts", "allAccountsWithOwnerName"},
        accounts=refs(model.accounts),
        balances=refs(model.balances),
        transactions=refs(model.transactions),
    )


def access_to_api(access: ConsentAccess) -> dict[str, Any]:
    if access.all_accounts:
        return {"allPsd2": "allAccounts"}

    def refs(items: tuple[str, ...]) -> list[dict[str, str]]:
        return [{"iban": ref} if "*" not in ref else {"maskedPan": ref} for ref in items]

    return {
        "accounts": refs(access.accounts),
        "balances": refs(access.balances),
        "transactions": refs(access.transactions),
    }


def account_to_domain(model: AccountModel, kind: AccountKind) -> Account:
    if not model.resource_id:
        raise MalformedResponse("the bank listed an account without a resource id")
    if kind is not AccountKind.CREDIT_CARD and model.cash_account_type == "SVGS":
        kind = AccountKind.SAVINGS
    return Account(
        resource_id=model.resource_id,
        kind=kind,
        currency=model.currency,
        name=model.name or model.display_name,
        iban=model.iban,
        masked_pan=model.masked_pan,
        product=model.product,
        owner_name=model.owner_name,
    )


def balance_to_domain(model: BalanceModel, resource_id: str) -> Balance:
    return Balance(
        resource_id=resource_id,
        balance_type=model.balance_type,
        amount=model.balance_amount.money(),
        reference_date=model.reference_date,
    )


def _fallback_id(*parts: object) -> str:
    """A stable id for an entry the bank served without one: same content, same id."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return f"kluis-{digest[:28]}"


# Banks tell a card payment's merchant category code in free text, not in a field of its
# own: "Card payment 535110******2637, 2026-03-18 17:23, MCC 5411".
_MCC_IN_TEXT = re.compile(r"\bMCC\s*:?\s*([0-9]{4})(?![0-9])", re.IGNORECASE)


def merchant_category_code_in(text: str | None) -> str | None:
    """The four-digit merchant category code an `additionalInformation` text names, if any."""
    if not text:
        return None
    found = _MCC_IN_TEXT.search(text)
    return found.group(1) if found else None


# ...and the card (masked) and the moment, in the same text.
_PAN_IN_TEXT = re.compile(r"\b([0-9]{4,6}[*Xx]{4,9}[0-9]{4})\b")
_MOMENT_IN_TEXT = re.compile(
    r"\b([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}:[0-9]{2})(?::[0-9]{2})?\b"
)


def card_in(text: str | None) -> str | None:
    """The masked card number an `additionalInformation` text names, if any."""
    found = _PAN_IN_TEXT.search(text or "")
    return found.group(1) if found else None


def moment_in(text: str | None) -> datetime | None:
    """The moment (date and minute) an `additionalInformation` text names, if any, in the
    bank's time zone."""
    found = _MOMENT_IN_TEXT.search(text or "")
    if found is None:
        return None
    try:
        naive = datetime.fromisoformat(f"{found.group(1)}T{found.group(2)}")
    except ValueError:
        return None
    return naive.replace(tzinfo=BANK_TIME_ZONE)


def transaction_to_domain(
    model: TransactionModel, resource_id: str, status: BookingStatus
) -> Transaction:
    money = model.transaction_amount.money()
    outgoing = money.amount < 0
    counterparty = model.creditor_name if outgoing else model.debtor_name
    reference = model.creditor_account if outgoing else model.debtor_account
    transaction_id = (
        model.transaction_id
        or model.entry_reference
        or _fallback_id(
            resource_id,
            model.booking_date,
            model.value_date,
            money.to_api(),
            money.currency,
            counterparty,
            model.remittance,
            model.end_to_end_id,
        )
    )
    return Transaction(
        resource_id=resource_id,
        transaction_id=transaction_id,
        status=status,
        amount=money,
        booking_date=model.booking_date if status is BookingStatus.BOOKED else None,
        value_date=model.value_date,
        counterparty_name=counterparty,
        counterparty_iban=reference.iban if reference else None,
        creditor_id=model.creditor_id,
        mandate_id=model.mandate_id,
        end_to_end_id=model.end_to_end_id,
        entry_reference=model.entry_reference,
        remittance=model.remittance,
        bank_transaction_code=model.bank_transaction_code,
        merchant_category_code=merchant_category_code_in(model.additional_information),
        purpose_code=model.purpose_code,
        masked_pan=card_in(model.additional_information),
        occurred_at=moment_in(model.additional_information),
    )


def card_transaction_to_domain(
    model: CardTransactionModel, resource_id: str, status: BookingStatus
) -> Transaction:
    money = model.transaction_amount.money()
    transaction_id = model.card_transaction_id or _fallback_id(
        resource_id,
        model.transaction_date,
        model.booking_date,
        money.to_api(),
        money.currency,
        model.transaction_details,
        model.masked_pan,
    )
    return Transaction(
        resource_id=resource_id,
        transaction_id=transaction_id,
        status=status,
        amount=money,
        booking_date=model.booking_date if status is BookingStatus.BOOKED else None,
        value_date=model.value_date,
        transaction_date=model.transaction_date,
        counterparty_name=model.transaction_details,
        merchant_category_code=model.merchant_category_code,
        masked_pan=model.masked_pan,
        occurred_at=_aware(model.acceptor_date_time),
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=BANK_TIME_ZONE)

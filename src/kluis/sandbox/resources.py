"""The sandbox's ledger as Berlin Group NextGenPSD2 JSON.

Rendering only: these functions turn ledger records into the specification's
`accountDetails`, `cardAccountDetails`, `balance`, `transactions` and `cardTransaction`
objects. What only the bank knows (category, recurring series, fraud) is never rendered.

A card payment on a checking account cannot carry its card or merchant category code in a
`transactions` object; the sandbox tells it in `additionalInformation`
("Card payment 525412******3241, 2026-03-17 12:34, MCC 5411"), as banks put such details in
free text.
"""

from __future__ import annotations

from datetime import datetime

from kluis.domain import BANK_TIME_ZONE
from kluis.money import Money
from kluis.sandbox.consent_requests import CASH_ACCOUNT_TYPES
from kluis.sandbox.ledger import AccountBalances, LedgerEntry
from kluis.sandbox.model import SandboxAccount, SandboxTransaction

JsonObject = dict[str, object]


def _limit(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length]


def amount_of(money: Money) -> JsonObject:
    """The specification's `amount`: currency and a decimal string ("-12.50")."""
    return {"currency": money.currency, "amount": money.to_api()}


def account_reference(account: SandboxAccount) -> JsonObject:
    """The `accountReference` of an account: its IBAN, or a credit card's masked PAN."""
    if account.iban is not None:
        return {"iban": account.iban, "currency": account.currency}
    return {"maskedPan": account.masked_pan or "", "currency": account.currency}


def balance_list(balances: AccountBalances) -> list[JsonObject]:
    """closingBooked, expected and interimAvailable (see `kluis.sandbox.ledger`)."""
    day = balances.day.isoformat()
    items: list[JsonObject] = [
        {
            "balanceType": "closingBooked",
            "balanceAmount": amount_of(balances.closing_booked),
            "referenceDate": day,
        },
        {
            "balanceType": "expected",
            "balanceAmount": amount_of(balances.expected),
            "referenceDate": day,
        },
        {
            "balanceType": "interimAvailable",
            "balanceAmount": amount_of(balances.interim_available),
            "referenceDate": day,
            "creditLimitIncluded": balances.credit_limit_included,
        },
    ]
    return items


def account_links(
    base: str, family: str, account: SandboxAccount, *, balances: bool, transactions: bool
) -> JsonObject:
    """Links to the balances and transactions of an account, where the consent opens them."""
    links: JsonObject = {}
    path = f"{base}/v1/{family}/{account.resource_id}"
    if balances:
        links["balances"] = {"href": f"{path}/balances"}
    if transactions:
        links["transactions"] = {"href": f"{path}/transactions"}
    return links


def account_details(
    account: SandboxAccount,
    *,
    links: JsonObject,
    balances: AccountBalances | None,
    owner_name: str | None,
) -> JsonObject:
    """`accountDetails` of a checking or savings account."""
    details: JsonObject = {
        "resourceId": account.resource_id,
        "currency": account.currency,
        "name": _limit(account.name, 70),
        "product": _limit(account.product, 35),
        "cashAccountType": CASH_ACCOUNT_TYPES[account.kind],
        "status": "enabled",
        "usage": "PRIV",
    }
    if account.iban is not None:
        details["iban"] = account.iban
    if account.bic is not None:
        details["bic"] = account.bic
    if owner_name is not None:
        details["ownerName"] = _limit(owner_name, 140)
    if balances is not None:
        details["balances"] = balance_list(balances)
    if links:
        details["_links"] = links
    return details


def card_account_details(
    account: SandboxAccount,
    *,
    links: JsonObject,
    balances: AccountBalances | None,
    owner_name: str | None,
) -> JsonObject:
    """`cardAccountDetails` of a credit-card account."""
    details: JsonObject = {
        "resourceId": account.resource_id,
        "maskedPan": account.masked_pan or "",
        "currency": account.currency,
        "name": _limit(account.name, 70),
        "product": _limit(account.product, 35),
        "status": "enabled",
        "usage": "PRIV",
    }
    if account.credit_limit is not None:
        details["creditLimit"] = amount_of(Money(account.credit_limit, account.currency))
    if owner_name is not None:
        details["ownerName"] = _limit(owner_name, 140)
    if balances is not None:
        details["balances"] = balance_list(balances)
    if links:
        details["_links"] = links
    return details


def _moment(record: SandboxTransaction) -> datetime:
    return datetime.combine(record.transaction_date, record.time_of_day, tzinfo=BANK_TIME_ZONE)


def transaction_item(entry: LedgerEntry, card_pan: str | None) -> JsonObject:
    """A `transactions` object of a checking or savings account.

    `card_pan` is the masked PAN of the card that paid, for card payments.
    """
    record = entry.record
    item: JsonObject = {
        "transactionId": record.transaction_id,
        "transactionAmount": amount_of(Money(record.amount, record.currency)),
        "valueDate": record.value_date.isoformat(),
        "bankTransactionCode": record.bank_transaction_code,
    }
    if entry.status == "booked":
        item["bookingDate"] = record.booking_date.isoformat()
        item["entryReference"] = _limit(record.transaction_id, 35)
    if record.end_to_end_id:
        item["endToEndId"] = _limit(record.end_to_end_id, 35)
    if record.mandate_id:
        item["mandateId"] = _limit(record.mandate_id, 35)
    name = _limit(record.counterparty_name, 70)
    counterparty_account = (
        {"iban": record.counterparty_iban} if record.counterparty_iban is not None else None
    )
    if record.amount < 0:
        item["creditorName"] = name
        if counterparty_account is not None:
            item["creditorAccount"] = counterparty_account
        if record.creditor_id:
            item["creditorId"] = _limit(record.creditor_id, 35)
    else:
        item["debtorName"] = name
        if counterparty_account is not None:
            item["debtorAccount"] = counterparty_account
    if record.remittance:
        item["remittanceInformationUnstructured"] = _limit(record.remittance, 140)
    if record.purpose_code:
        item["purposeCode"] = record.purpose_code
    if record.card_id is not None:
        moment = _moment(record).strftime("%Y-%m-%d %H:%M")
        parts = [f"Card payment {card_pan}" if card_pan else "Card payment", moment]
        if record.mcc:
            parts.append(f"MCC {record.mcc}")
        item["additionalInformation"] = ", ".join(parts)
    return item


def card_transaction_item(entry: LedgerEntry, card_pan: str | None) -> JsonObject:
    """A `cardTransaction` of a credit-card account; `cardTransactionId` is the ledger's id."""
    record = entry.record
    item: JsonObject = {
        "cardTransactionId": record.transaction_id,
        "transactionDate": record.transaction_date.isoformat(),
        "acceptorTransactionDateTime": _moment(record).isoformat(),
        "transactionAmount": amount_of(Money(record.amount, record.currency)),
        "transactionDetails": _limit(record.counterparty_name, 1000),
    }
    if entry.status == "booked":
        item["bookingDate"] = record.booking_date.isoformat()
    if card_pan:
        item["maskedPAN"] = card_pan
    if record.mcc and len(record.mcc) == 4:
        item["merchantCategoryCode"] = record.mcc
    item["proprietaryBankTransactionCode"] = _limit(record.bank_transaction_code, 35)
    return item

"""Berlin Group payload models: amounts, consent access, and mapping to the domain."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kluis.banks.berlingroup import models
from kluis.domain import AccountKind, BookingStatus, ConsentAccess
from kluis.errors import MalformedResponse
from kluis.money import Money
from kluis.sandbox.generator import HISTORY_START, generate
from kluis.sandbox.ledger import LedgerEntry
from kluis.sandbox.resources import transaction_item

# Amounts as the spec allows them (`amountValue`: up to 14 integer digits), with 2 decimals.
two_decimal_amounts = st.builds(
    lambda cents: f"{Decimal(cents).scaleb(-2):.2f}",
    st.integers(min_value=-(10**16) + 1, max_value=10**16 - 1),
)
ibans = st.from_regex(r"[A-Z]{2}[0-9]{2}[A-Za-z0-9]{1,30}", fullmatch=True)
masked_pans = st.from_regex(r"[0-9]{4,6}\*{2,9}[0-9]{4}", fullmatch=True)
references = st.lists(ibans | masked_pans, max_size=4).map(tuple)
chosen_access = st.builds(
    ConsentAccess,
    all_accounts=st.just(False),
    accounts=references,
    balances=references,
    transactions=references,
)
any_access = chosen_access | st.just(ConsentAccess(all_accounts=True))


@given(two_decimal_amounts, st.sampled_from(["EUR", "USD", "GBP", "eur"]))
def test_a_two_decimal_amount_round_trips(text: str, currency: str) -> None:
    money = models.AmountModel(currency=currency, amount=text).money()

    assert money.amount == Decimal(text)
    assert money.currency == currency.upper()
    assert money.to_api() == text


@given(any_access)
def test_consent_access_round_trips_through_the_api_shape(access: ConsentAccess) -> None:
    api = models.access_to_api(access)
    assert models.access_to_domain(models.parse(models.ConsentAccessModel, api)) == access


@given(chosen_access)
def test_masked_pans_and_ibans_are_sent_as_what_they_are(access: ConsentAccess) -> None:
    api = models.access_to_api(access)
    for reference in api["accounts"] + api["balances"] + api["transactions"]:
        ((kind, value),) = reference.items()
        assert kind == ("maskedPan" if "*" in value else "iban")


def test_all_accounts_is_asked_as_all_psd2() -> None:
    assert models.access_to_api(ConsentAccess(all_accounts=True)) == {"allPsd2": "allAccounts"}


@pytest.mark.parametrize("value", ["allAccounts", "allAccountsWithOwnerName"])
def test_all_psd2_reads_back_as_all_accounts(value: str) -> None:
    access = models.access_to_domain(models.parse(models.ConsentAccessModel, {"allPsd2": value}))
    assert access == ConsentAccess(all_accounts=True)


def test_available_accounts_grants_the_list_only_not_balances_or_transactions() -> None:
    api = {"availableAccounts": "allAccounts"}
    access = models.access_to_domain(models.parse(models.ConsentAccessModel, api))
    assert not access.all_accounts
    assert access.balances == ()
    assert access.transactions == ()


@pytest.mark.parametrize(
    "text", ["12,50", "abc", "", " 12.50", "+12.50", "1_250.00", "12.", "1e3", "NaN", "1.2345"]
)
def test_an_amount_outside_the_spec_is_malformed(text: str) -> None:
    with pytest.raises(MalformedResponse, match="amount") as caught:
        models.AmountModel(currency="EUR", amount=text).money()
    if text.strip():
        assert text.strip() not in str(caught.value)


def test_an_unknown_currency_code_is_malformed() -> None:
    with pytest.raises(MalformedResponse):
        models.AmountModel(currency="€UR", amount="1.00").money()


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        {"accounts": None},
        {"accounts": [{"resourceId": "a-1"}]},  # no currency
        {"accounts": "a-1"},
    ],
)
def test_a_payload_that_does_not_fit_is_malformed(payload: object) -> None:
    with pytest.raises(MalformedResponse, match="AccountListModel"):
        models.parse(models.AccountListModel, payload)


def test_an_unknown_consent_status_is_malformed() -> None:
    with pytest.raises(MalformedResponse, match="consent status"):
        models.consent_status("approvedIGuess")


@pytest.mark.parametrize(
    ("cash_account_type", "kind", "expected"),
    [
        ("CACC", AccountKind.CHECKING, AccountKind.CHECKING),
        (None, AccountKind.CHECKING, AccountKind.CHECKING),
        ("SVGS", AccountKind.CHECKING, AccountKind.SAVINGS),
        ("SVGS", AccountKind.CREDIT_CARD, AccountKind.CREDIT_CARD),
    ],
)
def test_the_account_kind_follows_the_cash_account_type(
    cash_account_type: str | None, kind: AccountKind, expected: AccountKind
) -> None:
    model = models.parse(
        models.AccountModel,
        {"resourceId": "a-1", "currency": "EUR", "cashAccountType": cash_account_type},
    )
    assert models.account_to_domain(model, kind).kind is expected


def transaction(**fields: object) -> models.TransactionModel:
    base: dict[str, object] = {
        "transactionAmount": {"currency": "EUR", "amount": "-12.50"},
        "bookingDate": "2024-03-01",
        "creditorName": "Albert Heijn",
        "debtorName": "Sanne de Vries",
    }
    return models.parse(models.TransactionModel, base | fields)


def test_an_entry_reference_stands_in_for_a_missing_transaction_id() -> None:
    mapped = models.transaction_to_domain(
        transaction(entryReference="ref-9"), "a-1", BookingStatus.BOOKED
    )
    assert mapped.transaction_id == "ref-9"
    assert mapped.entry_reference == "ref-9"


@given(
    st.sampled_from(["-12.50", "-12.51", "12.50"]),
    st.sampled_from(["Albert Heijn", "Jumbo"]),
    st.sampled_from(["2024-03-01", "2024-03-02"]),
)
def test_the_derived_id_depends_on_the_content_only(
    value: str, creditor: str, booked_on: str
) -> None:
    fields = {
        "transactionAmount": {"currency": "EUR", "amount": value},
        "creditorName": creditor,
        "debtorName": creditor,
        "bookingDate": booked_on,
    }
    first = models.transaction_to_domain(transaction(**fields), "a-1", BookingStatus.BOOKED)
    again = models.transaction_to_domain(transaction(**fields), "a-1", BookingStatus.BOOKED)
    reference = models.transaction_to_domain(transaction(), "a-1", BookingStatus.BOOKED)

    assert first.transaction_id == again.transaction_id
    changed = (value, creditor, booked_on) != ("-12.50", "Albert Heijn", "2024-03-01")
    assert (first.transaction_id != reference.transaction_id) == changed


def test_the_derived_id_is_per_account() -> None:
    entry = transaction()
    assert (
        models.transaction_to_domain(entry, "a-1", BookingStatus.BOOKED).transaction_id
        != models.transaction_to_domain(entry, "a-2", BookingStatus.BOOKED).transaction_id
    )


def test_a_balance_keeps_its_account_and_date() -> None:
    model = models.parse(
        models.BalanceModel,
        {
            "balanceType": "interimAvailable",
            "balanceAmount": {"currency": "EUR", "amount": "0.5"},
            "referenceDate": "2024-03-01",
        },
    )
    balance = models.balance_to_domain(model, "a-1")
    assert (balance.resource_id, balance.amount, balance.reference_date) == (
        "a-1",
        Money(Decimal("0.5"), "EUR"),
        date(2024, 3, 1),
    )


@pytest.mark.parametrize(
    ("served", "kept"),
    [
        ("SALA", "SALA"),
        ("sala", "SALA"),
        (" Rent ", "RENT"),
        ("SAL", None),
        ("SALARY", None),
        ("SA1A", None),
        ("S-LA", None),
        ("ınte", None),  # a dotless i, upper-cased, would pass for INTE
        ("", None),
        (1234, None),
        (["SALA"], None),
        ({"code": "SALA"}, None),
        (None, None),
    ],
)
def test_a_purpose_code_is_kept_in_capitals_and_anything_else_is_dropped(
    served: object, kept: str | None
) -> None:
    mapped = models.transaction_to_domain(
        transaction(purposeCode=served), "a-1", BookingStatus.BOOKED
    )
    assert mapped.purpose_code == kept
    assert mapped.amount == Money(Decimal("-12.50"), "EUR")  # the entry itself is read


def test_an_entry_without_a_purpose_code_has_none() -> None:
    mapped = models.transaction_to_domain(transaction(), "a-1", BookingStatus.BOOKED)
    assert mapped.purpose_code is None


def test_the_sandbox_banks_salary_and_premiums_read_back_with_their_purpose() -> None:
    data = generate(20260318, HISTORY_START.replace(month=2, day=28))
    purposes: dict[str, set[str | None]] = {}
    for record in data.transactions:
        if record.card_id is not None:
            continue
        served = transaction_item(LedgerEntry(record, "booked"), None)
        model = models.parse(models.TransactionModel, served)
        read = models.transaction_to_domain(model, record.resource_id, BookingStatus.BOOKED)
        kind = (record.recurring or "").partition(":")[2] if record.amount > 0 else record.category
        purposes.setdefault(kind, set()).add(read.purpose_code)

    assert purposes["salary"] == {"SALA"}
    assert purposes["insurance"] <= {"HLTI", "INSU", "PPTI"}
    assert purposes["transfers"] == {None}  # what the customer sent named no purpose

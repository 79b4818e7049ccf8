"""ISO 20022 purpose codes: what each says by direction, and its place among the evidence."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kluis.cli.categorise import CONFIDENCE
from kluis.domain import Transaction
from kluis.insights import purpose_codes
from kluis.insights.categories import Evidence, explain
from tests.insights.test_categories import transaction as a_transaction

SPEC = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "specs"
    / "berlin-group-nextgenpsd2"
    / "psd2-api_1.3.12_2022-07-01.openapi.yaml"
)
CHECKING = "NL91ABNA0417164300"
SAVINGS = "NL69INGB0123456789"
OWN = frozenset({CHECKING, SAVINGS})
DIRECT_DEBIT = "PMNT-IDDT-ESDD"
SENT = "PMNT-ICDT-ESCT"
RECEIVED = "PMNT-RCDT-ESCT"
CHARGES = "PMNT-MDOP-CHRG"


def transaction(
    amount: str,
    name: str | None,
    purpose: str | None,
    *,
    code: str | None = None,
    remittance: str | None = None,
    iban: str | None = None,
) -> Transaction:
    return a_transaction(amount, name, code=code, remittance=remittance, iban=iban, purpose=purpose)


def _spec_codes() -> set[str]:
    """The codes of the spec's `purposeCode` enumeration (ISO 20022, June 2018)."""
    text = SPEC.read_text(encoding="utf-8")
    start = text.index("\n    purposeCode:\n")
    end = text.index("\n    #", start)
    return set(re.findall(r'- "([A-Z]{4})"', text[start:end]))


# --- the table ----------------------------------------------------------------------------


def test_every_code_in_the_table_is_one_iso_defines() -> None:
    defined = _spec_codes()

    assert len(defined) > 250  # the whole enumeration was read
    assert set(purpose_codes.PURPOSES) - defined == set()


def test_every_code_decides_at_least_one_direction() -> None:
    for code, purpose in purpose_codes.PURPOSES.items():
        assert purpose.paid is not None or purpose.received is not None, code


@pytest.mark.parametrize(
    ("code", "paid", "received"),
    [
        ("SALA", None, "income"),  # a salary the customer pays is judged by its flow
        ("PENS", None, "income"),
        ("BENE", None, "income"),
        ("DIVD", None, "income"),
        ("INTE", "fees", "income"),
        ("ALMY", "transfers", "income"),
        ("TAXS", "taxes", "taxes"),
        ("TAXR", "taxes", "taxes"),  # a tax refund is taxes
        ("INSU", "insurance", "insurance"),  # a premium paid back is still insurance
        ("HLTI", "insurance", "insurance"),
        ("MARF", "health", "health"),
        ("ELEC", "utilities", "utilities"),
        ("WTER", "utilities", "utilities"),
        ("PHON", "telecom", "telecom"),
        ("CBTV", "telecom", "telecom"),
        ("RENT", "housing", None),  # rent coming in: a tenant, or a landlord paying back?
        ("HLRP", "housing", None),
        ("STDY", "education", None),  # coming in: a grant, or a fee paid back?
        ("CHAR", "charity", None),
        ("SUBS", "subscriptions", "subscriptions"),
        ("RLWY", "transport", "transport"),
        ("AIRB", "travel", "travel"),
        ("SAVG", "transfers", "transfers"),
        ("CDBL", "transfers", "transfers"),
        ("CDCD", "cash", "cash"),
    ],
)
def test_a_code_says_what_it_says_in_each_direction(
    code: str, paid: str | None, received: str | None
) -> None:
    assert purpose_codes.category(code, incoming=False) == paid
    assert purpose_codes.category(code, incoming=True) == received


@pytest.mark.parametrize(
    "code",
    [
        "OTHR",  # other
        "CASH",  # a cash-management transfer, no cash
        "IVPT",  # an invoice: for what?
        "SUPP",  # a supplier
        "LOAR",  # a loan repaid: a house, a study, a car?
        "GOVT",  # to or from a government: a benefit, a tax?
        "REFU",  # a refund of what?
        "INSC",  # an insurance claim pays for whatever was insured
        "NWCH",  # network charges: a power grid or a telephone network?
        "ZZZZ",  # no code at all
    ],
)
def test_a_code_that_names_no_purpose_decides_nothing(code: str) -> None:
    assert purpose_codes.category(code, incoming=False) is None
    assert purpose_codes.category(code, incoming=True) is None


def test_no_code_decides_nothing_and_case_does_not_matter() -> None:
    assert purpose_codes.category(None, incoming=True) is None
    assert purpose_codes.category("", incoming=True) is None
    assert purpose_codes.category("sala", incoming=True) == "income"


# --- among the evidence -------------------------------------------------------------------


def test_salary_is_income_by_its_code_when_nothing_else_says_so() -> None:
    without = transaction("2450.00", "Noorderlicht B.V.", None, code=RECEIVED, remittance="0326")
    paid = transaction("2450.00", "Noorderlicht B.V.", "SALA", code=RECEIVED, remittance="0326")

    assert explain(paid, OWN).category == "income"
    assert explain(paid, OWN).evidence == "purpose_code"
    assert explain(without, OWN).evidence != "purpose_code"


def test_a_bank_paying_salary_is_an_employer_not_a_reimbursement() -> None:
    paid = transaction("3100.00", "ING Bank N.V.", "SALA", code=RECEIVED, remittance="Maart")
    unsaid = transaction("3100.00", "ING Bank N.V.", None, code=RECEIVED, remittance="Maart")

    assert explain(paid, OWN).category == "income"
    assert explain(unsaid, OWN).category == "other"  # what a bank pays in, unexplained


def test_rent_to_a_landlord_by_name_alone_is_housing_by_its_code() -> None:
    rent = transaction("-1150.00", "J. Bakker", "RENT", code=SENT, remittance="April")
    plain = transaction("-1150.00", "J. Bakker", None, code=SENT, remittance="April")

    assert explain(rent, OWN).category == "housing"
    assert explain(plain, OWN).category == "transfers"  # a person, as far as anyone can tell


def test_the_code_outweighs_the_payees_name() -> None:
    # A health insurer's payment in is care paid back; with a premium's code it is the
    # premium paid back.
    refund = transaction("32.10", "Zilveren Kruis", "INPR", code=RECEIVED, remittance="Nota 9")
    care = transaction("32.10", "Zilveren Kruis", None, code=RECEIVED, remittance="Nota 9")

    assert explain(refund, OWN).category == "insurance"
    assert explain(care, OWN).category == "health"


def test_the_customers_own_accounts_and_the_banks_code_outweigh_the_purpose() -> None:
    to_savings = transaction("-500.00", "S. de Vries", "RENT", code=SENT, iban=SAVINGS)
    charged = transaction("-3.50", "ABN AMRO", "INSU", code=CHARGES, remittance="Kosten")

    assert explain(to_savings, OWN).evidence == "own_account"
    assert explain(to_savings, OWN).category == "transfers"
    assert explain(charged, OWN).evidence == "bank_code"
    assert explain(charged, OWN).category == "fees"


def test_the_deductible_is_care_though_collected_under_the_premiums_code() -> None:
    deductible = transaction("-385.00", "Zilveren Kruis", "HLTI", code=DIRECT_DEBIT,
                             remittance="Eigen risico 2025 relatienr 1234567")  # fmt: skip
    premium = transaction("-142.50", "Zilveren Kruis", "HLTI", code=DIRECT_DEBIT,
                          remittance="Premie zorgverzekering maart 2026")  # fmt: skip

    assert explain(deductible, OWN).category == "health"
    assert explain(premium, OWN).category == "insurance"
    assert explain(premium, OWN).evidence == "purpose_code"


def test_a_code_that_decides_nothing_leaves_the_rest_to_decide() -> None:
    energy = transaction("-120.00", "Vattenfall Klantenservice N.V.", "OTHR", code=DIRECT_DEBIT)
    salary_paid = transaction("-900.00", "M. Jansen", "SALA", code=SENT, remittance="Oppas")

    assert explain(energy, OWN).category == "utilities"
    assert explain(energy, OWN).evidence == "merchant"
    assert explain(salary_paid, OWN).evidence != "purpose_code"


@given(st.sampled_from(sorted(purpose_codes.PURPOSES)), st.booleans())
def test_any_code_between_own_accounts_is_a_transfer(code: str, incoming: bool) -> None:
    moved = transaction("250.00" if incoming else "-250.00", "S. de Vries", code,
                        code=RECEIVED if incoming else SENT, iban=CHECKING)  # fmt: skip

    assert explain(moved, OWN).category == "transfers"


def test_the_command_line_has_a_confidence_for_every_kind_of_evidence() -> None:
    assert set(CONFIDENCE) == set(get_args(Evidence))
    assert CONFIDENCE["bank_code"] > CONFIDENCE["purpose_code"] > CONFIDENCE["flow"]

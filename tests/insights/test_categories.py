"""Categorising transactions: each rule on its own, the tables, and the sandbox's truth."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from benchmarks.support.sandbox_histories import read_histories
from hypothesis import given
from hypothesis import strategies as st

from kluis.config import Settings
from kluis.domain import CATEGORIES, BookingStatus, Transaction
from kluis.insights import merchant_knowledge, statement_words
from kluis.insights.categories import (
    Categorisation,
    categorise,
    categorise_all,
    explain,
    normalise,
)
from kluis.insights.mcc import category_for_mcc
from kluis.money import Money

MCC_FILE = Path(__file__).resolve().parents[3] / "shared" / "data" / "mcc" / "mcc_codes.csv"
CHECKING = "NL91ABNA0417164300"
SAVINGS = "NL69INGB0123456789"
OWN = frozenset({CHECKING, SAVINGS})
FRIEND = "NL20RABO0300065264"
MAJOR = (
    "groceries",
    "eating_out",
    "housing",
    "utilities",
    "telecom",
    "insurance",
    "subscriptions",
    "income",
    "transfers",
    "cash",
)

CARD = "PMNT-CCRD-POSD"
REFUND = "PMNT-CCRD-RIMB"
DIRECT_DEBIT = "PMNT-IDDT-ESDD"
SENT = "PMNT-ICDT-ESCT"
STANDING_ORDER = "PMNT-ICDT-STDO"
RECEIVED = "PMNT-RCDT-ESCT"


def transaction(
    amount: str,
    name: str | None = None,
    *,
    code: str | None = None,
    mcc: str | None = None,
    remittance: str | None = None,
    iban: str | None = None,
    pan: str | None = None,
    purpose: str | None = None,
) -> Transaction:
    return Transaction(
        resource_id="acc-1",
        transaction_id="tx-1",
        status=BookingStatus.BOOKED,
        amount=Money(Decimal(amount), "EUR"),
        counterparty_name=name,
        counterparty_iban=iban,
        remittance=remittance,
        bank_transaction_code=code,
        merchant_category_code=mcc,
        masked_pan=pan,
        purpose_code=purpose,
    )


# --- own accounts and bank codes ----------------------------------------------------------


def test_money_between_own_accounts_is_a_transfer_whatever_it_says() -> None:
    salary_to_savings = transaction("-500.00", "S. de Vries", code=SENT, iban=SAVINGS,
                                    remittance="Salaris naar spaarrekening")  # fmt: skip
    back = transaction("500.00", "Jumbo", code=RECEIVED, iban=SAVINGS)

    assert categorise(salary_to_savings, OWN) == "transfers"
    assert categorise(back, OWN) == "transfers"
    assert explain(back, OWN).evidence == "own_account"


def test_own_ibans_are_compared_in_their_electronic_form() -> None:
    moved = transaction("-50.00", "Me", code=SENT, iban="nl69 ingb 0123 4567 89")

    assert categorise(moved, frozenset({"NL69 INGB 0123 4567 89"})) == "transfers"


def test_a_credit_card_repayment_is_a_transfer_on_both_sides() -> None:
    from_checking = transaction("-412.18", "Sanne de Vries", code=SENT,
                                remittance="Aflossing creditcard 525412******3241")  # fmt: skip
    on_the_card = transaction("412.18", "Sanne de Vries", pan="525412******3241")

    assert explain(from_checking, OWN).evidence == "card_repayment"
    assert categorise(from_checking, OWN) == "transfers"
    assert categorise(on_the_card, OWN) == "transfers"


@pytest.mark.parametrize(
    ("amount", "code", "expected"),
    [
        ("-3.40", "PMNT-MDOP-CHRG", "fees"),
        ("-1.25", "PMNT-CCRD-FEES", "fees"),
        ("12.31", "PMNT-MCOP-INTR", "income"),
        ("-7.02", "PMNT-MDOP-INTR", "fees"),
        ("2800.00", "PMNT-RCDT-SALA", "income"),
        ("-50.00", "PMNT-CCRD-CWDL", "cash"),
        ("200.00", "PMNT-CNTR-CDPT", "cash"),
    ],
)
def test_bank_transaction_codes_decide_first(amount: str, code: str, expected: str) -> None:
    # A name that would say otherwise does not matter: the bank's code is precise.
    assert categorise(transaction(amount, "Albert Heijn", code=code), OWN) == expected


def test_a_cash_machine_is_cash_by_its_merchant_category_code_alone() -> None:
    assert categorise(transaction("-70.00", "GELDMAAT UTRECHT", mcc="6011"), OWN) == "cash"
    assert categorise(transaction("-70.00", "Euronet 1234 Praha", mcc="6011"), OWN) == "cash"


# --- money coming in ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Salaris maart 2026", "Salary March 2026", "Vakantiegeld 2025", "Holiday allowance 2025",
     "Zorgtoeslag 2026", "Rente Q1 2026"],
)  # fmt: skip
def test_pay_benefits_and_interest_coming_in_are_income(text: str) -> None:
    paid = transaction("3480.00", "Zorggroep Domstad", code=RECEIVED, remittance=text)

    assert categorise(paid, OWN) == "income"


def test_salary_from_an_employer_that_is_a_bank_is_income() -> None:
    paid = transaction("4100.00", "ING Bank N.V.", code=RECEIVED, remittance="Salaris april")

    assert categorise(paid, OWN) == "income"


def test_what_a_bank_pays_back_without_saying_why_is_other() -> None:
    text = "Terugboeking onterechte transacties van 14-10-2025"
    chargeback = transaction("842.00", "Rabobank", code=RECEIVED, remittance=text)
    card_refund = transaction("65.10", "ABN AMRO Bank N.V.", mcc="6012", pan="552215******0042")

    assert categorise(chargeback, OWN) == "other"
    assert categorise(card_refund, OWN) == "other"
    assert explain(card_refund, OWN).evidence == "bank_reimbursement"


def test_a_card_refund_keeps_the_category_of_the_purchase() -> None:
    returned = transaction("34.99", "Zalando SE", code=REFUND, mcc="5651")
    by_code_only = transaction("12.00", "Unknown Shop 123", code=REFUND, mcc="5912")

    assert categorise(returned, OWN) == "shopping"
    assert categorise(by_code_only, OWN) == "health"


def test_a_refund_is_never_income_even_from_a_company() -> None:
    refund = transaction("19.95", "Webwinkel Noord B.V.", code=RECEIVED,
                         remittance="Restitutie factuur 2026-118")  # fmt: skip

    assert categorise(refund, OWN) == "other"


def test_money_in_from_an_unknown_company_is_income_and_from_a_person_a_transfer() -> None:
    invoice_paid = transaction("650.00", "Noordlicht Media B.V.", code=RECEIVED)
    friend = transaction("25.00", "Lotte Bakker", code=RECEIVED, iban=FRIEND, remittance="Pizza")

    assert categorise(invoice_paid, OWN) == "income"
    assert categorise(friend, OWN) == "transfers"


# --- known names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "remittance", "expected"),
    [
        ("Vattenfall Klantenservice N.V.", "Termijnbedrag energie 2026-03", "utilities"),
        ("Waternet", "Termijn maart 2026", "utilities"),
        ("KPN B.V.", "Factuur 2026-03", "telecom"),
        ("Odido Netherlands B.V.", None, "telecom"),
        ("Zilveren Kruis Zorgverzekeringen N.V.", "Premie zorgverzekering maart", "insurance"),
        ("Centraal Beheer", "Premie woonverzekering", "insurance"),
        ("Rabobank Hypotheken", "Maandtermijn hypotheek", "housing"),
        ("Basic-Fit Nederland B.V.", "Lidmaatschap", "subscriptions"),
        ("DPG Media B.V.", "de Volkskrant digitaal", "subscriptions"),
        ("DUO Dienst Uitvoering Onderwijs", "Aflossing studieschuld", "education"),
        ("Partou Kinderopvang", "Kinderopvang maart", "kids"),
        ("KWF Kankerbestrijding", "Donatie", "charity"),
        ("Gemeente Rotterdam Belastingen", "Gemeentelijke belastingen termijn 3", "taxes"),
        ("Belastingdienst", "Motorrijtuigenbelasting", "taxes"),
        ("Swapfiets", "Abonnement", "transport"),
        ("Petsecur B.V.", "Premie", "insurance"),
        ("International Card Services", "Incasso creditcard", "transfers"),
    ],
)
def test_direct_debits_are_known_by_their_creditor(
    name: str, remittance: str | None, expected: str
) -> None:
    collected = transaction("-50.00", name, code=DIRECT_DEBIT, remittance=remittance)

    assert categorise(collected, OWN) == expected


def test_some_creditors_pay_in_for_something_else() -> None:
    grant = transaction("300.00", "DUO", code=RECEIVED, remittance="Studiefinanciering")
    care = transaction("85.00", "Zilveren Kruis", code=RECEIVED, remittance="Nota 123")
    tax_refund = transaction("412.00", "Belastingdienst", code=RECEIVED,
                             remittance="Teruggaaf inkomstenbelasting 2025")  # fmt: skip

    assert categorise(grant, OWN) == "income"
    assert categorise(care, OWN) == "health"
    assert categorise(tax_refund, OWN) == "taxes"


def test_the_deductible_is_care_whoever_collects_it() -> None:
    deductible = transaction("-385.00", "Zilveren Kruis", code=DIRECT_DEBIT,
                             remittance="Eigen risico 2025 relatienr 1234567")  # fmt: skip

    assert categorise(deductible, OWN) == "health"


@pytest.mark.parametrize(
    ("name", "mcc", "expected"),
    [
        ("Apple.com/bill", "5734", "subscriptions"),  # a software store by its code
        ("Spotify", "5735", "subscriptions"),  # a record shop by its code
        ("Ballorig Utrecht", "7996", "kids"),  # an amusement park by its code
        ("Eurostar International", "4112", "travel"),
        ("Studystore", "5942", "education"),
        ("Uber Eats", "5814", "eating_out"),
        ("Uber *Trip help.uber.com", "4121", "transport"),
        ("AH to go 5822 Amsterdam", "5411", "groceries"),
        ("PAYPAL *NETFLIX", "4899", "subscriptions"),
        ("Vattenfall InCharge", None, "fuel"),
        ("Ziggo Dome", None, "entertainment"),
    ],
)
def test_a_known_merchant_beats_its_category_code(
    name: str, mcc: str | None, expected: str
) -> None:
    assert categorise(transaction("-9.99", name, code=CARD, mcc=mcc), OWN) == expected


def test_a_known_name_late_in_a_card_label_yields_to_the_category_code() -> None:
    # The concert hall is where the restaurant is, not what was paid for.
    dinner = transaction("-64.00", "Restaurant Het Concertgebouw Amsterdam", code=CARD, mcc="5812")

    assert categorise(dinner, OWN) == "eating_out"


def test_names_that_are_also_words_or_first_names_count_only_for_card_payments() -> None:
    shop = transaction("-23.10", "PLUS 1234 Utrecht", code=CARD)
    friend = transaction("-20.00", "Dirk Plus", code=SENT, iban=FRIEND, remittance="Pizza")

    assert categorise(shop, OWN) == "groceries"
    assert categorise(friend, OWN) == "transfers"


def test_a_store_number_makes_a_name_a_shop_till_even_without_a_card_code() -> None:
    till = transaction("-45.00", "TARGET 00012345")
    unknown_till = transaction("-12.00", "GOLDEN DRAGON 0412")
    fee = transaction("-25.00", "RETURNED CHECK FEE, CHECK # 319")

    assert categorise(till, OWN) == "shopping"
    assert categorise(unknown_till, OWN) == "other"  # a shop we do not know, not a person
    assert categorise(fee, OWN) == "fees"  # "check" is a brand only at the start


def test_surnames_that_are_also_brands_are_people_on_a_transfer() -> None:
    friend = transaction("-45.00", "Ruben Meijer", code=SENT, iban=FRIEND, remittance="Drinks")
    store = transaction("-61.20", "MEIJER #212", code=CARD)

    assert categorise(friend, OWN) == "transfers"
    assert categorise(store, OWN) == "groceries"


def test_a_line_without_a_name_is_known_by_the_merchant_its_description_names() -> None:
    unnamed = transaction("-120.10", remittance="ACH DEBIT DUKE ENERGY PAYMENT")
    named = transaction("-15.00", "J. Jansen", code=SENT, iban=FRIEND, remittance="Netflix")

    assert explain(unnamed, OWN) == Categorisation("utilities", "described_merchant")
    assert categorise(named, OWN) == "transfers"  # a person named beats a brand in the text


def test_a_payment_processor_is_looked_through_to_the_merchant() -> None:
    netflix = transaction("-13.49", "PayPal Europe S.a.r.l. et Cie S.C.A", code=DIRECT_DEBIT,
                          remittance="1043221 PAYPAL Netflix International B.V.")  # fmt: skip
    unknown = transaction("-13.49", "Stichting Mollie Payments", code=SENT,
                          remittance="Bestelling 123 Webwinkel")  # fmt: skip
    later = transaction("-89.00", "Klarna Bank AB", code=DIRECT_DEBIT, remittance="Order 55")

    assert categorise(netflix, OWN) == "subscriptions"
    assert explain(netflix, OWN).evidence == "payment_processor"
    assert categorise(unknown, OWN) == "other"
    assert categorise(later, OWN) == "shopping"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SumUp *Taxi bordeaux m", "transport"),
        ("SUMUP *Bakker Jansen", "groceries"),
        ("Zettle_*Cafe Noord", "eating_out"),
        ("iZ *Koffiebar De Boon", "eating_out"),
        ("SQ *BLUE BOTTLE COFFEE", "eating_out"),
        ("PAYPAL *HOTEL DU NORD", "travel"),
        ("CCV*Fietsenmaker Snel", "transport"),
        ("TST* Delancey Street", "eating_out"),  # Toast serves restaurants only
        ("SP * ALLBIRDS", "shopping"),  # Shopify's web shops
        ("SumUp *Jansen", "other"),  # nothing says what the payee is
    ],
)
def test_the_payee_after_a_card_terminal_provider_decides(name: str, expected: str) -> None:
    paid = transaction("-35.70", name, code=CARD)

    assert categorise(paid, OWN) == expected
    assert explain(paid, OWN).evidence == "payment_processor"


def test_behind_a_provider_a_known_payee_beats_the_code_and_the_code_a_kind_of_business() -> None:
    known = transaction("-4.10", "SumUp *Albert Heijn", code=CARD, mcc="5812")
    coded = transaction("-4.10", "SumUp *Noordzee Bakkerij", code=CARD, mcc="5812")
    by_code_only = transaction("-4.10", "SumUp *Jansen", code=CARD, mcc="5812")

    assert categorise(known, OWN) == "groceries"
    assert categorise(coded, OWN) == "eating_out"
    assert categorise(by_code_only, OWN) == "eating_out"


@pytest.mark.parametrize(
    ("name", "remittance", "expected"),
    [
        ("Next to Pay via Mollie", "M0123456 0 1234 Foobar Pizza Delivery Order 123456",
         "eating_out"),
        ("Stichting Mollie Payments", "0050001 Bestelling 88 Bol.com", "shopping"),
        ("Stichting Mollie Payments", "0050001 Bestelling 88 Tandartspraktijk Wit", "health"),
        ("stichting derdengelden bucka", "Europese incasso door:STICHTING DERDENGELDEN "
         "BUCKAROO-T-Mobile Thuis B.V.: Rekening dec 2017", "telecom"),
        ("Stichting Derdengelden Notariskantoor Jansen", "Dossier 2026-118", "other"),
        ("Adyen N.V.", "Vattenfall termijnbedrag", "utilities"),
        ("Stripe Technology Europe Ltd", "Order 55", "other"),
        ("Klarna Bank AB (publ)", "Order 55", "shopping"),
    ],
)  # fmt: skip
def test_the_payee_behind_an_online_provider_is_in_its_name_or_the_description(
    name: str, remittance: str, expected: str
) -> None:
    paid = transaction("-39.35", name, code=SENT, remittance=remittance)

    assert categorise(paid, OWN) == expected
    assert explain(paid, OWN).evidence == "payment_processor"


def test_paypal_pays_in_a_balance_or_money_from_a_person() -> None:
    paypal = "PayPal (Europe) S.a r.l. et Cie, S.C.A."
    withdrawn = transaction("27.00", paypal, code=RECEIVED, remittance="ABBUCHUNG VOM PAYPAL-KONTO")
    refund = transaction("27.00", paypal, code=RECEIVED, remittance="Refund 1043221 webwinkel")
    returned = transaction("27.00", paypal, code=RECEIVED, remittance="Refund Zalando order 88")
    paid = transaction("-27.00", paypal, code=DIRECT_DEBIT, remittance="1043221 PAYPAL webwinkel")

    assert categorise(withdrawn, OWN) == "transfers"
    assert categorise(refund, OWN) == "other"
    assert categorise(returned, OWN) == "shopping"
    assert categorise(paid, OWN) == "other"  # a shop or a person: nothing says which


def test_tikkie_and_friends_are_transfers_both_ways() -> None:
    paid = transaction("-12.50", "Tikkie", code=SENT, remittance="Tikkie ID 0001, Pizza, Lotte")
    received = transaction("12.50", "Tikkie", code=RECEIVED, remittance="Tikkie ID 0002, Bios")
    friend = transaction("-40.00", "Jake Miller", code=SENT, iban=FRIEND, remittance="Dinner")

    assert {categorise(item, OWN) for item in (paid, received, friend)} == {"transfers"}


# --- categories codes, kinds of business, descriptions -------------------------------------


@pytest.mark.parametrize(
    ("name", "mcc", "expected"),
    [
        ("Eetcafe De Zwaan Utrecht", "5812", "eating_out"),
        ("Shell Utrecht", "5541", "fuel"),
        ("Dierenkliniek Groningen", "0742", "pets"),
        ("Hotel Krasnapolsky", "3501", "travel"),
        ("Onbekende Winkel", "5999", "shopping"),
        ("Stichting X", "8398", "charity"),
    ],
)
def test_card_payments_fall_back_on_their_category_code(name: str, mcc: str, expected: str) -> None:
    assert categorise(transaction("-30.00", name, code=CARD, mcc=mcc), OWN) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tandartspraktijk Smile", "health"),
        ("CCV*Stadsapotheek Zwolle", "health"),
        ("Restaurant De Kas", "eating_out"),
        ("Cafe Noord", "eating_out"),
        ("SumUp *Warme Bakkerij Jansen", "groceries"),
        ("Parkeergarage Centrum", "transport"),
        ("Kinderopvang Het Zonnetje", "kids"),
        ("Kapsalon Knip", "other"),
    ],
)
def test_the_kind_of_business_in_the_name_decides_without_a_code(name: str, expected: str) -> None:
    assert categorise(transaction("-30.00", name, code=CARD), OWN) == expected


def test_a_known_name_written_as_one_word_is_known() -> None:
    assert categorise(transaction("-11.00", "TUIFLY NL", code=CARD), OWN) == "travel"
    assert categorise(transaction("-9.50", "BURGERKING 1234 UTRECHT", code=CARD), OWN) == (
        "eating_out"
    )
    # Short names written as one word are more often something else ("h m", "at t").
    assert categorise(transaction("-9.50", "HM", code=CARD), OWN) == "other"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Praktijk Foobar", "health"),
        ("Fysiotherapie Oost", "health"),
        ("Dierenartsenpraktijk De Hoef", "pets"),
        ("Advocatenpraktijk Smit", "other"),
        ("gerrits glas en schilderwerk", "housing"),
        ("Klussenbedrijf Van Dam", "housing"),
        ("Autogarage Hendriks", "transport"),
        ("Sportschool Fit", "subscriptions"),  # a gym, not a school
        ("Rijschool Veilig", "education"),
        ("Joe's Bald Hairstyles", "other"),
        ("Wetterskip Fryslan", "taxes"),
        ("Gemeente Utrecht", "taxes"),
        ("Protestantse Gemeente Zeist", "charity"),
        ("Reisbureau Zon", "travel"),
    ],
)
def test_the_kind_of_business_decides_a_transfer_to_an_unknown_payee(
    name: str, expected: str
) -> None:
    assert categorise(transaction("-75.00", name, code=SENT, remittance="Nota 118"), OWN) == (
        expected
    )


def test_a_word_that_is_also_a_surname_counts_only_for_a_shop() -> None:
    friend = transaction("-30.00", "J. Bakker", code=SENT, iban=FRIEND, remittance="Lunch")
    shop = transaction("-3.10", "Bakker Van Dam", code=CARD)
    repaid = transaction("250.00", "Dirk Bakker", pan="525412******3241")  # the card holder

    assert categorise(friend, OWN) == "transfers"
    assert categorise(shop, OWN) == "groceries"
    assert categorise(repaid, OWN) == "transfers"


def test_a_benefit_from_the_municipality_is_income() -> None:
    paid = transaction(
        "1210.00", "Gemeente Utrecht", code=RECEIVED, remittance="Bijstandsuitkering"
    )

    assert categorise(paid, OWN) == "income"


@pytest.mark.parametrize(
    ("remittance", "expected"),
    [
        ("Huur april 2026 Kinkerstraat 88-2", "housing"),
        ("Rent May 2026 Prinsengracht 401", "housing"),
        ("Jaarpremie autoverzekering 2026 polisnr 1234", "insurance"),
        ("Collegegeld 2025-2026", "education"),
        ("Maandelijkse gift", "charity"),
        ("Aanslag afvalstoffenheffing 2026", "taxes"),
        ("Jaarabonnement", "subscriptions"),
    ],
)
def test_the_description_says_what_a_transfer_is_for(remittance: str, expected: str) -> None:
    paid = transaction("-1150.00", "J.P. Verhoeven", code=STANDING_ORDER, iban=FRIEND,
                       remittance=remittance)  # fmt: skip

    assert categorise(paid, OWN) == expected


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (transaction("-1.25", "Kosten OranjePakket met korting"), "fees"),
        (transaction("-2.20", None, remittance="Kosten gebruik betaalrekening"), "fees"),
        (transaction("-101.33", "HOTEL MERCURE PARIS", pan="545616******0467"), "travel"),
        (transaction("-10.00", "SODEXO RESTAURANT 4734012", pan="545616******0467"), "eating_out"),
        (transaction("1311.73", "IDEAL BETALING, DANK U", pan="545616******0467"), "transfers"),
        (transaction("7.02", "Knab", remittance="Rente"), "income"),
        (transaction("-35.00", "OVERDRAFT FEE", remittance="OVERDRAFT FEE FOR ITEM 1042"), "fees"),
        (
            transaction("-61.20", "ONLINE PAYMENT", remittance="ELECTRIC BILL ACCT 5512"),
            "utilities",
        ),
        (transaction("-25.03", None, remittance="AFREKENING BETALINGSVERKEER PERIODE Q4"), "fees"),
    ],
)
def test_statement_lines_without_codes(item: Transaction, expected: str) -> None:
    # What a CSV export or a credit-card statement gives: names and text, no codes.
    assert categorise(item, OWN) == expected


def test_a_bank_paid_without_a_charge_code_is_a_fee() -> None:
    charged = transaction("-2.95", "ING Bank N.V.", remittance="1 jan t/m 31 jan 2026")

    assert categorise(charged, OWN) == "fees"
    assert explain(charged, OWN).evidence == "bank"


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (transaction("-20.00", "Onbekend 123", code=CARD), "other"),
        (transaction("-20.00", "Onbekend B.V.", code=DIRECT_DEBIT), "other"),
        (transaction("-20.00", "Onbekend B.V.", code=SENT), "other"),
        (transaction("-20.00", "P. Onbekend", code=SENT), "transfers"),
        (transaction("20.00", "Onbekend 123", code=REFUND), "other"),
    ],
)
def test_without_evidence_the_flow_decides(item: Transaction, expected: str) -> None:
    assert categorise(item, OWN) == expected
    assert explain(item, OWN).evidence == "flow"


def test_categorise_all_maps_each_id_to_its_category() -> None:
    items = [
        Transaction("acc-1", "a", BookingStatus.BOOKED, Money(Decimal("-4.10"), "EUR"),
                    counterparty_name="Albert Heijn 1403", merchant_category_code="5411"),
        Transaction("acc-1", "b", BookingStatus.PENDING, Money(Decimal("-25.00"), "EUR"),
                    counterparty_name="Me", counterparty_iban="NL69 INGB 0123 4567 89"),
    ]  # fmt: skip

    assert categorise_all(items, [SAVINGS]) == {"a": "groceries", "b": "transfers"}


texts = st.none() | st.text(max_size=60) | st.sampled_from(["AH", "Huur", "Salaris", "NS", ""])


@given(
    amount=st.decimals(min_value=-10_000, max_value=10_000, places=2, allow_nan=False),
    name=texts,
    remittance=texts,
    code=st.none() | st.sampled_from([CARD, REFUND, SENT, RECEIVED, "X", "A-B-C-D", "--"]),
    mcc=st.none() | st.text(alphabet="0123456789x", max_size=5),
    pan=st.none() | st.just("525412******3241"),
)
def test_any_transaction_gets_one_category_of_the_contract(
    amount: Decimal,
    name: str | None,
    remittance: str | None,
    code: str | None,
    mcc: str | None,
    pan: str | None,
) -> None:
    item = transaction(str(amount), name, code=code, mcc=mcc, remittance=remittance, pan=pan)

    category = categorise(item, OWN)

    assert category in CATEGORIES
    assert categorise(item, OWN) == category  # deterministic


# --- the tables -----------------------------------------------------------------------------


def test_normalise_gives_plain_words() -> None:
    assert normalise("McDonald's Utrecht") == "mcdonalds utrecht"
    assert normalise("Univé  Verzekeringen") == "unive verzekeringen"
    assert normalise("H&M / Bol.com*Order") == "h m bol com order"
    assert normalise(None) == ""


def _knowledge_blocks() -> Iterable[str]:
    for table in (
        merchant_knowledge.NAMES,
        merchant_knowledge.CARD_NAMES,
        statement_words.NAME_WORDS,
        statement_words.NAME_FRAGMENTS,
        statement_words.REMITTANCE_WORDS,
        statement_words.REMITTANCE_FRAGMENTS,
    ):
        yield from table.values()
    yield statement_words.CARD_REPAYMENT_WORDS
    yield statement_words.CARE_WORDS
    yield statement_words.INCOME_WORDS
    yield statement_words.REFUND_WORDS
    yield merchant_knowledge.BANKS
    yield statement_words.ORGANISATION_WORDS
    yield " | ".join(merchant_knowledge.PAYMENT_PROCESSORS)
    yield " | ".join(merchant_knowledge.PROCESSOR_PREFIXES)
    yield " | ".join(merchant_knowledge.PROCESSORS_PAYING_IN)
    yield merchant_knowledge.PROCESSOR_NAME_WORDS
    yield merchant_knowledge.PROCESSOR_JOINING_WORDS
    yield " | ".join(merchant_knowledge.INCOMING)


def test_every_knowledge_entry_is_written_as_normalised_text_would_read() -> None:
    # An entry that normalised text can never contain would silently never match.
    entries = [
        entry for block in _knowledge_blocks() for entry in merchant_knowledge.entries(block)
    ]

    assert len(entries) > 600
    assert [entry for entry in entries if normalise(entry) != entry] == []


def test_a_name_is_either_always_a_merchant_or_only_on_a_card() -> None:
    def names(blocks: Iterable[str]) -> set[str]:
        return set(merchant_knowledge.entries(" | ".join(blocks)))

    always = names(merchant_knowledge.NAMES.values())
    assert always & names(merchant_knowledge.CARD_NAMES.values()) == set()


def test_names_paid_in_differently_are_known_names() -> None:
    known = set(merchant_knowledge.entries(" | ".join(merchant_knowledge.NAMES.values())))

    assert set(merchant_knowledge.INCOMING) <= known


def _mcc_rows() -> list[tuple[str, str]]:
    if not MCC_FILE.exists():
        pytest.skip(f"the shared MCC list is not at {MCC_FILE}")
    with MCC_FILE.open(encoding="utf-8", newline="") as stream:  # CR-only line endings
        rows = list(csv.reader(stream))
    return [(row[0], row[1]) for row in rows[1:] if row and row[0].isdigit()]


def test_every_iso_18245_code_has_a_category_of_the_contract() -> None:
    rows = _mcc_rows()

    unmapped = [code for code, _ in rows if category_for_mcc(code) not in CATEGORIES]

    assert len(rows) > 900
    # Only the card schemes' own codes (9700 and up) are not merchants.
    assert unmapped == [code for code, _ in rows if int(code) >= 9700]


def test_airlines_hotels_and_car_rental_are_travel() -> None:
    rows = _mcc_rows()
    travel_words = ("airline", "air lines", "airways", "hotel", "inn", "resort", "rent-a-car",
                    "car rental")  # fmt: skip
    named = [
        code
        for code, description in rows
        if 3000 <= int(code) <= 3999 or any(word in description.lower() for word in travel_words)
    ]

    assert len(named) > 300
    elsewhere = {code: category_for_mcc(code) for code in named}
    assert {code: category for code, category in elsewhere.items() if category != "travel"} == {}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("5411", "groceries"), ("5462", "groceries"), ("5812", "eating_out"),
        ("5814", "eating_out"), ("4111", "transport"), ("4121", "transport"),
        ("5541", "fuel"), ("4900", "utilities"), ("4814", "telecom"),
        ("4899", "subscriptions"), ("6300", "insurance"), ("5912", "health"),
        ("8021", "health"), ("5651", "shopping"), ("7832", "entertainment"),
        ("4511", "travel"), ("7011", "travel"), ("6011", "cash"), ("8220", "education"),
        ("8398", "charity"), ("742", "pets"), ("0742", "pets"), ("5995", "pets"),
        ("5945", "kids"), ("8351", "kids"), ("9311", "taxes"), ("7230", "other"),
        ("6513", "housing"), ("6540", "transfers"),
    ],
)  # fmt: skip
def test_merchant_category_codes(code: str, expected: str) -> None:
    assert category_for_mcc(code) == expected


@pytest.mark.parametrize("code", [None, "", "54111", "54a1", "٥٤١١", "9999"])
def test_no_category_for_what_is_not_a_merchant_code(code: str | None) -> None:
    assert category_for_mcc(code) is None


# --- the sandbox's truth ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Labelled:
    customer: str
    truth: str
    predicted: str


async def _categorised(settings: Settings, seed: int) -> list[Labelled]:
    """Every demo customer's transactions, read as Kluis reads them, with both labels."""
    labelled: list[Labelled] = []
    for history in await read_histories(seed, settings.data_dir):
        predicted = categorise_all(history.transactions, history.own_ibans)
        truth = history.truth.transactions
        assert set(predicted) == {item.transaction_id for item in truth}
        labelled.extend(
            Labelled(history.customer_id, item.category, predicted[item.transaction_id])
            for item in truth
        )
    return labelled


def _share(hits: int, total: int) -> float:
    return hits / total if total else 1.0


@pytest.mark.parametrize("seed", [20260318, 7])
async def test_categories_agree_with_the_sandbox_truth(settings: Settings, seed: int) -> None:
    labelled = await _categorised(settings, seed)
    pairs = Counter((item.truth, item.predicted) for item in labelled)

    right = sum(n for (truth, guess), n in pairs.items() if truth == guess)
    accuracy = _share(right, len(labelled))
    assert len(labelled) > 5000
    assert accuracy >= 0.95
    for customer in {item.customer for item in labelled}:
        own = [item for item in labelled if item.customer == customer]
        assert _share(sum(item.truth == item.predicted for item in own), len(own)) >= 0.90, customer
    for category in MAJOR:
        hits = pairs[(category, category)]
        relevant = sum(n for (truth, _), n in pairs.items() if truth == category)
        chosen = sum(n for (_, guess), n in pairs.items() if guess == category)
        confused = {pair: n for pair, n in pairs.items() if category in pair and len(set(pair)) > 1}
        assert relevant > 0, category
        assert _share(hits, chosen) >= 0.90, (category, "precision", confused)
        assert _share(hits, relevant) >= 0.90, (category, "recall", confused)

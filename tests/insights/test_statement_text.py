"""The fields of statement descriptions: Dutch MT940/ABN AMRO SEPA tags, ING labels, card
and cash machine lines; American and British card, cash, ACH, direct debit and transfer
lines."""

from __future__ import annotations

import pytest

from kluis.insights.statement_text import PaymentKind, StatementText, read


def test_sepa_tags_of_a_direct_debit() -> None:
    found = read(
        "/TRTP/SEPA Incasso algemeen doorlopend/CSID/NL12ZZZ301234560000/NAME/Vattenfall "
        "Klantenservice N.V./MARF/M-778/REMI/Termijnbedrag 03-2026/IBAN/NL91INGB0001234567/"
        "BIC/INGBNL2A/EREF/E-1"
    )
    assert found == StatementText(
        kind="direct_debit",
        name="Vattenfall Klantenservice N.V.",
        iban="NL91INGB0001234567",
        creditor_id="NL12ZZZ301234560000",
        mandate_id="M-778",
        remittance="Termijnbedrag 03-2026",
    )


def test_ing_labels_of_a_transfer() -> None:
    found = read("Naam: J. de Vries Omschrijving: huur maart IBAN: NL02ABNA0123456789 Kenmerk: 17")
    assert found.name == "J. de Vries"
    assert found.remittance == "huur maart"
    assert found.iban == "NL02ABNA0123456789"


def test_card_and_cash_machine_lines() -> None:
    card = read("BEA   NR:XXXX 12.03.26/18.04 ALBERT HEIJN 1403,PAS123")
    assert card.kind == "card"
    assert card.name == "ALBERT HEIJN 1403"
    cash = read("GEA   NR:00012345 12.03.26/18.04 GELDMAAT UTRECHT,PAS123")
    assert cash.kind == "cash"
    assert cash.name == "GELDMAAT UTRECHT"


def test_plain_text_is_left_alone() -> None:
    assert read(None) == StatementText()
    assert read("   ") == StatementText()
    found = read("Bedankt voor je donatie")
    assert found.name is None
    assert found.remittance is None


def test_newer_abn_amro_card_lines_name_the_merchant_before_the_card() -> None:
    found = read("BEA, Betaalpas IKEA Amsterdam,PAS123 NR:0ABC0D, 13.02.23/14:37 AMSTERDAM")
    assert found.kind == "card"
    assert found.name == "IKEA Amsterdam"
    paid = read("BEA, Google Pay NLOVAB1C2D3E4F,PAS456 NR:AB12CD34, 20.02.23/12:59 www.ovpay.nl")
    assert paid.name == "www.ovpay.nl"  # a phone wallet's device token is no merchant


def test_tags_we_do_not_read_still_end_the_field_before_them() -> None:
    # Rabobank puts the payer's address after the name and the order date after the text.
    found = read(
        "/ORDP//NAME/P. de Wit/ADDR/Marktstraat 4 3511AB Utrecht NL/REMI/Terugbetaling "
        "etentje/ISDT/2026-03-02"
    )
    assert found.name == "P. de Wit"
    assert found.remittance == "Terugbetaling etentje"


def test_an_ideal_payment_through_a_provider_keeps_the_payee_in_the_name() -> None:
    found = read(
        "SEPA iDEAL IBAN: NL01RABO0123456789 BIC: RABONL2U Naam: Bakkerij Noord via Mollie "
        "Omschrijving: M0123456 Bestelling 88 Kenmerk: 02-02-2026 17:01 0123456789"
    )
    assert found.kind == "transfer"
    assert found.name == "Bakkerij Noord via Mollie"
    assert found.remittance == "M0123456 Bestelling 88"


@pytest.mark.parametrize(
    ("description", "name"),
    [
        ("POS PURCHASE TARGET T-1234 MINNEAPOLIS MN", "TARGET T-1234 MINNEAPOLIS MN"),
        (
            "CHECKCARD 0312 TRADER JOE S #552 SAN FRANCISCO CA 24431065071",
            "TRADER JOE S #552 SAN FRANCISCO CA",
        ),
        ("DEBIT CARD PURCHASE - SHELL OIL 574", "SHELL OIL 574"),
        (
            "PURCHASE AUTHORIZED ON 03/12 WHOLEFDS MKT 10234 AUSTIN TX S386071234 CARD 1234",
            "WHOLEFDS MKT 10234 AUSTIN TX",
        ),
        ("POS MERCHANDISE;MCDONALD'S #112", "MCDONALD'S #112"),
        ("VISA DDA PUR 443106 CHEVRON 0204 HOUSTON TX", "CHEVRON 0204 HOUSTON TX"),
        ("DBT CRD 0945 03/12/26 29385738 STARBUCKS SEATTLE WA", "STARBUCKS SEATTLE WA"),
        (
            "Card Purchase With Pin 03/12 Safeway #1234 Seattle WA Card 1234",
            "Safeway #1234 Seattle WA",
        ),
        ("CARD PAYMENT TO TESCO STORES 3217 ON 12-03-2026", "TESCO STORES 3217"),
        ("CONTACTLESS PAYMENT PRET A MANGER LONDON", "PRET A MANGER LONDON"),
    ],
)
def test_american_and_british_card_lines_name_the_merchant(description: str, name: str) -> None:
    found = read(description)
    assert found.kind == "card"
    assert found.name == name
    assert found.remittance is None  # the description stays the caller's to read


@pytest.mark.parametrize(
    ("description", "name"),
    [
        ("ATM WITHDRAWAL 003412 03/12 MAIN ST", "MAIN ST"),
        ("ATM W/D 03/12 1ST NATIONAL BANK", "1ST NATIONAL BANK"),
        ("CASH WITHDRAWAL AT HSBC LONDON ON 12-03-2026", "HSBC LONDON"),
        ("CASH MACHINE WITHDRAWAL LLOYDS BANK LEEDS", "LLOYDS BANK LEEDS"),
        ("NON-STERLING CASH WITHDRAWAL PARIS", "PARIS"),
        # a cash machine beats the card words before it
        ("VISA ATM WITHDRAWAL 03/12 CHASE BANK", None),
        ("POS ATM WITHDRAWAL 03/12 FIRST BANK DENVER CO", None),
    ],
)
def test_cash_machine_lines_are_cash(description: str, name: str | None) -> None:
    found = read(description)
    assert found.kind == "cash"
    assert found.name == name


@pytest.mark.parametrize(
    "description", ["NON-CHASE ATM FEE-WITH", "ATM SURCHARGE", "NON-STERLING CASH FEE"]
)
def test_a_cash_machine_fee_is_no_cash(description: str) -> None:
    assert read(description) == StatementText()


@pytest.mark.parametrize(
    ("description", "name"),
    [
        ("ACH DEBIT COMCAST 8155 CABLE PPD ID: 0000123", "COMCAST 8155 CABLE"),
        ("COMCAST 8155 CABLE PPD ID: 0000123", "COMCAST 8155 CABLE"),
        ("COMCAST DES:CABLE ID:XXXX1234 INDN:J DOE CO ID:XXXXX1234 PPD", "COMCAST"),
        ("DIRECT DEBIT TO THAMES WATER REF 4471230", "THAMES WATER"),
        ("DD THAMES WATER", "THAMES WATER"),
        ("AUTOMATIC WITHDRAWAL, ELECTRIC BILL WEB(S )", None),
        ("GEICO AUTOPAY", None),
        ("ELECTRONIC PAYMENT CITI CARD", None),
        ("CAPITAL ONE WEB PMT", None),
    ],
)
def test_ach_and_british_direct_debits(description: str, name: str | None) -> None:
    found = read(description)
    assert found.kind == "direct_debit"
    assert found.name == name


def test_chases_ach_labels_are_no_ing_labels() -> None:
    found = read(
        "ORIG CO NAME:COMCAST ORIG ID:1234567 DESC DATE:031226 CO ENTRY DESCR:CABLE SEC:PPD "
        "TRACE#:021000020000001 EED:260312 IND ID:77 IND NAME:J DOE TRN: 0712345TC"
    )
    assert found == StatementText(kind="direct_debit", name="COMCAST")


@pytest.mark.parametrize(
    ("description", "name"),
    [
        ("ONLINE TRANSFER TO SAV XXXX1234", None),  # an account, not a payee
        ("TRANSFER FROM CHK 1234", None),
        ("ZELLE PAYMENT TO JOHN SMITH 12345678901", "JOHN SMITH"),
        ("Zelle payment from ACME LLC Jpm99abc12345", "ACME LLC"),
        ("FASTER PAYMENT RECEIPT REF.RENT FROM J SMITH", None),
        ("STANDING ORDER TO J SMITH REF RENT", "J SMITH"),
        ("BILL PAYMENT TO BRITISH GAS REFERENCE 8812", "BRITISH GAS"),
        ("ACH CREDIT ACME CORP PAYROLL", "ACME CORP PAYROLL"),
        ("ACME CORP DIR DEP", None),
    ],
)
def test_american_and_british_transfers(description: str, name: str | None) -> None:
    found = read(description)
    assert found.kind == "transfer"
    assert found.name == name


@pytest.mark.parametrize(
    ("description", "kind"),
    [
        ("CREDIT CARD PAYMENT - THANK YOU", None),  # a repayment, no purchase
        ("DEBIT CARD REPLACEMENT FEE", None),
        ("Positive Energy BV", None),
        ("Positieve afronding pos 4", None),
        ("Overboeking naar spaarrekening pos 12", "transfer"),
        (
            "/TRTP/SEPA OVERBOEKING/IBAN/NL91INGB0001234567/BIC/INGBNL2A/NAME/Positive "
            "Energy BV/REMI/Factuur 2026-03 pos 3 zonnepanelen/EREF/NOTPROVIDED",
            "transfer",
        ),
    ],
)
def test_pos_and_card_words_elsewhere_are_no_card_payment(
    description: str, kind: PaymentKind | None
) -> None:
    assert read(description).kind == kind


def test_english_forms_inside_sepa_fields_are_not_read() -> None:
    found = read(
        "/TRTP/SEPA OVERBOEKING/IBAN/NL91INGB0001234567/BIC/INGBNL2A/NAME/J. Smith/REMI/"
        "Card payment to Tesco, cash withdrawal, Zelle"
    )
    assert found.kind == "transfer"
    assert found.name == "J. Smith"
    labelled = read("Naam: J. Smith Omschrijving: Zelle terug IBAN: NL02ABNA0123456789")
    assert labelled.kind is None
    assert labelled.name == "J. Smith"
    assert labelled.remittance == "Zelle terug"


def test_no_merchant_is_made_up_from_dates_and_numbers() -> None:
    found = read("POS PURCHASE 03/12 443106 CARD 1234")
    assert found.kind == "card"
    assert found.name is None
    assert read("ATM WITHDRAWAL 003412 03/12").name is None


def test_a_dutch_card_line_after_pos_keeps_its_dutch_reading() -> None:
    found = read("POS 12.03.26/18.04 JUMBO UTRECHT,PAS123")
    assert found.kind == "card"
    assert found.name == "JUMBO UTRECHT"


def test_the_purpose_code_of_an_mt940_narrative() -> None:
    found = read("/TRTP/SEPA OVERBOEKING/NAME/Werkgever BV/PURP/sala/REMI/Salaris maart")
    assert found.purpose_code == "SALA"
    assert read("/NAME/Werkgever BV/PURP/12/REMI/Salaris").purpose_code is None
    assert read("Salaris maart PURP SALA").purpose_code is None  # only the tag counts

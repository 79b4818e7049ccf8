"""The fields of Dutch statement descriptions: MT940/ABN AMRO SEPA tags, ING labels, card
and cash machine lines."""

from __future__ import annotations

from kluis.insights.statement_text import StatementText, read


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

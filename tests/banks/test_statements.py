"""Statement files read into transactions: every sample under /work/shared/data/statements,
figures checked by hand against the files (balances, totals), and the refusals."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kluis.banks.statements import StatementLine, read_statement, read_statement_text
from kluis.domain import CATEGORIES
from kluis.errors import MalformedStatement, StatementError, UnknownStatementFormat

STATEMENTS = Path("/work/shared/data/statements")
LABELS = Path(__file__).resolve().parents[1] / "insights/data/statement_labels.jsonl"
NOT_STATEMENTS = {"licenses", "expected"}

pytestmark = pytest.mark.skipif(not STATEMENTS.is_dir(), reason="shared sample data missing")

# How many transactions each file holds, counted by hand in the file.
COUNTS = {
    "camt/kedder-iso20022_camt052.xml": 5,
    "camt/kedder-iso20022_gcamp6.xml": 5,
    "camt/kedder-iso20022_simple.xml": 4,
    "camt/oca-test-camt053-no-ntry.xml": 0,
    "camt/oca-test-camt053.xml": 4,  # a batch entry of two direct debits gives two lines
    "csv_nl/beancount-rabobank_CSV_A_20201231_162236.csv": 5,
    "csv_nl/beancount-rabobank_CSV_A_NL00RABO1234567890_EUR_20220331_20220702.csv": 5,
    "csv_nl/ofxstatement-dutch_Knab_transactieoverzicht_no_lines.csv": 0,
    "csv_nl/ofxstatement-dutch_Knab_transactieoverzicht_ok.csv": 28,
    "csv_nl/ofxstatement-dutch_icscards.txt": 25,
    "csv_nl/ofxstatement-dutch_ing_fail.csv": 2,
    "csv_nl/ofxstatement-dutch_ing_ok.csv": 6,
    "csv_nl/ofxstatement-dutch_ing_ok_Mutatiesoort.csv": 6,
    "csv_nl/ofxstatement-dutch_ing_ok_Mutatiesoort_Extra.csv": 6,
    "csv_nl/ofxstatement-dutch_transactie-historie_NL00ASNB9999999999_20220717204133.csv": 11,
    "mt940/oca10-base_test-sns.940": 8,
    "mt940/oca10-nl_ing_test-ing.940": 8,
    "mt940/oca10-nl_rabo_test-rabo.swi": 2,
    "mt940/wolph-betterplace_sepa_mt9401.sta": 97,
    "mt940/wolph-betterplace_with_binary_character.sta": 4,
    "mt940/wolph-cmxl_mt940.sta": 16,
    "mt940/wolph-jejik_generic.sta": 2,
    "mt940/wolph-jejik_ing.sta": 7,
    "mt940/wolph-jejik_postfinance.sta": 4,
    "mt940/wolph-jejik_rabobank-iban.sta": 4,
    "mt940/wolph-jejik_rabobank.sta": 5,
    "mt940/wolph-mBank_mt940.sta": 3,
    "mt940/wolph-self_whitespace.sta": 1,
    "ofx/oca-test_ofx_iban.ofx": 4,
    "ofx/ofxparse-bank_medium.ofx": 3,
    "ofx/ofxparse-checking.ofx": 3,
    "ofx/ofxparse-fail_nice_date_missing.ofx": 3,
    "ofx/ofxparse-ofx-v102-empty-tags.ofx": 1,
    "tab_nl/abn-amro-statement-parser_TXT_SAMPLE.TAB": 26,
}
REFUSED = {
    "csv_nl/ofxstatement-dutch_NL99INGB9999999999_25-11-2019_30-05-2020.csv": (
        UnknownStatementFormat,
        "balance history",
    ),
    "ofx/ofxparse-error_message.ofx": (MalformedStatement, "General Server Error"),
}


def sample_files() -> list[str]:
    return sorted(
        str(path.relative_to(STATEMENTS))
        for path in STATEMENTS.rglob("*")
        if path.is_file() and path.relative_to(STATEMENTS).parts[0] not in NOT_STATEMENTS
    )


def total(lines: list[StatementLine]) -> Decimal:
    return sum((Decimal(line.amount) for line in lines), Decimal(0))


@pytest.mark.parametrize("name", sample_files())
def test_every_sample_is_read_or_refused_clearly(name: str) -> None:
    if name in REFUSED:
        error, words = REFUSED[name]
        with pytest.raises(error, match=words):
            read_statement(STATEMENTS / name)
        return
    lines = read_statement(STATEMENTS / name)
    assert len(lines) == COUNTS[name]
    for line in lines:
        assert Decimal(line.amount) == Decimal(line.amount).quantize(Decimal("0.01"))
        assert line.to_json()["amount"] == line.amount
        assert not line.booking_date or len(line.booking_date) == 10


def test_every_sample_is_counted() -> None:
    assert set(sample_files()) == set(COUNTS) | set(REFUSED)


def test_sns_mt940_balances_and_fields() -> None:
    lines = read_statement(STATEMENTS / "mt940/oca10-base_test-sns.940")
    # statement 361: opening 3026.96, closing 2264.52
    assert total(lines[:4]) == Decimal("2264.52") - Decimal("3026.96")
    assert lines[0] == StatementLine(
        amount="-713.13",
        counterparty="gerrits glas en schilderwerk",
        description="NL49RABO0166416932 gerrits glas en schilderwerk Factuur 17227/248/20",
        currency="EUR",
        counterparty_iban="NL49RABO0166416932",
        booking_date="2017-12-27",
    )
    assert lines[1].mcc == "5411"  # "…4XZJ4Z   M" wraps to "CC:5411"
    assert lines[1].description.startswith("Jumbo Wijchen B.V. >WIJCHEN 27.12.2017")
    assert lines[6].booking_date == "2017-12-29"


def test_mt940_signs_reversals_and_german_subfields() -> None:
    lines = read_statement(STATEMENTS / "mt940/wolph-betterplace_sepa_mt9401.sta")
    assert [line.amount for line in lines[:7]] == [
        "300.00", "335.33", "15000.00", "66295.08", "915311.55", "-204.88", "-999946.95",
    ]  # fmt: skip
    # first statement: opening D 1234718.36, closing D 1237628.23
    assert total(lines[:7]) == Decimal("-1237628.23") + Decimal("1234718.36")
    assert lines[22].counterparty == "Florian Frech"
    assert lines[22].counterparty_iban == "DE06508800500194780100"
    assert lines[22].description.startswith("GUTSCHRIFT EREF+TFNR 21005")


def test_mt940_odd_files() -> None:
    whitespace = read_statement(STATEMENTS / "mt940/wolph-self_whitespace.sta")
    assert whitespace[0].description == (
        "UMBUCHUNG ERSTATTUNG AUSLANDSEINSATZENTGELT FUER VISA 4998 XXXXXXXX 1234"
    )
    binary = read_statement(STATEMENTS / "mt940/wolph-betterplace_with_binary_character.sta")
    assert total(binary[:3]) == Decimal("199929.02") - Decimal("380115.77")
    rabobank = read_statement(STATEMENTS / "mt940/wolph-jejik_rabobank.sta")
    assert rabobank[1].counterparty == "T-MOBILE NETHERLANDS BV"
    assert rabobank[0].description.startswith("Terugboeking NIET AKKOORD MET AFSCHRIJVING")
    ing = read_statement(STATEMENTS / "mt940/oca10-nl_ing_test-ing.940")
    assert total(ing) == Decimal("564.35") - Decimal("662.23")
    assert "CONTRIBUTIE FEB 2014" in ing[5].description  # a "-" line inside a narrative
    cmxl = read_statement(STATEMENTS / "mt940/wolph-cmxl_mt940.sta")
    assert (cmxl[11].amount, cmxl[11].currency, cmxl[11].booking_date) == (
        "-800.00", "EUR", "2002-11-02",
    )  # fmt: skip
    assert cmxl[15].currency == "PLN"


def test_camt_entries_batches_and_parties() -> None:
    lines = read_statement(STATEMENTS / "camt/oca-test-camt053.xml")
    assert [line.amount for line in lines] == ["-754.25", "-564.05", "-100.00", "1405.31"]
    assert lines[0].counterparty == "INSURANCE COMPANY TESTX"
    assert lines[0].counterparty_iban == "NL46ABNA0499998748"
    assert lines[3].counterparty == "3rd party Media"  # the debtor of a credit
    report = read_statement(STATEMENTS / "camt/kedder-iso20022_camt052.xml")
    assert total(report) == Decimal("16.95") - Decimal("268.35")
    assert "ZG RAIFFEISEN ENERGIE" in report[1].description


def test_dutch_csv_exports() -> None:
    ics = read_statement(STATEMENTS / "csv_nl/ofxstatement-dutch_icscards.txt")
    spent = sum((Decimal(line.amount) for line in ics if line.amount.startswith("-")), Decimal(0))
    assert spent == Decimal("-1320.55")  # "Totaal nieuwe uitgaven"
    assert ics[0].amount == "1311.73"  # "Totaal ontvangen betalingen"
    assert (ics[1].counterparty, ics[1].booking_date) == ("NETFLIX.COM", "2019-08-21")
    rabobank = read_statement(
        STATEMENTS / "csv_nl/beancount-rabobank_CSV_A_NL00RABO1234567890_EUR_20220331_20220702.csv"
    )
    assert total(rabobank) == Decimal("2688.11") - Decimal("2993.06")
    latin = read_statement(STATEMENTS / "csv_nl/beancount-rabobank_CSV_A_20201231_162236.csv")
    assert latin == rabobank
    knab = read_statement(STATEMENTS / "csv_nl/ofxstatement-dutch_Knab_transactieoverzicht_ok.csv")
    assert (knab[0].amount, knab[0].booking_date) == ("-827.75", "2019-06-21")
    assert (knab[27].amount, knab[27].description) == ("7.02", "Rente")
    ing = read_statement(STATEMENTS / "csv_nl/ofxstatement-dutch_ing_ok_Mutatiesoort_Extra.csv")
    assert ing == read_statement(STATEMENTS / "csv_nl/ofxstatement-dutch_ing_ok.csv")
    assert (ing[3].amount, ing[3].counterparty_iban) == ("20.00", "NL99ASNB9999999999")
    asn = read_statement(
        STATEMENTS
        / "csv_nl/ofxstatement-dutch_transactie-historie_NL00ASNB9999999999_20220717204133.csv"
    )
    assert (asn[3].amount, asn[3].counterparty, asn[3].description) == (
        "503.15", "Optimal BV", "DIVIDEND 27/06/2022",
    )  # fmt: skip


def test_abn_amro_tab_lines() -> None:
    lines = read_statement(STATEMENTS / "tab_nl/abn-amro-statement-parser_TXT_SAMPLE.TAB")
    # the sample's balances are scrambled (3493,00 - 39,35 is given as 3454,65): check lines
    assert (lines[0].amount, lines[0].booking_date, lines[0].currency) == (
        "-25.00", "2021-12-30", "EUR",
    )  # fmt: skip
    assert lines[0].description == "BEA NR:A1B23C 30.12.21/09.15 Hema EV123,PAS123 ZAANDAM"
    assert lines[10].description.startswith("GEA, Betaalpas Geldmaat")
    assert lines[21].description.startswith("/TRTP/SEPA Incasso algemeen doorlopend/")
    assert (lines[25].amount, lines[25].booking_date) == ("123.01", "2023-12-30")


def test_ofx_sgml_xml_and_missing_dates() -> None:
    medium = read_statement(STATEMENTS / "ofx/ofxparse-bank_medium.ofx")
    assert medium[0].to_json() == {
        "counterparty": "MCDONALD'S #112",
        "description": "POS MERCHANDISE;MCDONALD'S #112",
        "amount": "-6.60",
        "currency": "CAD",
        "booking_date": "2009-04-01",
    }
    missing = read_statement(STATEMENTS / "ofx/ofxparse-fail_nice_date_missing.ofx")
    assert [line.booking_date for line in missing] == ["", "", ""]  # absent, empty, 31 Feb
    assert "booking_date" not in missing[0].to_json()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", UnknownStatementFormat),
        ("Dear customer,\nthank you for your letter.\n", UnknownStatementFormat),
        ("a,b,c\n1,2,3\n", UnknownStatementFormat),
        (":20:X\n:25:NL00\n:60F:C200101EUR1,00\n:61:garbage\n", MalformedStatement),
        ("OFXHEADER:100\nDATA:OFXSGML\n", MalformedStatement),
        (
            "<?xml version='1.0'?><Document xmlns='urn:camt.053.001.02'><BkToCstmrStmt>",
            MalformedStatement,
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            "<Document><BkToCstmrStmt/></Document>",
            MalformedStatement,
        ),
        ('"Datum","Naam / Omschrijving","Af Bij"\n"20200101","X","Later"\n', MalformedStatement),
    ],
)
def test_what_is_not_a_statement_gets_a_clear_error(text: str, error: type[Exception]) -> None:
    with pytest.raises(error) as raised:
        read_statement_text(text, "upload.txt")
    assert str(raised.value).startswith("upload.txt")
    assert isinstance(raised.value, StatementError)


def test_unreadable_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(StatementError, match="cannot be read"):
        read_statement(tmp_path / "missing.sta")
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(UnknownStatementFormat):
        read_statement(binary)


def test_labels_point_at_transactions_with_known_categories() -> None:
    labels = [json.loads(text) for text in LABELS.read_text(encoding="utf-8").splitlines()]
    assert len(labels) == len({(label["file"], label["index"]) for label in labels})
    for label in labels:
        assert label["category"] in CATEGORIES
        assert 0 <= label["index"] < COUNTS[label["file"]]

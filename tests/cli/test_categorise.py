"""`kluis categorise` as contracts/insights.md describes it: JSON lines in, one answer per
line in order, the contract's category list, unusable lines answered in place."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from kluis.cli.categorise import UnusableLine, categorise_line, categorise_stream
from kluis.nlu.types import CATEGORIES


def answers(*lines: str) -> tuple[list[dict[str, object]], int]:
    source = io.BytesIO("".join(f"{line}\n" for line in lines).encode())
    target = io.BytesIO()
    unusable = categorise_stream(source, target)
    return [json.loads(line) for line in target.getvalue().splitlines()], unusable


def test_the_contracts_example_is_groceries() -> None:
    line = {
        "counterparty": "ALBERT HEIJN 1403 UTRECHT",
        "description": "BEA NR:XXXX 12.03.26/18.04 ...",
        "amount": "-23.45",
        "currency": "EUR",
        "counterparty_iban": "NL..",
        "mcc": "5411",
        "booking_date": "2026-03-12",
    }
    answer = categorise_line(line)
    assert answer["category"] == "groceries"
    assert 0.0 < float(answer["confidence"]) <= 1.0


@pytest.mark.parametrize(
    ("line", "category"),
    [
        (
            {
                "description": "/TRTP/SEPA Incasso algemeen doorlopend/CSID/NL12ZZZ1/NAME/"
                "Vattenfall Klantenservice N.V./MARF/9/REMI/Termijnbedrag maart",
                "amount": "-120.00",
            },
            "utilities",
        ),
        ({"description": "GEA NR:12345 12.03.26/18.04 GELDMAAT UTRECHT,PAS123"}, "cash"),
        ({"counterparty": "NS Groep IZ NS Reizigers", "amount": "-4.10"}, "transport"),
        ({"counterparty": "Belastingdienst", "amount": "312.00"}, "taxes"),
        ({"amount": "-10"}, "transfers"),
        # The purpose code the payer gave: pay from a company whose name says nothing.
        ({"description": "/NAME/Noordwind/PURP/SALA/REMI/Maart", "amount": "2400"}, "income"),
        # A cash machine's fee is a fee, although the description names the machine.
        ({"description": "ATM FEE", "amount": "-3.00"}, "fees"),
        ({"description": "NON-CHASE ATM FEE-WITH", "amount": "-2.50"}, "fees"),
    ],
)
def test_statement_text_decides_where_the_fields_are_empty(
    line: dict[str, str], category: str
) -> None:
    line.setdefault("amount", "-50.00")
    assert categorise_line(line)["category"] == category


@pytest.mark.parametrize(
    ("counterparty", "amount", "category"),
    [
        ("WHOLEFDS MKT 10234", "-88.20", "groceries"),
        ("TRADER JOE S #552", "-54.20", "groceries"),
        ("CHEVRON 0204", "-45.00", "fuel"),
        ("TARGET 00012345", "-45.00", "shopping"),
        ("DELTA AIR 0062", "-350.00", "travel"),
        ("SOUTHWES 5262345678", "-212.50", "travel"),
        ("KINDERCARE", "-900.00", "kids"),
        ("SALLIE MAE", "-250.00", "education"),
        ("WELLS FARGO HOME MTG", "-1800.00", "housing"),
        ("MONTHLY SERVICE FEE", "-12.00", "fees"),
        ("COUNCIL TAX LB CAMDEN", "-150.00", "taxes"),
        ("DR SMITH DDS", "-147.99", "health"),
        ("PAYROLL ACME CORP", "2500.00", "income"),
        ("EE", "-18.99", "telecom"),
        ("Ranzijn", "-40.00", "pets"),
        ("Action 1234", "-12.00", "shopping"),
        ("MARSHALLS #123", "-35.00", "shopping"),
        ("UNITED 0162345678901", "-412.50", "travel"),
        ("MARATHON PETRO123", "-38.00", "fuel"),
        ("CON ED", "-96.00", "utilities"),
        ("RDW", "-45.20", "transport"),
        ("Buurtzorg Nederland", "-30.00", "health"),
        ("Monuta Verzekeringen", "-12.40", "insurance"),
        ("Scouting Titus Brandsma", "-35.00", "kids"),
        ("Bibliotheek Utrecht", "-42.00", "subscriptions"),
        ("Feenstra", "-19.95", "housing"),
    ],
)
def test_merchants_of_american_british_and_dutch_statements(
    counterparty: str, amount: str, category: str
) -> None:
    assert categorise_line({"counterparty": counterparty, "amount": amount})["category"] == category


def test_every_line_is_answered_in_order_and_unusable_ones_in_place(
    capsys: pytest.CaptureFixture[str],
) -> None:
    found, unusable = answers(
        '{"counterparty": "Albert Heijn", "amount": "-5"}',
        "not json",
        '{"counterparty": "no amount"}',
        '["a", "list"]',
        '{"counterparty": "Shell", "amount": "-1.234,56", "mcc": "5541"}',
        '{"counterparty": "x", "amount": "twelve"}',
    )
    assert [item["category"] for item in found] == [
        "groceries",
        "other",
        "other",
        "other",
        "fuel",
        "other",
    ]
    assert [item.get("error") for item in found] == [
        None,
        "not JSON",
        "amount is missing",
        "a line must be a JSON object",
        None,
        "amount is not a number",
    ]
    assert unusable == 4
    assert "line 2: not JSON" in capsys.readouterr().err
    assert all(item["category"] in CATEGORIES for item in found)


def test_amounts_in_dutch_and_english_notation() -> None:
    for amount in ("-1.234,56", "-1,234.56", "-1234.56", -1234.56, "-1234,56"):
        categorise_line({"counterparty": "Albert Heijn", "amount": amount})
    with pytest.raises(UnusableLine):
        categorise_line({"amount": ""})


def test_the_command_reads_stdin_and_exits_1_for_an_unusable_line() -> None:
    command = [sys.executable, "-m", "kluis.cli.main", "categorise", "--json"]
    good = '{"counterparty": "Albert Heijn", "amount": "-5"}\n'
    done = subprocess.run(command, input=good, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"category": "groceries", "confidence": 0.93}
    bad = subprocess.run(  # noqa: S603
        command, input=good + "nope\n", capture_output=True, text=True, check=False
    )
    assert bad.returncode == 1
    assert len(bad.stdout.splitlines()) == 2
    assert "line 2" in bad.stderr

"""CSV exports of Dutch banks: ING, Rabobank, Knab and ASN.

Each bank has its own columns; we find them by their header names (Dutch or English),
except ASN, whose export has no header and a fixed column order. Amounts use a decimal
comma (ASN: a point); ING and Knab give the direction in a separate column (Af/Bij, D/C).
The description is the bank's free text (ING "Mededelingen", Rabobank "Omschrijving-1..3",
Knab "Omschrijving", ASN "omschrijving"), or the kind of booking when that text is empty.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from kluis.banks.statements.records import (
    StatementLine,
    compact_date,
    day_month_year,
    fold,
    iban_or_empty,
    signed_amount,
)
from kluis.errors import MalformedStatement, UnknownStatementFormat

Row = dict[str, str]


def read_csv_nl(text: str, source: str) -> list[StatementLine] | None:
    """The transactions of a Dutch bank's CSV export, or None when it is not one we know."""
    rows = _rows(text)
    if not rows:
        return None
    header = [fold(cell).lower() for cell in rows[0]]
    if header[:1] == ["knab export"]:
        return _with_header(rows[1:], source, _knab, first_line=2)
    if "naam / omschrijving" in header and "af bij" in header:
        return _with_header(rows, source, _ing)
    if header[:1] == ["iban/bban"]:
        return _with_header(rows, source, _rabobank)
    if header[:2] == ["datum", "boeksaldo"]:
        raise UnknownStatementFormat(
            f"{source}: an ING balance history (balances per day), not a list of transactions"
        )
    if len(rows[0]) == 19 and day_month_year(rows[0][0]) and iban_or_empty(rows[0][1]):
        return [_asn(row, source, number) for number, row in enumerate(rows, start=1) if row]
    return None


def _rows(text: str) -> list[list[str]]:
    first = text.lstrip("\n").split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text.strip("\n")), delimiter=delimiter, skipinitialspace=True)
    try:
        return [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error:
        return []


def _with_header(
    rows: Sequence[list[str]],
    source: str,
    convert: Callable[[Row, str, int], StatementLine],
    *,
    first_line: int = 1,
) -> list[StatementLine]:
    if not rows:
        raise MalformedStatement(source, "a CSV export without its header")
    names = [fold(cell).lower() for cell in rows[0]]
    lines = []
    for number, cells in enumerate(rows[1:], start=first_line + 1):
        if len(cells) < len(names) - 2:  # some exports drop trailing empty cells
            raise MalformedStatement(source, "a row has too few columns", line=number)
        row = {name: fold(cell) for name, cell in zip(names, cells, strict=False) if name}
        lines.append(convert(row, source, number))
    return lines


def _pick(row: Row, *names: str) -> str:
    for name in names:
        if row.get(name):
            return row[name]
    return ""


def _ing(row: Row, source: str, number: int) -> StatementLine:
    direction = row.get("af bij", "").lower()
    if direction not in ("af", "bij"):
        raise MalformedStatement(source, "the Af/Bij column is neither Af nor Bij", line=number)
    return StatementLine(
        amount=signed_amount(
            row.get("bedrag (eur)", ""), source, negative=direction == "af", line=number
        ),
        counterparty=row.get("naam / omschrijving", ""),
        description=_pick(row, "mededelingen", "mutatiesoort"),
        currency="EUR",
        counterparty_iban=iban_or_empty(row.get("tegenrekening", "")),
        booking_date=compact_date(row.get("datum", "")),
    )


def _rabobank(row: Row, source: str, number: int) -> StatementLine:
    descriptions = [_pick(row, f"omschrijving-{part}", f"description-{part}") for part in (1, 2, 3)]
    return StatementLine(
        amount=signed_amount(_pick(row, "bedrag", "amount"), source, line=number),
        counterparty=_pick(row, "naam tegenpartij", "name counterpty"),
        description=fold(" ".join(descriptions)),
        currency=_pick(row, "munt", "ccy"),
        counterparty_iban=iban_or_empty(
            _pick(row, "tegenrekening iban/bban", "counterpty iban/bban")
        ),
        booking_date=compact_date(_pick(row, "datum", "date")),
    )


def _knab(row: Row, source: str, number: int) -> StatementLine:
    direction = row.get("creditdebet", "").upper()
    if direction not in ("C", "D"):
        raise MalformedStatement(source, "the CreditDebet column is neither C nor D", line=number)
    return StatementLine(
        amount=signed_amount(row.get("bedrag", ""), source, negative=direction == "D", line=number),
        counterparty=row.get("tegenrekeninghouder", ""),
        description=_pick(row, "omschrijving", "betaalwijze"),
        currency=row.get("valutacode", ""),
        counterparty_iban=iban_or_empty(row.get("tegenrekeningnummer", "")),
        booking_date=day_month_year(_pick(row, "boekdatum", "transactiedatum")),
    )


def _asn(row: list[str], source: str, number: int) -> StatementLine:
    """ASN's 19 columns: booking date, own account, counterparty account and name, address,
    postcode, town, account currency, balance before, currency, amount, journal date, value
    date, internal code, global code, sequence number, payment reference, description,
    statement number."""
    if len(row) < 18:
        raise MalformedStatement(source, "a row has too few columns", line=number)
    return StatementLine(
        amount=signed_amount(row[10].replace(",", ""), source, line=number),
        counterparty=fold(row[3]),
        description=fold(row[17].strip("'")) or fold(row[16]),
        currency=fold(row[9]),
        counterparty_iban=iban_or_empty(row[2]),
        booking_date=day_month_year(row[0]),
    )

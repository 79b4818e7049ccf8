"""ICS (International Card Services) credit-card statements, as text saved from the PDF.

The layout is columns of text: transaction date, booking date ("20 aug  21 aug"), the
merchant, its town and country, an optional amount in foreign currency, the amount in euros
and "Af" (spent) or "Bij" (received). The year is the statement's ("Datum … 17 september
2019"); a month after the statement's month belongs to the year before.
"""

from __future__ import annotations

import re

from kluis.banks.statements.records import StatementLine, fold, iso_date, signed_amount
from kluis.errors import MalformedStatement

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
        start=1,
    )
}
_ROW = re.compile(
    r"^\s*(?P<day>\d{1,2}) (?P<month>[a-z]{3})\s+(?P<booked_day>\d{1,2}) (?P<booked_month>[a-z]{3})"
    r"\s+(?P<text>\S.*?)\s+(?:(?P<foreign>\d[\d.]*,\d{2})\s+)?(?P<amount>\d[\d.]*,\d{2})"
    r"\s+(?P<direction>Af|Bij)\s*$"
)
_STATEMENT_DATE = re.compile(
    r"^\s*(\d{1,2}) (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
    r"november|december) (\d{4})\b",
    re.MULTILINE,
)


def looks_like_ics(text: str) -> bool:
    """True for the text of an ICS card statement."""
    return "International Card Services" in text[:2000] and "ICS-klantnummer" in text


def read_ics(text: str, source: str) -> list[StatementLine]:
    """Every card transaction and payment received on an ICS statement, in text order."""
    found = _STATEMENT_DATE.search(text)
    if not found:
        raise MalformedStatement(source, "an ICS statement without its date")
    year = int(found[3])
    statement_month = _MONTHS[found[2][:3].replace("maa", "mrt")]
    lines = []
    for raw in text.split("\n"):
        match = _ROW.match(raw)
        if not match or match["booked_month"] not in _MONTHS:
            continue
        month = _MONTHS[match["booked_month"]]
        columns = re.split(r"\s{2,}", match["text"])
        lines.append(
            StatementLine(
                amount=signed_amount(match["amount"], source, negative=match["direction"] == "Af"),
                counterparty=columns[0],
                description=fold(" ".join(columns)),
                currency="EUR",
                booking_date=iso_date(
                    year - 1 if month > statement_month else year,
                    month,
                    int(match["booked_day"]),
                ),
            )
        )
    return lines

"""ABN AMRO's TXT*.TAB export: one transaction a line, tab-separated, no header.

Columns: account, currency, transaction date (YYYYMMDD), start balance, end balance, value
date, amount (signed, decimal comma), description. The description is the bank's text in
fixed-width blocks ("BEA NR:…", "SEPA Overboeking … Naam: …", "/TRTP/…"); it is kept with
its whitespace folded, for the categoriser to read. Blank lines and `#` comments are skipped.
"""

from __future__ import annotations

import re

from kluis.banks.statements.records import StatementLine, compact_date, fold, signed_amount
from kluis.errors import MalformedStatement

_ROW = re.compile(r"^[^\t]+\t[A-Z]{3}\t\d{8}\t")


def looks_like_tab(text: str) -> bool:
    """True when the first data line has the TAB export's first columns."""
    for raw in text.split("\n"):
        if raw.strip() and not raw.lstrip().startswith("#"):
            return bool(_ROW.match(raw))
    return False


def read_tab(text: str, source: str) -> list[StatementLine]:
    """Every transaction line of an ABN AMRO TAB export, in file order."""
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.split("\t")
        if len(cells) < 7 or not _ROW.match(raw):
            raise MalformedStatement(source, "a line is not a TAB transaction", line=number)
        lines.append(
            StatementLine(
                amount=signed_amount(cells[6], source, line=number),
                description=fold(" ".join(cells[7:])),
                currency=cells[1],
                booking_date=compact_date(cells[2]),
            )
        )
    return lines

"""Bank statement files read into transactions for the categoriser.

    read_statement(path) -> list[StatementLine]

The format is told from the content, not the file name: MT940/MT942 (`.sta`, `.940`,
`.swi`), ISO 20022 camt.052/053/054, OFX 1.x/2.x, the CSV exports of ING, Rabobank, Knab and
ASN, ICS card statements saved as text, and ABN AMRO's TAB export. A file in none of them
raises `UnknownStatementFormat`; a broken file in one of them `MalformedStatement`. A
statement without transactions gives an empty list.
"""

from __future__ import annotations

from pathlib import Path

from kluis.banks.statements.camt import looks_like_camt, read_camt
from kluis.banks.statements.csv_nl import read_csv_nl
from kluis.banks.statements.ics import looks_like_ics, read_ics
from kluis.banks.statements.mt940 import looks_like_mt940, read_mt940
from kluis.banks.statements.ofx import looks_like_ofx, read_ofx
from kluis.banks.statements.records import StatementLine, decode
from kluis.banks.statements.tab_nl import looks_like_tab, read_tab
from kluis.errors import StatementError, UnknownStatementFormat

__all__ = ["StatementLine", "read_statement", "read_statement_text"]

MAX_BYTES = 20_000_000


def read_statement(path: Path | str) -> list[StatementLine]:
    """The transactions of the statement file at `path`, in file order."""
    location = Path(path)
    try:
        with location.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise StatementError(f"{location.name}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise UnknownStatementFormat(f"{location.name}: larger than any statement we read")
    return read_statement_text(decode(data), location.name)


def read_statement_text(text: str, source: str = "statement") -> list[StatementLine]:
    """The transactions of a statement already decoded to text; `source` names it in errors."""
    if not text.strip():
        raise UnknownStatementFormat(f"{source}: the file is empty")
    if looks_like_camt(text):
        return read_camt(text, source)
    if looks_like_ofx(text):
        return read_ofx(text, source)
    if looks_like_mt940(text):
        return read_mt940(text, source)
    if looks_like_ics(text):
        return read_ics(text, source)
    if looks_like_tab(text):
        return read_tab(text, source)
    lines = read_csv_nl(text, source)
    if lines is not None:
        return lines
    raise UnknownStatementFormat(
        f"{source}: not a bank statement we read (MT940, camt, OFX, ING/Rabobank/Knab/ASN CSV,"
        " ICS, ABN AMRO TAB)"
    )

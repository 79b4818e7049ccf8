"""One transaction as a statement file gives it, and the small readers every format shares.

A `StatementLine` holds exactly the input fields of the categoriser contract
(docs: /work/shared/contracts/insights.md): the amount as a signed decimal string, dates in
ISO form, and empty strings for what the file does not say. Readers decode the file format's
own fields (an MT940 `:61:` line, a CSV column, a camt element); they leave the bank's
narrative text as it is, apart from folding whitespace, for the categoriser to read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from kluis.errors import MalformedStatement

_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One booked transaction: the contract's input line, empty strings for unknowns."""

    amount: str
    counterparty: str = ""
    description: str = ""
    currency: str = ""
    counterparty_iban: str = ""
    mcc: str = ""
    booking_date: str = ""

    def to_json(self) -> dict[str, str]:
        """The contract's input line: every non-empty field, `amount` always."""
        fields = {
            "counterparty": self.counterparty,
            "description": self.description,
            "amount": self.amount,
            "currency": self.currency,
            "counterparty_iban": self.counterparty_iban,
            "mcc": self.mcc,
            "booking_date": self.booking_date,
        }
        return {key: value for key, value in fields.items() if value or key == "amount"}


def decode(data: bytes) -> str:
    """The text of a statement file: UTF-8 (with or without BOM), else Windows-1252/latin-1.

    Line ends become "\\n"; control characters other than tab and newline are dropped, so a
    stray binary byte in an export cannot break a reader.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text if char in "\t\n" or unicodedata.category(char) != "Cc")


def fold(text: str) -> str:
    """Whitespace runs (tabs, newlines, padding) folded to one space, ends stripped."""
    return _SPACE.sub(" ", text).strip()


def iban_or_empty(text: str) -> str:
    """`text` without spaces when it looks like an IBAN, else ""."""
    compact = text.replace(" ", "").upper()
    return compact if _IBAN.fullmatch(compact) else ""


def signed_amount(
    text: str, source: str, *, negative: bool = False, line: int | None = None
) -> str:
    """A bank's amount ("1.311,73", "-6.60", "2500", "300,") as a signed decimal string
    with at least two decimals ("-1311.73").

    A comma is the decimal mark when it is the last separator; dots or commas before it
    group thousands. `negative` flips the sign (a debit given as a positive number).
    """
    cleaned = text.strip().replace(" ", "").replace("\u2212", "-")
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    last_comma, last_dot = cleaned.rfind(","), cleaned.rfind(".")
    if last_comma > last_dot:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    if cleaned.endswith("."):
        cleaned += "0"
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MalformedStatement(source, "an amount is not a number", line=line) from None
    if not value.is_finite():
        raise MalformedStatement(source, "an amount is not a number", line=line)
    if negative:
        value = -value
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(Decimal("0.01"))
    if value == 0:
        value = abs(value)
    return f"{value:f}"


def iso_date(year: int, month: int, day: int) -> str:
    """The ISO date, or "" when the numbers are not a date (a "31 February" in a test file
    is the bank's mistake, not a reason to lose the transaction)."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def day_month_year(text: str) -> str:
    """ "31-12-2023" or "31.12.2023" as ISO, or "" when it is not such a date."""
    match = re.fullmatch(r"\s*(\d{1,2})[-./](\d{1,2})[-./](\d{4})\s*", text)
    if not match:
        return ""
    return iso_date(int(match[3]), int(match[2]), int(match[1]))


def compact_date(text: str) -> str:
    """ "20231231" (also the start of "20231231120000.000[-5:EST]") or "2023-12-31" as ISO,
    or "" when it is not a date."""
    match = re.match(r"\s*(\d{4})-?(\d{2})-?(\d{2})", text)
    if not match:
        return ""
    return iso_date(int(match[1]), int(match[2]), int(match[3]))

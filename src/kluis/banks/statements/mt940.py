"""SWIFT MT940/MT942 statements, as Dutch and German banks export them.

A statement is a run of `:TAG:` fields; a transaction is a `:61:` statement line (dates,
debit/credit mark, amount, type, references, optional supplementary details on the next
line) followed by `:86:` information to the account owner. What we decode:

- `:60F:`/`:60M:` give the currency of the lines after them.
- `:61:`: the booking date (entry date when given, else value date), the sign (C, D, and
  the reversals RC, RD), the amount, an IBAN given as reference or supplementary detail
  (SNS, Rabobank), a counterparty name in the reference field (old Rabobank exports) or as
  supplementary detail when the narrative repeats it (SNS).
- `:86:` narratives are kept as the bank wrote them (Dutch `/TRTP/…/NAME/…` tags included),
  with lines re-joined: structured texts and full 65-character lines continue without a
  space, shorter lines with one. German `?NN` subfields are decoded: posting text and
  purpose become the description, `?32`/`?33` the counterparty, `?31` its IBAN.
- A four-digit `CC:5411` in the narrative (SNS card payments) is the merchant category code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kluis.banks.statements.records import (
    StatementLine,
    fold,
    iban_or_empty,
    iso_date,
    signed_amount,
)
from kluis.errors import MalformedStatement

_TAG = re.compile(r"^:(\d{2}[A-Z]?):(.*)$")
_STATEMENT_LINE = re.compile(
    r"(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>RC|RD|C|D)(?P<funds>[A-Z])?"
    r"(?P<amount>\d[\d,]*)(?P<type>[NFS][A-Z0-9]{3})(?P<rest>.*)"
)
_BALANCE = re.compile(r"[CD]\d{6}(?P<currency>[A-Z]{3})")
_GERMAN = re.compile(r"^\d{3}\?")
_SUBFIELD = re.compile(r"\?(\d{2})")
_MCC = re.compile(r"\bM?CC:(\d{4})\b")
_FULL_LINE = 65


@dataclass
class _Entry:
    """A `:61:` line with its continuation lines and `:86:` narratives, while reading."""

    line: int
    statement: str
    details: list[str] = field(default_factory=list)
    narratives: list[list[str]] = field(default_factory=list)


def looks_like_mt940(text: str) -> bool:
    """True when the text has MT940 statement fields (`:20:`/`:25:` and a balance)."""
    return bool(re.search(r"^:2[05]:", text, re.MULTILINE)) and bool(
        re.search(r"^:6[02][FM]?:", text, re.MULTILINE)
    )


def read_mt940(text: str, source: str) -> list[StatementLine]:
    """Every `:61:` transaction of an MT940/MT942 file, in file order."""
    return [_line(entry, currency, source) for entry, currency in _entries(text)]


def _entries(text: str) -> Iterator[tuple[_Entry, str]]:
    currency = ""
    entry: _Entry | None = None
    current = ""
    raws = text.split("\n")
    for number, raw in enumerate(raws, start=1):
        match = _TAG.match(raw)
        if match:
            current, value = match[1], match[2]
            if current == "61":
                if entry is not None:
                    yield entry, currency
                entry = _Entry(number, value)
            elif current == "86" and entry is not None:
                entry.narratives.append([value])
            else:
                if entry is not None:
                    yield entry, currency
                    entry = None
                if current in ("60F", "60M", "60"):
                    balance = _BALANCE.match(value.strip())
                    currency = balance["currency"] if balance else ""
        elif raw.startswith(("{", "}", "-}")) or (raw.startswith("-") and _ends(raws, number)):
            current = ""  # end of a message; the next one starts with its own fields
        elif entry is not None and current == "61":
            entry.details.append(raw)
        elif entry is not None and current == "86" and entry.narratives:
            entry.narratives[-1].append(raw)
    if entry is not None:
        yield entry, currency


def _ends(raws: list[str], number: int) -> bool:
    """True when the "-" line at `number` (1-based) ends a message: what follows is a new
    message, a field or the end of the file, not more narrative (ING wraps "MND" + "-")."""
    for following in raws[number:]:
        if following.strip():
            return following.startswith((":", "{", "-"))
    return True


def _line(entry: _Entry, currency: str, source: str) -> StatementLine:
    match = _STATEMENT_LINE.match(entry.statement.strip())
    if not match:
        raise MalformedStatement(source, "a :61: statement line cannot be read", line=entry.line)
    negative = match["mark"] in ("D", "RC")
    amount = signed_amount(match["amount"], source, negative=negative, line=entry.line)
    booking_date = _booking_date(match["value"], match["entry"])
    reference, _, _ = match["rest"].partition("//")
    counterparty, counterparty_iban = "", iban_or_empty(reference.strip())
    named = re.match(r"\S*\s{2,}(\S.*)$", reference)
    if named:  # old Rabobank: account, padding, counterparty name
        counterparty = fold(named[1])
    narrative = " ".join(_join(lines) for lines in entry.narratives)
    supplementary = fold(" ".join(entry.details))
    description = fold(narrative)
    if _GERMAN.match(description):
        german_counterparty, german_iban, description = _german(narrative)
        counterparty = counterparty or german_counterparty
        counterparty_iban = counterparty_iban or german_iban
    structured = any(detail.lstrip().startswith("/") for detail in entry.details)
    if supplementary and not structured and not supplementary.replace(" ", "").isdigit():
        if iban_or_empty(supplementary):
            counterparty_iban = counterparty_iban or iban_or_empty(supplementary)
        elif re.match(rf"(\S+ )?{re.escape(supplementary)}", description, re.IGNORECASE):
            counterparty = counterparty or supplementary
        else:
            description = fold(f"{supplementary} {description}")
    mcc = _MCC.search(description)
    return StatementLine(
        amount=amount,
        counterparty=counterparty,
        description=description,
        currency=currency,
        counterparty_iban=counterparty_iban,
        mcc=mcc[1] if mcc else "",
        booking_date=booking_date,
    )


def _booking_date(value: str, entry: str | None) -> str:
    """The entry (booking) date when given, with the value date's year moved across a year
    end when they straddle one; else the value date."""
    year = int(value[:2])
    year += 2000 if year < 80 else 1900
    month, day = int(value[2:4]), int(value[4:6])
    if entry:
        entry_month, entry_day = int(entry[:2]), int(entry[2:])
        if entry_month == 1 and month == 12:
            year += 1
        elif entry_month == 12 and month == 1:
            year -= 1
        month, day = entry_month, entry_day
    return iso_date(year, month, day)


def _join(lines: list[str]) -> str:
    """One `:86:` field's lines as one text: wrapped lines continue without a space when the
    text is structured or the line was full, with one otherwise."""
    first = lines[0].strip()
    structured = first.startswith("/") or bool(_GERMAN.match(first))
    text = lines[0]
    previous = len(":86:") + len(lines[0])
    for raw in lines[1:]:
        text += raw if structured or previous >= _FULL_LINE else " " + raw
        previous = len(raw)
    return text


def _german(narrative: str) -> tuple[str, str, str]:
    """Counterparty, its IBAN and the description from a German `?NN` narrative."""
    parts = _SUBFIELD.split(fold(narrative)[3:])
    fields: dict[str, str] = {}
    for number, value in zip(parts[1::2], parts[2::2], strict=False):
        fields[number] = fields.get(number, "") + value
    posting = fields.get("00", "")
    purpose = "".join(
        fields.get(f"{number:02d}", "") for number in (*range(20, 30), *range(60, 64))
    )
    counterparty = fold(fields.get("32", "") + fields.get("33", ""))
    return counterparty, iban_or_empty(fields.get("31", "")), fold(f"{posting} {purpose}")

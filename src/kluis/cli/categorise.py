"""`kluis categorise`: the category of each transaction read from standard input.

    echo '{"counterparty": "ALBERT HEIJN 1403", "amount": "-23.45"}' | kluis categorise
    {"category": "groceries", "confidence": 0.93}

One JSON object a line in (contracts/insights.md: `amount` always, any of `counterparty`,
`description`, `currency`, `counterparty_iban`, `mcc`, `booking_date`), one JSON line out
per line, in order, flushed as it goes. It is the categoriser the product uses, without a
customer's own correction rules, and it reads nothing else. A description is read for the
fields statements put in it (`kluis.insights.statement_text`): the SEPA fields of Dutch
statements, their purpose code, and the payee and kind of payment in American and British
wording. A line that is not a
JSON object, or has no usable amount, gets `{"category": "other", "confidence": 0.0,
"error": ...}` in its place, the reason on standard error, and the exit code 1 at the end;
the other lines are answered all the same.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import InvalidOperation
from typing import Annotated, Any, BinaryIO, Final

import typer

from kluis.domain import BookingStatus, Transaction
from kluis.insights import statement_text
from kluis.insights.categories import Evidence, explain
from kluis.money import Money

# How sure each kind of evidence makes the categoriser (measured against the sandbox's truth
# and the labelled statements: a bank code or a known merchant is rarely wrong, the flow of
# money alone often is).
CONFIDENCE: Final[dict[Evidence, float]] = {
    "own_account": 0.99,
    "bank_code": 0.95,
    "purpose_code": 0.9,
    "card_repayment": 0.9,
    "merchant": 0.93,
    "mcc": 0.85,
    "income_words": 0.85,
    "care_words": 0.8,
    "described_merchant": 0.8,
    "payment_processor": 0.75,
    "name": 0.75,
    "bank_reimbursement": 0.7,
    "remittance": 0.65,
    "bank": 0.6,
    "flow": 0.35,
}
_CODES: Final[dict[str, str]] = {
    "card": "PMNT-CCRD-POSD",
    "cash": "PMNT-CCRD-CWDL",
    "direct_debit": "PMNT-RDDT-ESDD",
}


class UnusableLine(ValueError):
    """A line the categoriser cannot read: not a JSON object, or no usable amount."""


def _text(line: dict[str, Any], key: str) -> str | None:
    value = line.get(key)
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _amount(line: dict[str, Any]) -> Money:
    raw = _text(line, "amount")
    if raw is None:
        raise UnusableLine("amount is missing")
    currency = (_text(line, "currency") or "EUR").upper()
    try:
        return Money.parse(_decimal_text(raw), currency)
    except (InvalidOperation, ValueError, KeyError) as exc:
        raise UnusableLine("amount is not a number") from exc


def _decimal_text(raw: str) -> str:
    """`-1.234,56` (Dutch) and `-1,234.56` (English) as `-1234.56`."""
    text = raw.replace(" ", "").replace("\u00a0", "")
    if "," in text and (("." not in text) or text.rfind(",") > text.rfind(".")):
        return text.replace(".", "").replace(",", ".")
    return text.replace(",", "")


def _date(line: dict[str, Any]) -> date | None:
    raw = _text(line, "booking_date")
    try:
        return date.fromisoformat(raw[:10]) if raw else None
    except ValueError:
        return None  # the date does not decide a category


def to_transaction(line: dict[str, Any], number: int = 0) -> Transaction:
    """A statement line as the categoriser reads a transaction."""
    amount = _amount(line)
    found = statement_text.read(_text(line, "description"))
    kind = found.kind
    code = _CODES.get(kind or "")
    if kind == "transfer":
        code = "PMNT-RCDT-ESCT" if amount.amount > 0 else "PMNT-ICDT-ESCT"
    mcc = _text(line, "mcc")
    return Transaction(
        resource_id="statement",
        transaction_id=f"line-{number}",
        status=BookingStatus.BOOKED,
        amount=amount,
        booking_date=_date(line),
        counterparty_name=_text(line, "counterparty") or found.name,
        counterparty_iban=(_text(line, "counterparty_iban") or found.iban or "").replace(" ", "")
        or None,
        creditor_id=found.creditor_id,
        mandate_id=found.mandate_id,
        remittance=found.remittance or _text(line, "description"),
        bank_transaction_code=code,
        merchant_category_code=mcc if mcc and len(mcc) == 4 and mcc.isdigit() else None,
        purpose_code=found.purpose_code,
    )


def categorise_line(line: dict[str, Any], number: int = 0) -> dict[str, Any]:
    """The contract's answer for one input object; raises UnusableLine."""
    if not isinstance(line, dict):
        raise UnusableLine("a line must be a JSON object")
    found = explain(to_transaction(line, number), frozenset())
    return {"category": found.category, "confidence": CONFIDENCE[found.evidence]}


def categorise_stream(source: BinaryIO, target: BinaryIO, *, as_json: bool = True) -> int:
    """Answer every line of `source` in order; how many lines could not be read."""
    unusable = 0
    for number, raw in enumerate(source, start=1):
        text = raw.decode("utf-8", errors="replace").strip()
        try:
            answer = categorise_line(json.loads(text), number)
        except (UnusableLine, ValueError) as error:
            reason = str(error) if isinstance(error, UnusableLine) else "not JSON"
            unusable += 1
            sys.stderr.write(f"line {number}: {reason}\n")
            answer = {"category": "other", "confidence": 0.0, "error": reason}
        if as_json:
            target.write(json.dumps(answer, ensure_ascii=False).encode("utf-8") + b"\n")
        else:
            target.write(f"{answer['category']} ({answer['confidence']:.2f})\n".encode())
        target.flush()
    return unusable


def categorise(
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="JSON lines out (what scripts get anyway; on a terminal the default is "
            "'category (confidence)').",
        ),
    ] = False,
) -> None:
    """Categorise transactions: one JSON object a line on standard input (amount, and any of
    counterparty, description, currency, counterparty_iban, mcc, booking_date); one
    {"category", "confidence"} line out for each, in order."""
    plain = not as_json and sys.stdout.isatty()
    unusable = categorise_stream(sys.stdin.buffer, sys.stdout.buffer, as_json=not plain)
    if unusable:
        raise typer.Exit(code=1)

"""OFX 1.x (SGML, closing tags optional) and OFX 2.x (XML) statements.

Both are read with one tokenizer over `<TAG>value` pairs, so unclosed SGML elements, empty
tags and odd whitespace need no special case. Every `STMTTRN` in a bank or credit-card
statement is a transaction: `TRNAMT` is the signed amount, `NAME` (or `PAYEE/NAME`) the
counterparty, `MEMO` the description, `DTPOSTED` the booking date (left empty when missing or
not a date), the currency the transaction's own or the statement's `CURDEF`. A response whose
status is an error and that holds no statement is refused with the bank's message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kluis.banks.statements.records import StatementLine, compact_date, fold, signed_amount
from kluis.errors import MalformedStatement

_TOKEN = re.compile(r"<(/?)([A-Za-z0-9.]+)\s*>([^<]*)")
_STATEMENTS = ("STMTRS", "CCSTMTRS")


def looks_like_ofx(text: str) -> bool:
    """True for an OFX 1.x header or an OFX 2.x document."""
    head = text[:4000].lstrip()
    return head.startswith("OFXHEADER") or "<?OFX" in head or bool(re.search(r"<OFX>", head))


@dataclass
class _Transaction:
    fields: dict[str, str] = field(default_factory=dict)


def read_ofx(text: str, source: str) -> list[StatementLine]:
    """Every transaction of every statement in an OFX file, in file order."""
    if "<OFX>" not in text.upper():
        raise MalformedStatement(source, "an OFX header without an <OFX> body")
    lines: list[StatementLine] = []
    statements = 0
    currency = ""
    transaction: _Transaction | None = None
    status: dict[str, str] = {}
    for closing, raw_tag, raw_value in _TOKEN.findall(text):
        tag, value = raw_tag.upper(), fold(raw_value)
        if closing:
            if tag == "STMTTRN" and transaction is not None:
                lines.append(_line(transaction, currency, source))
                transaction = None
            continue
        if tag in _STATEMENTS:
            statements += 1
            currency = ""
        elif tag == "CURDEF":
            currency = value.upper()
        elif tag == "STMTTRN":
            if transaction is not None:  # SGML without closing tags
                lines.append(_line(transaction, currency, source))
            transaction = _Transaction()
        elif transaction is not None and tag not in transaction.fields:
            transaction.fields[tag] = value
        elif tag in ("CODE", "SEVERITY", "MESSAGE") and transaction is None:
            status[tag] = value
    if transaction is not None:
        lines.append(_line(transaction, currency, source))
    if not statements:
        if status.get("SEVERITY", "").upper() == "ERROR" or status.get("CODE", "0") != "0":
            message = status.get("MESSAGE") or "no message"
            raise MalformedStatement(
                source,
                f"the bank answered an error, not a statement (code {status.get('CODE')}:"
                f" {message})",
            )
        raise MalformedStatement(source, "an OFX file without a bank or card statement")
    return lines


def _line(transaction: _Transaction, currency: str, source: str) -> StatementLine:
    fields = transaction.fields
    amount = fields.get("TRNAMT", "")
    if not amount:
        raise MalformedStatement(source, "a transaction without an amount (TRNAMT)")
    return StatementLine(
        amount=signed_amount(amount, source),
        counterparty=fields.get("NAME", ""),
        description=fields.get("MEMO", ""),
        currency=(fields.get("CURSYM") or currency).upper(),
        booking_date=compact_date(fields.get("DTPOSTED", "")),
    )

"""ISO 20022 camt.052 (account report), camt.053 (statement) and camt.054 (notification).

Each booked entry (`Ntry`) is a transaction; an entry that batches several transaction
details with their own amounts (a collection of direct debits) gives one line per detail.
The sign is the entry's credit/debit indicator (a reversal says its direction there too).
The counterparty is the creditor for a debit and the debtor for a credit, under any
version's nesting (`Cdtr/Nm` or `Cdtr/Pty/Nm`); the description is the unstructured
remittance text with the bank's additional entry information.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator

from kluis.banks.statements.records import StatementLine, compact_date, fold, signed_amount
from kluis.errors import MalformedStatement

_CONTAINERS = ("Stmt", "Rpt", "Ntfctn")


def looks_like_camt(text: str) -> bool:
    """True for an XML document in one of the camt.05x bank-to-customer messages."""
    head = text[:4000]
    return "<" in head and bool(
        re.search(r"camt\.05[234]|BkToCstmr(Stmt|AcctRpt|DbtCdtNtfctn)", head)
    )


def read_camt(text: str, source: str) -> list[StatementLine]:
    """Every booked entry of a camt.052/053/054 document, in document order."""
    if re.search(r"<!(DOCTYPE|ENTITY)", text):
        # The standard library parser expands internal entities; statements have none.
        raise MalformedStatement(source, "a camt file must not declare a DTD or entities")
    try:
        root = ElementTree.fromstring(text.encode("utf-8"))  # noqa: S314 - see above
    except ElementTree.ParseError as exc:
        raise MalformedStatement(source, f"not well-formed XML ({exc})") from None
    for element in root.iter():
        element.tag = element.tag.rpartition("}")[2]
    lines: list[StatementLine] = []
    for container in root.iter():
        if container.tag not in _CONTAINERS:
            continue
        fallback_currency = _text(container, "Acct/Ccy")
        for entry in container.findall("Ntry"):
            status = _text(entry, "Sts/Cd") or _text(entry, "Sts")
            if status and status not in ("BOOK", "BOOKED"):
                continue
            lines.extend(_entry_lines(entry, fallback_currency, source))
    return lines


def _entry_lines(
    entry: ElementTree.Element, fallback_currency: str, source: str
) -> Iterator[StatementLine]:
    amount = entry.find("Amt")
    if amount is None or not (amount.text or "").strip():
        raise MalformedStatement(source, "an entry has no amount")
    debit = _text(entry, "CdtDbtInd") == "DBIT"
    booked = _text(entry, "BookgDt/Dt") or _text(entry, "BookgDt/DtTm")
    booking_date = compact_date(booked or _text(entry, "ValDt/Dt") or _text(entry, "ValDt/DtTm"))
    entry_info = _text(entry, "AddtlNtryInf")
    details = entry.findall("NtryDtls/TxDtls")
    split = len(details) > 1 and all(_detail_amount(detail) is not None for detail in details)
    if not split:
        detail = details[0] if details else None
        yield StatementLine(
            amount=signed_amount(amount.text or "", source, negative=debit),
            currency=amount.get("Ccy", "") or fallback_currency,
            booking_date=booking_date,
            **_parties(detail, debit, entry_info),
        )
        return
    for detail in details:
        detail_amount = _detail_amount(detail)
        if detail_amount is None:  # not reached: `split` checked every detail
            continue
        yield StatementLine(
            amount=signed_amount(detail_amount.text or "", source, negative=debit),
            currency=detail_amount.get("Ccy", "") or amount.get("Ccy", "") or fallback_currency,
            booking_date=booking_date,
            **_parties(detail, debit, entry_info),
        )


def _detail_amount(detail: ElementTree.Element) -> ElementTree.Element | None:
    for path in ("Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/InstdAmt/Amt"):
        found = detail.find(path)
        if found is not None and (found.text or "").strip():
            return found
    return None


def _parties(detail: ElementTree.Element | None, debit: bool, entry_info: str) -> dict[str, str]:
    """Counterparty, its IBAN and the description of one transaction detail."""
    texts: list[str] = []
    counterparty = counterparty_iban = ""
    if detail is not None:
        party, account = ("Cdtr", "CdtrAcct") if debit else ("Dbtr", "DbtrAcct")
        parties = detail.find("RltdPties")
        if parties is not None:
            counterparty = _name(parties.find(party))
            counterparty_iban = _text(parties, f"{account}/Id/IBAN")
            ultimate = _name(parties.find(f"Ultmt{party}"))
            if ultimate and ultimate != counterparty:
                texts.append(ultimate)
        texts.extend(fold(element.text or "") for element in detail.findall("RmtInf/Ustrd"))
        texts.append(_text(detail, "AddtlTxInf"))
    texts.append(entry_info)
    unique = list(dict.fromkeys(text for text in texts if text))
    return {
        "counterparty": counterparty,
        "counterparty_iban": counterparty_iban.replace(" ", ""),
        "description": fold(" ".join(unique)),
    }


def _name(party: ElementTree.Element | None) -> str:
    if party is None:
        return ""
    name = party.find("Nm")
    if name is None:
        name = party.find("Pty/Nm")
    return fold(name.text or "") if name is not None else ""


def _text(element: ElementTree.Element, path: str) -> str:
    found = element.find(path)
    return fold(found.text or "") if found is not None else ""

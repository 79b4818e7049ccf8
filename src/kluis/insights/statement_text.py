"""What a Dutch bank statement's free text says, in fields: who, what kind of payment,
the mandate's creditor, the payer's own description.

Statements and exports put the structured SEPA fields into one description:

- SWIFT MT940 `:86:` and ABN AMRO exports: `/TRTP/SEPA Incasso algemeen doorlopend/CSID/
  NL12ZZZ.../NAME/Vattenfall/MARF/.../REMI/Termijnbedrag 03-2026/IBAN/NL...`
- ING exports: `Naam: Vattenfall Omschrijving: Termijnbedrag IBAN: NL.. Machtiging ID: ..
  Incassant ID: NL12ZZZ..`
- card and cash machine lines: `BEA NR:XXXX 12.03.26/18.04 ALBERT HEIJN 1403,PAS123`,
  `GEA NR:.. GELDMAAT UTRECHT`, "Betaalautomaat", "Geldautomaat".

`read(description)` returns what it finds; anything it does not know stays with the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

PaymentKind = Literal["card", "cash", "direct_debit", "transfer"]

# The SEPA tags of an MT940 :86: narrative (and ABN AMRO's), each up to the next tag. Tags
# we do not read still end the one before them: Rabobank follows a name with its address
# (/ADDR/) and a description with the date of the order (/ISDT/).
_SLASH_TAG: Final = re.compile(
    r"/(TRTP|IBAN|BIC|NAME|ADDR|EREF|MARF|CSID|REMI|ISDT|PURP|RTRN|PREF|ORDP|BENM|ULTC|ULTD|ID)/"
)
# ING's "Label: value" form, each up to the next label.
_LABELS: Final = (
    "Naam",
    "Omschrijving",
    "IBAN",
    "Kenmerk",
    "Machtiging ID",
    "Incassant ID",
    "Doorlopende incasso",
    "Valutadatum",
    "Pasvolgnr",
    "Transactie",
    "Term",
    "Name",
    "Description",
    "Reference",
    "Mandate ID",
    "Creditor ID",
    "Value date",
)
_LABEL: Final = re.compile(
    r"(?:^|\s)(" + "|".join(re.escape(label) for label in _LABELS) + r"):\s*", re.IGNORECASE
)
_CARD: Final = re.compile(r"^\s*(BEA|POS|PIN)\b|betaalautomaat|pinbetaling|\bapple pay\b", re.I)
_CASH: Final = re.compile(r"^\s*GEA\b|geldautomaat|geldopname|\batm\b", re.IGNORECASE)
_DIRECT_DEBIT: Final = re.compile(r"incasso|direct debit|\bSDD\b", re.IGNORECASE)
_TRANSFER: Final = re.compile(r"overboeking|overschrijving|\bideal\b|credit transfer", re.I)
# The merchant of a card line. Newer ABN AMRO lines name it after the card: "BEA,
# Betaalpas IKEA Amsterdam,PAS123 NR:.., 13.02.23/14:37 AMSTERDAM" (the place last; with a
# phone wallet a device token stands there and the merchant comes last); older ones after
# the date and time: "BEA NR:XXXX 12.03.26/18.04 ALBERT HEIJN 1403,PAS123".
_PAID_WITH: Final = re.compile(
    r"\b(?:betaalpas|betaalkaart|creditcard)\s+(?P<name>[^,]+?)\s*,\s*PAS",
    re.IGNORECASE,
)
_CARD_MERCHANT: Final = re.compile(
    r"\d{2}[./-]\d{2}[./-]\d{2,4}[/ ]\d{2}[.:]\d{2}\s+(?P<name>.+?)(?:,\s*PAS\s*\d+.*)?$",
    re.IGNORECASE,
)
_IBAN: Final = re.compile(r"\b([A-Z]{2}\d{2}[A-Z0-9]{11,30})\b")


@dataclass(frozen=True, slots=True)
class StatementText:
    """The fields found in a description; None where it says nothing about one."""

    kind: PaymentKind | None = None
    name: str | None = None
    iban: str | None = None
    creditor_id: str | None = None
    mandate_id: str | None = None
    remittance: str | None = None


def _tidy(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split()).strip(" ,;/")
    return cleaned or None


def _slash_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    found = list(_SLASH_TAG.finditer(text))
    for number, match in enumerate(found):
        end = found[number + 1].start() if number + 1 < len(found) else len(text)
        fields.setdefault(match.group(1).upper(), text[match.end() : end])
    return fields


def _labelled_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    found = list(_LABEL.finditer(text))
    for number, match in enumerate(found):
        end = found[number + 1].start() if number + 1 < len(found) else len(text)
        fields.setdefault(match.group(1).lower(), text[match.end() : end])
    return fields


def _kind(text: str, transaction_type: str | None) -> PaymentKind | None:
    said = f"{transaction_type or ''} {text}"
    if _CASH.search(text):
        return "cash"
    if _CARD.search(text):
        return "card"
    if _DIRECT_DEBIT.search(said):
        return "direct_debit"
    if _TRANSFER.search(said):
        return "transfer"
    return None


def read(description: str | None) -> StatementText:
    """The fields a statement description carries."""
    text = " ".join((description or "").split())
    if not text:
        return StatementText()
    slash = _slash_fields(text)
    labelled = _labelled_fields(text) if not slash else {}
    kind = _kind(text, slash.get("TRTP"))
    name = slash.get("NAME") or labelled.get("naam") or labelled.get("name")
    if name is None and kind in {"card", "cash"}:
        merchant = _PAID_WITH.search(text) or _CARD_MERCHANT.search(text)
        name = merchant.group("name") if merchant else None
    iban = slash.get("IBAN") or labelled.get("iban")
    remittance = slash.get("REMI") or labelled.get("omschrijving") or labelled.get("description")
    return StatementText(
        kind=kind,
        name=_tidy(name),
        iban=_first_iban(iban),
        creditor_id=_tidy(
            slash.get("CSID") or labelled.get("incassant id") or labelled.get("creditor id")
        ),
        mandate_id=_tidy(
            slash.get("MARF") or labelled.get("machtiging id") or labelled.get("mandate id")
        ),
        remittance=_tidy(remittance) if (slash or labelled) else None,
    )


def _first_iban(value: str | None) -> str | None:
    if not value:
        return None
    found = _IBAN.search(value.replace(" ", "").upper())
    return found.group(1) if found else None

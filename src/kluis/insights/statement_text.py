"""What a bank statement's free text says, in fields: who, what kind of payment, the
mandate's creditor, the payer's own description.

Dutch statements and exports put the structured SEPA fields into one description:

- SWIFT MT940 `:86:` and ABN AMRO exports: `/TRTP/SEPA Incasso algemeen doorlopend/CSID/
  NL12ZZZ.../NAME/Vattenfall/MARF/.../REMI/Termijnbedrag 03-2026/IBAN/NL...`
- ING exports: `Naam: Vattenfall Omschrijving: Termijnbedrag IBAN: NL.. Machtiging ID: ..
  Incassant ID: NL12ZZZ..`
- card and cash machine lines: `BEA NR:XXXX 12.03.26/18.04 ALBERT HEIJN 1403,PAS123`,
  `GEA NR:.. GELDMAAT UTRECHT`, "Betaalautomaat", "Geldautomaat".

American (OFX, FDX, bank CSV) and British statements say the kind in words before the
payee, and print dates, card and terminal numbers and references around it:

- card: `CHECKCARD 0312 TRADER JOE S #552 SAN FRANCISCO CA 24431065071`, `CARD PAYMENT TO
  TESCO STORES 3217 ON 12-03-2026`;
- cash: `ATM WITHDRAWAL 003412 03/12 MAIN ST`, `CASH MACHINE ...`;
- direct debit (ACH): `ACH DEBIT COMCAST`, `COMCAST 8155 CABLE PPD ID: 1234`, `DD THAMES WATER`;
- transfer: `ZELLE PAYMENT TO ...`, `ONLINE TRANSFER TO SAV XXXX1234`, `STANDING ORDER TO ...`.

Those forms are read only in free text, never inside SEPA tags or labelled fields.
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
# An ISO 20022 purpose code: four letters, "SALA" ("/PURP/SALA/" in an MT940 narrative).
_PURPOSE: Final = re.compile(r"\s*([A-Za-z]{4})(?![A-Za-z])")

# American and British forms. A lead is the bank's words at the start of a line, with the
# payee after them; each alternative reads one form.
_SEPARATOR: Final = r"\b[\s;:,-]*"


def _lead(*forms: str) -> re.Pattern[str]:
    return re.compile(r"^(?:" + "|".join(forms) + ")" + _SEPARATOR, re.IGNORECASE)


_CASH_LEAD: Final = _lead(
    # "ATM WITHDRAWAL 003412 03/12 MAIN ST", "ATM W/D", "NON-CHASE ATM WITHDRAW"
    r"(?:NON-\S+\s+)?ATM\s+(?:CASH\s+)?(?:WITHDRAWAL|WITHDRAW|WDRL|W/D|WD)",
    # "CASH WITHDRAWAL AT HSBC LONDON", "CASH WDL"
    r"CASH\s+(?:WITHDRAWAL|WDL|W/D)(?:\s+AT)?",
    # British: "CASH MACHINE WITHDRAWAL ...", "CASHPOINT ...", "NON-STERLING CASH ..."
    r"CASH\s+MACHINE(?:\s+WITHDRAWAL)?",
    r"CASHPOINT",
    r"NON-STERLING\s+CASH(?:\s+WITHDRAWAL)?",
)
_CARD_LEAD: Final = _lead(
    # "POS PURCHASE TARGET T-1234 ...", "POS MERCHANDISE;MCDONALD'S #112", "POS DEBIT ..."
    r"POS(?:\s+(?:PURCHASE|DEBIT|MERCHANDISE|TRANSACTION|WITHDRAWAL))?",
    # "CHECKCARD 0312 TRADER JOE S #552 ...", "CHECK CARD PURCHASE ...", "CHKCARD ..."
    r"CH(?:E?CK|K)\s?CARD(?:\s+PURCHASE)?",
    # "DEBIT CARD PURCHASE - SHELL OIL 574"; a bare "DEBIT CARD" may be the card's own fee
    r"DEBIT\s+CARD\s+(?:PURCHASE|DEBIT|TRANSACTION|PMT)",
    # "DBT CRD 1234 03/12/26 ...", "DEBIT PURCHASE -VISA ..."
    r"DBT\s+(?:CRD|CARD)",
    r"DEBIT\s+PURCHASE(?:\s*-\s*(?:VISA|MC))?",
    # "VISA DDA PUR 443106 CHEVRON ...", "MC PURCHASE ..."
    r"(?:VISA|MC|MASTERCARD)(?:\s+DDA)?\s+(?:PUR|PURCHASE|POS|DEBIT)",
    # "PURCHASE AUTHORIZED ON 03/12 WHOLEFDS MKT ...", "RECURRING PAYMENT AUTHORIZED ON ..."
    r"(?:PURCHASE|RECURRING\s+PAYMENT)(?:\s+RETURN)?\s+AUTHORIZED\s+ON",
    # "CARD PURCHASE WITH PIN 03/12 ...", British "CARD PAYMENT TO TESCO STORES ... ON ..."
    r"(?:RECURRING\s+)?CARD\s+(?:PURCHASE|PAYMENT|REFUND)"
    r"(?:\s+(?:WITH\s+PIN|RETURN))?(?:\s+(?:TO|FROM|AT))?",
    # British: "CONTACTLESS PAYMENT ..."
    r"CONTACTLESS(?:\s+PAYMENT)?(?:\s+(?:TO|AT))?",
)
_CREDIT_LEAD: Final = _lead(
    # Money paid in over ACH: "ACH CREDIT ACME CORP", "DIRECT DEPOSIT ACME CORP"
    r"ACH\s+(?:CREDIT|DEPOSIT)",
    r"DIR(?:ECT)?\s+DEP(?:OSIT)?",
)
_DEBIT_LEAD: Final = _lead(
    # "ACH DEBIT COMCAST ...", "ACH WITHDRAWAL ..."
    r"ACH\s+(?:DEBIT|WITHDRAWAL|PMT|PAYMENT)",
    # British: "DIRECT DEBIT TO THAMES WATER", "DD THAMES WATER"
    r"DIRECT\s+DEBIT(?:\s+PAYMENT)?(?:\s+TO)?",
    r"DD",
)
_TRANSFER_LEAD: Final = _lead(
    # "ZELLE PAYMENT TO JOHN SMITH ...", "ZELLE FROM ..."
    r"ZELLE(?:\s+(?:PAYMENT|TRANSFER))?\s+(?:TO|FROM)",
    # British: "BILL PAYMENT TO ...", "STANDING ORDER TO ...", "FASTER PAYMENT TO ...",
    # "BILL PAYMENT VIA FASTER PAYMENT TO ..."
    r"(?:BILL\s+PAYMENT|STANDING\s+ORDER|FASTER\s+PAYMENTS?)"
    r"(?:\s+VIA\s+FASTER\s+PAYMENTS?)?\s+(?:TO|FROM)",
)
_LEADS: Final[tuple[tuple[PaymentKind, re.Pattern[str]], ...]] = (
    ("card", _CARD_LEAD),
    ("transfer", _CREDIT_LEAD),
    ("direct_debit", _DEBIT_LEAD),
    ("transfer", _TRANSFER_LEAD),
)
# ACH entries that name the company that started them: Chase's "ORIG CO NAME:COMCAST ORIG
# ID:..", Bank of America's "COMCAST DES:CABLE ID:.. INDN:.. CO ID:.. PPD", and the payee
# and purpose before the entry class: "COMCAST 8155 CABLE PPD ID: 1234".
_CHASE_ORIGINATOR: Final = re.compile(
    r"\bORIG\s+CO\s+NAME:\s*(?P<name>[^:]+?)\s+ORIG\s+ID:", re.IGNORECASE
)
_ORIGINATORS: Final = (
    _CHASE_ORIGINATOR,
    re.compile(r"^(?P<name>[^:]+?)\s+DES:[^:]*\sID:", re.IGNORECASE),
    re.compile(r"^(?P<name>.+?)\s+(?:PPD|CCD|WEB|TEL|CTX|IAT)\s+ID:", re.IGNORECASE),
)
# A cash machine anywhere in the line, which beats a card reading: "VISA ATM WITHDRAWAL".
_CASH_MACHINE: Final = re.compile(
    r"\bATM\b|\bCASH\s+(?:WITHDRAWAL|WDL|W/D|MACHINE)\b|\bCASHPOINT\b", re.IGNORECASE
)
# The fee for using one is no cash: "ATM FEE", "NON-CHASE ATM FEE-WITH", "NON-STERLING CASH
# FEE", "ATM SURCHARGE".
_MACHINE_FEE: Final = re.compile(
    r"\b(?:ATM|CASH)(?:\s+(?:WITHDRAWAL|W/D|WDL))?\s+(?:FEE|SURCHARGE)\b", re.IGNORECASE
)
# Words anywhere in a line that say its kind but not its payee, read after the Dutch ones.
_MARK_FORMS: Final[tuple[tuple[PaymentKind, str], ...]] = (
    # money paid in over ACH: "ACH CREDIT", "ACME CORP DIR DEP"
    ("transfer", r"\bACH\s+(?:CREDIT|DEPOSIT|CR)\b|\bDIR(?:ECT)?\s+DEP(?:OSIT)?\b"),
    # a payee that collects: "AUTOMATIC WITHDRAWAL, ELECTRIC BILL", "GEICO AUTOPAY"
    ("direct_debit", r"\bAUTOMATIC\s+(?:WITHDRAWAL|PAYMENT)\b"),
    ("direct_debit", r"\bAUTO[- ]?PAY(?:MENT)?\b|\bAUTO\s+PYMT\b"),
    # "ELECTRONIC PAYMENT", "ELECTRONIC PMT-WEB", "CAPITAL ONE WEB PMT"
    ("direct_debit", r"\bELECTRONIC\s+(?:PAYMENT|PMT|WITHDRAWAL)\b|\bWEB\s+PMTS?\b"),
    # any other ACH entry: "ACH", or its entry class ("PPD ID: 123", "WEB ID: 123")
    ("direct_debit", r"\bACH\b|\b(?:PPD|CCD|WEB|TEL|CTX|IAT)\s+ID:"),
    # between accounts: "ONLINE TRANSFER TO SAV XXXX1234", "TRANSFER FROM CHK 1234", "XFER"
    ("transfer", r"\b(?:ONLINE|INTERNET|MOBILE|BOOK)\s+(?:BANKING\s+)?TRANSFER\b"),
    ("transfer", r"^TRANSFER\s+(?:TO|FROM)\b|\bXFER\b"),
    # "WIRE TRANSFER", "WIRE TYPE:WIRE OUT"
    ("transfer", r"\bWIRE\s+(?:TRANSFER|TYPE|OUT|IN)\b"),
    # to people and payees: "ZELLE", British "FASTER PAYMENT", "STANDING ORDER", "BILL PAYMENT"
    ("transfer", r"\bZELLE\b|\bFASTER\s+PAYMENTS?\b|\bSTANDING\s+ORDER\b|^BILL\s+PAYMENT\b"),
)
_MARKS: Final = tuple((kind, re.compile(form, re.IGNORECASE)) for kind, form in _MARK_FORMS)
# What stands between the bank's words and the payee: a date ("03/12", "03/12/26"), a time,
# "AUTHORIZED ON", card and terminal numbers ("0312", "443106", "XXXX1234") or a separator.
_BEFORE_PAYEE: Final = re.compile(
    r"^(?:(?:AUTHORIZED\s+ON|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}:\d{2}(?::\d{2})?"
    r"|[X*#]*\d{4,})(?:\s+|$)|[;:,-]\s*)+",
    re.IGNORECASE,
)
# Where the payee ends (all that follows goes too): British "ON 12-03-2026" or "ON 12 MAR",
# a reference ("REF RENT"), the ACH entry class ("PPD ID: 1234").
_PAYEE_END: Final = re.compile(
    r"(?:^|\s)(?:ON\s+\d{1,2}[-/ .](?:\d{1,2}|[A-Z]{3})\b|REF(?:ERENCE)?\b"
    r"|(?:PPD|CCD|WEB|TEL|CTX|IAT)\s+ID:)",
    re.IGNORECASE,
)
# Words printed after the payee: a long reference ("24431065071", "S386071234"), a date,
# the card ("C#1234", "CARD 1234": the number after the word "CARD").
_NUMBER_AFTER_PAYEE: Final = re.compile(
    r"(?=\S*\d{5})\S{8,}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|C#\d{4}|CARD#?[X*]*\d{4}", re.I
)
_CARD_NUMBER: Final = re.compile(r"#?[X*]*\d{4}")
_CARD_WORDS: Final = frozenset({"CARD", "C#"})


@dataclass(frozen=True, slots=True)
class StatementText:
    """The fields found in a description; None where it says nothing about one."""

    kind: PaymentKind | None = None
    name: str | None = None
    iban: str | None = None
    creditor_id: str | None = None
    mandate_id: str | None = None
    remittance: str | None = None
    purpose_code: str | None = None


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


def _payee(rest: str) -> str | None:
    """The payee in what follows a lead, without the dates and numbers around it; None when
    nothing but those is left."""
    rest = _BEFORE_PAYEE.sub("", rest)
    end = _PAYEE_END.search(rest)
    words = (rest[: end.start()] if end else rest).split()
    while words:
        if _NUMBER_AFTER_PAYEE.fullmatch(words[-1]):
            del words[-1]
        elif (
            len(words) > 1
            and words[-2].upper() in _CARD_WORDS
            and _CARD_NUMBER.fullmatch(words[-1])
        ):
            del words[-2:]
        else:
            break
    name = _tidy(" ".join(words))
    return name if name and re.search(r"[A-Za-z]", name) else None


def _english_form(text: str) -> StatementText | None:
    """The kind of an American or British line, and the payee it names; an empty reading
    for a cash machine's fee; None when the line has none of their forms."""
    if _MACHINE_FEE.search(text):
        return StatementText()
    lead = _CASH_LEAD.match(text)
    if lead:
        return StatementText(kind="cash", name=_payee(text[lead.end() :]))
    if _CASH_MACHINE.search(text):
        return StatementText(kind="cash")
    for kind, pattern in _LEADS:
        lead = pattern.match(text)
        if lead:
            return StatementText(kind=kind, name=_payee(text[lead.end() :]))
    for originator in _ORIGINATORS:
        found = originator.search(text)
        if found:
            return StatementText(kind="direct_debit", name=_payee(found.group("name")))
    return None


def _marked_kind(text: str) -> PaymentKind | None:
    return next((kind for kind, pattern in _MARKS if pattern.search(text)), None)


def read(description: str | None) -> StatementText:
    """The fields a statement description carries."""
    text = " ".join((description or "").split())
    if not text:
        return StatementText()
    slash = _slash_fields(text)
    # Chase's "ORIG CO NAME:" and "IND NAME:" are not ING labels.
    labelled = _labelled_fields(text) if not slash and not _CHASE_ORIGINATOR.search(text) else {}
    free_text = not slash and not labelled
    english = _english_form(text) if free_text else None
    if english is not None:
        kind = english.kind
    else:
        kind = _kind(text, slash.get("TRTP")) or (_marked_kind(text) if free_text else None)
    name = slash.get("NAME") or labelled.get("naam") or labelled.get("name")
    if name is None and kind in {"card", "cash"}:
        merchant = _PAID_WITH.search(text) or _CARD_MERCHANT.search(text)
        name = merchant.group("name") if merchant else None
    if name is None and english is not None:
        name = english.name
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
        purpose_code=_purpose_code(slash.get("PURP")),
    )


def _purpose_code(value: str | None) -> str | None:
    """The ISO 20022 purpose code of a `/PURP/` field ("SALA"), in capitals."""
    found = _PURPOSE.match(value or "")
    return found.group(1).upper() if found else None


def _first_iban(value: str | None) -> str | None:
    if not value:
        return None
    found = _IBAN.search(value.replace(" ", "").upper())
    return found.group(1) if found else None

"""Matching what the customer said against what the bank statement says."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from kluis.insights.flows import Categorised
from kluis.nlu.merchants import merchant_aliases
from kluis.nlu.types import Amount

APPROXIMATELY = Decimal("0.1")  # "about 50 euro": within 10 %, and at least a euro
_NON_WORD = re.compile(r"[^a-z0-9]+")
_COUNT = re.compile(
    r"\b(?:laatste|afgelopen|recentste|last|latest|recent|past)\s+(\d{1,2}|\w+)\b", re.IGNORECASE
)
_NUMBER_WORDS = {
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "twaalf": 12,
    "twintig": 20,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "twenty": 20,
}
_INCOMING = (
    "ontvang",
    "binnen",
    "gestort",
    "received",
    "incoming",
    "came in",
    "paid me",
    "credited",
    "bijgeschreven",
)
_OUTGOING = (
    "betaling",
    "betaald",
    "uitgave",
    "uitgegeven",
    "afschrijving",
    "afgeschreven",
    "payment",
    "paid",
    "spent",
    "charge",
    "debit",
    "afgeboekt",
)
_PERIOD_WORDS = ("dagen", "weken", "maanden", "days", "weeks", "months", "jaar", "year")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = decomposed.encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", ascii_text).strip()


def _name_in(haystack: str, name: str) -> bool:
    words = _plain(name).split()
    if not words:
        return False
    if f" {' '.join(words)} " in haystack:
        return True
    # "bol.com" on the statement vs "bolcom" said: compare without spaces, for longer names
    joined = "".join(words)
    if len(joined) >= 5 and joined in haystack.replace(" ", ""):
        return True
    # "bakker van dam" said, "Bakkerij van Dam" on the statement: words as prefixes, in order
    tokens = haystack.split()
    return len(words[0]) >= 4 and any(
        all(tokens[i + k].startswith(word) for k, word in enumerate(words))
        for i in range(len(tokens) - len(words) + 1)
    )


def merchant_matches(counterparty: str | None, merchant: str) -> bool:
    """The merchant, or one of the names it goes by, appears in the counterparty's name."""
    if not counterparty:
        return False
    haystack = f" {_plain(counterparty)} "
    return any(_name_in(haystack, name) for name in merchant_aliases(merchant))


def amount_matches(item: Categorised, amount: Amount) -> bool:
    value = abs(item.transaction.amount.amount)
    if item.transaction.amount.currency != amount.currency:
        return False
    if amount.op == "gt":
        return value > amount.value
    if amount.op == "lt":
        return value < amount.value
    if amount.op == "approx":
        return abs(value - amount.value) <= max(amount.value * APPROXIMATELY, Decimal(1))
    return value == amount.value


def wanted_count(text: str) -> int | None:
    """'laatste 5 betalingen' -> 5; a count of days or months is not a number of items."""
    match = _COUNT.search(text)
    if match is None:
        return None
    rest = text[match.end() :].lower().lstrip()
    if rest.startswith(_PERIOD_WORDS):
        return None
    word = match.group(1).lower()
    count = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    return count if count and 0 < count <= 50 else None


def direction(text: str) -> str | None:
    """'in' for money received, 'out' for payments, None when the customer did not say."""
    lowered = text.lower()
    if any(word in lowered for word in _INCOMING):
        return "in"
    if any(word in lowered for word in _OUTGOING):
        return "out"
    return None

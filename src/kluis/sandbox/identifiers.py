"""Stable numbers and bank identifiers: seeds, IBANs, SEPA creditor ids, transaction ids.

Everything here is a pure function of its arguments, hashed with BLAKE2b, so the same
inputs give the same identifiers on every machine and in every Python process (unlike
`hash()`, which is salted per process).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

BANK_BICS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "ABNA": "ABNANL2A",
        "ASNB": "ASNBNL21",
        "BUNQ": "BUNQNL2A",
        "INGB": "INGBNL2A",
        "KNAB": "KNABNL2H",
        "RABO": "RABONL2U",
        "SNSB": "SNSBNL2A",
        "TRIO": "TRIONL2U",
    }
)
"""The BIC of each Dutch bank code the sandbox issues or pays to."""

BANK_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "ABNA": "ABN AMRO Bank N.V.",
        "ASNB": "ASN Bank",
        "BUNQ": "bunq B.V.",
        "INGB": "ING Bank N.V.",
        "KNAB": "Knab",
        "RABO": "Rabobank",
        "SNSB": "SNS",
        "TRIO": "Triodos Bank",
    }
)

_ELFPROEF_WEIGHTS: Final = (10, 9, 8, 7, 6, 5, 4, 3, 2)
"""Weights of the first nine digits in the 11-test; the tenth digit weighs 1."""


def stable_int(*parts: object) -> int:
    """A 64-bit integer that depends only on the text of `parts`."""
    text = ":".join(str(part) for part in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def stable_rng(*parts: object) -> random.Random:
    """A random generator seeded from `parts`, identical in every process."""
    return random.Random(stable_int(*parts))


def stable_hex(length: int, *parts: object) -> str:
    """`length` upper-case hex digits that depend only on `parts` (length <= 64)."""
    text = ":".join(str(part) for part in parts)
    digest = hashlib.blake2b(text.encode(), digest_size=(length + 1) // 2).hexdigest()
    return digest[:length].upper()


def _as_digits(text: str) -> int:
    """ISO 7064 letter substitution: A=10 ... Z=35, digits stay."""
    return int("".join(str(int(char, 36)) for char in text))


def mod97_check_digits(identifier: str, country: str) -> str:
    """ISO 7064 MOD 97-10 check digits for an IBAN's BBAN or a creditor id's national part."""
    remainder = _as_digits(identifier + country + "00") % 97
    return f"{98 - remainder:02d}"


def iban(country: str, bban: str) -> str:
    """An IBAN with valid check digits for `bban`."""
    return country + mod97_check_digits(bban, country) + bban


def dutch_account_number(*parts: object) -> str:
    """A ten-digit Dutch account number that passes the old 11-test (elfproef)."""
    salt = 0
    while True:
        leading = f"{stable_int('account', *parts, salt) % 10**9:09d}"
        pairs = zip(_ELFPROEF_WEIGHTS, leading, strict=True)
        total = sum(weight * int(digit) for weight, digit in pairs)
        last = -total % 11
        if last < 10:
            return leading + str(last)
        salt += 1


def dutch_iban(bank_code: str, *parts: object) -> str:
    """A valid Dutch IBAN at `bank_code` whose account number depends only on `parts`."""
    return iban("NL", bank_code + dutch_account_number(bank_code, *parts))


def creditor_identifier(national_id: str, country: str = "NL", business_code: str = "ZZZ") -> str:
    """A SEPA creditor identifier; the check digits skip the business code, per the EPC rules."""
    return country + mod97_check_digits(national_id, country) + business_code + national_id


def creditor_identifier_is_valid(creditor_id: str) -> bool:
    """Whether `creditor_id` carries correct ISO 7064 MOD 97-10 check digits."""
    if len(creditor_id) < 8 or not creditor_id.isalnum():
        return False
    country, national_id = creditor_id[:2], creditor_id[7:]
    return mod97_check_digits(national_id, country) == creditor_id[2:4]


def masked_pan(bin_prefix: str, *parts: object) -> str:
    """A masked card number such as "525412******3241"."""
    return f"{bin_prefix}******{stable_int('pan', *parts) % 10_000:04d}"


def transaction_id(seed: int, resource_id: str, month: date, index: int, on: date) -> str:
    """A bank-style transaction id: the date plus 16 hex digits (24 characters)."""
    return f"{on:%Y%m%d}{stable_hex(16, seed, resource_id, f'{month:%Y-%m}', index)}"

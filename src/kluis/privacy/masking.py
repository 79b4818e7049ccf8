"""What each channel may show of an account number.

The bank's own web chat shows everything; messengers show the last four digits; voice says
no account numbers at all. (Channel trust levels grow with the consent and channel work.)
"""

from __future__ import annotations

from kluis.domain import Account

FULL_TRUST = frozenset({"web", "terminal"})
VOICE = frozenset({"alexa", "dialogflow"})


def group_iban(iban: str) -> str:
    """An IBAN in groups of four, as people read it."""
    compact = iban.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def mask_number(number: str) -> str:
    """Only the last four characters: `•••• 0194`."""
    compact = number.replace(" ", "").replace("*", "")
    return f"•••• {compact[-4:]}"


def account_number_for(account: Account, channel: str) -> str:
    """The account's number as this channel may show it ('' on voice)."""
    if channel in VOICE:
        return ""
    number = account.iban or account.masked_pan or ""
    if not number:
        return ""
    if channel in FULL_TRUST:
        return group_iban(number) if account.iban else number
    return mask_number(number)

"""Writing account numbers as people read them, whole or masked to the last four.

Which channel shows which is the disclosure policy's business (`kluis.privacy.policy`).
"""

from __future__ import annotations


def group_iban(iban: str) -> str:
    """An IBAN in groups of four, as people read it."""
    compact = iban.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def mask_number(number: str) -> str:
    """Only the last four characters: `•••• 0194`."""
    compact = number.replace(" ", "").replace("*", "")
    return f"•••• {compact[-4:]}"

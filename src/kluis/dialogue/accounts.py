"""Which of the customer's accounts a word like 'spaarrekening' or 'vakantiepot' means."""

from __future__ import annotations

from typing import Protocol, TypeVar

KINDS = {"checking", "savings", "credit_card"}


class NamedAccount(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def resource_id(self) -> str: ...


A = TypeVar("A", bound=NamedAccount)


def matching_accounts(accounts: list[A], wanted: str | None) -> list[A]:
    """The accounts the customer named: by kind, or by (part of) the account's own name."""
    if not wanted:
        return []
    if wanted in KINDS:
        return [a for a in accounts if a.kind == wanted]
    needle = wanted.lower()
    return [a for a in accounts if needle in a.name.lower()]

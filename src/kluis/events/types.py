"""The events Kluis announces. Each has a kind and a plain JSON payload."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class TransactionsArrived:
    """A sync stored new transactions, or saw pending ones change (for example get booked).

    Carries ids only, never amounts or names: subscribers read what they need through the
    store, under the same rules as everyone else.
    """

    KIND: ClassVar[str] = "transactions.arrived"

    customer_id: str
    connection_id: int
    account_id: int
    resource_id: str
    inserted: tuple[str, ...]
    updated: tuple[str, ...]

    def to_payload(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "connection_id": self.connection_id,
            "account_id": self.account_id,
            "resource_id": self.resource_id,
            "inserted": list(self.inserted),
            "updated": list(self.updated),
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> TransactionsArrived:
        return cls(
            customer_id=str(payload["customer_id"]),
            connection_id=int(payload["connection_id"]),
            account_id=int(payload["account_id"]),
            resource_id=str(payload["resource_id"]),
            inserted=tuple(str(item) for item in payload["inserted"]),
            updated=tuple(str(item) for item in payload["updated"]),
        )

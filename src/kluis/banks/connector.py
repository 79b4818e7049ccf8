"""What Kluis needs from a bank, whatever API it speaks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from kluis.domain import Account, Balance, ConsentAccess, ConsentStatus, Transaction


@dataclass(frozen=True, slots=True)
class Presence:
    """Whether the customer is there. A read with the customer present carries their IP
    address and does not count against the daily unattended budget."""

    psu_ip_address: str | None = None

    @property
    def attended(self) -> bool:
        return self.psu_ip_address is not None


UNATTENDED = Presence()


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    psu_id: str
    access: ConsentAccess
    valid_until: date
    frequency_per_day: int
    recurring: bool
    redirect_uri: str
    psu_ip_address: str


@dataclass(frozen=True, slots=True)
class CreatedConsent:
    consent_id: str
    status: ConsentStatus
    sca_redirect: str | None


@dataclass(frozen=True, slots=True)
class ConsentDetails:
    consent_id: str
    status: ConsentStatus
    access: ConsentAccess
    valid_until: date
    frequency_per_day: int
    recurring: bool


@dataclass(frozen=True, slots=True)
class TransactionQuery:
    date_from: date | None = None
    date_to: date | None = None
    booking_status: str = "both"


@dataclass(frozen=True, slots=True)
class TransactionPage:
    transactions: tuple[Transaction, ...]
    has_next: bool


class BankConnector(Protocol):
    """A bank's account-information API, seen through Kluis's domain types."""

    async def create_consent(self, request: ConsentRequest) -> CreatedConsent: ...

    async def consent(self, consent_id: str) -> ConsentDetails: ...

    async def consent_status(self, consent_id: str) -> ConsentStatus: ...

    async def delete_consent(self, consent_id: str) -> None: ...

    async def accounts(self, consent_id: str, presence: Presence) -> list[Account]: ...

    async def balances(
        self, consent_id: str, account: Account, presence: Presence
    ) -> list[Balance]: ...

    def transactions(
        self, consent_id: str, account: Account, query: TransactionQuery, presence: Presence
    ) -> AsyncIterator[TransactionPage]: ...

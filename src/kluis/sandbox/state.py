"""What the sandbox bank remembers between requests: consents, card blocks, read counters.

Everything lives in one small JSON file, `state.json` in the sandbox directory, written
atomically after every change. The server keeps the loaded state in memory and guards
changes with an asyncio lock; other processes (`kluis sandbox truth`) read the file fresh.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kluis.errors import SandboxError
from kluis.sandbox.clock import write_json_atomically

STATE_FILE = "state.json"

ConsentStatus = Literal[
    "received", "rejected", "valid", "revokedByPsu", "expired", "terminatedByTpp"
]
CardConsentStatus = Literal["received", "rejected", "valid", "terminatedByTpp"]
DataKind = Literal["details", "balances", "transactions"]
ConsentScope = Literal[
    "explicit", "bankOffered", "allPsd2", "availableAccounts", "availableAccountsWithBalance"
]
BookingStatus = Literal["booked", "pending", "both"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class ConsentGrant(_Record):
    """The resource ids a consent opens, per kind of data."""

    details: tuple[str, ...] = ()
    balances: tuple[str, ...] = ()
    transactions: tuple[str, ...] = ()

    def allows(self, resource_id: str, kind: DataKind) -> bool:
        """Whether this kind of data of this account may be read."""
        return resource_id in getattr(self, kind)

    def limited_to(self, resource_ids: tuple[str, ...]) -> ConsentGrant:
        """The same grant for only these accounts (the customer's choice on the page)."""
        chosen = set(resource_ids)
        return ConsentGrant(
            details=tuple(i for i in self.details if i in chosen),
            balances=tuple(i for i in self.balances if i in chosen),
            transactions=tuple(i for i in self.transactions if i in chosen),
        )


class ConsentRecord(_Record):
    """An AIS consent as the bank keeps it."""

    consent_id: str
    psu_id: str
    scope: ConsentScope
    owner_name: bool = False
    grant: ConsentGrant
    recurring: bool
    valid_until: date
    frequency_per_day: int
    combined_service: bool = False
    redirect_uri: str | None = None
    nok_redirect_uri: str | None = None
    tpp_name: str | None = None
    status: ConsentStatus = "received"
    created: date
    last_action: date

    def status_on(self, today: date) -> ConsentStatus:
        """The status as the TPP sees it today: `validUntil` is inclusive."""
        if self.status in ("received", "valid") and today > self.valid_until:
            return "expired"
        return self.status


class CardConsentRecord(_Record):
    """An authorisation for the sandbox's own card-control API."""

    card_consent_id: str
    psu_id: str
    redirect_uri: str | None = None
    nok_redirect_uri: str | None = None
    tpp_name: str | None = None
    status: CardConsentStatus = "received"
    created: date
    last_action: date


class BlockPeriod(_Record):
    """A card was blocked on `blocked_on` and, if `unblocked_on` is set, unblocked then."""

    blocked_on: date
    unblocked_on: date | None = None

    def declines(self, day: date) -> bool:
        """Whether a card payment made on `day` is refused by this block.

        Dates have no time of day, so payments on the day of blocking and on the day of
        unblocking go through; those strictly in between are refused.
        """
        if day <= self.blocked_on:
            return False
        return self.unblocked_on is None or day < self.unblocked_on


class PageQuery(_Record):
    """One transaction query whose pages are counted once; `_links.next` carries its token."""

    consent_id: str
    resource_id: str
    day: date
    booking_status: BookingStatus
    date_from: date | None = None
    date_to: date | None = None
    items_per_page: int


class ReadKey(_Record):
    """What unattended reads are counted by: consent, account, kind of data and day."""

    consent_id: str
    resource_id: str
    kind: DataKind
    day: date

    @property
    def text(self) -> str:
        return f"{self.consent_id}|{self.resource_id}|{self.kind}|{self.day.isoformat()}"


class SandboxState(BaseModel):
    """Everything the sandbox remembers; mutate it, then hand it to `StateStore.save`."""

    model_config = ConfigDict(extra="ignore")

    version: int = 1
    consents: dict[str, ConsentRecord] = Field(default_factory=dict)
    card_consents: dict[str, CardConsentRecord] = Field(default_factory=dict)
    card_blocks: dict[str, tuple[BlockPeriod, ...]] = Field(default_factory=dict)
    read_counts: dict[str, int] = Field(default_factory=dict)
    page_queries: dict[str, PageQuery] = Field(default_factory=dict)

    def blocked_card_ids(self) -> frozenset[str]:
        """Cards blocked now (their last block has not been lifted)."""
        return frozenset(
            card_id
            for card_id, periods in self.card_blocks.items()
            if periods and periods[-1].unblocked_on is None
        )

    def block_card(self, card_id: str, today: date) -> None:
        """Block a card from today; blocking a blocked card changes nothing."""
        periods = self.card_blocks.get(card_id, ())
        if periods and periods[-1].unblocked_on is None:
            return
        self.card_blocks[card_id] = (*periods, BlockPeriod(blocked_on=today))

    def unblock_card(self, card_id: str, today: date) -> None:
        """Lift a card's block from today; unblocking an unblocked card changes nothing."""
        periods = self.card_blocks.get(card_id, ())
        if not periods or periods[-1].unblocked_on is not None:
            return
        last = periods[-1].model_copy(update={"unblocked_on": today})
        self.card_blocks[card_id] = (*periods[:-1], last)

    def read_count(self, key: ReadKey) -> int:
        """How many unattended reads `key` has had."""
        return self.read_counts.get(key.text, 0)

    def count_read(self, key: ReadKey) -> None:
        """Count one more unattended read."""
        self.read_counts[key.text] = self.read_counts.get(key.text, 0) + 1

    def forget_before(self, today: date) -> None:
        """Drop read counters and page tokens of earlier days: they no longer matter."""
        stamp = today.isoformat()
        self.read_counts = {
            key: count for key, count in self.read_counts.items() if key.rsplit("|", 1)[-1] >= stamp
        }
        self.page_queries = {
            token: query for token, query in self.page_queries.items() if query.day >= today
        }


class StateStore:
    """Loads and saves `SandboxState` in `directory / "state.json"`."""

    def __init__(self, directory: Path) -> None:
        self._path = directory / STATE_FILE

    @property
    def path(self) -> Path:
        return self._path

    def stamp(self) -> tuple[int, int, int] | None:
        """What identifies the saved file's version (None when nothing was saved)."""
        try:
            status = self._path.stat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SandboxError("cannot read the sandbox state") from exc
        return (status.st_mtime_ns, status.st_ino, status.st_size)

    def load(self) -> SandboxState:
        """The saved state, or an empty one when nothing was saved yet."""
        try:
            text = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return SandboxState()
        except OSError as exc:
            raise SandboxError("cannot read the sandbox state") from exc
        try:
            return SandboxState.model_validate(json.loads(text))
        except (ValueError, ValidationError) as exc:
            raise SandboxError("the sandbox state file is unreadable") from exc

    def save(self, state: SandboxState) -> None:
        """Replace the saved state atomically."""
        write_json_atomically(self._path, state.model_dump(mode="json"))

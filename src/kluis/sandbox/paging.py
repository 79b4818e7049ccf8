"""Transaction queries: which entries a query selects, in which order, and its pages.

Query parameters (`GET .../transactions`):

- `bookingStatus` (required): `booked`, `pending` or `both`.
- `dateFrom`, `dateTo` (inclusive ISO dates): booked entries are filtered on their booking
  date, pending ones on their transaction date, as the specification describes.
- `itemsPerPage` (1..1000, default 100) and `pageIndex` (0-based, default 0).
- `pageToken`: set by the sandbox in `_links`; it marks the pages of one query so that the
  query counts once against `frequencyPerDay`.
- `withBalance`: also answer the balances, where the consent opens them.

Order: pending entries first, then booked ones, each newest first; the order is stable,
so paging through `_links.next` serves every entry exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import get_args
from urllib.parse import urlencode

from kluis.sandbox.ledger import LedgerEntry
from kluis.sandbox.problems import SandboxRequestError, format_error
from kluis.sandbox.state import BookingStatus

DEFAULT_ITEMS_PER_PAGE = 100
MAX_ITEMS_PER_PAGE = 1000

_BOOKING_STATUSES: tuple[str, ...] = get_args(BookingStatus)


@dataclass(frozen=True, slots=True)
class TransactionQuery:
    """What a transaction request asks for, apart from which page."""

    booking_status: BookingStatus
    date_from: date | None
    date_to: date | None
    items_per_page: int


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A parsed transaction request: the query, the page and the query's token if any."""

    query: TransactionQuery
    page_index: int
    page_token: str | None
    with_balance: bool


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a query's entries; `count` is the number of pages (at least 1)."""

    entries: tuple[LedgerEntry, ...]
    index: int
    count: int


def parse_page_request(params: Mapping[str, str]) -> PageRequest:
    """Read the query parameters; anything malformed is a 400 with a spec code."""
    status = params.get("bookingStatus")
    if status is None:
        raise format_error("the query parameter bookingStatus is required")
    if status in ("information", "all"):
        raise SandboxRequestError(
            400, "PARAMETER_NOT_SUPPORTED", f"bookingStatus {status} is not supported"
        )
    if status not in _BOOKING_STATUSES:
        raise format_error("bookingStatus must be booked, pending or both")
    if params.get("entryReferenceFrom") or _flag(params, "deltaList"):
        raise SandboxRequestError(
            400, "PARAMETER_NOT_SUPPORTED", "entryReferenceFrom and deltaList are not supported"
        )
    date_from = _date(params, "dateFrom")
    date_to = _date(params, "dateTo")
    if date_from is not None and date_to is not None and date_from > date_to:
        raise SandboxRequestError(400, "PERIOD_INVALID", "dateFrom lies after dateTo")
    items_per_page = _integer(params, "itemsPerPage", DEFAULT_ITEMS_PER_PAGE)
    if not 1 <= items_per_page <= MAX_ITEMS_PER_PAGE:
        raise format_error(f"itemsPerPage must be 1 to {MAX_ITEMS_PER_PAGE}")
    page_index = _integer(params, "pageIndex", 0)
    if page_index < 0:
        raise format_error("pageIndex cannot be negative")
    query = TransactionQuery(status, date_from, date_to, items_per_page)  # type: ignore[arg-type]
    return PageRequest(
        query, page_index, params.get("pageToken") or None, _flag(params, "withBalance")
    )


def select(entries: Sequence[LedgerEntry], query: TransactionQuery) -> list[LedgerEntry]:
    """The entries the query asks for, in the served order."""
    pending = [
        entry
        for entry in entries
        if entry.status == "pending"
        and query.booking_status in ("pending", "both")
        and _within(entry.record.transaction_date, query)
    ]
    booked = [
        entry
        for entry in entries
        if entry.status == "booked"
        and query.booking_status in ("booked", "both")
        and _within(entry.record.booking_date, query)
    ]
    pending.sort(key=_pending_order, reverse=True)
    booked.sort(key=_booked_order, reverse=True)
    return pending + booked


def page_of(entries: Sequence[LedgerEntry], query: TransactionQuery, index: int) -> Page:
    """The `index`th page; a page past the last one is a 400."""
    size = query.items_per_page
    count = max(1, -(-len(entries) // size))
    if index >= count:
        raise format_error(f"pageIndex {index} lies beyond the last page ({count - 1})")
    return Page(tuple(entries[index * size : (index + 1) * size]), index, count)


def page_links(url: str, request: PageRequest, page: Page, token: str | None) -> dict[str, object]:
    """`first`, `previous`, `next` and `last` links (whichever apply) for the page."""

    def href(index: int) -> dict[str, str]:
        query = request.query
        params: dict[str, str] = {"bookingStatus": query.booking_status}
        if query.date_from is not None:
            params["dateFrom"] = query.date_from.isoformat()
        if query.date_to is not None:
            params["dateTo"] = query.date_to.isoformat()
        params["itemsPerPage"] = str(query.items_per_page)
        if request.with_balance:
            params["withBalance"] = "true"
        params["pageIndex"] = str(index)
        if token is not None:
            params["pageToken"] = token
        return {"href": f"{url}?{urlencode(params)}"}

    links: dict[str, object] = {}
    if page.count > 1:
        links["first"] = href(0)
        links["last"] = href(page.count - 1)
    if page.index > 0:
        links["previous"] = href(page.index - 1)
    if page.index + 1 < page.count:
        links["next"] = href(page.index + 1)
    return links


def _within(day: date, query: TransactionQuery) -> bool:
    if query.date_from is not None and day < query.date_from:
        return False
    return query.date_to is None or day <= query.date_to


def _pending_order(entry: LedgerEntry) -> tuple[date, object, str]:
    record = entry.record
    return (record.transaction_date, record.time_of_day, record.transaction_id)


def _booked_order(entry: LedgerEntry) -> tuple[date, date, object, str]:
    record = entry.record
    return (record.booking_date, record.transaction_date, record.time_of_day, record.transaction_id)


def _date(params: Mapping[str, str], name: str) -> date | None:
    text = params.get(name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise format_error(f"{name} must be an ISO date (YYYY-MM-DD)") from exc


def _integer(params: Mapping[str, str], name: str, default: int) -> int:
    text = params.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit():
        raise format_error(f"{name} must be a whole number")
    return int(text)


def _flag(params: Mapping[str, str], name: str) -> bool:
    text = params.get(name)
    if text is None or text == "":
        return False
    if text.lower() not in ("true", "false"):
        raise format_error(f"{name} must be true or false")
    return text.lower() == "true"

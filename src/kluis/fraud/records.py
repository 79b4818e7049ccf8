"""Card transactions as the fraud engine sees them, and the strict reader of their CSV files.

A file has the header `id,timestamp,customer,counterparty,amount,currency,label`; it may be
gzipped (`.csv.gz`). Every row is checked: a row that cannot be read stops the stream with a
`MalformedTransaction` naming the file and line and the reason, never the row's values.
Nothing is skipped. Several files (or folders of them, read in file-name order) are merged
into one stream in timestamp order; each file must itself be in timestamp order.

Amounts become floats here: the engine only compares magnitudes, so binary rounding cannot
change a decision. Money that is shown or stored stays `Decimal` elsewhere in Kluis.
"""

from __future__ import annotations

import csv
import gzip
import heapq
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple, TextIO

from kluis.errors import MalformedTransaction

HEADER = ("id", "timestamp", "customer", "counterparty", "amount", "currency", "label")
SUFFIXES = (".csv", ".csv.gz")
_DAY_CACHE_LIMIT = 4096
_EPOCH_DAYS: dict[str, float] = {}


class Transaction(NamedTuple):
    """One card payment: `timestamp` in epoch seconds (UTC), `amount` a float (see the module
    docstring), `label` True for fraud, False for genuine, None when unknown."""

    id: str
    timestamp: float
    customer: str
    counterparty: str
    amount: float
    currency: str
    label: bool | None = None


def parse_timestamp(text: str) -> float:
    """Epoch seconds of an ISO 8601 timestamp; one without a zone is taken as UTC.

    The common form `YYYY-MM-DDTHH:MM:SS` takes a fast path (the date part is cached);
    everything else goes through `datetime.fromisoformat`. Raises ValueError.
    """
    if len(text) == 19 and text[10] in "T " and text[13] == ":" and text[16] == ":":
        clock = text[11:13] + text[14:16] + text[17:19]
        if clock.isdigit() and clock.isascii():
            hours, minutes, seconds = int(clock[:2]), int(clock[2:4]), int(clock[4:])
            if hours < 24 and minutes < 60 and seconds < 60:
                return _midnight(text[:10]) + hours * 3600 + minutes * 60 + seconds
    return _parse_slowly(text)


def _midnight(day: str) -> float:
    found = _EPOCH_DAYS.get(day)
    if found is None:
        if len(_EPOCH_DAYS) >= _DAY_CACHE_LIMIT:
            _EPOCH_DAYS.clear()
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            raise ValueError("timestamp is not ISO 8601 (a date that does not exist)") from None
        found = datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC).timestamp()
        _EPOCH_DAYS[day] = found
    return found


def _parse_slowly(text: str) -> float:
    if len(text) < 10 or not text[:4].isdigit():
        raise ValueError("timestamp is not ISO 8601 (expected e.g. 2018-04-01T00:00:31)")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("timestamp is not ISO 8601 (expected e.g. 2018-04-01T00:00:31)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def parse_amount(text: str) -> float:
    """A plain decimal string (`12`, `12.50`, `-3.1`): no exponent, no NaN, no separators."""
    body = text[1:] if text[:1] == "-" else text
    digits = body.replace(".", "", 1)
    if not (digits.isdigit() and digits.isascii()) or body[0] == "." or body[-1] == ".":
        raise ValueError("amount is not a decimal number (expected e.g. 12.50)")
    return float(text)


def parse_label(text: str) -> bool | None:
    """`1` fraud, `0` genuine, empty unknown."""
    if text == "0":
        return False
    if text == "1":
        return True
    if text == "":
        return None
    raise ValueError("label must be 1 (fraud), 0 (genuine) or empty (unknown)")


def parse_row(row: Sequence[str]) -> Transaction:
    """One CSV row (without its header) as a Transaction; ValueError says what is wrong."""
    if len(row) != len(HEADER):
        raise ValueError(f"expected {len(HEADER)} fields ({','.join(HEADER)}), found {len(row)}")
    identifier, timestamp, customer, counterparty, amount, currency, label = row
    if not identifier:
        raise ValueError("id is empty")
    if not customer:
        raise ValueError("customer is empty")
    if not counterparty:
        raise ValueError("counterparty is empty")
    if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        raise ValueError("currency is not a three-letter ISO 4217 code")
    return Transaction(
        identifier,
        parse_timestamp(timestamp),
        customer,
        counterparty,
        parse_amount(amount),
        currency,
        parse_label(label),
    )


def transaction_files(inputs: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for its `.csv` and `.csv.gz` files in name order."""
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found = sorted(
                item for item in path.iterdir() if item.is_file() and item.name.endswith(SUFFIXES)
            )
            if not found:
                raise MalformedTransaction(str(path), 0, "the folder has no .csv or .csv.gz files")
            files.extend(found)
        else:
            files.append(path)
    return files


def _open(path: Path) -> TextIO:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _rows(path: Path, order: int) -> Iterator[tuple[float, int, int, Transaction]]:
    """(timestamp, file order, line, transaction) for every row of one file."""
    source = str(path)
    line = 0
    try:
        with _open(path) as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            line = 1
            if header is None:
                raise MalformedTransaction(source, 1, "empty file: expected the header")
            if tuple(header) != HEADER:
                raise MalformedTransaction(source, 1, f"expected the header {','.join(HEADER)}")
            previous = float("-inf")
            for row in reader:
                line = reader.line_num
                try:
                    transaction = parse_row(row)
                except ValueError as error:
                    raise MalformedTransaction(source, line, str(error)) from None
                if transaction.timestamp < previous:
                    raise MalformedTransaction(
                        source, line, "timestamp is earlier than the row before: sort by time"
                    )
                previous = transaction.timestamp
                yield transaction.timestamp, order, line, transaction
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, csv.Error) as error:
        reason = type(error).__name__ if isinstance(error, UnicodeDecodeError) else str(error)
        raise MalformedTransaction(source, line + 1, f"cannot be read: {reason}") from None


def read_transactions(inputs: Iterable[Path]) -> Iterator[Transaction]:
    """Every transaction of `inputs` (files or folders), merged in timestamp order.

    Transactions with the same timestamp keep the order of their files, then of their lines.
    Raises MalformedTransaction on the first row that cannot be read, on a row that goes back
    in time within its file, and on an id that repeats an earlier one.
    """
    files = transaction_files(inputs)
    streams = [_rows(path, order) for order, path in enumerate(files)]
    merged = streams[0] if len(streams) == 1 else heapq.merge(*streams)
    seen: set[str] = set()
    for _, order, line, transaction in merged:
        if transaction.id in seen:
            raise MalformedTransaction(str(files[order]), line, "the id repeats an earlier one")
        seen.add(transaction.id)
        yield transaction

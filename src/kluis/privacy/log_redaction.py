"""Logs that cannot leak: a filter that redacts what must never be written down.

Kluis's own log calls carry ids and counts only. This filter is the second line: it rewrites
every record that reaches Kluis's handler, from any library, replacing IBANs, card numbers,
amounts, e-mail addresses, phone numbers, opaque identifiers (consent ids, tokens) and query
strings before the record is formatted. The HTTP client's per-request lines, which carry
URLs with consent ids in them, and the database drivers' lines, which carry SQL parameters,
are not wanted at all and stay below the handler's level.

Names and message text have no pattern. While a conversation turn runs, the engine opens
`turn_secrets(text)` and marks what it learns (the customer's name; the gate adds the
counterparty and account names it discloses): every record logged during the turn has
those strings taken out as well.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TextIO

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"), "[iban]"),
    (re.compile(r"\b\d{4,6}\*{4,8}\d{4}\b"), "[card]"),
    (re.compile(r"\b(?:\d[ -]?){13,19}\b"), "[number]"),
    (
        re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I),
        "[id]",
    ),
    (re.compile(r"\b[A-Za-z0-9_-]{24,}\b"), "[token]"),
    (re.compile(r"\?[^\s\"']*"), "?[query]"),
    (re.compile(r"(?:\+|00)\d[\d ()-]{7,}\d"), "[phone]"),
    (
        re.compile(
            r"(?:[€$£]\s?-?\d[\d.,]*|-?\d[\d.,]*\s?(?:EUR|USD|GBP|euro)\b|-?\d+[.,]\d{2}\b)"
        ),
        "[amount]",
    ),
)

# Libraries whose debug and info lines carry request URLs or SQL parameters (names,
# amounts in cents, consent ids): they only ever speak at WARNING and above.
QUIET_LOGGERS = (
    "httpx",
    "httpcore",
    "uvicorn.access",
    "aiosqlite",
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "psycopg",
    "alembic",
)


MIN_SECRET_LENGTH = 3  # shorter strings ("AH", "de") would blank ordinary words


class TurnSecrets:
    """The strings that must not reach a log while one conversation turn runs.

    A turn can disclose a few thousand names (a year of transactions); most log lines
    contain none of them. So each line is first searched for them plainly, which is fast,
    and only the ones found are taken out."""

    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, values: Iterable[str | None]) -> None:
        self._values.update(
            value.strip().casefold()
            for value in values
            if value and len(value.strip()) >= MIN_SECRET_LENGTH
        )

    def redact(self, text: str) -> str:
        folded = text.casefold()
        found = [value for value in self._values if value in folded]
        if not found:
            return text
        # Longest first, so a name is taken out whole before any part of it.
        found.sort(key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, found)), re.IGNORECASE)
        redacted = pattern.sub("[redacted]", text)
        if any(value in redacted.casefold() for value in found):
            return "[redacted]"  # a case the pattern could not match: drop the whole text
        return redacted


_TURN: ContextVar[TurnSecrets | None] = ContextVar("kluis_turn_secrets", default=None)


@contextmanager
def turn_secrets(*values: str) -> Iterator[TurnSecrets]:
    """Redact `values` (and whatever is marked later) from every log record of this task."""
    secrets = TurnSecrets()
    secrets.add(values)
    token = _TURN.set(secrets)
    try:
        yield secrets
    finally:
        _TURN.reset(token)


def mark_sensitive(*values: str | None) -> None:
    """Add strings to the running turn's secrets; does nothing outside a turn."""
    secrets = _TURN.get()
    if secrets is not None:
        secrets.add(values)


def redact(text: str) -> str:
    """The text with every sensitive-looking piece replaced by a marker."""
    secrets = _TURN.get()
    if secrets is not None:
        text = secrets.redact(text)
    for pattern, marker in _PATTERNS:
        text = pattern.sub(marker, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (with its arguments) and its exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = redact(formatter.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def configure_logging(level: str = "WARNING", stream: TextIO | None = None) -> logging.Handler:
    """Install Kluis's one log handler on the root logger, with the redacting filter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "kluis", False):
            root.removeHandler(existing)
    handler.kluis = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    return handler

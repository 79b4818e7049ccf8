"""Logs that cannot leak: a filter that redacts what must never be written down.

Kluis's own log calls carry ids and counts only. This filter is the second line: it rewrites
every record that reaches Kluis's handler, from any library, replacing IBANs, card numbers,
amounts, e-mail addresses, phone numbers, opaque identifiers (consent ids, tokens) and query
strings before the record is formatted. The HTTP client's per-request lines, which carry
URLs with consent ids in them, and the database drivers' lines, which carry SQL parameters,
are not wanted at all and stay below the handler's level.
"""

from __future__ import annotations

import logging
import re
import sys
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
        re.compile(r"(?:[€$£]\s?-?\d[\d.,]*|-?\d[\d.,]*\s?(?:EUR|USD|GBP|euro)\b|-?\d+[.,]\d{2}\b)"),
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


def redact(text: str) -> str:
    """The text with every sensitive-looking piece replaced by a marker."""
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

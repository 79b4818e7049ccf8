"""The one error root of Kluis and its subtrees.

    KluisError
    ├── ConfigError                 settings that cannot work
    ├── StorageError                the database refused or is unreachable
    ├── BankError                   anything that went wrong talking to a bank
    │   ├── BankUnavailable         5xx, timeouts, connection refused, an open circuit
    │   ├── RateLimited             429: the bank wants us to wait (`retry_after`)
    │   ├── MalformedResponse       the bank answered something we cannot read
    │   ├── BankRequestRejected     4xx that is not about consent or rate
    │   └── ConsentError            the consent does not allow this read
    │       ├── ConsentExpired      past `validUntil`
    │       ├── ConsentRevoked      deleted by the customer or by us, or unknown to the bank
    │       └── ConsentNotReady     not (yet) approved by the customer
    ├── ChannelError                a chat platform's request or API
    │   ├── WebhookRejected         a webhook that must not be processed (kluis.channels.base):
    │   │                           Unauthorized, Forbidden, MalformedWebhook
    │   └── PlatformError           a send the platform refused or never answered
    │                               (kluis.channels.platform_api; `code`, `status`)
    ├── PrivacyError                the channel's disclosure policy holds the answer back
    │   ├── VoicePinRequired        voice: say the voice PIN first (`pin_set`)
    │   └── VoicePinLocked          voice: too many wrong voice PINs; set it again on the web
    └── SandboxError                the sandbox bank's own state is not usable

Exceptions carry data (`status_code`, `retry_after`, `consent_id`); their messages are
written for people and never contain account numbers, amounts, names or tokens.
"""

from __future__ import annotations


class KluisError(Exception):
    """Root of every error Kluis raises on purpose."""


class ConfigError(KluisError):
    """The settings cannot work (a bad URL, an unreadable file)."""


class StorageError(KluisError):
    """The database refused an operation or cannot be reached."""


class SandboxError(KluisError):
    """The sandbox bank's state cannot be read or written."""


class BankError(KluisError):
    """Something went wrong while reading a bank."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class BankUnavailable(BankError):
    """The bank did not answer, answered 5xx, or the circuit breaker is open."""


class RateLimited(BankError):
    """The bank answered 429; `retry_after` is in seconds when the bank said."""

    def __init__(self, message: str, *, retry_after: float | None, status_code: int = 429) -> None:
        super().__init__(message, status_code=status_code)
        self.retry_after = retry_after


class MalformedResponse(BankError):
    """The bank answered with a body we cannot understand."""


class BankRequestRejected(BankError):
    """The bank refused the request for a reason that is not about consent or rate."""


class ConsentError(BankError):
    """The consent does not (or no longer) allow the read."""

    def __init__(
        self, message: str, *, consent_id: str | None = None, status_code: int | None = None
    ) -> None:
        super().__init__(message, status_code=status_code)
        self.consent_id = consent_id


class ConsentExpired(ConsentError):
    """The consent is past its `validUntil`; the customer must renew it."""


class ConsentRevoked(ConsentError):
    """The consent was revoked, terminated, or is unknown to the bank."""


class ConsentNotReady(ConsentError):
    """The customer has not approved the consent (yet), or refused it."""


class ChannelError(KluisError):
    """Something about a chat platform: a webhook to refuse, a send that failed."""


class PrivacyError(KluisError):
    """The channel's disclosure policy does not allow the answer as things stand."""


class VoicePinRequired(PrivacyError):
    """A voice channel may say amounts only after the customer's voice PIN in this
    conversation. `pin_set` is False when the customer has not set one yet (on the web page),
    so there is nothing to ask for."""

    def __init__(self, message: str, *, pin_set: bool = True) -> None:
        super().__init__(message)
        self.pin_set = pin_set


class VoicePinLocked(PrivacyError):
    """Too many wrong voice PINs in a row: voice disclosures stay locked until the customer
    sets the voice PIN again on the web page."""


class FraudError(KluisError):
    """Fraud scoring cannot go on: its input or its saved state cannot be used.

    FraudError
    ├── MalformedTransaction    a row of a transaction file (`source`, `line`)
    └── UnusableFraudState      a saved engine state of another shape or version
    """


class MalformedTransaction(FraudError):
    """A row of a transaction file cannot be read; the message is "FILE:LINE: reason" and
    never repeats the row's values (ids, amounts)."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(f"{source}:{line}: {reason}")
        self.source = source
        self.line = line
        self.reason = reason


class UnusableFraudState(FraudError):
    """A saved fraud engine state does not fit this engine (another version or feature set)."""


class StatementError(KluisError):
    """A bank statement file cannot be read (kluis.banks.statements).

    StatementError
    ├── UnknownStatementFormat  not a statement in a format we read (or no statement at all)
    └── MalformedStatement      a format we read, but broken or an error answer (`source`, `line`)
    """


class UnknownStatementFormat(StatementError):
    """The file is not a bank statement in any format we read."""


class MalformedStatement(StatementError):
    """The file is in a statement format we read, but a part of it cannot be read. The
    message is "FILE[:LINE]: reason" and never repeats amounts, names or account numbers."""

    def __init__(self, source: str, reason: str, *, line: int | None = None) -> None:
        where = source if line is None else f"{source}:{line}"
        super().__init__(f"{where}: {reason}")
        self.source = source
        self.line = line
        self.reason = reason

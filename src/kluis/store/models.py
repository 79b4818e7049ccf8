"""The database tables. Amounts are integer minor units plus a currency: exact everywhere."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every Kluis table."""


class CustomerRow(Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(140))
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChannelIdentityRow(Base):
    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "platform_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    platform_user_id: Mapped[str] = mapped_column(String(256))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BankConnectionRow(Base):
    __tablename__ = "bank_connections"
    __table_args__ = (UniqueConstraint("customer_id", "bank_url", "psu_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    bank_name: Mapped[str] = mapped_column(String(140))
    bank_url: Mapped[str] = mapped_column(String(512))
    psu_id: Mapped[str] = mapped_column(String(140))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConsentRow(Base):
    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("bank_connections.id", ondelete="CASCADE")
    )
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    bank_consent_id_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(32))
    access: Mapped[dict[str, Any]] = mapped_column(JSON)
    valid_until: Mapped[date] = mapped_column(Date)
    frequency_per_day: Mapped[int] = mapped_column(Integer)
    recurring: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When the customer withdrew it (or the bank ended it): data read under it is purged
    # after the retention period.
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The accounts (resource ids) the customer still lets Kluis use, when narrower than the
    # bank's consent; null means everything the consent covers.
    restricted_to: Mapped[list[Any] | None] = mapped_column(JSON)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Ended here, but the bank could not be told yet: `kluis consent maintain` tries again.
    bank_delete_pending: Mapped[bool] = mapped_column(Boolean, default=False)


class AccountRow(Base):
    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("connection_id", "resource_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("bank_connections.id", ondelete="CASCADE")
    )
    resource_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    name: Mapped[str | None] = mapped_column(String(140))
    iban: Mapped[str | None] = mapped_column(String(34))
    masked_pan: Mapped[str | None] = mapped_column(String(35))
    product: Mapped[str | None] = mapped_column(String(70))
    owner_name: Mapped[str | None] = mapped_column(String(140))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When the customer narrowed Kluis's use to other accounts: this account's balances and
    # transactions are purged after the retention period.
    dropped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BalanceRow(Base):
    __tablename__ = "balances"
    __table_args__ = (UniqueConstraint("account_id", "balance_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    balance_type: Mapped[str] = mapped_column(String(32))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reference_date: Mapped[date | None] = mapped_column(Date)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TransactionRow(Base):
    __tablename__ = "transactions"
    __table_args__ = (
        UniqueConstraint("account_id", "transaction_id"),
        Index("ix_transactions_account_date", "account_id", "entry_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    transaction_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(8))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    booking_date: Mapped[date | None] = mapped_column(Date)
    value_date: Mapped[date | None] = mapped_column(Date)
    transaction_date: Mapped[date | None] = mapped_column(Date)
    entry_date: Mapped[date] = mapped_column(Date)
    counterparty_name: Mapped[str | None] = mapped_column(String(140))
    counterparty_iban: Mapped[str | None] = mapped_column(String(34))
    creditor_id: Mapped[str | None] = mapped_column(String(35))
    mandate_id: Mapped[str | None] = mapped_column(String(35))
    end_to_end_id: Mapped[str | None] = mapped_column(String(35))
    entry_reference: Mapped[str | None] = mapped_column(String(35))
    remittance: Mapped[str | None] = mapped_column(Text)
    bank_transaction_code: Mapped[str | None] = mapped_column(String(35))
    merchant_category_code: Mapped[str | None] = mapped_column(String(4))
    purpose_code: Mapped[str | None] = mapped_column(String(4))
    masked_pan: Mapped[str | None] = mapped_column(String(35))
    # ISO 8601 with the bank's offset, as the bank said it: compared as text on re-reads.
    occurred_at: Mapped[str | None] = mapped_column(String(32))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SyncCursorRow(Base):
    """How far an account's transactions have been read, per kind of read."""

    __tablename__ = "sync_cursors"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    synced_through: Mapped[date] = mapped_column(Date)
    last_synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReadBudgetRow(Base):
    """Unattended reads made per consent, account, kind of data and day (PSD2 RTS 36(5))."""

    __tablename__ = "read_budget"

    consent_id: Mapped[int] = mapped_column(
        ForeignKey("consents.id", ondelete="CASCADE"), primary_key=True
    )
    resource_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class AuditEventRow(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_customer_at", "customer_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    data_category: Mapped[str] = mapped_column(String(32))
    consent_id: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[str | None] = mapped_column(String(32))
    intent: Mapped[str | None] = mapped_column(String(64))
    accounts: Mapped[list[Any]] = mapped_column(JSON)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConversationMessageRow(Base):
    __tablename__ = "conversation_messages"
    __table_args__ = (
        UniqueConstraint("channel", "platform_message_id"),
        Index("ix_messages_customer_at", "customer_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(32))
    direction: Mapped[str] = mapped_column(String(3))
    text: Mapped[str] = mapped_column(Text)
    platform_message_id: Mapped[str | None] = mapped_column(String(256))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxEventRow(Base):
    """Events written in the same transaction as the change they announce."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_pending", "dispatched_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ConversationStateRow(Base):
    """What the assistant remembers of a conversation: the last question, its filters, the
    page of transactions shown, misunderstandings in a row. Kept so a restart loses nothing."""

    __tablename__ = "conversation_states"

    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HandoffRow(Base):
    """A request for a person at the bank, with the conversation's context."""

    __tablename__ = "handoffs"
    __table_args__ = (Index("ix_handoffs_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32))
    urgent: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16))
    context: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LinkRequestRow(Base):
    """A consent the customer was sent to approve at the bank, awaiting the bank's redirect.

    `state` is the one-time value that comes back on the redirect; the bank's consent id is
    sealed like every credential. `link_channel` and `link_user` name the chat user (from a
    link token) to link to the customer once the bank approves; `return_uri` is the
    platform page the browser goes back to afterwards (Messenger's account linking)."""

    __tablename__ = "link_requests"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("bank_connections.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(32))
    bank_consent_id_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    link_channel: Mapped[str | None] = mapped_column(String(32))
    link_user: Mapped[str | None] = mapped_column(String(256))
    return_uri: Mapped[str | None] = mapped_column(String(1024))


class LinkTokenRow(Base):
    """A one-time token that takes a person from a chat channel to the web linking page.

    Only a hash of the token is stored; the token itself travels in the link."""

    __tablename__ = "link_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    platform_user_id: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CustomerPreferencesRow(Base):
    """How a customer wants Kluis to disclose: names hidden on messengers, discreet voice,
    the voice PIN (a salted hash), the channel for messages Kluis starts."""

    __tablename__ = "customer_preferences"

    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    hide_counterparties: Mapped[bool] = mapped_column(Boolean, default=False)
    discreet_voice: Mapped[bool] = mapped_column(Boolean, default=False)
    voice_pin_hash: Mapped[bytes | None] = mapped_column(LargeBinary)
    voice_pin_salt: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Wrong voice PINs in a row; at the limit voice disclosures lock until a new PIN is set.
    voice_pin_failures: Mapped[int] = mapped_column(Integer, default=0)
    preferred_channel: Mapped[str | None] = mapped_column(String(32))
    # Alerts: quiet hours ("22:00" to "07:30", local time) and at most this many a day.
    alert_quiet_start: Mapped[str | None] = mapped_column(String(5))
    alert_quiet_end: Mapped[str | None] = mapped_column(String(5))
    alert_daily_limit: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProactiveMessageRow(Base):
    """A message Kluis started (a reminder, an alert), with the check code it carried so the
    customer can ask whether a message claiming to be from Kluis is real."""

    __tablename__ = "proactive_messages"
    __table_args__ = (Index("ix_proactive_customer_code", "customer_id", "check_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    check_code: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CardConsentRow(Base):
    """The customer's approval for Kluis to block and unblock cards through the bank's own
    card API (PSD2 has none). The bank's id for it is a credential: sealed."""

    __tablename__ = "card_consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    connection_id: Mapped[int] = mapped_column(
        ForeignKey("bank_connections.id", ondelete="CASCADE")
    )
    bank_card_consent_id_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PendingBankDeleteRow(Base):
    """A consent Kluis ended but could not yet tell the bank about, kept apart from the
    customer so that it outlives their erasure. Only the bank and the bank's consent id
    (sealed, bound to the bank) are kept; the row goes as soon as the bank has been told."""

    __tablename__ = "pending_bank_deletes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bank_url: Mapped[str] = mapped_column(String(512))
    bank_consent_id_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ErasureLogRow(Base):
    """That an erasure happened, and how many rows of each kind it deleted: no customer id,
    no hash of one, only the day (not the moment), so nothing leads back to the person."""

    __tablename__ = "erasure_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    erased_on: Mapped[date] = mapped_column(Date)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    bank_deletes_pending: Mapped[int] = mapped_column(Integer)


class ChannelInboxRow(Base):
    """A platform's webhook event, recorded before the webhook answers 200 and handled by a
    worker afterwards. The platform's event id deduplicates retried deliveries. The event
    (message text, user id) is sealed and dropped once handled; the row stays a while to
    recognise late retries. Voice channels answer in the HTTP response, which is kept
    (sealed) so that a retried request gets the same answer."""

    __tablename__ = "channel_inbox"
    __table_args__ = (
        UniqueConstraint("channel", "event_id"),
        Index("ix_channel_inbox_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(16))
    body_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    response_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    customer_id: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ChannelContactRow(Base):
    """A person Kluis talks to on a platform, linked or not: when they last wrote (the
    platforms' messaging windows count from there), who owns the conversation (Kluis or a
    person at the bank), whether the platform still lets Kluis reach them, and the options
    last offered as numbers. The platform's user id is looked up by a keyed hash and kept
    sealed."""

    __tablename__ = "channel_contacts"
    __table_args__ = (UniqueConstraint("channel", "user_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    user_key: Mapped[str] = mapped_column(String(64))
    user_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    customer_id: Mapped[str | None] = mapped_column(String(64))
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    owner: Mapped[str] = mapped_column(String(16), default="bot")
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    offered: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChannelDeliveryRow(Base):
    """Every message Kluis sent or tried to send on a platform: what kind, whether it was
    sent, delivered, read or failed (and the platform's error code), never its text. A
    message Kluis starts waits here, sealed, until a worker sends it; the text is dropped
    once it is sent or given up."""

    __tablename__ = "channel_deliveries"
    __table_args__ = (
        Index("ix_channel_deliveries_due", "status", "next_attempt_at"),
        Index("ix_channel_deliveries_platform_id", "channel", "platform_message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    user_key: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[str | None] = mapped_column(String(64))
    inbox_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    body_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    platform_message_id: Mapped[str | None] = mapped_column(String(256))
    error: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChannelGrantRow(Base):
    """A one-time code or token that ties a platform identity to a customer: Messenger's
    account-linking authorisation code, a Telegram `/start` code, the Alexa account-linking
    code and its tokens. Only a hash is stored."""

    __tablename__ = "channel_grants"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    platform_user_id: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AlertRuleRow(Base):
    """A customer's choice for one kind of alert: on or off, and its threshold (a balance
    floor, a payment size) in minor units. No row means the kind's default."""

    __tablename__ = "alert_rules"

    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    threshold_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AlertRow(Base):
    """Every alert Kluis decided to give: what kind, about what (the dedupe key says what
    makes two alerts the same), what became of it (held for quiet hours, sent, skipped by
    the rate limit, answered), on which channel. The text and its buttons are sealed."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("customer_id", "kind", "dedupe_key"),
        Index("ix_alerts_customer_created", "customer_id", "created_at"),
        Index("ix_alerts_status_due", "status", "deliver_after"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(128))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(32))
    account_id: Mapped[int | None] = mapped_column(Integer)
    transaction_id: Mapped[int | None] = mapped_column(Integer)
    # The card a payment was made with, masked as the bank shows it.
    card_id: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)
    body_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    answer: Mapped[str | None] = mapped_column(String(16))
    handoff_reference: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deliver_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FraudStateRow(Base):
    """The fraud engine's learned state (profiles and model), sealed: it holds what each
    customer usually spends. One row; `version` guards against two writers."""

    __tablename__ = "fraud_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    state_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    transactions_seen: Mapped[int] = mapped_column(BigInteger)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CategoryRuleRow(Base):
    """A customer's correction of a category: payments to `payee` (and about `about`, when
    not empty) belong to `category`. Both are normalised words (`insights.rules`)."""

    __tablename__ = "category_rules"
    __table_args__ = (UniqueConstraint("customer_id", "payee", "about"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    payee: Mapped[str] = mapped_column(String(140))
    about: Mapped[str] = mapped_column(String(140))
    category: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RecurringChoiceRow(Base):
    """What the customer said of a recurring series Kluis found: "confirmed" (it is a
    regular payment of theirs) or "dismissed" (leave it out). `payee` is the series' key
    (`insights.recurring.payee_key`: a creditor id or normalised name words)."""

    __tablename__ = "recurring_choices"

    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    payee: Mapped[str] = mapped_column(String(160), primary_key=True)
    choice: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

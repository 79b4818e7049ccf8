"""What the "Mijn toestemmingen" page shows, worked out from plain data: no I/O here.

A consent becomes a `ConsentView` (its status, accounts and data in words); a disclosure from
the access log becomes one line a customer understands:
"Vandaag 14:02 · Web-chat · saldo van je betaalrekening · omdat je vroeg naar je saldo".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kluis.consent.access_log import AccessRecord
from kluis.consent.gate import AccountView
from kluis.dialogue.formatting import day
from kluis.domain import BANK_TIME_ZONE, Consent, ConsentStatus
from kluis.privacy.check_codes import ProactiveMessage
from kluis.privacy.masking import group_iban
from kluis.web.consent_texts import ConsentTexts

DATA_KINDS = ("details", "balances", "transactions")


@dataclass(frozen=True, slots=True)
class AccountLine:
    """An account as the page lists it; `resource_id` is what the narrowing form sends."""

    resource_id: str
    name: str
    number: str


@dataclass(frozen=True, slots=True)
class ConsentView:
    """One consent in words."""

    status: str
    active: bool
    all_accounts: bool
    accounts: tuple[AccountLine, ...]
    data: str
    until: str
    frequency: str
    given: str
    ended: str | None
    narrowed: bool


@dataclass(frozen=True, slots=True)
class LogLine:
    """One disclosure: `at` for the `<time>` element, `text` for people."""

    at: str
    text: str


def local_day(moment: datetime) -> date:
    return _local(moment).date()


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # SQLite keeps no zone; only UTC is ever written
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(BANK_TIME_ZONE)


def is_current(consent: Consent, today: date) -> bool:
    """The consent lets Kluis read today."""
    return consent.status is ConsentStatus.VALID and consent.valid_until >= today


def _data_words(consent: Consent, words: ConsentTexts) -> str:
    access = consent.access
    if access.all_accounts:
        kinds = list(DATA_KINDS)
    else:
        listed = {
            "details": access.accounts,
            "balances": access.balances,
            "transactions": access.transactions,
        }
        # Naming an account for balances or transactions opens its details too.
        kinds = [kind for kind in DATA_KINDS if listed[kind] or kind == "details"]
    return words.join([words.data_names[kind] for kind in kinds])


def _reference(reference: str) -> str:
    return reference if "*" in reference else group_iban(reference)


def consent_view(
    consent: Consent,
    words: ConsentTexts,
    today: date,
    accounts: list[AccountView] | None = None,
) -> ConsentView:
    """The consent in words; `accounts` are those Kluis uses under it (current consent only),
    else the account numbers the consent names."""
    lang = words.language
    current = is_current(consent, today)
    status = consent.status.value
    if consent.status is ConsentStatus.VALID and not current:
        status = ConsentStatus.EXPIRED.value
    if accounts is not None:
        lines = tuple(AccountLine(a.resource_id, a.name, a.number) for a in accounts)
    else:
        references = dict.fromkeys(
            (*consent.access.accounts, *consent.access.balances, *consent.access.transactions)
        )
        lines = tuple(AccountLine("", _reference(r), "") for r in references)
    ended = None
    if not current:
        ended_on = local_day(consent.ended_at) if consent.ended_at else None
        if ended_on is None and consent.valid_until < today:
            ended_on = consent.valid_until
        ended = day(ended_on, lang, with_year=True) if ended_on else None
    return ConsentView(
        status=words.status(status),
        active=current,
        all_accounts=consent.access.all_accounts and consent.restricted_to is None,
        accounts=lines,
        data=_data_words(consent, words),
        until=day(consent.valid_until, lang, with_year=True),
        frequency=words.frequency.format(count=consent.frequency_per_day),
        given=day(local_day(consent.created_at), lang, with_year=True),
        ended=ended,
        narrowed=consent.restricted_to is not None,
    )


def when(moment: datetime, words: ConsentTexts, now: datetime) -> str:
    """ "Vandaag 14:02", "Gisteren 09:15", "12 mrt 14:02" (with the year when not this one)."""
    local, today = _local(moment), _local(now).date()
    if local.date() == today:
        label = words.today
    elif (today - local.date()).days == 1:
        label = words.yesterday
    else:
        label = day(local.date(), words.language, today=today)
    return f"{label} {local:%H:%M}"


def log_line(record: AccessRecord, words: ConsentTexts, now: datetime) -> LogLine:
    kinds = [words.account_kinds.get(kind, kind) for kind in dict.fromkeys(record.account_kinds)]
    if kinds and record.data_category in words.data_of:
        what = words.data_of[record.data_category].format(accounts=words.join(kinds))
    else:
        what = words.data_names.get(record.data_category, record.data_category)
    parts = [when(record.at, words, now), words.channel(record.channel), what]
    reason = words.reasons.get(record.intent or "")
    if reason:
        parts.append(reason)
    return LogLine(_local(record.at).isoformat(timespec="minutes"), " · ".join(parts))


def check_answer(
    message: ProactiveMessage | None, words: ConsentTexts, *, bank: str, phone: str, now: datetime
) -> str:
    """What to tell a customer who asks whether a message with a check code was ours."""
    if message is None:
        return words.check_no.format(bank=bank, phone=phone)
    sent = _local(message.sent_at)
    text = words.check_yes.format(
        day=day(sent.date(), words.language, today=_local(now).date()),
        channel=words.channel(message.channel),
    )
    kind = words.message_kinds.get(message.kind)
    return f"{text} {words.check_kind.format(kind=kind)}" if kind else text

"""The consents page's words from plain data: times, log lines, consents that ended."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kluis.consent.access_log import AccessRecord
from kluis.domain import Consent, ConsentAccess, ConsentStatus
from kluis.privacy.check_codes import ProactiveMessage
from kluis.web.consent_texts import DUTCH, ENGLISH
from kluis.web.consent_views import check_answer, consent_view, log_line, when

NOW = datetime(2026, 3, 18, 13, 5, tzinfo=UTC)  # 14:05 in Amsterdam


def _consent(**changes: object) -> Consent:
    values: dict[str, object] = {
        "id": 1,
        "connection_id": 1,
        "customer_id": "c-sanne",
        "bank_consent_id": "secret",
        "status": ConsentStatus.VALID,
        "access": ConsentAccess(all_accounts=True),
        "valid_until": date(2026, 9, 14),
        "frequency_per_day": 4,
        "recurring": True,
        "created_at": datetime(2026, 3, 18, 9, 0, tzinfo=UTC),
    }
    values.update(changes)
    return Consent(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("moment", "dutch", "english"),
    [
        (datetime(2026, 3, 18, 13, 2, tzinfo=UTC), "Vandaag 14:02", "Today 14:02"),
        (datetime(2026, 3, 17, 23, 30, tzinfo=UTC), "Vandaag 00:30", "Today 00:30"),
        (datetime(2026, 3, 17, 8, 15, tzinfo=UTC), "Gisteren 09:15", "Yesterday 09:15"),
        (datetime(2026, 3, 12, 13, 2, tzinfo=UTC), "12 mrt 14:02", "12 Mar 14:02"),
        (datetime(2025, 12, 31, 10, 0, tzinfo=UTC), "31 dec 2025 11:00", "31 Dec 2025 11:00"),
    ],
)
def test_times_are_local_and_relative(moment: datetime, dutch: str, english: str) -> None:
    assert when(moment, DUTCH, NOW) == dutch
    assert when(moment, ENGLISH, NOW) == english


def test_a_log_line_says_when_where_what_and_why() -> None:
    record = AccessRecord(
        at=datetime(2026, 3, 18, 13, 2, tzinfo=UTC),
        channel="telegram",
        data_category="transactions",
        intent="spending",
        account_kinds=("checking", "credit_card", "checking"),
        account_names=("Betaalrekening", "Creditcard", "Gezamenlijk"),
    )
    line = log_line(record, DUTCH, NOW)
    assert line.text == (
        "Vandaag 14:02 · Telegram · transacties van je betaalrekening en creditcard · "
        "omdat je vroeg wat je uitgaf"
    )
    assert line.at == "2026-03-18T14:02+01:00"
    unexplained = AccessRecord(record.at, None, "balances", None, (), ())
    assert log_line(unexplained, ENGLISH, NOW).text == "Today 14:02 · Kluis · balances"


def test_an_ended_consent_says_how_and_when() -> None:
    ended = _consent(
        status=ConsentStatus.TERMINATED_BY_TPP,
        access=ConsentAccess(
            accounts=("NL86INGB8225950194", "525412******7230"),
            balances=("NL86INGB8225950194",),
        ),
        ended_at=datetime(2026, 3, 17, 23, 30, tzinfo=UTC),
    )
    view = consent_view(ended, DUTCH, date(2026, 3, 18))
    assert (view.status, view.active, view.ended) == ("Gestopt", False, "18 mrt 2026")
    assert [line.name for line in view.accounts] == ["NL86 INGB 8225 9501 94", "525412******7230"]
    assert view.data == "rekeninggegevens en saldo's"


def test_a_valid_consent_past_its_last_day_reads_as_expired() -> None:
    view = consent_view(_consent(valid_until=date(2026, 3, 17)), ENGLISH, date(2026, 3, 18))
    assert (view.status, view.active, view.ended) == ("Expired", False, "17 Mar 2026")
    assert view.data == "account details, balances and transactions"
    assert view.frequency == "at most 4 times a day"


def test_check_answers() -> None:
    sent = ProactiveMessage("consent_expiry", "messenger", datetime(2026, 3, 12, 8, tzinfo=UTC))
    assert check_answer(sent, ENGLISH, bank="Bank", phone="020", now=NOW) == (
        "Yes, this message came from us on 12 Mar via Messenger. "
        "It was a reminder that your consent ends soon."
    )
    assert check_answer(None, DUTCH, bank="Bank", phone="020 123 45 67", now=NOW) == (
        "Nee, deze code kennen we niet: vertrouw het bericht niet en bel Bank op 020 123 45 67."
    )

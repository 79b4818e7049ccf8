"""No IBAN, amount, name, consent id or token reaches a log, whatever happens."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import httpx
import pytest

from kluis.config import load_settings
from kluis.consent.linking import link_sandbox_customer
from kluis.errors import KluisError
from kluis.privacy.log_redaction import (
    RedactingFilter,
    redact,
)
from kluis.runtime import open_runtime
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth
from kluis.security import new_key


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("approve at /sandbox/sca/consents/ddf71747-4ff9-47cd-8df6-08df8ca3db24", "ddf71747"),
        ("account NL86INGB8225950194", "NL86INGB8225950194"),
        ("account NL86 INGB 8225 9501 94", "8225 9501"),
        ("paid € 1.234,56", "1.234,56"),
        ("paid $12.50", "12.50"),
        ("paid -89.99 EUR", "89.99"),
        ("amount 1450.00", "1450.00"),
        ("card 525412******7230", "7230"),
        ("full card 5254 1234 5678 7230", "5678"),
        ("mail sanne.devries@example.nl", "sanne.devries"),
        ("call +31 6 1234 5678", "1234 5678"),
        ("token Zm9vYmFyYmF6cXV4cXV1eHh5ejEyMzQ1Njc4OQ", "Zm9vYmFy"),
        ("GET /v1/accounts/a/transactions?dateFrom=2026-01-01&pageToken=abc", "pageToken"),
    ],
)
def test_redact_removes_what_must_never_be_written(text: str, secret: str) -> None:
    assert secret not in redact(text)


def test_ordinary_operational_text_survives() -> None:
    text = "event 12 (transactions.arrived) stays in the outbox; 1152 rows on 2026-03-18"
    assert redact(text) == text


def test_the_filter_redacts_arguments_and_tracebacks() -> None:
    record = logging.LogRecord(
        "kluis", logging.ERROR, __file__, 1, "read %s", ("NL86INGB8225950194",), None
    )
    try:
        raise ValueError("iban NL86INGB8225950194")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "NL86INGB8225950194" not in formatted
    assert "ValueError" in formatted


async def test_a_whole_link_and_sync_with_failures_logs_nothing_personal(
    tmp_path: Path, captured: io.StringIO
) -> None:
    settings = load_settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{tmp_path / 'kluis.db'}",
        seal_keys=[new_key()],
        bank_url="http://sandbox.test",
        embedded_sandbox=False,
        bank_backoff_seconds=0.0,
    )
    bank = SandboxBank.from_settings(settings)
    sandbox = httpx.ASGITransport(app=create_sandbox_app(settings, bank))
    broken = {"on": False}

    async def handler(request: httpx.Request) -> httpx.Response:
        if broken["on"]:
            return httpx.Response(200, content=b"<html>oops</html>", request=request)
        return await sandbox.handle_async_request(request)

    async with open_runtime(settings, httpx.MockTransport(handler)) as runtime:
        consent = await link_sandbox_customer(runtime, "c-sanne", "Sanne de Vries", "nl")
        await runtime.syncer().sync_customer("c-sanne")
        bank.clock.advance(3)
        broken["on"] = True
        try:
            await runtime.syncer().sync_customer("c-sanne")
        except KluisError:
            logging.getLogger("kluis.test").exception(
                "sync failed for consent %s", consent.bank_consent_id
            )
        else:
            pytest.fail("a bank answering HTML should fail the sync")

    state = StateStore(settings.sandbox_dir).load()
    truth = build_truth(
        bank, "c-sanne", card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
    )
    written = captured.getvalue()
    assert written, "the scenario should have logged something to check"
    forbidden = {consent.bank_consent_id, truth.customer.name}
    forbidden |= {a.iban for a in truth.accounts if a.iban}
    forbidden |= {a.balance.to_api() for a in truth.accounts}
    forbidden |= {t.counterparty for t in truth.transactions[-50:]}
    for secret in forbidden:
        assert secret not in written, f"a log line holds {secret[:3]}…"

"""AIS reads: scope, the unattended-read budget, paging, and agreement with the truth."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from kluis.config import Settings
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.sandbox.state import StateStore
from kluis.sandbox.truth import build_truth
from tests.sandbox.ais import (
    DAAN,
    SANNE,
    account_of,
    all_pages,
    approved_consent,
    consent_body,
    create_consent,
    family,
    read_headers,
)


def _truth(bank: SandboxBank, settings: Settings, customer: str) -> dict[str, Any]:
    state = StateStore(settings.sandbox_dir).load()
    truth = build_truth(
        bank, customer, card_blocks=state.card_blocks, blocked_cards=state.blocked_card_ids()
    )
    return truth.to_json()


def _ids(pages: list[dict[str, Any]], status: str) -> list[str]:
    ids: list[str] = []
    for page in pages:
        report = page.get("transactions") or page["cardTransactions"]
        for item in report.get(status, []):
            ids.append(item.get("transactionId") or item["cardTransactionId"])
    return ids


async def test_account_list_serves_checking_and_savings(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    consent_id = await approved_consent(client, SANNE)
    answer = await client.get("/v1/accounts?withBalance=true", headers=read_headers(consent_id))
    assert answer.status_code == 200
    accounts = answer.json()["accounts"]
    assert [item["resourceId"] for item in accounts] == [
        account.resource_id for account in bank.accounts_of(SANNE) if account.kind != "credit_card"
    ]
    assert all("balances" in item and "iban" in item for item in accounts)
    cards = await client.get("/v1/card-accounts", headers=read_headers(consent_id))
    card_account = account_of(bank, SANNE, "credit_card")
    assert cards.json()["cardAccounts"][0]["maskedPan"] == card_account.masked_pan
    assert "iban" not in cards.json()["cardAccounts"][0]


async def test_scope_is_enforced(client: httpx.AsyncClient, bank: SandboxBank) -> None:
    checking = account_of(bank, SANNE, "checking")
    savings = account_of(bank, SANNE, "savings")
    access = {"balances": [{"iban": checking.iban}]}
    consent_id = await approved_consent(client, SANNE, consent_body(access))
    headers = read_headers(consent_id)

    listed = await client.get("/v1/accounts", headers=headers)
    assert [item["resourceId"] for item in listed.json()["accounts"]] == [checking.resource_id]
    assert "transactions" not in listed.json()["accounts"][0]["_links"]
    balances = await client.get(f"/v1/accounts/{checking.resource_id}/balances", headers=headers)
    assert balances.status_code == 200

    transactions = await client.get(
        f"/v1/accounts/{checking.resource_id}/transactions?bookingStatus=booked", headers=headers
    )
    assert transactions.status_code == 403
    assert transactions.json()["tppMessages"][0]["code"] == "CONSENT_INVALID"
    other = await client.get(f"/v1/accounts/{savings.resource_id}/balances", headers=headers)
    assert other.status_code == 403
    foreign = account_of(bank, DAAN, "checking")
    stranger = await client.get(f"/v1/accounts/{foreign.resource_id}/balances", headers=headers)
    assert stranger.status_code == 404
    assert stranger.json()["tppMessages"][0]["code"] == "RESOURCE_UNKNOWN"
    card = account_of(bank, SANNE, "credit_card")
    wrong_family = await client.get(f"/v1/accounts/{card.resource_id}", headers=headers)
    assert wrong_family.status_code == 404


async def test_reads_need_a_known_consent(client: httpx.AsyncClient) -> None:
    missing = await client.get("/v1/accounts", headers={"X-Request-ID": "r-1"})
    assert missing.status_code == 400
    assert missing.json()["tppMessages"][0]["code"] == "FORMAT_ERROR"
    unknown = await client.get("/v1/accounts", headers=read_headers("no-such-consent"))
    assert unknown.status_code == 401
    assert unknown.json()["tppMessages"][0]["code"] == "CONSENT_UNKNOWN"
    no_request_id = await client.get("/v1/accounts", headers={"Consent-ID": "x"})
    assert no_request_id.status_code == 400


async def test_a_consent_awaiting_approval_cannot_read(client: httpx.AsyncClient) -> None:
    created = await create_consent(client, SANNE)
    read = await client.get("/v1/accounts", headers=read_headers(created.json()["consentId"]))
    assert read.status_code == 401
    assert read.json()["tppMessages"][0]["code"] == "CONSENT_INVALID"


async def test_fifth_unattended_read_is_refused_until_the_next_day(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    consent_id = await approved_consent(client, SANNE)
    checking = account_of(bank, SANNE, "checking")
    savings = account_of(bank, SANNE, "savings")
    url = f"/v1/accounts/{checking.resource_id}/balances"
    for _ in range(4):
        assert (await client.get(url, headers=read_headers(consent_id))).status_code == 200
    refused = await client.get(url, headers=read_headers(consent_id))
    assert refused.status_code == 429
    assert refused.json()["tppMessages"][0]["code"] == "ACCESS_EXCEEDED"
    # The customer asking is not counted; other accounts and kinds have their own budget.
    attended = await client.get(url, headers=read_headers(consent_id, attended=True))
    assert attended.status_code == 200
    other = f"/v1/accounts/{savings.resource_id}/balances"
    assert (await client.get(other, headers=read_headers(consent_id))).status_code == 200
    details = f"/v1/accounts/{checking.resource_id}"
    assert (await client.get(details, headers=read_headers(consent_id))).status_code == 200
    await client.post("/sandbox/clock/advance", json={"days": 1})
    assert (await client.get(url, headers=read_headers(consent_id))).status_code == 200


async def test_counters_survive_a_restart(
    client: httpx.AsyncClient, bank: SandboxBank, settings: Settings
) -> None:
    consent_id = await approved_consent(client, SANNE)
    url = f"/v1/accounts/{account_of(bank, SANNE, 'checking').resource_id}/balances"
    for _ in range(4):
        await client.get(url, headers=read_headers(consent_id))
    restarted = create_sandbox_app(settings, bank)
    transport = httpx.ASGITransport(app=restarted)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as again:
        assert (await again.get(url, headers=read_headers(consent_id))).status_code == 429


async def test_a_daily_sync_of_list_balances_and_transactions_fits_the_budget(
    client: httpx.AsyncClient,
) -> None:
    consent_id = await approved_consent(client, SANNE)
    for _ in range(4):
        listed = await client.get("/v1/accounts", headers=read_headers(consent_id))
        assert listed.status_code == 200
        for item in listed.json()["accounts"]:
            links = item["_links"]
            balances = await client.get(links["balances"]["href"], headers=read_headers(consent_id))
            assert balances.status_code == 200
            query = "?bookingStatus=both&itemsPerPage=200"
            assert await all_pages(client, links["transactions"]["href"] + query, consent_id)
    fifth = await client.get("/v1/accounts", headers=read_headers(consent_id))
    assert fifth.status_code == 429


async def test_pages_of_one_query_count_once(client: httpx.AsyncClient, bank: SandboxBank) -> None:
    consent_id = await approved_consent(client, SANNE)
    checking = account_of(bank, SANNE, "checking")
    url = f"/v1/accounts/{checking.resource_id}/transactions?bookingStatus=both&itemsPerPage=100"
    first_run = await all_pages(client, url, consent_id)
    assert len(first_run) > 4  # more pages than the daily budget
    for _ in range(3):
        await all_pages(client, url, consent_id)
    refused = await client.get(url, headers=read_headers(consent_id))
    assert refused.status_code == 429
    # A page link of an earlier query still works: it continues that query.
    next_link = first_run[0]["transactions"]["_links"]["next"]["href"]
    assert (await client.get(next_link, headers=read_headers(consent_id))).status_code == 200


async def test_paging_serves_every_transaction_once_as_in_the_truth(
    client: httpx.AsyncClient, bank: SandboxBank, settings: Settings
) -> None:
    consent_id = await approved_consent(client, SANNE)
    truth = _truth(bank, settings, SANNE)
    for account in bank.accounts_of(SANNE):
        query = "bookingStatus=both&itemsPerPage=37"
        url = f"/v1/{family(account)}/{account.resource_id}/transactions?{query}"
        pages = await all_pages(client, url, consent_id, attended=True)
        booked, pending = _ids(pages, "booked"), _ids(pages, "pending")
        served = booked + pending
        assert len(served) == len(set(served))
        expected = {
            item["transactionId"]: item["status"]
            for item in truth["transactions"]
            if item["resourceId"] == account.resource_id
        }
        assert set(served) == set(expected)
        assert all(expected[identifier] == "booked" for identifier in booked)
        assert all(expected[identifier] == "pending" for identifier in pending)


async def test_balances_reconcile_with_truth_and_transactions(
    client: httpx.AsyncClient, bank: SandboxBank, settings: Settings
) -> None:
    consent_id = await approved_consent(client, SANNE)
    truth = _truth(bank, settings, SANNE)
    for account, truth_account in zip(bank.accounts_of(SANNE), truth["accounts"], strict=True):
        base = f"/v1/{family(account)}/{account.resource_id}"
        headers = read_headers(consent_id, attended=True)
        answer = await client.get(f"{base}/balances", headers=headers)
        balances = {
            item["balanceType"]: Decimal(item["balanceAmount"]["amount"])
            for item in answer.json()["balances"]
        }
        assert str(balances["expected"]) == truth_account["balance"]["amount"]
        url = f"{base}/transactions?bookingStatus=both&itemsPerPage=1000"
        pages = await all_pages(client, url, consent_id, attended=True)
        totals = {"booked": Decimal(0), "pending": Decimal(0)}
        for page in pages:
            report = page.get("transactions") or page["cardTransactions"]
            for status in totals:
                amounts = [Decimal(item["transactionAmount"]["amount"]) for item in report[status]]
                totals[status] += sum(amounts, Decimal(0))
        assert balances["closingBooked"] == account.opening_balance + totals["booked"]
        assert balances["expected"] == balances["closingBooked"] + totals["pending"]
        if account.kind == "credit_card":
            assert balances["expected"] < 0
            assert account.credit_limit is not None
            assert balances["interimAvailable"] == balances["expected"] + account.credit_limit


async def test_pending_becomes_booked_with_the_same_id(
    client: httpx.AsyncClient, bank: SandboxBank, settings: Settings
) -> None:
    consent_id = await approved_consent(client, SANNE)
    truth = _truth(bank, settings, SANNE)
    pending = next(item for item in truth["transactions"] if item["status"] == "pending")
    account = bank.account(pending["resourceId"])
    assert account is not None
    query = "bookingStatus=both&itemsPerPage=1000"
    url = f"/v1/{family(account)}/{account.resource_id}/transactions?{query}"
    before = await all_pages(client, url, consent_id, attended=True)
    assert pending["transactionId"] in _ids(before, "pending")
    days = (date.fromisoformat(pending["bookingDate"]) - bank.today()).days
    await client.post("/sandbox/clock/advance", json={"days": days})
    after = await all_pages(client, url, consent_id, attended=True)
    assert pending["transactionId"] in _ids(after, "booked")
    assert pending["transactionId"] not in _ids(after, "pending")
    report = after[0].get("transactions") or after[0]["cardTransactions"]
    served = next(
        item
        for item in report["booked"]
        if (item.get("transactionId") or item.get("cardTransactionId")) == pending["transactionId"]
    )
    assert served["bookingDate"] == pending["bookingDate"]
    assert (
        len(_ids(after, "booked")) + len(_ids(after, "pending")) >= len(_ids(before, "booked")) + 1
    )


async def test_date_filters_and_booking_status(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    consent_id = await approved_consent(client, SANNE)
    checking = account_of(bank, SANNE, "checking")
    base = f"/v1/accounts/{checking.resource_id}/transactions"
    pages = await all_pages(
        client,
        f"{base}?bookingStatus=booked&dateFrom=2026-02-01&dateTo=2026-02-28",
        consent_id,
        attended=True,
    )
    report = pages[0]["transactions"]
    assert "pending" not in report
    dates = [item["bookingDate"] for page in pages for item in page["transactions"]["booked"]]
    assert dates
    assert all("2026-02-01" <= day <= "2026-02-28" for day in dates)
    assert dates == sorted(dates, reverse=True)
    pending_only = await client.get(
        f"{base}?bookingStatus=pending", headers=read_headers(consent_id, attended=True)
    )
    assert "booked" not in pending_only.json()["transactions"]
    assert all("bookingDate" not in item for item in pending_only.json()["transactions"]["pending"])
    for query, code in [
        ("", "FORMAT_ERROR"),
        ("?bookingStatus=information", "PARAMETER_NOT_SUPPORTED"),
        ("?bookingStatus=booked&dateFrom=2026-03-01&dateTo=2026-02-01", "PERIOD_INVALID"),
        ("?bookingStatus=booked&dateFrom=yesterday", "FORMAT_ERROR"),
        ("?bookingStatus=booked&itemsPerPage=0", "FORMAT_ERROR"),
        ("?bookingStatus=booked&itemsPerPage=1001", "FORMAT_ERROR"),
        ("?bookingStatus=booked&pageIndex=100000", "FORMAT_ERROR"),
    ]:
        answer = await client.get(base + query, headers=read_headers(consent_id, attended=True))
        assert answer.status_code == 400, query
        assert answer.json()["tppMessages"][0]["code"] == code


async def test_served_transactions_never_reveal_what_only_the_bank_knows(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    consent_id = await approved_consent(client, SANNE)
    for account in bank.accounts_of(SANNE):
        query = "bookingStatus=both&itemsPerPage=1000"
        url = f"/v1/{family(account)}/{account.resource_id}/transactions?{query}"
        for page in await all_pages(client, url, consent_id, attended=True):
            text = str(page)
            for secret in ("category", "recurring", "fraud"):
                assert secret not in text


async def test_bank_offered_and_available_accounts_consents(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    checking = account_of(bank, SANNE, "checking")
    everything: dict[str, list[object]] = {"accounts": [], "balances": [], "transactions": []}
    offered = await approved_consent(client, SANNE, consent_body(everything))
    url = f"/v1/accounts/{checking.resource_id}/transactions?bookingStatus=booked"
    assert (await client.get(url, headers=read_headers(offered))).status_code == 200

    listing_only = await approved_consent(
        client, SANNE, consent_body({"availableAccounts": "allAccountsWithOwnerName"})
    )
    listed = await client.get("/v1/accounts", headers=read_headers(listing_only))
    assert listed.status_code == 200
    assert {item["ownerName"] for item in listed.json()["accounts"]} == {"Sanne de Vries"}
    balances = f"/v1/accounts/{checking.resource_id}/balances"
    refused = await client.get(balances, headers=read_headers(listing_only))
    assert refused.status_code == 403

    cards_only = await approved_consent(
        client, SANNE, consent_body({"allPsd2": "allAccounts", "restrictedTo": ["CARD"]})
    )
    assert (await client.get("/v1/accounts", headers=read_headers(cards_only))).json() == {
        "accounts": []
    }
    card_list = await client.get("/v1/card-accounts", headers=read_headers(cards_only))
    assert len(card_list.json()["cardAccounts"]) == 1


async def test_credit_card_named_by_masked_pan(
    client: httpx.AsyncClient, bank: SandboxBank
) -> None:
    card = account_of(bank, SANNE, "credit_card")
    access = {"transactions": [{"maskedPan": card.masked_pan}]}
    consent_id = await approved_consent(client, SANNE, consent_body(access))
    url = f"/v1/card-accounts/{card.resource_id}/transactions?bookingStatus=both"
    answer = await client.get(url, headers=read_headers(consent_id))
    assert answer.status_code == 200
    items = answer.json()["cardTransactions"]["booked"]
    assert all(item["maskedPAN"] for item in items)
    assert any(len(item.get("merchantCategoryCode", "")) == 4 for item in items)

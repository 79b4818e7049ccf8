"""Every AIS answer of the sandbox conforms to the official NextGenPSD2 1.3.12 OpenAPI file.

Requests go through schemathesis, built from the specification's own operations and sent to
the sandbox app in process; each response is checked for a documented status code, content
type, headers (`X-Request-ID`) and body schema. The second test lets schemathesis generate the
query parameters and optional headers of the read operations itself.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kluis.config import Settings
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank

SPEC_PATH = (
    Path(__file__).parents[2].parent
    / "shared"
    / "specs"
    / "berlin-group-nextgenpsd2"
    / "psd2-api_1.3.12_2022-07-01.openapi.yaml"
)
pytestmark = pytest.mark.skipif(
    not SPEC_PATH.exists(), reason=f"the Berlin Group OpenAPI file is not at {SPEC_PATH}"
)

BASE_URL = "http://sandbox.test"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
PSU = "c-sanne"
ACCOUNTS = "/v1/accounts"
CARD_ACCOUNTS = "/v1/card-accounts"


@pytest.fixture(scope="module")
def spec() -> Any:
    return schemathesis.openapi.from_path(SPEC_PATH)


class Driver:
    """Sends requests as cases of the specification's operations and checks each answer."""

    def __init__(self, spec: Any, app: FastAPI) -> None:
        self.spec = spec
        self.app = app
        self.checked: list[tuple[str, str, int]] = []

    def call(
        self,
        method: str,
        operation_path: str,
        *,
        path_parameters: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        body: object = None,
    ) -> Any:
        operation = self.spec[operation_path][method]
        extra: dict[str, Any] = {}
        if body is not None:
            extra = {"body": body, "media_type": "application/json"}
        case = operation.Case(
            path_parameters=dict(path_parameters or {}),
            headers={"X-Request-ID": str(uuid.uuid4()), **(headers or {})},
            query=dict(query or {}),
            **extra,
        )
        response = case.call(app=self.app, base_url=BASE_URL)
        case.validate_response(response, checks=CHECKS)
        self.checked.append((method, operation_path, response.status_code))
        return response

    def read(
        self,
        operation_path: str,
        consent_id: str,
        *,
        account_id: str | None = None,
        query: Mapping[str, str] | None = None,
        attended: bool = True,
    ) -> Any:
        headers = {"Consent-ID": consent_id}
        if attended:
            headers["PSU-IP-Address"] = "192.0.2.10"
        parameters = {"account-id": account_id} if account_id is not None else None
        return self.call(
            "GET", operation_path, path_parameters=parameters, headers=headers, query=query
        )

    def consent(
        self, *, access: Mapping[str, object] | None = None, valid_until: str = "9999-12-31"
    ) -> str:
        """Create a consent (all of the customer's accounts by default) and approve it."""
        created = self.call(
            "POST",
            "/v1/consents",
            headers={
                "PSU-ID": PSU,
                "PSU-IP-Address": "192.0.2.10",
                "TPP-Redirect-URI": "https://tpp.test/callback",
            },
            body={
                "access": access or {"allPsd2": "allAccounts"},
                "recurringIndicator": True,
                "validUntil": valid_until,
                "frequencyPerDay": 4,
                "combinedServiceIndicator": False,
            },
        )
        assert created.status_code == 201
        answer = asyncio.run(self._approve(created.json()["_links"]["scaRedirect"]["href"]))
        assert answer.status_code == 303
        consent_id = created.json()["consentId"]
        assert isinstance(consent_id, str)
        return consent_id

    async def _approve(self, sca_redirect: str) -> httpx.Response:
        """The customer's form post on the approval page (not part of the specification)."""
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
            return await http.post(sca_redirect, data={"decision": "approve", "psu_id": PSU})


def _query_of(href: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(href).query))


def _walk_transactions(
    driver: Driver, operation_path: str, consent_id: str, account_id: str, status: str
) -> int:
    """Read every page of a query through the spec's operation; returns the number of pages."""
    query: dict[str, str] | None = {"bookingStatus": status, "itemsPerPage": "150"}
    pages = 0
    while query is not None:
        response = driver.read(operation_path, consent_id, account_id=account_id, query=query)
        assert response.status_code == 200
        pages += 1
        body = response.json()
        report = body.get("transactions") or body["cardTransactions"]
        link = report["_links"].get("next")
        query = _query_of(link["href"]) if link else None
    return pages


DETAILS = "{family}/{{account-id}}"
BALANCES = "{family}/{{account-id}}/balances"
TRANSACTIONS = "{family}/{{account-id}}/transactions"


def _path(template: str, family: str) -> str:
    return template.format(family=family)


@pytest.fixture
def driver(spec: Any, settings: Settings, bank: SandboxBank) -> Driver:
    return Driver(spec, create_sandbox_app(settings, bank))


def test_consent_operations_conform(driver: Driver) -> None:
    consent_id = driver.consent()
    by_id = {"consentId": consent_id}
    assert driver.call("GET", "/v1/consents/{consentId}", path_parameters=by_id).status_code == 200
    status = driver.call("GET", "/v1/consents/{consentId}/status", path_parameters=by_id)
    assert status.json() == {"consentStatus": "valid"}
    deleted = driver.call("DELETE", "/v1/consents/{consentId}", path_parameters=by_id)
    assert deleted.status_code == 204
    unknown = {"consentId": "no-such-consent"}
    assert (
        driver.call("GET", "/v1/consents/{consentId}", path_parameters=unknown).status_code == 403
    )


def test_reads_of_every_account_conform(driver: Driver, bank: SandboxBank) -> None:
    consent_id = driver.consent()
    for with_balance in ("true", "false"):
        listed = driver.read(ACCOUNTS, consent_id, query={"withBalance": with_balance})
        assert listed.status_code == 200
    assert driver.read(CARD_ACCOUNTS, consent_id).status_code == 200
    for account in bank.accounts_of(PSU):
        family = CARD_ACCOUNTS if account.kind == "credit_card" else ACCOUNTS
        resource_id = account.resource_id
        for query in ({}, {"withBalance": "true"}):
            details = driver.read(
                _path(DETAILS, family), consent_id, account_id=resource_id, query=query
            )
            assert details.status_code == 200
        balances = driver.read(_path(BALANCES, family), consent_id, account_id=resource_id)
        assert balances.status_code == 200
        transactions = _path(TRANSACTIONS, family)
        for booking_status in ("booked", "pending", "both"):
            assert _walk_transactions(driver, transactions, consent_id, resource_id, booking_status)
        query = {"bookingStatus": "both", "withBalance": "true", "dateFrom": "2026-03-01"}
        read = driver.read(transactions, consent_id, account_id=resource_id, query=query)
        assert "balances" in read.json()


def test_refusals_conform(driver: Driver, bank: SandboxBank) -> None:
    checking = next(a for a in bank.accounts_of(PSU) if a.kind == "checking")
    transactions = _path(TRANSACTIONS, ACCOUNTS)
    balances = _path(BALANCES, ACCOUNTS)
    consent_id = driver.consent(access={"balances": [{"iban": checking.iban}]})
    booked = {"bookingStatus": "booked"}

    def code_of(response: Any) -> str:
        code = response.json()["tppMessages"][0]["code"]
        assert isinstance(code, str)
        return code

    assert code_of(driver.read(ACCOUNTS, "no-such-consent")) == "CONSENT_UNKNOWN"
    scope = driver.read(transactions, consent_id, account_id=checking.resource_id, query=booked)
    assert scope.status_code == 403
    foreign = bank.accounts_of("c-daan")[0].resource_id
    unknown = driver.read(_path(DETAILS, ACCOUNTS), consent_id, account_id=foreign)
    assert unknown.status_code == 404
    for _ in range(4):
        driver.read(balances, consent_id, account_id=checking.resource_id, attended=False)
    exceeded = driver.read(balances, consent_id, account_id=checking.resource_id, attended=False)
    assert exceeded.status_code == 429
    assert code_of(exceeded) == "ACCESS_EXCEEDED"

    everything = driver.consent()
    unsupported = {"bookingStatus": "information"}
    bad_status = driver.read(
        transactions, everything, account_id=checking.resource_id, query=unsupported
    )
    assert bad_status.status_code == 400
    by_id = {"consentId": everything}
    driver.call("DELETE", "/v1/consents/{consentId}", path_parameters=by_id)
    ended = driver.read(_path(BALANCES, CARD_ACCOUNTS), everything, account_id="acc-sanne-card")
    assert code_of(ended) == "CONSENT_INVALID"

    short = driver.consent(valid_until=(bank.today() + timedelta(days=1)).isoformat())
    bank.clock.advance(2)
    expired = driver.read(transactions, short, account_id=checking.resource_id, query=booked)
    assert expired.status_code == 401
    assert code_of(expired) == "CONSENT_EXPIRED"
    assert {status for _, _, status in driver.checked} >= {400, 401, 403, 404, 429}


READ_OPERATIONS = [
    (ACCOUNTS, None),
    (f"{ACCOUNTS}/{{account-id}}", "acc-sanne-checking"),
    (f"{ACCOUNTS}/{{account-id}}/balances", "acc-sanne-savings"),
    (f"{ACCOUNTS}/{{account-id}}/transactions", "acc-sanne-checking"),
    (CARD_ACCOUNTS, None),
    (f"{CARD_ACCOUNTS}/{{account-id}}", "acc-sanne-card"),
    (f"{CARD_ACCOUNTS}/{{account-id}}/balances", "acc-sanne-card"),
    (f"{CARD_ACCOUNTS}/{{account-id}}/transactions", "acc-sanne-card"),
]


def _check_generated(operation: Any, app: FastAPI, consent_id: str, account_id: str | None) -> None:
    """Let schemathesis generate the operation's query and optional headers; check each answer."""

    @hypothesis_settings(
        max_examples=20,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=operation.as_strategy())
    def check(case: Any) -> None:
        if account_id is not None:
            case.path_parameters = {"account-id": account_id}
        case.headers = {
            **(case.headers or {}),
            "X-Request-ID": str(uuid.uuid4()),
            "Consent-ID": consent_id,
        }
        response = case.call(app=app, base_url=BASE_URL)
        case.validate_response(response, checks=CHECKS)

    check()


@pytest.mark.parametrize(("operation_path", "account_id"), READ_OPERATIONS)
def test_generated_read_requests_get_conforming_answers(
    spec: Any, settings: Settings, bank: SandboxBank, operation_path: str, account_id: str | None
) -> None:
    app = create_sandbox_app(settings, bank)
    consent_id = Driver(spec, app).consent()
    _check_generated(spec[operation_path]["GET"], app, consent_id, account_id)

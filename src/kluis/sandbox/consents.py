"""The AIS consent resource: `POST /v1/consents`, `GET` it and its status, `DELETE` it.

Headers of `POST /v1/consents`: `X-Request-ID` and `PSU-IP-Address` are mandatory (as in the
specification), `PSU-ID` names the customer (a sandbox customer id; unknown ones answer
401 PSU_CREDENTIALS_INVALID), `TPP-Redirect-URI` and `TPP-Nok-Redirect-URI` say where the
approval page sends the customer afterwards. The answer carries `_links.scaRedirect`, the
approval page (`/sandbox/sca/consents/{consentId}`).

Unknown consent ids in the path answer 403 CONSENT_UNKNOWN, as the specification's
implementation guidelines have it for path parameters.
"""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from kluis.sandbox.access import require_request_id
from kluis.sandbox.consent_requests import check_terms, parse_consent_body, reference_of
from kluis.sandbox.context import SandboxContext, base_url, new_identifier, sandbox_context
from kluis.sandbox.problems import SandboxRequestError, format_error
from kluis.sandbox.resources import JsonObject
from kluis.sandbox.state import ConsentRecord

router = APIRouter(tags=["AIS consents"])
Context = Annotated[SandboxContext, Depends(sandbox_context)]


def redirect_header(request: Request, name: str) -> str | None:
    """An optional redirect URI header; it must be an absolute http(s) URL."""
    value = request.headers.get(name, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise format_error(f"{name} must be an absolute http or https URL")
    return value


def tpp_name_of(request: Request, redirect_uri: str | None) -> str | None:
    """Who asks, as the customer should see it: the TPP's brand, else its redirect host."""
    brand = request.headers.get("TPP-Brand-Logging-Information", "").strip()
    if brand:
        return brand[:70]
    if redirect_uri is not None:
        return urlsplit(redirect_uri).netloc
    return None


def psu_of(context: SandboxContext, request: Request) -> str:
    """The customer named by `PSU-ID`: 400 when missing, 401 when unknown."""
    psu_id = request.headers.get("PSU-ID", "").strip()
    if not psu_id:
        raise format_error("the PSU-ID header is required: the sandbox customer id")
    if context.bank.customer(psu_id) is None:
        raise SandboxRequestError(
            401, "PSU_CREDENTIALS_INVALID", "the PSU-ID is not a customer of this bank"
        )
    return psu_id


def consent_links(base: str, consent_id: str) -> JsonObject:
    return {
        "scaRedirect": {"href": f"{base}/sandbox/sca/consents/{consent_id}"},
        "self": {"href": f"{base}/v1/consents/{consent_id}"},
        "status": {"href": f"{base}/v1/consents/{consent_id}/status"},
    }


def access_of(context: SandboxContext, consent: ConsentRecord) -> JsonObject:
    """The `access` object a GET answers: how it was asked for, with explicit accounts listed."""
    value = "allAccountsWithOwnerName" if consent.owner_name else "allAccounts"
    if consent.scope in ("allPsd2", "availableAccounts", "availableAccountsWithBalance"):
        return {consent.scope: value}
    access: JsonObject = {}
    for key, ids in (
        ("accounts", consent.grant.details),
        ("balances", consent.grant.balances),
        ("transactions", consent.grant.transactions),
    ):
        references = []
        for resource_id in ids:
            account = context.bank.account(resource_id)
            if account is not None:
                references.append(reference_of(account))
        if references or key == "accounts":
            access[key] = references
    return access


def _known(context: SandboxContext, consent_id: str) -> ConsentRecord:
    consent = context.state.consents.get(consent_id)
    if consent is None:
        raise SandboxRequestError(403, "CONSENT_UNKNOWN", "the consent is unknown")
    return consent


@router.post("/v1/consents", status_code=201, summary="Create consent")
async def create_consent(request: Request, context: Context) -> JSONResponse:
    require_request_id(request)
    if not request.headers.get("PSU-IP-Address", "").strip():
        raise format_error("the PSU-IP-Address header is required when creating a consent")
    psu_id = psu_of(context, request)
    redirect_uri = redirect_header(request, "TPP-Redirect-URI")
    nok_redirect_uri = redirect_header(request, "TPP-Nok-Redirect-URI")
    try:
        payload = json.loads(await request.body())
    except ValueError as exc:
        raise format_error("the body is not JSON") from exc
    body = parse_consent_body(payload)
    today = context.today()
    terms = check_terms(body, context.bank.accounts_of(psu_id), today)
    consent = ConsentRecord(
        consent_id=new_identifier(),
        psu_id=psu_id,
        scope=terms.scope,
        owner_name=terms.owner_name,
        grant=terms.grant,
        recurring=terms.recurring,
        valid_until=terms.valid_until,
        frequency_per_day=terms.frequency_per_day,
        combined_service=terms.combined_service,
        redirect_uri=redirect_uri,
        nok_redirect_uri=nok_redirect_uri,
        tpp_name=tpp_name_of(request, redirect_uri),
        created=today,
        last_action=today,
    )
    async with context.changing() as state:
        state.consents[consent.consent_id] = consent
    links = consent_links(base_url(request), consent.consent_id)
    return JSONResponse(
        {"consentStatus": "received", "consentId": consent.consent_id, "_links": links},
        status_code=201,
        headers={
            "Location": f"{base_url(request)}/v1/consents/{consent.consent_id}",
            "ASPSP-SCA-Approach": "REDIRECT",
        },
    )


@router.get("/v1/consents/{consent_id}", summary="Get consent request")
async def read_consent(consent_id: str, request: Request, context: Context) -> JSONResponse:
    require_request_id(request)
    consent = _known(context, consent_id)
    base = base_url(request)
    return JSONResponse(
        {
            "access": access_of(context, consent),
            "recurringIndicator": consent.recurring,
            "validUntil": consent.valid_until.isoformat(),
            "frequencyPerDay": consent.frequency_per_day,
            "lastActionDate": consent.last_action.isoformat(),
            "consentStatus": consent.status_on(context.today()),
            "_links": {
                "account": {"href": f"{base}/v1/accounts"},
                "card-account": {"href": f"{base}/v1/card-accounts"},
            },
        }
    )


@router.get("/v1/consents/{consent_id}/status", summary="Consent status request")
async def read_consent_status(consent_id: str, request: Request, context: Context) -> JSONResponse:
    require_request_id(request)
    consent = _known(context, consent_id)
    return JSONResponse({"consentStatus": consent.status_on(context.today())})


@router.delete("/v1/consents/{consent_id}", status_code=204, summary="Delete consent")
async def delete_consent(consent_id: str, request: Request, context: Context) -> Response:
    """Terminate the consent (`terminatedByTpp`); deleting it again changes nothing."""
    require_request_id(request)
    _known(context, consent_id)
    today = context.today()
    async with context.changing() as state:
        consent = state.consents[consent_id]
        if consent.status not in ("terminatedByTpp", "revokedByPsu", "rejected"):
            state.consents[consent_id] = consent.model_copy(
                update={"status": "terminatedByTpp", "last_action": today}
            )
    return Response(status_code=204)


@router.post("/sandbox/consents/{consent_id}/revoke", status_code=204, tags=["sandbox"])
async def revoke_consent(consent_id: str, context: Context) -> Response:
    """Sandbox only: the customer revokes the consent at the bank (`revokedByPsu`)."""
    consent = context.state.consents.get(consent_id)
    if consent is None:
        raise SandboxRequestError(404, "RESOURCE_UNKNOWN", "the consent is unknown")
    today = context.today()
    async with context.changing() as state:
        if consent.status in ("received", "valid"):
            state.consents[consent_id] = consent.model_copy(
                update={"status": "revokedByPsu", "last_action": today}
            )
    return Response(status_code=204)

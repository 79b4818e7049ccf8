"""AIS reads: `/v1/accounts` (checking, savings) and `/v1/card-accounts` (credit cards).

Both families share one implementation; `kluis.sandbox.access` decides whether a read is
allowed and counts it, `kluis.sandbox.resources` renders what is served.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from kluis.sandbox.access import (
    Family,
    account_for_read,
    consent_for_read,
    count_reads,
    is_attended,
    listed_accounts,
    record_query,
    require_grant,
)
from kluis.sandbox.context import SandboxContext, base_url, sandbox_context
from kluis.sandbox.model import SandboxAccount
from kluis.sandbox.paging import page_links, page_of, parse_page_request
from kluis.sandbox.resources import (
    JsonObject,
    account_details,
    account_links,
    account_reference,
    balance_list,
    card_account_details,
    card_transaction_item,
    transaction_item,
)
from kluis.sandbox.state import ConsentRecord

router = APIRouter(tags=["AIS"])
Context = Annotated[SandboxContext, Depends(sandbox_context)]


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() == "true"


def _details(
    context: SandboxContext,
    request: Request,
    consent: ConsentRecord,
    account: SandboxAccount,
    *,
    with_balance: bool,
) -> JsonObject:
    family = "card-accounts" if account.kind == "credit_card" else "accounts"
    grant = consent.grant
    balances_open = grant.allows(account.resource_id, "balances")
    links = account_links(
        base_url(request),
        family,
        account,
        balances=balances_open,
        transactions=grant.allows(account.resource_id, "transactions"),
    )
    balances = None
    if with_balance and balances_open:
        balances = context.bank.balances(account.resource_id, card_blocks=context.state.card_blocks)
    owner = None
    if consent.owner_name:
        customer = context.bank.customer(account.customer_id)
        owner = customer.name if customer is not None else None
    render = card_account_details if family == "card-accounts" else account_details
    return render(account, links=links, balances=balances, owner_name=owner)


async def _list(context: SandboxContext, request: Request, family: Family) -> JSONResponse:
    consent = consent_for_read(context, request)
    accounts = listed_accounts(context, consent, family)
    await count_reads(context, consent, accounts, "details", attended=is_attended(request))
    with_balance = _flag(request, "withBalance")
    items = [
        _details(context, request, consent, account, with_balance=with_balance)
        for account in accounts
    ]
    key = "cardAccounts" if family == "card-accounts" else "accounts"
    return JSONResponse({key: items})


async def _one(
    context: SandboxContext, request: Request, family: Family, resource_id: str
) -> JSONResponse:
    consent = consent_for_read(context, request)
    account = account_for_read(context, consent, resource_id, family)
    require_grant(consent, account, "details")
    await count_reads(context, consent, [account], "details", attended=is_attended(request))
    item = _details(context, request, consent, account, with_balance=_flag(request, "withBalance"))
    key = "cardAccount" if family == "card-accounts" else "account"
    return JSONResponse({key: item})


async def _balances(
    context: SandboxContext, request: Request, family: Family, resource_id: str
) -> JSONResponse:
    consent = consent_for_read(context, request)
    account = account_for_read(context, consent, resource_id, family)
    require_grant(consent, account, "balances")
    await count_reads(context, consent, [account], "balances", attended=is_attended(request))
    balances = context.bank.balances(account.resource_id, card_blocks=context.state.card_blocks)
    key = "cardAccount" if family == "card-accounts" else "account"
    return JSONResponse({key: account_reference(account), "balances": balance_list(balances)})


async def _transactions(
    context: SandboxContext, request: Request, family: Family, resource_id: str
) -> JSONResponse:
    consent = consent_for_read(context, request)
    account = account_for_read(context, consent, resource_id, family)
    require_grant(consent, account, "transactions")
    page_request = parse_page_request(request.query_params)
    blocks = context.state.card_blocks
    entries = context.selection(account, page_request.query)
    page = page_of(entries, page_request.query, page_request.page_index)
    token = await record_query(
        context, consent, account, page_request, attended=is_attended(request), pages=page.count
    )
    url = f"{base_url(request)}/v1/{family}/{account.resource_id}"
    links: JsonObject = {"cardAccount" if family == "card-accounts" else "account": {"href": url}}
    links.update(page_links(f"{url}/transactions", page_request, page, token))
    pans = {card.card_id: card.masked_pan for card in context.bank.cards_of(account.customer_id)}
    # Entries of a card account without a card (repayments, fees) still name the card account.
    fallback_pan = account.masked_pan if family == "card-accounts" else None
    status = page_request.query.booking_status
    report: JsonObject = {}
    render = card_transaction_item if family == "card-accounts" else transaction_item
    if status in ("booked", "both"):
        report["booked"] = [
            render(entry, pans.get(entry.record.card_id or "", fallback_pan))
            for entry in page.entries
            if entry.status == "booked"
        ]
    if status in ("pending", "both"):
        report["pending"] = [
            render(entry, pans.get(entry.record.card_id or "", fallback_pan))
            for entry in page.entries
            if entry.status == "pending"
        ]
    report["_links"] = links
    body: JsonObject = {}
    if family == "card-accounts":
        body["cardAccount"] = account_reference(account)
        body["cardTransactions"] = report
    else:
        body["account"] = account_reference(account)
        body["transactions"] = report
    if page_request.with_balance and consent.grant.allows(account.resource_id, "balances"):
        body["balances"] = balance_list(
            context.bank.balances(account.resource_id, card_blocks=blocks)
        )
    return JSONResponse(body)


@router.get("/v1/accounts", summary="Read the account list")
async def read_account_list(request: Request, context: Context) -> JSONResponse:
    return await _list(context, request, "accounts")


@router.get("/v1/accounts/{account_id}", summary="Read account details")
async def read_account_details(account_id: str, request: Request, context: Context) -> JSONResponse:
    return await _one(context, request, "accounts", account_id)


@router.get("/v1/accounts/{account_id}/balances", summary="Read balances")
async def read_balances(account_id: str, request: Request, context: Context) -> JSONResponse:
    return await _balances(context, request, "accounts", account_id)


@router.get("/v1/accounts/{account_id}/transactions", summary="Read transaction list")
async def read_transactions(account_id: str, request: Request, context: Context) -> JSONResponse:
    return await _transactions(context, request, "accounts", account_id)


@router.get("/v1/card-accounts", summary="Read the card account list")
async def read_card_account_list(request: Request, context: Context) -> JSONResponse:
    return await _list(context, request, "card-accounts")


@router.get("/v1/card-accounts/{account_id}", summary="Read card account details")
async def read_card_account(account_id: str, request: Request, context: Context) -> JSONResponse:
    return await _one(context, request, "card-accounts", account_id)


@router.get("/v1/card-accounts/{account_id}/balances", summary="Read card account balances")
async def read_card_balances(account_id: str, request: Request, context: Context) -> JSONResponse:
    return await _balances(context, request, "card-accounts", account_id)


@router.get("/v1/card-accounts/{account_id}/transactions", summary="Read card transactions")
async def read_card_transactions(
    account_id: str, request: Request, context: Context
) -> JSONResponse:
    return await _transactions(context, request, "card-accounts", account_id)

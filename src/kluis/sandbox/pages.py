"""The approval pages a TPP sends the customer to (`_links.scaRedirect`).

`GET /sandbox/sca/consents/{consentId}` shows who asks for which data of which accounts,
until when and how often, in the customer's language, with Approve and Refuse buttons.
`GET /sandbox/sca/card-consents/{cardConsentId}` does the same for card control.

A form POST to the same URL with `decision=approve|deny` and `psu_id=<customer id>` decides,
with or without a browser. The answer is a 303 redirect to `TPP-Redirect-URI` (for a
refusal `TPP-Nok-Redirect-URI` when given) with `consentId` (or `cardConsentId`) and
`result=ok|nok` added to its query; without a redirect URI, a page saying it is done.
A `psu_id` that is not the consent's customer gets a 403 page, a request decided before a
409 page, an unknown id a 404 page, a missing or unknown decision a 400 page. The sandbox has
no login: knowing a customer id is enough to decide for that customer.

A bank-offered consent (empty account lists in `access`) lets the customer choose: the page
shows a ticked checkbox per account, and the form sends `account=<resourceId>` for each one
kept, plus `choosing=1`. Approving gives access to those accounts only; a form that says it
was choosing but keeps none gets the page again with an error (400). A form without any
`account` field (scripts, `kluis link`) approves every account offered.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.datastructures import FormData

from kluis.sandbox.context import SandboxContext, sandbox_context
from kluis.sandbox.model import SandboxAccount
from kluis.sandbox.page_texts import PageTexts, texts_for
from kluis.sandbox.state import ConsentRecord

router = APIRouter(tags=["sandbox approval pages"], include_in_schema=False)
Context = Annotated[SandboxContext, Depends(sandbox_context)]

_TEMPLATES = Environment(
    loader=PackageLoader("kluis.sandbox", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

Outcome = Literal["valid", "rejected"]


def _no_objection() -> Response | None:
    return None


@dataclass(frozen=True, slots=True)
class _Request:
    """A consent or card consent awaiting the customer's decision, seen uniformly.

    `check_approval` answers the page to show instead of approving (a choice that cannot be
    granted), or None."""

    id_name: str
    identifier: str
    psu_id: str
    status: str
    redirect_uri: str | None
    nok_redirect_uri: str | None
    decide: Callable[[Outcome], Awaitable[bool]]
    check_approval: Callable[[], Response | None] = _no_objection


@dataclass(frozen=True, slots=True)
class _AccountChoice:
    """The accounts ticked on a bank-offered consent's page; `shown` when the form had them."""

    shown: bool
    chosen: tuple[str, ...]

    @classmethod
    def of(cls, form: FormData) -> _AccountChoice:
        ticked = (value.strip() for value in form.getlist("account") if isinstance(value, str))
        return cls(form.get("choosing") == "1", tuple(dict.fromkeys(ticked)))


def _page(template: str, status_code: int, **values: object) -> HTMLResponse:
    html = _TEMPLATES.get_template(template).render(**values)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})


def _message(
    context: SandboxContext,
    texts: PageTexts,
    status_code: int,
    title: str,
    text: str,
    *,
    link: str | None = None,
) -> HTMLResponse:
    return _page(
        "message.html",
        status_code,
        t=texts,
        bank=context.settings.bank_name,
        title=title,
        text=text,
        link=link,
        problem=status_code >= 400,
    )


def _visitor_texts(request: Request) -> PageTexts:
    return texts_for("nl" if request.headers.get("Accept-Language", "").startswith("nl") else "en")


def _customer_texts(context: SandboxContext, psu_id: str) -> tuple[PageTexts, str]:
    customer = context.bank.customer(psu_id)
    if customer is None:
        return texts_for("en"), psu_id
    return texts_for(customer.language), customer.name


def _number(account: SandboxAccount) -> str:
    """The account number as people read it: an IBAN in groups of four."""
    if account.iban:
        return " ".join(account.iban[i : i + 4] for i in range(0, len(account.iban), 4))
    return account.masked_pan or ""


def _with_result(uri: str, id_name: str, identifier: str, result: str) -> str:
    parts = urlsplit(uri)
    query = [
        *parse_qsl(parts.query, keep_blank_values=True),
        (id_name, identifier),
        ("result", result),
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


async def _decide(context: SandboxContext, request: Request, pending: _Request | None) -> Response:
    form = await request.form()
    if pending is None:
        texts = _visitor_texts(request)
        return _message(context, texts, 404, texts.unknown_title, texts.unknown_text)
    texts, _ = _customer_texts(context, pending.psu_id)
    psu_id = form.get("psu_id")
    decision = form.get("decision")
    if not isinstance(psu_id, str) or psu_id.strip() != pending.psu_id:
        return _message(context, texts, 403, texts.not_yours_title, texts.not_yours_text)
    if decision not in ("approve", "deny"):
        return _message(context, texts, 400, texts.bad_request_title, texts.bad_request_text)
    if decision == "approve" and pending.status == "received":
        objection = pending.check_approval()
        if objection is not None:
            return objection
    if pending.status != "received" or not await pending.decide(
        "valid" if decision == "approve" else "rejected"
    ):
        text = texts.decided_text.format(status=texts.status_name(pending.status))
        return _message(context, texts, 409, texts.decided_title, text)
    approved = decision == "approve"
    target = (
        pending.redirect_uri if approved else (pending.nok_redirect_uri or pending.redirect_uri)
    )
    if target is not None:
        location = _with_result(
            target, pending.id_name, pending.identifier, "ok" if approved else "nok"
        )
        return RedirectResponse(location, status_code=303)
    if approved:
        return _message(context, texts, 200, texts.approved_title, texts.approved_text)
    return _message(context, texts, 200, texts.denied_title, texts.denied_text)


# --- AIS consents -------------------------------------------------------------------


def _consent_request(
    context: SandboxContext, request: Request, consent_id: str, choice: _AccountChoice
) -> _Request | None:
    consent = context.state.consents.get(consent_id)
    if consent is None:
        return None

    def check_approval() -> Response | None:
        offered = consent.grant.details
        if consent.scope != "bankOffered":
            if not choice.chosen:
                return None
            texts, _ = _customer_texts(context, consent.psu_id)
            return _message(context, texts, 400, texts.bad_request_title, texts.bad_request_text)
        if not choice.chosen and choice.shown:
            return _consent_page(context, request, consent, chosen=(), problem="none_chosen")
        if not set(offered).issuperset(choice.chosen):
            kept = tuple(i for i in choice.chosen if i in offered)
            return _consent_page(context, request, consent, chosen=kept, problem="not_offered")
        return None

    async def decide(outcome: Outcome) -> bool:
        today = context.today()
        async with context.changing() as state:
            current = state.consents[consent_id]
            if current.status_on(today) != "received":
                return False
            update: dict[str, object] = {"status": outcome, "last_action": today}
            if outcome == "valid" and choice.chosen:
                update["grant"] = current.grant.limited_to(choice.chosen)
            state.consents[consent_id] = current.model_copy(update=update)
            return True

    return _Request(
        id_name="consentId",
        identifier=consent_id,
        psu_id=consent.psu_id,
        status=consent.status_on(context.today()),
        redirect_uri=consent.redirect_uri,
        nok_redirect_uri=consent.nok_redirect_uri,
        decide=decide,
        check_approval=check_approval,
    )


def _consent_page(
    context: SandboxContext,
    request: Request,
    consent: ConsentRecord,
    *,
    chosen: tuple[str, ...] | None = None,
    problem: Literal["none_chosen", "not_offered"] | None = None,
) -> HTMLResponse:
    """The approval page; a bank-offered consent gets a checkbox per account, ticked when
    `chosen` is None or names it. `problem` says why an approval could not be taken (400)."""
    texts, name = _customer_texts(context, consent.psu_id)
    choosing = consent.scope == "bankOffered"
    rows = []
    grant = consent.grant
    for resource_id in grant.details:
        account = context.bank.account(resource_id)
        if account is None:
            continue
        data = [texts.data_details]
        if grant.allows(resource_id, "balances"):
            data.append(texts.data_balances)
        if grant.allows(resource_id, "transactions"):
            data.append(texts.data_transactions)
        rows.append(
            {
                "id": resource_id,
                "name": account.name,
                "number": _number(account),
                "data": ", ".join(data),
                "checked": chosen is None or resource_id in chosen,
            }
        )
    facts = [
        texts.until.format(date=texts.long_date(consent.valid_until)),
        texts.frequency(consent.recurring, consent.frequency_per_day),
    ]
    if consent.owner_name:
        facts.append(texts.owner_name)
    requester = consent.tpp_name or texts.someone
    errors = {"none_chosen": texts.none_chosen, "not_offered": texts.not_offered}
    return _page(
        "consent.html",
        400 if problem else 200,
        t=texts,
        bank=context.settings.bank_name,
        title=texts.consent_title,
        intro=texts.consent_intro.format(requester=requester, bank=context.settings.bank_name),
        rows=rows,
        facts=facts,
        choosing=choosing,
        choose_legend=texts.choose_legend.format(requester=requester),
        error=errors[problem] if problem else None,
        signed_in=texts.signed_in_as.format(name=name),
        psu_id=consent.psu_id,
        action=str(request.url.path),
    )


@router.get("/sandbox/sca/consents/{consent_id}", response_class=HTMLResponse)
async def consent_page(consent_id: str, request: Request, context: Context) -> HTMLResponse:
    consent = context.state.consents.get(consent_id)
    if consent is None:
        texts = _visitor_texts(request)
        return _message(context, texts, 404, texts.unknown_title, texts.unknown_text)
    status = consent.status_on(context.today())
    if status != "received":
        texts, _ = _customer_texts(context, consent.psu_id)
        text = texts.decided_text.format(status=texts.status_name(status))
        return _message(context, texts, 409, texts.decided_title, text)
    return _consent_page(context, request, consent)


@router.post("/sandbox/sca/consents/{consent_id}")
async def consent_decision(consent_id: str, request: Request, context: Context) -> Response:
    choice = _AccountChoice.of(await request.form())
    return await _decide(context, request, _consent_request(context, request, consent_id, choice))


# --- card consents ------------------------------------------------------------------


def _card_consent_request(context: SandboxContext, card_consent_id: str) -> _Request | None:
    consent = context.state.card_consents.get(card_consent_id)
    if consent is None:
        return None

    async def decide(outcome: Outcome) -> bool:
        today = context.today()
        async with context.changing() as state:
            current = state.card_consents[card_consent_id]
            if current.status != "received":
                return False
            state.card_consents[card_consent_id] = current.model_copy(
                update={"status": outcome, "last_action": today}
            )
            return True

    return _Request(
        id_name="cardConsentId",
        identifier=card_consent_id,
        psu_id=consent.psu_id,
        status=consent.status,
        redirect_uri=consent.redirect_uri,
        nok_redirect_uri=consent.nok_redirect_uri,
        decide=decide,
    )


@router.get("/sandbox/sca/card-consents/{card_consent_id}", response_class=HTMLResponse)
async def card_consent_page(
    card_consent_id: str, request: Request, context: Context
) -> HTMLResponse:
    consent = context.state.card_consents.get(card_consent_id)
    if consent is None:
        texts = _visitor_texts(request)
        return _message(context, texts, 404, texts.unknown_title, texts.unknown_text)
    texts, name = _customer_texts(context, consent.psu_id)
    if consent.status != "received":
        text = texts.decided_text.format(status=texts.status_name(consent.status))
        return _message(context, texts, 409, texts.decided_title, text)
    rows = []
    for card in context.bank.cards_of(consent.psu_id):
        account = context.bank.account(card.resource_id)
        if account is not None and account.kind == "credit_card":
            label = texts.card_credit
        else:
            label = texts.card_debit.format(account=account.name if account is not None else "")
        rows.append({"name": label, "number": card.masked_pan, "data": texts.card_rights})
    requester = consent.tpp_name or texts.someone
    return _page(
        "consent.html",
        200,
        t=texts,
        bank=context.settings.bank_name,
        title=texts.card_title,
        intro=texts.card_intro.format(requester=requester, bank=context.settings.bank_name),
        rows=rows,
        facts=[],
        signed_in=texts.signed_in_as.format(name=name),
        psu_id=consent.psu_id,
        action=str(request.url.path),
    )


@router.post("/sandbox/sca/card-consents/{card_consent_id}")
async def card_consent_decision(
    card_consent_id: str, request: Request, context: Context
) -> Response:
    return await _decide(context, request, _card_consent_request(context, card_consent_id))

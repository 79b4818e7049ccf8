"""The customer's own page about consent: "Mijn toestemmingen" / "My consents".

    GET  /consents               what Kluis may read, who looked at the data, preferences,
                                 the voice PIN and "is dit bericht echt?"; `?done=` says what
                                 was just done
    GET  /consents/revoke        "are you sure?"
    POST /consents/revoke        stop sharing: the consent ends here and at the bank
    POST /consents/narrow        account=<resourceId>, repeated: Kluis uses only those
                                 (all_accounts=1: every account of the consent again)
    POST /consents/renew         a new consent at the bank; 303 to its approval page (the
                                 callback then ends the old one)
    POST /consents/preferences   hide_counterparties=on, discreet_voice=on (checkboxes)
    POST /consents/voice-pin     pin, pin_again: 4 to 6 digits, never shown again
    POST /consents/check-code    code: whether a message with that code came from Kluis
    POST /consents/cards         allow card control: a card consent at the bank; 303 to its
                                 approval page (the callback then stores it)
    POST /consents/cards/revoke  Kluis may no longer block cards, here and at the bank
    POST /consents/chats/unlink  identity=<the chat's number on the page>: unlink one of the
                                 customer's own chats (see `kluis.web.linked_chats`)
    POST /consents/chats/alexa/unlink
                                 end an Alexa account link made in the Alexa app

Every form checks that it was posted from our own pages (`check_same_origin`). Problems the
customer can fix are shown beside the form they concern, with status 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from kluis.banks.cards import Card
from kluis.consent import lifecycle
from kluis.consent.access_log import access_log
from kluis.consent.card_control import (
    active_card_consent,
    end_card_control,
    list_cards,
    start_card_link,
)
from kluis.consent.gate import AccountView, DataRequest, Gate, Presence
from kluis.dialogue.texts import BANK_PHONE
from kluis.domain import Customer
from kluis.errors import BankError, ConsentError, ConsentNotReady
from kluis.privacy.check_codes import verify_check_code
from kluis.privacy.preferences import get_preferences, set_voice_pin, update_preferences
from kluis.runtime import Runtime
from kluis.store.consents import ConsentRepository
from kluis.web.connect import telegram_bot
from kluis.web.consent_texts import ConsentTexts, consent_texts_for
from kluis.web.consent_views import check_answer, consent_view, is_current, log_line
from kluis.web.link import WEB_CHANNEL, client_ip, see_other, sign_in_page
from kluis.web.linked_chats import (
    ALEXA,
    chat_lines,
    end_alexa_link,
    identity_number,
    linked_chats,
    unlink_chat,
    unlinked_notice,
)
from kluis.web.pages import (
    Gateway,
    GatewayDependency,
    check_same_origin,
    render,
    signed_in_customer,
    visitor_texts,
)
from kluis.web.texts import texts_for

router = APIRouter(include_in_schema=False)

LOG_LIMIT = 50
MAX_CODE_CHARS = 32
PIN_LENGTHS = range(4, 7)
DONE = ("revoked", "renewed", "narrowed", "widened", "preferences", "pin")
CARDS_DONE = ("cards", "cards-revoked")


@dataclass(frozen=True, slots=True)
class Feedback:
    """What a form's answer adds to the page: an error beside one form, or a check's answer."""

    narrow_error: str | None = None
    pin_error: str | None = None
    check_answer: str | None = None
    check_genuine: bool = False
    chats_error: str | None = None


async def _used_accounts(
    parts: Gateway, customer: Customer, request: Request
) -> list[AccountView] | None:
    """The accounts Kluis uses under the current consent, through the gate (the customer is
    here: an attended read), or None when there is no valid consent."""
    gate = Gate(parts.runtime)
    data = DataRequest(customer.id, WEB_CHANNEL, "consent", Presence(client_ip(request)))
    try:
        return (await gate.accounts(data, with_balances=False)).items
    except ConsentError:
        return None


async def _page(
    request: Request,
    parts: Gateway,
    customer: Customer,
    *,
    feedback: Feedback = Feedback(),
    done: str = "",
    status_code: int = 200,
) -> Response:
    texts = texts_for(customer.language)
    words = consent_texts_for(customer.language)
    runtime = parts.runtime
    today = runtime.today()
    now = datetime.now(UTC)
    accounts = await _used_accounts(parts, customer, request)
    async with runtime.database.session() as session:
        consents = await ConsentRepository(session, runtime.sealer).for_customer(customer.id)
        preferences = await get_preferences(session, customer.id)
    current = next((c for c in consents if is_current(c, today)), None)
    active = None
    if current is not None and accounts is not None:
        active = consent_view(current, words, today, accounts)
    shown = current if active is not None else None
    earlier = [consent_view(c, words, today) for c in consents if c is not shown]
    records = await access_log(runtime, customer.id, LOG_LIMIT)
    card_control = await active_card_consent(runtime, customer.id) is not None
    cards = await _cards(runtime, customer.id) if card_control else None
    cards_notice = {"cards": texts.cards_done, "cards-revoked": texts.cards_revoked}.get(done)
    chats = await linked_chats(runtime, customer.id)
    notice = None
    if done in DONE:
        notice = words.done[done]
        if done == "revoked":
            days = runtime.settings.revoked_data_retention_days
            notice = f"{notice} {words.retention.format(days=days)}"
    return render(
        request,
        "consents.html",
        texts,
        status_code=status_code,
        title=words.title,
        w=words,
        intro=words.intro.format(bank=runtime.settings.bank_name),
        notice=notice,
        active=active,
        earlier=earlier,
        log=[log_line(record, words, now) for record in records],
        log_intro=words.log_intro.format(count=LOG_LIMIT),
        preferences=preferences,
        feedback=feedback,
        card_control=card_control,
        cards=cards,
        cards_notice=cards_notice,
        cards_intro=texts.cards_intro.format(bank=runtime.settings.bank_name),
        telegram=telegram_bot(runtime.settings) is not None,
        chats=chat_lines(chats, words),
        alexa_without_chat=chats.alexa_without_chat,
        chats_notice=unlinked_notice(done, words),
        signed_in=True,
    )


async def _cards(runtime: Runtime, customer_id: str) -> list[Card] | None:
    """The customer's cards as the bank tells them now (None when the bank does not)."""
    try:
        return await list_cards(runtime, customer_id, channel=WEB_CHANNEL)
    except BankError:
        return None


@router.get("/consents")
async def consents_page(request: Request, parts: GatewayDependency, done: str = "") -> Response:
    customer = await signed_in_customer(request, parts)
    if customer is None:
        return sign_in_page(request, await visitor_texts(request), next_path="/consents")
    return await _page(request, parts, customer, done=done)


async def _posting(request: Request, parts: Gateway) -> Customer | None:
    """The signed-in customer of a form post from our own pages (403 otherwise)."""
    customer = await signed_in_customer(request, parts)
    texts = texts_for(customer.language) if customer else await visitor_texts(request)
    check_same_origin(request, texts)
    return customer


@router.get("/consents/revoke")
async def revoke_confirmation(request: Request, parts: GatewayDependency) -> Response:
    customer = await signed_in_customer(request, parts)
    if customer is None:
        return see_other("/chat")
    async with parts.runtime.database.session() as session:
        consent = await ConsentRepository(session, parts.runtime.sealer).active_for_customer(
            customer.id
        )
    if consent is None:
        return see_other("/consents")
    words = consent_texts_for(customer.language)
    settings = parts.runtime.settings
    return render(
        request,
        "revoke.html",
        texts_for(customer.language),
        title=words.stop_confirm_title,
        w=words,
        text=words.stop_confirm_text.format(
            bank=settings.bank_name, days=settings.revoked_data_retention_days
        ),
        signed_in=True,
    )


@router.post("/consents/revoke")
async def revoke(request: Request, parts: GatewayDependency) -> Response:
    customer = await _posting(request, parts)
    if customer is None:
        return see_other("/chat")
    await lifecycle.revoke(parts.runtime, customer.id)
    return see_other("/consents?done=revoked")


@router.post("/consents/narrow")
async def narrow(
    request: Request,
    parts: GatewayDependency,
    account: Annotated[list[str] | None, Form()] = None,
    all_accounts: Annotated[str, Form()] = "",
) -> Response:
    customer = await _posting(request, parts)
    if customer is None:
        return see_other("/chat")
    words = consent_texts_for(customer.language)
    widen = all_accounts == "1"
    chosen = tuple(dict.fromkeys(value.strip() for value in account or [] if value.strip()))
    if not widen and not chosen:
        return await _narrow_problem(request, parts, customer, words.narrow_none)
    try:
        await lifecycle.narrow(parts.runtime, customer.id, None if widen else chosen)
    except ConsentNotReady:
        return see_other("/consents")
    except ConsentError:
        return await _narrow_problem(request, parts, customer, words.narrow_refused)
    return see_other(f"/consents?done={'widened' if widen else 'narrowed'}#current")


async def _narrow_problem(
    request: Request, parts: Gateway, customer: Customer, message: str
) -> Response:
    feedback = Feedback(narrow_error=message)
    return await _page(request, parts, customer, feedback=feedback, status_code=400)


@router.post("/consents/renew")
async def renew(request: Request, parts: GatewayDependency) -> Response:
    customer = await _posting(request, parts)
    if customer is None:
        return see_other("/chat")
    try:
        approve_url = await lifecycle.renew(
            parts.runtime, customer.id, WEB_CHANNEL, psu_ip_address=client_ip(request)
        )
    except ConsentNotReady:
        return see_other("/chat")  # nothing to renew: the chat offers to link the bank
    return see_other(approve_url)


@router.post("/consents/preferences")
async def preferences(
    request: Request,
    parts: GatewayDependency,
    hide_counterparties: Annotated[str, Form()] = "",
    discreet_voice: Annotated[str, Form()] = "",
) -> Response:
    customer = await _posting(request, parts)
    if customer is None:
        return see_other("/chat")
    async with parts.runtime.database.session() as session:
        await update_preferences(
            session,
            customer.id,
            hide_counterparties=hide_counterparties == "on",
            discreet_voice=discreet_voice == "on",
        )
    return see_other("/consents?done=preferences#preferences")


def _pin_problem(pin: str, pin_again: str, words: ConsentTexts) -> str | None:
    if not (pin.isascii() and pin.isdigit() and len(pin) in PIN_LENGTHS):
        return words.pin_format
    if pin != pin_again:
        return words.pin_mismatch
    return None


@router.post("/consents/voice-pin")
async def voice_pin(
    request: Request,
    parts: GatewayDependency,
    pin: Annotated[str, Form()] = "",
    pin_again: Annotated[str, Form()] = "",
) -> Response:
    customer = await _posting(request, parts)
    if customer is None:
        return see_other("/chat")
    words = consent_texts_for(customer.language)
    problem = _pin_problem(pin.strip(), pin_again.strip(), words)
    if problem is None:
        try:
            async with parts.runtime.database.session() as session:
                await set_voice_pin(session, customer.id, pin.strip())
        except ValueError:
            problem = words.pin_too_easy  # the format was checked above: it is too guessable
    if problem is not None:
        feedback = Feedback(pin_error=problem)
        return await _page(request, parts, customer, feedback=feedback, status_code=400)
    return see_other("/consents?done=pin#pin")


@router.post("/consents/check-code")
async def check_code(
    request: Request, parts: GatewayDependency, code: Annotated[str, Form()] = ""
) -> Response:
    customer = await _posting(request, parts)
    if customer is None:
        return see_other("/chat")
    words = consent_texts_for(customer.language)
    message = None
    if len(code) <= MAX_CODE_CHARS:
        async with parts.runtime.database.session() as session:
            message = await verify_check_code(session, customer.id, code)
    answer = check_answer(
        message,
        words,
        bank=parts.runtime.settings.bank_name,
        phone=BANK_PHONE,
        now=datetime.now(UTC),
    )
    feedback = Feedback(check_answer=answer, check_genuine=message is not None)
    return await _page(request, parts, customer, feedback=feedback)


@router.post("/consents/cards")
async def allow_cards(request: Request, parts: GatewayDependency) -> Response:
    customer = await _posting(request, parts)
    if customer is None:
        return see_other("/chat")
    approve_url = await start_card_link(
        parts.runtime, customer.id, psu_ip_address=client_ip(request), channel=WEB_CHANNEL
    )
    return see_other(approve_url)


@router.post("/consents/cards/revoke")
async def revoke_cards(request: Request, parts: GatewayDependency) -> Response:
    customer = await _posting(request, parts)
    if customer is None:
        return see_other("/chat")
    await end_card_control(parts.runtime, customer.id)
    return see_other("/consents?done=cards-revoked#cards")


async def _chats_problem(request: Request, parts: Gateway, customer: Customer) -> Response:
    feedback = Feedback(chats_error=consent_texts_for(customer.language).chats_gone)
    return await _page(request, parts, customer, feedback=feedback, status_code=400)


@router.post("/consents/chats/unlink")
async def unlink(
    request: Request, parts: GatewayDependency, identity: Annotated[str, Form()] = ""
) -> Response:
    customer = await _posting(request, parts)
    if customer is None:
        return see_other("/chat")
    number = identity_number(identity)
    channel = None
    if number is not None:
        channel = await unlink_chat(parts.runtime, parts.channels, customer.id, number)
    if channel is None:
        return await _chats_problem(request, parts, customer)
    return see_other(f"/consents?done=unlinked-{channel}#chats")


@router.post("/consents/chats/alexa/unlink")
async def unlink_alexa(request: Request, parts: GatewayDependency) -> Response:
    customer = await _posting(request, parts)
    if customer is None:
        return see_other("/chat")
    if not await end_alexa_link(parts.runtime, customer.id):
        return await _chats_problem(request, parts, customer)
    return see_other(f"/consents?done=unlinked-{ALEXA}#chats")

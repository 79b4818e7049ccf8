"""'Mijn toestemmingen' in-process: what Kluis may read, who looked, stop, narrow, renew,
preferences, the voice PIN, 'is dit bericht echt?', and forms from other sites refused."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI

from kluis.config import Settings
from kluis.dialogue.formatting import day
from kluis.domain import Consent, ConsentStatus
from kluis.privacy.check_codes import issue_check_code
from kluis.privacy.preferences import get_preferences
from kluis.sandbox.ledger import SandboxBank
from kluis.store.consents import ConsentRepository
from kluis.store.customers import CustomerRepository
from kluis.web.session import COOKIE_NAME
from tests.web.support import (
    CHAT,
    SAME_SITE,
    account_of,
    client_of,
    decide,
    link_all_accounts,
    runtime_of,
    sign_in,
    to_the_bank,
    truth_of,
)

HOSTILE_SITES = [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}]


async def _consents(app: FastAPI, customer_id: str) -> list[Consent]:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        return await ConsentRepository(session, runtime.sealer).for_customer(customer_id)


async def _status_at_bank(bank_browser: httpx.AsyncClient, consent: Consent) -> str:
    answer = await bank_browser.get(
        f"/v1/consents/{consent.bank_consent_id}/status", headers={"X-Request-ID": "t-1"}
    )
    status = answer.json()["consentStatus"]
    assert isinstance(status, str)
    return status


async def _ask(client: httpx.AsyncClient, text: str) -> str:
    response = await client.post("/chat/api/messages", json={"text": text}, headers=CHAT)
    assert response.status_code == 200, response.text
    return "\n".join(str(reply["text"]) for reply in response.json()["replies"])


async def _post(client: httpx.AsyncClient, path: str, form: object = None) -> httpx.Response:
    return await client.post(path, data=form or {}, headers=SAME_SITE)  # type: ignore[arg-type]


@pytest.fixture
async def sanne(client: httpx.AsyncClient, bank_browser: httpx.AsyncClient) -> httpx.AsyncClient:
    """Sanne, signed in, with every account linked."""
    await link_all_accounts(client, bank_browser, "c-sanne")
    return client


# --- what the page shows ------------------------------------------------------------


async def test_signing_in_leads_back_to_the_page(client: httpx.AsyncClient) -> None:
    page = await client.get("/consents")
    assert page.status_code == 200
    assert "Sign in to Kluis" in page.text
    assert 'name="next" value="/consents"' in page.text
    assert (await client.post("/consents/revoke")).headers["location"] == "/chat"
    assert await sign_in(client, "c-daan", next_path="/consents") == "/consents"
    assert "Mijn toestemmingen" in (await client.get("/consents")).text


async def test_the_page_shows_scopes_accounts_until_and_the_access_log(
    sanne: httpx.AsyncClient, app: FastAPI, bank: SandboxBank
) -> None:
    await _ask(sanne, "wat is mijn saldo?")
    page = await sanne.get("/consents")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = page.text
    assert '<html lang="nl">' in text
    assert '<h1 id="title">Mijn toestemmingen</h1>' in text
    assert "Actief" in text
    assert "Kluis Sandbox Bank" in text
    checking = account_of(bank, "c-sanne", "checking")
    assert checking.iban is not None
    assert " ".join(checking.iban[i : i + 4] for i in range(0, len(checking.iban), 4)) in text
    for name in ("Betaalrekening", "Spaarrekening", "Creditcard"):
        assert name in text
    assert "rekeninggegevens, saldo&#39;s en transacties" in text
    consent = (await _consents(app, "c-sanne"))[0]
    assert f"<dd>{day(consent.valid_until, 'nl', with_year=True)}</dd>" in text
    assert "hooguit 4 keer per dag" in text
    assert "Gegeven op" in text
    # The access log, in words, newest first.
    lines = re.findall(r'<time datetime="[^"]+">([^<]+)</time>', text)
    assert lines[0].startswith("Vandaag ")
    assert any(
        re.fullmatch(
            r"Vandaag \d\d:\d\d · Web-chat · saldo van je betaalrekening, spaarrekening en "
            r"creditcard · omdat je vroeg naar je saldo",
            line,
        )
        for line in lines
    )
    # Never asked for secrets; the voice PIN is only for the voice assistant.
    assert "Kluis vraagt nooit om je wachtwoord, je pincode of codes van je bank" in text
    assert "Alleen voor de spraakassistent" in text
    assert 'href="/chat"' in text  # the bar leads back to the chat


async def test_the_chat_leads_to_the_page_and_english_customers_read_english(
    client: httpx.AsyncClient, bank_browser: httpx.AsyncClient
) -> None:
    await link_all_accounts(client, bank_browser, "c-emily")
    chat = await client.get("/chat")
    assert '<a class="bar-link" href="/consents">My consents</a>' in chat.text
    page = await client.get("/consents")
    for words in ("My consents", "Who looked at your data?", "Stop sharing", "Renew", "Active"):
        assert words in page.text
    assert "Kluis never asks for your password" in page.text


async def test_without_a_consent_the_page_offers_to_link(client: httpx.AsyncClient) -> None:
    await sign_in(client, "c-daan")
    page = await client.get("/consents")
    assert page.status_code == 200
    assert "Kluis mag je bank op dit moment niet lezen." in page.text
    assert "Kluis heeft nog geen gegevens van je gelezen." in page.text
    assert 'action="/consents/renew"' not in page.text


# --- stop sharing ---------------------------------------------------------------------


async def test_stop_sharing_asks_first_then_ends_the_consent_here_and_at_the_bank(
    sanne: httpx.AsyncClient, app: FastAPI, bank_browser: httpx.AsyncClient
) -> None:
    confirm = await sanne.get("/consents/revoke")
    assert confirm.status_code == 200
    assert "Stoppen met delen met Kluis?" in confirm.text
    assert "binnen 7 dagen gewist" in confirm.text
    assert 'action="/consents/revoke"' in confirm.text
    assert 'href="/consents"' in confirm.text  # "Nee, terug"
    consent = (await _consents(app, "c-sanne"))[0]
    assert await _status_at_bank(bank_browser, consent) == "valid"  # asking changed nothing

    done = await _post(sanne, "/consents/revoke")
    assert done.status_code == 303
    assert done.headers["location"] == "/consents?done=revoked"
    assert await _status_at_bank(bank_browser, consent) == "terminatedByTpp"
    assert (await _consents(app, "c-sanne"))[0].status is ConsentStatus.TERMINATED_BY_TPP

    page = await sanne.get(done.headers["location"])
    assert "Kluis leest je bank niet meer." in page.text
    assert "Kluis mag je bank op dit moment niet lezen." in page.text
    assert "Eerdere toestemmingen" in page.text
    assert "Gestopt" in page.text
    # The chat asks to link again, and answers nothing from the ended consent.
    assert "Koppel je bank" in (await sanne.get("/chat")).text
    answer = await _ask(sanne, "wat is mijn saldo?")
    assert "€" not in answer
    assert (await sanne.get("/consents/revoke")).headers["location"] == "/consents"


# --- only these accounts --------------------------------------------------------------


async def test_narrowing_limits_what_the_chat_shows(
    sanne: httpx.AsyncClient, web_settings: Settings, bank: SandboxBank
) -> None:
    truth = truth_of(web_settings, bank, "c-sanne")
    checking = next(a for a in truth.accounts if a.kind == "checking")
    savings = next(a for a in truth.accounts if a.kind == "savings")
    before = await _ask(sanne, "wat is mijn saldo?")
    assert savings.balance.format("nl") in before

    narrowed = await _post(sanne, "/consents/narrow", {"account": [checking.resource_id]})
    assert narrowed.status_code == 303
    assert narrowed.headers["location"] == "/consents?done=narrowed#current"
    after = await _ask(sanne, "wat is mijn saldo?")
    assert checking.balance.format("nl") in after
    assert savings.balance.format("nl") not in after

    page = await sanne.get("/consents?done=narrowed")
    assert "Kluis gebruikt nu alleen de rekeningen die je koos." in page.text
    assert "Je hebt Kluis beperkt tot deze rekeningen." in page.text
    assert "Spaarrekening" not in page.text.split('id="log"')[0]
    widened = await _post(sanne, "/consents/narrow", {"all_accounts": "1"})
    assert widened.headers["location"] == "/consents?done=widened#current"
    assert savings.balance.format("nl") in await _ask(sanne, "wat is mijn saldo?")


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Vink minstens één rekening aan."),
        ({"account": ["acc-daan-checking"]}, "Die rekening hoort niet bij je toestemming."),
    ],
)
async def test_narrowing_to_nothing_or_to_a_stranger_is_explained(
    sanne: httpx.AsyncClient, app: FastAPI, form: dict[str, object], message: str
) -> None:
    answer = await _post(sanne, "/consents/narrow", form)
    assert answer.status_code == 400
    assert message in answer.text
    assert 'role="alert"' in answer.text
    assert (await _consents(app, "c-sanne"))[0].restricted_to is None


# --- renewing -------------------------------------------------------------------------


async def test_renewing_goes_to_the_bank_and_the_new_consent_supersedes_the_old(
    sanne: httpx.AsyncClient, app: FastAPI, bank_browser: httpx.AsyncClient
) -> None:
    old = (await _consents(app, "c-sanne"))[0]
    approval = await to_the_bank(sanne, "/consents/renew", {})
    back = await sanne.get(await decide(bank_browser, approval, "c-sanne"))
    assert back.status_code == 303
    assert back.headers["location"] == "/consents?done=renewed"
    new, previous = await _consents(app, "c-sanne")
    assert previous.id == old.id
    assert new.status is ConsentStatus.VALID
    assert previous.status is ConsentStatus.TERMINATED_BY_TPP
    assert await _status_at_bank(bank_browser, old) == "terminatedByTpp"
    assert await _status_at_bank(bank_browser, new) == "valid"
    page = await sanne.get(back.headers["location"])
    assert "Je toestemming is verlengd. De oude is gestopt." in page.text
    assert page.text.count('class="status active"') == 1
    assert "€" in await _ask(sanne, "wat is mijn saldo?")


async def test_renewing_without_a_consent_offers_to_link(client: httpx.AsyncClient) -> None:
    await sign_in(client, "c-daan")
    answer = await _post(client, "/consents/renew")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/chat"


# --- preferences and the voice PIN ----------------------------------------------------


async def test_preferences_are_saved_and_shown(sanne: httpx.AsyncClient, app: FastAPI) -> None:
    saved = await _post(sanne, "/consents/preferences", {"hide_counterparties": "on"})
    assert saved.status_code == 303
    assert saved.headers["location"] == "/consents?done=preferences#preferences"
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        preferences = await get_preferences(session, "c-sanne")
    assert (preferences.hide_counterparties, preferences.discreet_voice) == (True, False)
    page = await sanne.get("/consents?done=preferences")
    assert "Je keuzes zijn opgeslagen." in page.text
    assert re.search(r'name="hide_counterparties" value="on" checked', page.text)
    assert not re.search(r'name="discreet_voice" value="on" checked', page.text)
    await _post(sanne, "/consents/preferences", {"discreet_voice": "on"})
    async with runtime.database.session() as session:
        preferences = await get_preferences(session, "c-sanne")
    assert (preferences.hide_counterparties, preferences.discreet_voice) == (False, True)


@pytest.mark.parametrize(
    ("pin", "again", "message"),
    [
        ("4071", "4072", "De twee pincodes zijn niet gelijk."),
        ("12a4", "12a4", "Een stem-pincode bestaat uit 4 tot 6 cijfers"),
        ("407", "407", "Een stem-pincode bestaat uit 4 tot 6 cijfers"),
        ("4071289", "4071289", "Een stem-pincode bestaat uit 4 tot 6 cijfers"),
        ("1234", "1234", "Die pincode is te makkelijk te raden"),
        ("", "", "Een stem-pincode bestaat uit 4 tot 6 cijfers"),
    ],
)
async def test_a_bad_voice_pin_is_explained_and_not_kept(
    sanne: httpx.AsyncClient, app: FastAPI, pin: str, again: str, message: str
) -> None:
    answer = await _post(sanne, "/consents/voice-pin", {"pin": pin, "pin_again": again})
    assert answer.status_code == 400
    assert message in answer.text
    assert 'aria-invalid="true"' in answer.text
    if pin:
        assert f'value="{pin}"' not in answer.text
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        assert not (await get_preferences(session, "c-sanne")).voice_pin_set


async def test_a_voice_pin_is_set_and_never_shown_again(
    sanne: httpx.AsyncClient, app: FastAPI
) -> None:
    answer = await _post(sanne, "/consents/voice-pin", {"pin": "4071", "pin_again": "4071"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/consents?done=pin#pin"
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        assert (await get_preferences(session, "c-sanne")).voice_pin_set
    page = await sanne.get("/consents?done=pin")
    assert "Je stem-pincode is ingesteld. Hij wordt niet meer getoond." in page.text
    assert "Je hebt een stem-pincode ingesteld." in page.text
    assert "4071" not in page.text


# --- is this message real? ------------------------------------------------------------


async def test_a_check_code_kluis_sent_is_confirmed(sanne: httpx.AsyncClient, app: FastAPI) -> None:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        code = await issue_check_code(session, "c-sanne", "telegram", "consent_expiry")
    answer = await _post(sanne, "/consents/check-code", {"code": f" {code.lower()} "})
    assert answer.status_code == 200
    found = re.search(r"Ja, dit bericht kwam van ons op (\d+ \w+) via Telegram\.", answer.text)
    assert found is not None, answer.text
    assert "Het was een herinnering dat je toestemming bijna afloopt." in answer.text


async def test_an_unknown_or_someone_elses_code_is_not_ours(
    sanne: httpx.AsyncClient, app: FastAPI
) -> None:
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        await CustomerRepository(session).ensure("c-emily", "Emily Carter", "en")
        emilys = await issue_check_code(session, "c-emily", "telegram", "consent_expiry")
    for code in (emilys, "ZZZZ-ZZ", "x" * 500):
        answer = await _post(sanne, "/consents/check-code", {"code": code})
        assert answer.status_code == 200
        assert "Nee, deze code kennen we niet: vertrouw het bericht niet en bel" in answer.text
        assert "Ja, dit bericht" not in answer.text


# --- forms from other sites -----------------------------------------------------------


@pytest.mark.parametrize("headers", HOSTILE_SITES)
@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/consents/revoke", {}),
        ("/consents/narrow", {"account": "acc-sanne-checking"}),
        ("/consents/renew", {}),
        ("/consents/preferences", {"hide_counterparties": "on"}),
        ("/consents/voice-pin", {"pin": "4071", "pin_again": "4071"}),
        ("/consents/check-code", {"code": "ZZZZ-ZZ"}),
    ],
)
async def test_forms_posted_from_another_site_are_refused_and_change_nothing(
    sanne: httpx.AsyncClient,
    app: FastAPI,
    headers: dict[str, str],
    path: str,
    form: dict[str, str],
) -> None:
    answer = await sanne.post(path, data=form, headers=headers)
    assert answer.status_code == 403
    assert "Dit mag niet" in answer.text
    consent = (await _consents(app, "c-sanne"))[0]
    assert consent.status is ConsentStatus.VALID
    assert consent.restricted_to is None
    runtime = runtime_of(app)
    async with runtime.database.session() as session:
        preferences = await get_preferences(session, "c-sanne")
    assert not preferences.hide_counterparties
    assert not preferences.voice_pin_set


async def test_a_stranger_cannot_post_the_forms(app: FastAPI) -> None:
    async with client_of(app) as stranger:
        stranger.cookies.set(COOKIE_NAME, "forged.value")
        for path in ("/consents/revoke", "/consents/voice-pin", "/consents/check-code"):
            answer = await stranger.post(path, data={"code": "x"}, headers=SAME_SITE)
            assert answer.status_code == 303
            assert answer.headers["location"] == "/chat"

"""The Alexa channel: Amazon's request verification (every check fails with 400), reading
each kind of request, the spoken answers, and one conversation through the webhook.

The signing PKI is made at test time (`tests.channels.alexa_pki`) and its chain is served
through `httpx.MockTransport` at Amazon's own address, https://s3.amazonaws.com/echo.api/.
"""

from __future__ import annotations

import json
import ssl
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from kluis.channels.alexa import AlexaChannel
from kluis.channels.alexa_model import BUILT_IN_INTENTS, interaction_model
from kluis.channels.alexa_verify import CHAIN_MAX_BYTES, AlexaVerifier, trusted_chain_url
from kluis.channels.base import InboundMessage, MalformedWebhook, WebhookRejected
from kluis.channels.platform_api import PlatformAPI
from kluis.config import Settings, load_settings
from kluis.consent.linking import link_sandbox_customer
from kluis.dialogue import texts as dialogue_texts
from kluis.dialogue.types import Reply, Turn
from kluis.privacy.preferences import set_voice_pin
from kluis.sandbox.api import create_sandbox_app
from kluis.sandbox.ledger import SandboxBank
from kluis.security import new_key
from kluis.store.customers import CustomerRepository
from kluis.web.app import create_app
from tests.channels import alexa_pki
from tests.channels.alexa_pki import Pki, genuine
from tests.channels.drivers.alexa import (
    DRIVER,
    OTHER_SKILL_ID,
    SKILL_ID,
    encode,
    envelope,
    intent_request,
)
from tests.web.support import BANK_URL, client_of, runtime_of

CHAIN_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-13.pem"
USER = "amzn1.ask.account.AGF7EUF4RNORLHSZDB3QJWUQ7JXSKBNHWSK6OA4ZCL7QCGOA"
PERSON = "amzn1.ask.person.AFQTN3ZLBXPBO6R7EAIOC7FT3NPOAG3ZKVFW4M7M5N7V"
ACCESS_TOKEN = "Atza|IwEBIKluisTestAccessToken"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def request_body(
    *,
    timestamp: datetime | None = None,
    skill_id: str = SKILL_ID,
    text: str = "wat is mijn saldo?",
) -> bytes:
    moment = timestamp or datetime.now(UTC)
    request = intent_request(
        f"amzn1.echo-api.request.{uuid.uuid4()}",
        "QueryIntent",
        {"query": text},
        timestamp=iso(moment),
    )
    return encode(envelope(USER, request, skill_id=skill_id))


def signed(body: bytes, pki: Pki | None = None, url: str = CHAIN_URL) -> dict[str, str]:
    return {"SignatureCertChainUrl": url, "Signature-256": (pki or genuine()).sign(body)}


@dataclass
class ChainServer:
    """Amazon's S3 bucket for the signing chain: serves `chains[path]`, counts downloads."""

    chains: dict[str, bytes] = field(default_factory=dict)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    fail: bool = False
    downloads: list[str] = field(default_factory=list)

    def serve(self, pki: Pki, path: str = "/echo.api/echo-api-cert-13.pem") -> None:
        self.chains[path] = pki.chain_pem

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.downloads.append(str(request.url))
        if self.fail:
            raise httpx.ConnectError("no route to host", request=request)
        if request.url.host != "s3.amazonaws.com" or request.url.path not in self.chains:
            return httpx.Response(404, text="NoSuchKey")
        return httpx.Response(
            self.status, content=self.chains[request.url.path], headers=self.headers
        )


@pytest.fixture
def root_bundle(tmp_path: Path) -> Path:
    path = tmp_path / "amazon-roots.pem"
    path.write_bytes(genuine().root_pem)
    return path


@pytest.fixture
def alexa_settings(tmp_path: Path, root_bundle: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        seal_keys=[new_key()],
        alexa_skill_id=SKILL_ID,
        alexa_ca_bundle=root_bundle,
    )


@pytest.fixture
def server() -> ChainServer:
    chains = ChainServer()
    chains.serve(genuine())
    return chains


@pytest.fixture
async def http(server: ChainServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handler)) as client:
        yield client


Clock = Callable[[], datetime]


class Now:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.moment = datetime.now(UTC).replace(microsecond=0)  # as Alexa writes times

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def now() -> Now:
    return Now()


@pytest.fixture
def verifier(alexa_settings: Settings, http: httpx.AsyncClient, now: Now) -> AlexaVerifier:
    return AlexaVerifier(alexa_settings, http, clock=now)


async def rejected(verifier: AlexaVerifier, body: bytes, headers: dict[str, str]) -> str:
    with pytest.raises(WebhookRejected) as caught:
        await verifier.verify(body, headers)
    assert caught.value.status == 400
    return str(caught.value)


# --- verification: the genuine request ------------------------------------------------------


async def test_a_genuine_request_passes(verifier: AlexaVerifier, server: ChainServer) -> None:
    body = request_body()
    await verifier.verify(body, signed(body))
    assert server.downloads == [CHAIN_URL]


async def test_header_names_are_case_insensitive(verifier: AlexaVerifier) -> None:
    body = request_body()
    headers = {name.lower(): value for name, value in signed(body).items()}
    await verifier.verify(body, headers)


async def test_the_channel_verifies_with_its_shared_client(
    alexa_settings: Settings, http: httpx.AsyncClient
) -> None:
    channel = AlexaChannel(alexa_settings, PlatformAPI(http))
    body = request_body()
    await channel.verify(body, signed(body))
    with pytest.raises(WebhookRejected) as caught:
        await channel.verify(body, signed(body + b"x"))
    assert caught.value.status == 400


# --- verification: the certificate chain URL --------------------------------------------------


@pytest.mark.parametrize(
    ("url", "fetched"),
    [
        (CHAIN_URL, CHAIN_URL),
        ("HTTPS://s3.amazonaws.com/echo.api/echo-api-cert-13.pem", CHAIN_URL),
        ("https://S3.AMAZONAWS.COM/echo.api/echo-api-cert-13.pem", CHAIN_URL),
        ("https://s3.amazonaws.com:443/echo.api/echo-api-cert-13.pem", CHAIN_URL),
        ("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-13.pem", CHAIN_URL),
        ("https://s3.amazonaws.com/echo.api/./echo-api-cert-13.pem", CHAIN_URL),
        ("https://s3.amazonaws.com/echo.api/echo-api-cert-13.pem#part", CHAIN_URL),
    ],
)
async def test_urls_under_amazons_prefix_are_accepted_and_fetched_normalised(
    verifier: AlexaVerifier, server: ChainServer, url: str, fetched: str
) -> None:
    body = request_body()
    await verifier.verify(body, signed(body, url=url))
    assert server.downloads == [fetched]


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert-13.pem",  # not https
        "https://notamazon.com/echo.api/echo-api-cert-13.pem",  # another host
        "https://s3.amazonaws.com.attacker.example/echo.api/echo-api-cert-13.pem",
        "https://attacker.example/s3.amazonaws.com/echo.api/echo-api-cert-13.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert-13.pem",  # another port
        "https://s3.amazonaws.com:80/echo.api/echo-api-cert-13.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-13.pem",  # the path is case-sensitive
        "https://s3.amazonaws.com/invalid.path/echo-api-cert-13.pem",  # not under /echo.api/
        "https://s3.amazonaws.com/echo.api.evil/echo-api-cert-13.pem",
        "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert-13.pem",
        "https://s3.amazonaws.com/echo.api/..",
        "https://s3.amazonaws.com/echo.api/%2e%2e/bucket/cert.pem",  # dots hidden from the check
        "https://s3.amazonaws.com/echo.api%2F..%2Fbucket/cert.pem",
        "https://s3.amazonaws.com/echo.api/..\\bucket\\cert.pem",
        "https://attacker@s3.amazonaws.com/echo.api/echo-api-cert-13.pem",
        "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert-13.pem",
        "ftp://s3.amazonaws.com/echo.api/echo-api-cert-13.pem",
        "s3.amazonaws.com/echo.api/echo-api-cert-13.pem",
        "/echo.api/echo-api-cert-13.pem",
        "https:///echo.api/echo-api-cert-13.pem",
    ],
)
async def test_urls_outside_amazons_prefix_are_rejected_before_any_download(
    verifier: AlexaVerifier, server: ChainServer, url: str
) -> None:
    body = request_body()
    await rejected(verifier, body, signed(body, url=url))
    assert server.downloads == []


def test_a_test_prefix_allows_a_local_platform_with_the_same_rules() -> None:
    prefix = "http://127.0.0.1:8765/echo.api/"
    url = "http://127.0.0.1:8765/echo.api/chain.pem"
    assert trusted_chain_url(url, prefix) == url
    assert trusted_chain_url("HTTP://127.0.0.1:8765/x/../echo.api/chain.pem", prefix) == url
    for other in (
        "http://127.0.0.1:8766/echo.api/chain.pem",
        "http://127.0.0.1/echo.api/chain.pem",
        "https://127.0.0.1:8765/echo.api/chain.pem",
        "http://127.0.0.2:8765/echo.api/chain.pem",
    ):
        with pytest.raises(WebhookRejected):
            trusted_chain_url(other, prefix)


# --- verification: the certificate chain ------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        alexa_pki.expired_leaf,
        alexa_pki.future_leaf,
        alexa_pki.wrong_name,
        alexa_pki.no_names,
        alexa_pki.untrusted_root,
        alexa_pki.intermediate_not_ca,
        alexa_pki.expired_intermediate,
        alexa_pki.ec_leaf,
    ],
)
async def test_a_chain_amazon_would_not_send_is_rejected(
    verifier: AlexaVerifier, server: ChainServer, variant: Callable[[], Pki]
) -> None:
    pki = variant()
    server.serve(pki)
    body = request_body()
    await rejected(verifier, body, signed(body, pki))


async def test_the_untrusted_variant_only_differs_in_its_root(
    alexa_settings: Settings, http: httpx.AsyncClient, server: ChainServer, tmp_path: Path
) -> None:
    """The untrusted chain passes once its root is trusted: the rejection above is the root."""
    pki = alexa_pki.untrusted_root()
    server.serve(pki)
    bundle = tmp_path / "other-roots.pem"
    bundle.write_bytes(pki.root_pem)
    trusting = AlexaVerifier(alexa_settings.model_copy(update={"alexa_ca_bundle": bundle}), http)
    body = request_body()
    await trusting.verify(body, signed(body, pki))


async def test_an_expired_root_in_the_bundle_anchors_nothing(
    alexa_settings: Settings, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    bundle = tmp_path / "expired-root.pem"
    bundle.write_bytes(alexa_pki.expired_root().root_pem)
    stale = AlexaVerifier(alexa_settings.model_copy(update={"alexa_ca_bundle": bundle}), http)
    body = request_body()
    assert "untrusted" in await rejected(stale, body, signed(body))


@pytest.mark.parametrize(
    "chain",
    [
        lambda pki: alexa_pki.pem(pki.intermediate, pki.leaf),  # out of order
        lambda pki: alexa_pki.pem(pki.leaf),  # the intermediate left out
        lambda pki: alexa_pki.pem(pki.leaf, pki.leaf),
        lambda pki: alexa_pki.pem(pki.leaf, alexa_pki.untrusted_root().intermediate),
        lambda pki: alexa_pki.pem(pki.root),
        lambda pki: b"",
        lambda pki: b"not a certificate",
        lambda pki: b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
        lambda pki: pki.chain_pem + b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
    ],
)
async def test_a_broken_chain_is_rejected(
    verifier: AlexaVerifier, server: ChainServer, chain: Callable[[Pki], bytes]
) -> None:
    server.chains["/echo.api/echo-api-cert-13.pem"] = chain(genuine())
    body = request_body()
    await rejected(verifier, body, signed(body))


async def test_a_chain_that_includes_the_root_is_accepted(
    verifier: AlexaVerifier, server: ChainServer
) -> None:
    pki = genuine()
    server.chains["/echo.api/echo-api-cert-13.pem"] = alexa_pki.pem(*pki.chain, pki.root)
    body = request_body()
    await verifier.verify(body, signed(body))


async def test_a_chain_over_64_kib_is_not_read(
    verifier: AlexaVerifier, server: ChainServer
) -> None:
    padding = b"# " + b"x" * CHAIN_MAX_BYTES + b"\n"
    server.chains["/echo.api/echo-api-cert-13.pem"] = genuine().chain_pem + padding
    body = request_body()
    assert "too large" in await rejected(verifier, body, signed(body))


@pytest.mark.parametrize("status", [301, 302, 403, 404, 500])
async def test_anything_but_the_chain_itself_is_rejected(
    verifier: AlexaVerifier, server: ChainServer, status: int
) -> None:
    server.status = status
    server.headers = {"Location": "https://attacker.example/chain.pem"}
    body = request_body()
    await rejected(verifier, body, signed(body))
    assert server.downloads == [CHAIN_URL]  # a redirect is not followed


async def test_an_unreachable_chain_is_rejected_and_not_remembered(
    verifier: AlexaVerifier, server: ChainServer
) -> None:
    server.fail = True
    body = request_body()
    await rejected(verifier, body, signed(body))
    server.fail = False
    await verifier.verify(body, signed(body))
    assert len(server.downloads) == 2


# --- verification: the signature -------------------------------------------------------------


async def test_a_signature_over_other_bytes_is_rejected(verifier: AlexaVerifier) -> None:
    body = request_body()
    await rejected(verifier, body, signed(request_body()))


async def test_a_body_altered_after_signing_is_rejected(verifier: AlexaVerifier) -> None:
    body = request_body(text="wat is mijn saldo?")
    headers = signed(body)
    altered = body.replace(b"saldo", b"SALDO")
    await rejected(verifier, altered, headers)
    await rejected(verifier, body + b"\n", headers)


async def test_the_sha1_signature_alone_is_not_enough(verifier: AlexaVerifier) -> None:
    body = request_body()
    pki = genuine()
    sha1_only = {"SignatureCertChainUrl": CHAIN_URL, "Signature": pki.sign_sha1(body)}
    await rejected(verifier, body, sha1_only)
    sha1_as_256 = {"SignatureCertChainUrl": CHAIN_URL, "Signature-256": pki.sign_sha1(body)}
    await rejected(verifier, body, sha1_as_256)


async def test_the_sha1_header_next_to_a_good_one_is_ignored(verifier: AlexaVerifier) -> None:
    body = request_body()
    headers = {**signed(body), "Signature": "bm90IGEgc2lnbmF0dXJl"}
    await verifier.verify(body, headers)


@pytest.mark.parametrize("signature", ["", "not base64!", "c2lnbmF0dXJl", "=" * 8])
async def test_an_unreadable_signature_is_rejected(verifier: AlexaVerifier, signature: str) -> None:
    body = request_body()
    await rejected(verifier, body, {"SignatureCertChainUrl": CHAIN_URL, "Signature-256": signature})


async def test_a_signature_by_another_key_is_rejected(verifier: AlexaVerifier) -> None:
    body = request_body()
    other = alexa_pki.ec_leaf()  # a key that is not the certificate's
    await rejected(verifier, body, signed(body, other))


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"SignatureCertChainUrl": CHAIN_URL},
        {"Signature-256": "c2lnbmF0dXJl"},
        {"SignatureCertChainUrl": "", "Signature-256": "c2lnbmF0dXJl"},
    ],
)
async def test_missing_headers_are_rejected(
    verifier: AlexaVerifier, server: ChainServer, headers: dict[str, str]
) -> None:
    await rejected(verifier, request_body(), headers)
    assert server.downloads == []


# --- verification: time and skill --------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (timedelta(0), True),
        (timedelta(seconds=-150), True),
        (timedelta(seconds=150), True),
        (timedelta(seconds=-151), False),  # stale: a replay
        (timedelta(seconds=151), False),  # from the future
        (timedelta(hours=-1), False),
        (timedelta(days=2), False),
    ],
)
async def test_the_timestamp_must_be_within_150_seconds(
    verifier: AlexaVerifier, now: Now, offset: timedelta, accepted: bool
) -> None:
    body = request_body(timestamp=now.moment + offset)
    if accepted:
        await verifier.verify(body, signed(body))
    else:
        assert "timestamp" in await rejected(verifier, body, signed(body))


async def test_the_tolerance_is_a_setting(
    alexa_settings: Settings, http: httpx.AsyncClient, now: Now
) -> None:
    strict = alexa_settings.model_copy(update={"alexa_timestamp_tolerance_seconds": 30})
    verifier = AlexaVerifier(strict, http, clock=now)
    body = request_body(timestamp=now.moment - timedelta(seconds=31))
    await rejected(verifier, body, signed(body))


@pytest.mark.parametrize("stamp", [None, "", "yesterday", 1764405600, "2026-13-45T99:00:00Z"])
async def test_a_missing_or_unreadable_timestamp_is_rejected(
    verifier: AlexaVerifier, stamp: object
) -> None:
    data = json.loads(request_body())
    data["request"]["timestamp"] = stamp
    body = encode(data)
    await rejected(verifier, body, signed(body))


async def test_a_request_for_another_skill_is_rejected(verifier: AlexaVerifier) -> None:
    body = request_body(skill_id=OTHER_SKILL_ID)
    assert "another skill" in await rejected(verifier, body, signed(body))


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data["session"]["application"].update(applicationId=OTHER_SKILL_ID),
        lambda data: data["context"]["System"]["application"].update(applicationId=OTHER_SKILL_ID),
        lambda data: data["context"]["System"].pop("application"),
        lambda data: data.pop("context"),
        lambda data: data["context"]["System"]["application"].update(applicationId=SKILL_ID[:-1]),
        lambda data: data["context"]["System"]["application"].update(applicationId=None),
    ],
)
async def test_every_skill_id_in_the_request_must_be_ours(
    verifier: AlexaVerifier, change: Callable[[dict[str, Any]], object]
) -> None:
    data = json.loads(request_body())
    change(data)
    body = encode(data)
    await rejected(verifier, body, signed(body))


async def test_a_request_without_a_session_needs_only_the_context_id(
    verifier: AlexaVerifier,
) -> None:
    data = json.loads(request_body())
    del data["session"]
    body = encode(data)
    await verifier.verify(body, signed(body))


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"version":"1.0"}'])
async def test_a_signed_body_that_is_not_a_request_is_rejected(
    verifier: AlexaVerifier, body: bytes
) -> None:
    await rejected(verifier, body, signed(body))


# --- verification: the cache and the trust roots --------------------------------------------------


async def test_a_validated_chain_is_downloaded_once(
    verifier: AlexaVerifier, server: ChainServer
) -> None:
    for text in ("wat is mijn saldo?", "laatste betalingen", "uitgaven deze maand"):
        body = request_body(text=text)
        await verifier.verify(body, signed(body))
    assert server.downloads == [CHAIN_URL]


async def test_the_cache_holds_a_day_at_most(
    verifier: AlexaVerifier, server: ChainServer, now: Now
) -> None:
    body = request_body()
    await verifier.verify(body, signed(body))
    now.moment += timedelta(hours=23)
    body = request_body(timestamp=now.moment)
    await verifier.verify(body, signed(body))
    assert len(server.downloads) == 1
    now.moment += timedelta(hours=2)
    body = request_body(timestamp=now.moment)
    await verifier.verify(body, signed(body))
    assert len(server.downloads) == 2


async def test_the_cache_ends_when_the_signing_certificate_does(
    verifier: AlexaVerifier, server: ChainServer, now: Now
) -> None:
    short = alexa_pki.build(leaf_valid=(-alexa_pki.DAY, timedelta(hours=1)))
    server.serve(short)
    body = request_body()
    await verifier.verify(body, signed(body, short))
    now.moment += timedelta(hours=2)
    body = request_body(timestamp=now.moment)
    assert "not current" in await rejected(verifier, body, signed(body, short))
    assert len(server.downloads) == 2


async def test_chains_are_cached_per_url(verifier: AlexaVerifier, server: ChainServer) -> None:
    server.serve(genuine(), "/echo.api/echo-api-cert-14.pem")
    other = "https://s3.amazonaws.com/echo.api/echo-api-cert-14.pem"
    for url in (CHAIN_URL, other, CHAIN_URL, other):
        body = request_body()
        await verifier.verify(body, signed(body, url=url))
    assert server.downloads == [CHAIN_URL, other]


async def test_the_system_bundle_is_used_when_none_is_configured(
    alexa_settings: Settings,
    http: httpx.AsyncClient,
    root_bundle: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = SimpleNamespace(cafile=str(root_bundle))
    monkeypatch.setattr(ssl, "get_default_verify_paths", lambda: paths)
    verifier = AlexaVerifier(alexa_settings.model_copy(update={"alexa_ca_bundle": None}), http)
    body = request_body()
    await verifier.verify(body, signed(body))


async def test_without_trust_roots_nothing_passes(
    alexa_settings: Settings, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    missing = alexa_settings.model_copy(update={"alexa_ca_bundle": tmp_path / "absent.pem"})
    body = request_body()
    await rejected(AlexaVerifier(missing, http), body, signed(body))


async def test_a_bundle_with_an_unreadable_entry_still_trusts_the_rest(
    alexa_settings: Settings, http: httpx.AsyncClient, tmp_path: Path
) -> None:
    bundle = tmp_path / "mixed.pem"
    broken = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    bundle.write_bytes(broken + genuine().root_pem)
    verifier = AlexaVerifier(alexa_settings.model_copy(update={"alexa_ca_bundle": bundle}), http)
    body = request_body()
    await verifier.verify(body, signed(body))


# --- parse ---------------------------------------------------------------------------------------


@pytest.fixture
def channel(alexa_settings: Settings, http: httpx.AsyncClient) -> AlexaChannel:
    return AlexaChannel(alexa_settings, PlatformAPI(http))


def launch(locale: str = "nl-NL") -> dict[str, Any]:
    return {
        "type": "LaunchRequest",
        "requestId": "amzn1.echo-api.request.launch-1",
        "timestamp": iso(datetime.now(UTC)),
        "locale": locale,
    }


def parsed(channel: AlexaChannel, request: dict[str, Any], **options: Any) -> InboundMessage:
    return channel.parse(encode(envelope(USER, request, **options)))


def test_parse_a_query(channel: AlexaChannel) -> None:
    request = intent_request("amzn1.echo-api.request.1", "QueryIntent", {"query": "mijn saldo"})
    inbound = parsed(channel, request)
    assert inbound.channel == "alexa"
    assert inbound.event_id == "amzn1.echo-api.request.1"
    assert inbound.user_id == USER
    assert (inbound.kind, inbound.text) == ("message", "mijn saldo")
    assert inbound.locale == "nl-NL"
    assert inbound.language == "nl"
    assert inbound.extra == {"request_type": "IntentRequest", "intent": "QueryIntent"}


def test_parse_keeps_the_linked_token_and_the_recognised_person(channel: AlexaChannel) -> None:
    request = intent_request("r", "QueryIntent", {"query": "saldo"}, locale="en-GB")
    inbound = parsed(channel, request, access_token=ACCESS_TOKEN, person_id=PERSON)
    assert inbound.extra["access_token"] == ACCESS_TOKEN
    assert inbound.extra["person_id"] == PERSON
    assert inbound.language == "en"


def test_parse_launch_is_a_welcome(channel: AlexaChannel) -> None:
    inbound = parsed(channel, launch())
    assert (inbound.kind, inbound.text) == ("message", "")
    assert inbound.extra == {"request_type": "LaunchRequest"}


@pytest.mark.parametrize(
    ("pin", "text"), [("4827", "4827"), ("0042", "0042"), (" 48 27 ", "4827"), ("?", "")]
)
def test_parse_the_voice_pin(channel: AlexaChannel, pin: str, text: str) -> None:
    inbound = parsed(channel, intent_request("r", "PinIntent", {"pin": pin}))
    assert (inbound.kind, inbound.text) == ("message", text)


@pytest.mark.parametrize(
    ("intent", "locale", "text"),
    [
        ("AMAZON.HelpIntent", "nl-NL", "hulp"),
        ("AMAZON.HelpIntent", "en-GB", "help"),
        ("AMAZON.YesIntent", "nl-NL", "ja"),
        ("AMAZON.YesIntent", "en-GB", "yes"),
        ("AMAZON.NoIntent", "nl-NL", "nee"),
        ("AMAZON.NoIntent", "en-GB", "no"),
        ("AMAZON.FallbackIntent", "en-GB", ""),
        ("AMAZON.PauseIntent", "en-GB", ""),
        ("QueryIntent", "nl-NL", ""),  # the slot left empty
    ],
)
def test_parse_built_in_intents(channel: AlexaChannel, intent: str, locale: str, text: str) -> None:
    inbound = parsed(channel, intent_request("r", intent, locale=locale))
    assert (inbound.kind, inbound.text) == ("message", text)
    assert inbound.extra["intent"] == intent


@pytest.mark.parametrize(
    "intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"]
)
def test_parse_stop_cancel_and_home_end_the_session(channel: AlexaChannel, intent: str) -> None:
    inbound = parsed(channel, intent_request("r", intent))
    assert (inbound.kind, inbound.text) == ("session_end", "")


def test_parse_session_ended(channel: AlexaChannel) -> None:
    request = {
        "type": "SessionEndedRequest",
        "requestId": "amzn1.echo-api.request.end-1",
        "timestamp": iso(datetime.now(UTC)),
        "locale": "nl-NL",
        "reason": "USER_INITIATED",
    }
    inbound = parsed(channel, request)
    assert inbound.kind == "session_end"
    assert inbound.extra == {"request_type": "SessionEndedRequest"}


def test_parse_other_requests_as_nothing_said(channel: AlexaChannel) -> None:
    request = {"type": "Connections.Response", "requestId": "r", "locale": "nl-NL"}
    inbound = parsed(channel, request)
    assert (inbound.kind, inbound.text) == ("message", "")


def test_parse_falls_back_to_the_session_user(channel: AlexaChannel) -> None:
    data = envelope(USER, launch(), access_token=ACCESS_TOKEN)
    del data["context"]["System"]["user"]
    inbound = channel.parse(encode(data))
    assert inbound.user_id == USER
    assert inbound.extra["access_token"] == ACCESS_TOKEN


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"version":"1.0"}',
        encode({"version": "1.0", "request": "LaunchRequest"}),
        encode({**envelope(USER, launch()), "request": {"type": "LaunchRequest"}}),
        encode({k: v for k, v in envelope(USER, launch()).items() if k == "request"}),
        encode({**envelope(USER, launch()), "request": {"requestId": "r"}}),
    ],
)
def test_parse_refuses_what_is_not_an_alexa_request(channel: AlexaChannel, body: bytes) -> None:
    with pytest.raises(MalformedWebhook) as caught:
        channel.parse(body)
    assert caught.value.status == 400


# --- render ---------------------------------------------------------------------------------------


def spoken(answer: dict[str, Any]) -> str:
    return DRIVER.spoken(answer)


def reprompt(answer: dict[str, Any]) -> str:
    return DRIVER.spoken({"response": answer["response"]["reprompt"]})


def turn(*replies: Reply, intent: str = "balance", lang: str = "nl") -> Turn:
    return Turn(user="...", intent=intent, replies=replies, lang=lang)


def test_render_an_answer_in_words(channel: AlexaChannel) -> None:
    inbound = parsed(channel, intent_request("r", "QueryIntent", {"query": "saldo"}))
    answer = channel.render(
        inbound,
        turn(
            Reply(
                "Op je betaalrekening staat € 1.234,56.",
                ("Laatste betalingen", "Uitgaven deze maand"),
            )
        ),
        linked=True,
    )
    response = answer["response"]
    assert answer["version"] == "1.0"
    assert response["outputSpeech"] == {
        "type": "SSML",
        "ssml": "<speak>Op je betaalrekening staat twaalfhonderd vierendertig euro en "
        "zesenvijftig cent.</speak>",
    }
    assert reprompt(answer) == "Je kunt ook vragen: laatste betalingen of uitgaven deze maand."
    assert response["shouldEndSession"] is False
    assert "card" not in response  # amounts never go on a screen


def test_render_says_every_reply_and_suggests_at_most_three(channel: AlexaChannel) -> None:
    inbound = parsed(channel, intent_request("r", "QueryIntent", {"query": "help"}, locale="en-GB"))
    answer = channel.render(
        inbound,
        turn(
            Reply("Your current account has €6,061.54.", ("What's my balance?", "Latest payments",
                  "Spending this month", "Talk to a person")),
            Reply("Anything else? 🙂"),
            lang="en",
        ),
        linked=True,
    )  # fmt: skip
    assert spoken(answer) == (
        "Your current account has six thousand and sixty-one euros and fifty-four cents. "
        "Anything else?"
    )
    assert reprompt(answer) == (
        "You can also ask: what's my balance, latest payments or spending this month."
    )


def test_render_answers_in_the_turns_language(channel: AlexaChannel) -> None:
    inbound = parsed(channel, intent_request("r", "QueryIntent", {"query": "balance"}))
    answer = channel.render(inbound, turn(Reply("It is €12.00."), lang="en"), linked=True)
    assert spoken(answer) == "It is twelve euros."


def test_render_a_goodbye_ends_the_session(channel: AlexaChannel) -> None:
    inbound = parsed(channel, intent_request("r", "QueryIntent", {"query": "dag"}))
    goodbye = Reply("Fijne dag nog! Je kunt me altijd weer een bericht sturen.")
    answer = channel.render(inbound, turn(goodbye, intent="goodbye"), linked=True)
    assert answer["response"]["shouldEndSession"] is True
    assert "reprompt" not in answer["response"]
    assert spoken(answer) == goodbye.text


def test_render_asks_again_for_the_voice_pin(channel: AlexaChannel) -> None:
    inbound = parsed(channel, intent_request("r", "QueryIntent", {"query": "saldo"}))
    ask = Reply(dialogue_texts.say("voice_pin.ask", "nl"))
    answer = channel.render(inbound, turn(ask), linked=True)
    assert reprompt(answer) == "Zeg je spraakcode, cijfer voor cijfer."
    assert answer["response"]["shouldEndSession"] is False
    wrong = Reply(dialogue_texts.say("voice_pin.wrong", "en"))
    answer = channel.render(inbound, turn(wrong, intent="voice_pin", lang="en"), linked=True)
    assert reprompt(answer) == "Please say your voice code, digit by digit."


def test_render_without_suggestions_asks_if_there_is_more(channel: AlexaChannel) -> None:
    inbound = parsed(channel, intent_request("r", "QueryIntent", {"query": "x"}))
    answer = channel.render(inbound, turn(Reply("Dat is gelukt.")), linked=True)
    assert reprompt(answer) == "Wil je nog iets anders weten?"


def test_render_keeps_a_long_answer_within_alexas_limit(channel: AlexaChannel) -> None:
    inbound = parsed(channel, intent_request("r", "QueryIntent", {"query": "alles"}))
    line = "18 mrt · Albert Heijn 8876 Utrecht · € -69,43 (nog niet verwerkt)"
    answer = channel.render(inbound, turn(Reply("\n".join([line] * 300))), linked=True)
    ssml = answer["response"]["outputSpeech"]["ssml"]
    assert len(ssml) <= 8000
    assert ssml.endswith("nog niet verwerkt.</speak>")


def test_render_not_linked_shows_the_link_account_card(channel: AlexaChannel) -> None:
    for locale, words in (("nl-NL", "Alexa-app"), ("en-GB", "Alexa app")):
        request = intent_request("r", "QueryIntent", {"query": "saldo"}, locale=locale)
        answer = channel.render(parsed(channel, request), None, linked=False)
        response = answer["response"]
        assert response["card"] == {"type": "LinkAccount"}
        assert response["shouldEndSession"] is True
        assert words in spoken(answer)
        assert "Kluis Sandbox Bank" in spoken(answer)


def test_render_not_linked_on_launch_too(channel: AlexaChannel) -> None:
    answer = channel.render(parsed(channel, launch("en-GB")), None, linked=False)
    assert answer["response"]["card"] == {"type": "LinkAccount"}
    assert spoken(answer).startswith("To talk about your accounts")


def test_render_welcome_on_launch(channel: AlexaChannel) -> None:
    answer = channel.render(parsed(channel, launch()), None, linked=True)
    response = answer["response"]
    assert spoken(answer).startswith("Welkom bij de assistent van Kluis Sandbox Bank.")
    assert reprompt(answer) == "Je kunt bijvoorbeeld vragen: wat is mijn saldo?"
    assert response["shouldEndSession"] is False
    assert "card" not in response


def test_render_fallback_says_it_did_not_understand(channel: AlexaChannel) -> None:
    inbound = parsed(channel, intent_request("r", "AMAZON.FallbackIntent", locale="en-GB"))
    answer = channel.render(inbound, None, linked=True)
    assert spoken(answer).startswith("Sorry, I didn't quite catch that.")
    assert reprompt(answer) == "You can ask, for example: what's my balance?"
    assert answer["response"]["shouldEndSession"] is False


@pytest.mark.parametrize(
    "intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"]
)
def test_render_stop_says_goodbye(channel: AlexaChannel, intent: str) -> None:
    for linked in (True, False):
        answer = channel.render(parsed(channel, intent_request("r", intent)), None, linked=linked)
        assert spoken(answer) == "Tot ziens!"
        assert answer["response"]["shouldEndSession"] is True
        assert "card" not in answer["response"]


def test_render_session_ended_is_empty(channel: AlexaChannel) -> None:
    request = {"type": "SessionEndedRequest", "requestId": "r", "locale": "nl-NL"}
    answer = channel.render(parsed(channel, request), None, linked=True)
    assert answer == {"version": "1.0", "response": {}}


def test_render_a_slow_answer_asks_to_try_again(channel: AlexaChannel) -> None:
    inbound = parsed(channel, intent_request("r", "QueryIntent", {"query": "saldo"}))
    answer = channel.render(inbound, None, linked=True)
    assert spoken(answer).startswith("Dat duurt iets langer dan normaal.")
    assert answer["response"]["shouldEndSession"] is False
    assert reprompt(answer)


# --- the interaction model -------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
def test_the_interaction_model(locale: str) -> None:
    model = interaction_model(locale)["interactionModel"]["languageModel"]
    assert model["invocationName"] == "kluis bank"
    intents = {intent["name"]: intent for intent in model["intents"]}
    query = intents["QueryIntent"]
    assert query["slots"] == [{"name": "query", "type": "AMAZON.SearchQuery"}]
    assert len(query["samples"]) >= 20
    # A SearchQuery slot needs a carrier phrase: never alone, always once.
    assert all(s != "{query}" and s.count("{query}") == 1 for s in query["samples"])
    assert len(set(query["samples"])) == len(query["samples"])
    pin = intents["PinIntent"]
    assert pin["slots"] == [{"name": "pin", "type": "AMAZON.FOUR_DIGIT_NUMBER"}]
    assert "{pin}" in pin["samples"]
    assert set(BUILT_IN_INTENTS) <= set(intents)
    json.dumps(model)


def test_the_interaction_model_speaks_each_language() -> None:
    dutch = interaction_model("nl-NL")["interactionModel"]["languageModel"]["intents"][0]
    english = interaction_model("en-GB")["interactionModel"]["languageModel"]["intents"][0]
    assert "hoeveel {query}" in dutch["samples"]
    assert "how much {query}" in english["samples"]
    named = interaction_model("nl-NL", invocation_name="Mijn Bank")
    assert named["interactionModel"]["languageModel"]["invocationName"] == "mijn bank"
    with pytest.raises(ValueError, match="nl-NL or en-GB"):
        interaction_model("de-DE")


# --- through the webhook ---------------------------------------------------------------------


@pytest.fixture
async def gateway(
    tmp_path: Path, root_bundle: Path, server: ChainServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[httpx.AsyncClient]:
    """The web app with Alexa switched on, Sanne linked by her Alexa user id with a voice PIN."""
    # A slow shared test machine must not turn answers into "ask me again".
    monkeypatch.setattr(AlexaChannel, "answer_seconds", 60.0)
    settings = load_settings(
        data_dir=tmp_path / "data",
        seal_keys=[new_key()],
        bank_url=BANK_URL,
        embedded_sandbox=False,
        bank_backoff_seconds=0.0,
        alexa_skill_id=SKILL_ID,
        alexa_ca_bundle=root_bundle,
    )
    bank = httpx.ASGITransport(
        app=create_sandbox_app(settings, SandboxBank.from_settings(settings))
    )
    app = create_app(
        settings, transport=bank, platform_transport=httpx.MockTransport(server.handler)
    )
    async with app.router.lifespan_context(app), client_of(app) as client:
        runtime = runtime_of(app)
        await link_sandbox_customer(
            runtime, "c-sanne", "Sanne de Vries", "nl", channel="alexa", platform_user_id=USER
        )
        async with runtime.database.session() as session:
            await set_voice_pin(session, "c-sanne", "4827")
            await CustomerRepository(session).link_identity("alexa", PERSON, "c-sanne")
        yield client


async def post(client: httpx.AsyncClient, data: dict[str, Any], **headers: str) -> httpx.Response:
    body = encode(data)
    return await client.post("/webhooks/alexa", content=body, headers={**signed(body), **headers})


def say(text: str, user: str = USER, intent: str = "QueryIntent") -> dict[str, Any]:
    slots = {"pin": text} if intent == "PinIntent" else {"query": text}
    request = intent_request(f"amzn1.echo-api.request.{uuid.uuid4()}", intent, slots)
    return envelope(user, request)


async def test_a_conversation_through_the_webhook(gateway: httpx.AsyncClient) -> None:
    welcome = await post(gateway, envelope(USER, launch()))
    assert welcome.status_code == 200
    assert spoken(welcome.json()).startswith("Welkom bij de assistent")

    asked = await post(gateway, say("wat is mijn saldo?"))
    assert spoken(asked.json()).startswith("Zeg eerst je spraakcode")
    assert reprompt(asked.json()) == "Zeg je spraakcode, cijfer voor cijfer."

    answered = (await post(gateway, say("4827", intent="PinIntent"))).json()
    words = spoken(answered)
    assert "Op je betaalrekening staat" in words
    assert " euro" in words
    assert "€" not in words
    assert "4827" not in words
    assert "card" not in answered["response"]
    assert answered["response"]["shouldEndSession"] is False

    bye = (
        await post(gateway, envelope(USER, intent_request("r-stop", "AMAZON.StopIntent")))
    ).json()
    assert spoken(bye) == "Tot ziens!"
    assert bye["response"]["shouldEndSession"] is True


async def test_a_retried_request_gets_the_same_answer(
    gateway: httpx.AsyncClient, server: ChainServer
) -> None:
    data = say("hulp")
    first = await post(gateway, data)
    again = await post(gateway, data)
    assert first.json() == again.json()
    assert "saldo" in spoken(first.json())
    assert server.downloads == [CHAIN_URL]


async def test_a_recognised_speaker_is_linked_by_person(gateway: httpx.AsyncClient) -> None:
    data = envelope("amzn1.ask.account.SOMEONE-ELSE", launch(), person_id=PERSON)
    answer = (await post(gateway, data)).json()
    assert "card" not in answer["response"]
    assert spoken(answer).startswith("Welkom")


async def test_someone_not_linked_gets_the_card(gateway: httpx.AsyncClient) -> None:
    answer = (await post(gateway, say("wat is mijn saldo?", user="amzn1.ask.account.NEW"))).json()
    assert answer["response"]["card"] == {"type": "LinkAccount"}
    assert "euro" not in spoken(answer)


async def test_forged_and_unsigned_requests_get_400(gateway: httpx.AsyncClient) -> None:
    data = say("wat is mijn saldo?")
    body = encode(data)
    forged = await gateway.post("/webhooks/alexa", content=body, headers=signed(body + b" "))
    unsigned = await gateway.post("/webhooks/alexa", content=body)
    elsewhere = await gateway.post(
        "/webhooks/alexa",
        content=body,
        headers=signed(body, url="https://attacker.example/echo.api/echo-api-cert-13.pem"),
    )
    for response in (forged, unsigned, elsewhere):
        assert response.status_code == 400
        assert "saldo" not in response.text
    # The forged request left nothing behind: the genuine one with its id is answered anew.
    genuine_answer = await post(gateway, data)
    assert spoken(genuine_answer.json()).startswith("Zeg eerst je spraakcode")


async def test_a_signed_but_malformed_request_gets_400(gateway: httpx.AsyncClient) -> None:
    data = say("saldo")
    del data["context"]["System"]["user"]
    del data["session"]["user"]
    response = await post(gateway, data)
    assert response.status_code == 400

"""Checking that a request really comes from Alexa and is meant for our skill.

Amazon signs every request to a self-hosted skill. The checks, in the order Amazon
documents them; any failure is answered with HTTP 400, as certification requires:

1. the `SignatureCertChainUrl` header, with `.`/`..` resolved, is under the trusted prefix
   (by default `https://s3.amazonaws.com/echo.api/`: same scheme and host, any case; port 443; the
   path starts with `/echo.api/`, case-sensitive);
2. the PEM chain at that URL is downloaded (no redirects, at most 64 KiB) and validated:
   the signing certificate is current and names `echo-api.amazon.com`, every certificate
   is current and signed by the next, issuers are CAs, and the last one is (or is issued
   by) a trusted root. A validated chain is cached by URL until it expires, a day at most;
3. `Signature-256` is an RSA PKCS #1 v1.5 SHA-256 signature of the raw body by the signing
   certificate (the older SHA-1 `Signature` header alone is not accepted);
4. `request.timestamp` is within the tolerance (150 s) of now;
5. the application id in the request is our skill id.

Why not ask-sdk-webservice-support, Amazon's Python package for this? In its latest release
(1.3.3): its `RequestVerifier` compares the URL with module constants (`s3.amazonaws.com`,
`/echo.api/`, port 443) that no argument changes, and it builds its
`certvalidator.CertificateValidator` without a validation context, so neither the trusted
prefix nor the CA bundle can be configured, and Kluis's settings and tests need both. It
downloads the chain with `urllib`'s blocking `urlopen`, without a timeout, inside the
request, which would stall our async server's event loop. It also brings `certvalidator`
(with `asn1crypto`), `ask-sdk-core`, `ask-sdk-model` and `freezegun` as dependencies of a
running gateway. So Kluis makes the same checks itself with `cryptography` and the shared
`httpx.AsyncClient`, and its tests run them against a test certificate chain.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import itertools
import json
import logging
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from kluis.channels.base import WebhookRejected, header
from kluis.config import Settings
from kluis.security import constant_time_equals

logger = logging.getLogger(__name__)

SIGNING_NAME = "echo-api.amazon.com"
CHAIN_MAX_BYTES = 64 * 1024
CACHE_AT_MOST = timedelta(days=1)
_CACHE_ENTRIES = 32
_DEFAULT_PORTS = {"https": 443, "http": 80}
_SYSTEM_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
_PEM_BLOCK = b"-----END CERTIFICATE-----"

Clock = Callable[[], datetime]


class AlexaRejected(WebhookRejected):
    """An Alexa request that failed a check; `reason` is a short code, never content."""

    status = 400

    def __init__(self, reason: str) -> None:
        super().__init__(reason, status=400)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class _Place:
    """A URL cut into what the trust check compares."""

    scheme: str
    host: str
    port: int
    path: str
    query: str


def _resolve_dots(path: str) -> str:
    """The path with `.` and `..` segments resolved (RFC 3986, section 5.2.4)."""
    segments = path.split("/")
    kept: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment in (".", ".."):
            if segment == ".." and len(kept) > 1:
                kept.pop()
            if last:
                kept.append("")
            continue
        kept.append(segment)
    return "/".join(kept)


def _place(url: str) -> _Place:
    """Parse and normalise a URL; `AlexaRejected` when it is not a plain http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise AlexaRejected("certificate url unreadable") from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username is not None:
        raise AlexaRejected("certificate url unreadable")
    lowered = parts.path.lower()
    if "\\" in parts.path or "%2e" in lowered or "%2f" in lowered or "%5c" in lowered:
        raise AlexaRejected("certificate url path")  # dots and slashes hidden from the check
    return _Place(
        scheme=scheme,
        host=parts.hostname.lower(),
        port=port if port is not None else _DEFAULT_PORTS[scheme],
        path=_resolve_dots(parts.path or "/"),
        query=parts.query,
    )


@lru_cache(maxsize=64)
def trusted_chain_url(url: str, prefix: str) -> str:
    """The normalised URL of the certificate chain when it lies under the trusted prefix;
    `AlexaRejected` otherwise. What is downloaded is this normalised URL. Amazon uses a
    handful of URLs, so the answers are remembered (a rejection is raised again, not kept)."""
    place, trusted = _place(url), _place(prefix)
    if place.scheme != trusted.scheme:
        raise AlexaRejected("certificate url scheme")
    if place.host != trusted.host:
        raise AlexaRejected("certificate url host")
    if place.port != trusted.port:
        raise AlexaRejected("certificate url port")
    if not place.path.startswith(trusted.path):
        raise AlexaRejected("certificate url path")
    default = _DEFAULT_PORTS[place.scheme] == place.port
    netloc = place.host if default else f"{place.host}:{place.port}"
    return urlunsplit((place.scheme, netloc, place.path, place.query, ""))


def _certificates(pem: bytes, *, strict: bool) -> list[x509.Certificate]:
    """The certificates of a PEM text; `strict`: one that does not load rejects the lot."""
    certificates: list[x509.Certificate] = []
    for block in pem.split(_PEM_BLOCK):
        if b"-----BEGIN CERTIFICATE-----" not in block:
            continue
        try:
            certificates.append(x509.load_pem_x509_certificate(block + _PEM_BLOCK))
        except ValueError:
            if strict:
                raise
    return certificates


def _current(certificate: x509.Certificate, now: datetime) -> bool:
    return certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return True
    return constraints.value.ca


def _signed_by(subject: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        subject.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _names_signing_host(certificate: x509.Certificate) -> bool:
    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return False
    return SIGNING_NAME in {name.lower() for name in names.value.get_values_for_type(x509.DNSName)}


def validate_chain(
    chain: list[x509.Certificate], roots: list[x509.Certificate], now: datetime
) -> RSAPublicKey:
    """The signing key of a chain Amazon could have sent; `AlexaRejected` otherwise."""
    if not chain:
        raise AlexaRejected("certificate chain empty")
    leaf = chain[0]
    if not _current(leaf, now):
        raise AlexaRejected("signing certificate not current")
    if not _names_signing_host(leaf):
        raise AlexaRejected("signing certificate name")
    for subject, issuer in itertools.pairwise(chain):
        if not _current(issuer, now):
            raise AlexaRejected("chain certificate not current")
        if not _is_ca(issuer) or not _signed_by(subject, issuer):
            raise AlexaRejected("certificate chain broken")
    last = chain[-1]
    anchored = any(
        last == root or (_current(root, now) and _is_ca(root) and _signed_by(last, root))
        for root in roots
    )
    if not anchored:
        raise AlexaRejected("certificate chain untrusted")
    key = leaf.public_key()
    if not isinstance(key, RSAPublicKey):
        raise AlexaRejected("signing key not rsa")
    return key


def _timestamp(request: Mapping[str, Any]) -> datetime:
    value = request.get("timestamp")
    if not isinstance(value, str):
        raise AlexaRejected("timestamp missing")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise AlexaRejected("timestamp unreadable") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _application_ids(envelope: Mapping[str, Any]) -> list[object]:
    """The skill ids a request names: the context's (required) and the session's."""
    context = envelope.get("context")
    system = context.get("System") if isinstance(context, dict) else None
    application = system.get("application") if isinstance(system, dict) else None
    ids: list[object] = [
        application.get("applicationId") if isinstance(application, dict) else None
    ]
    session = envelope.get("session")
    if isinstance(session, dict) and isinstance(session.get("application"), dict):
        ids.append(session["application"].get("applicationId"))
    return ids


def _system_bundle() -> Path:
    cafile = ssl.get_default_verify_paths().cafile
    return Path(cafile) if cafile else _SYSTEM_BUNDLE


@dataclass(frozen=True, slots=True)
class _Cached:
    key: RSAPublicKey
    until: datetime


class AlexaVerifier:
    """Verifies Alexa requests; one per channel, so that chains and roots are read once."""

    def __init__(
        self,
        settings: Settings,
        http: httpx.AsyncClient,
        *,
        clock: Clock | None = None,
    ) -> None:
        self._prefix = settings.alexa_trusted_cert_url_prefix
        self._bundle = settings.alexa_ca_bundle
        self._skill_id = settings.alexa_skill_id or ""
        self._tolerance = timedelta(seconds=settings.alexa_timestamp_tolerance_seconds)
        self._timeout = settings.channel_timeout_seconds
        self._http = http
        self._clock = clock or (lambda: datetime.now(UTC))
        self._roots: list[x509.Certificate] | None = None
        self._chains: dict[str, _Cached] = {}
        # Downloads under way, by URL: requests that arrive meanwhile wait for the same one.
        self._fetching: dict[str, asyncio.Future[RSAPublicKey]] = {}

    async def verify(self, body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
        """The request's envelope, parsed, when it is Alexa's, for our skill, and fresh;
        else raise `WebhookRejected` with status 400."""
        try:
            return await self._verify(body, headers)
        except AlexaRejected as rejected:
            logger.info("alexa request rejected: %s", rejected.reason)
            raise

    async def _verify(self, body: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
        chain_url = header(headers, "SignatureCertChainUrl")
        signature = header(headers, "Signature-256")
        if not chain_url or not signature:
            raise AlexaRejected("signature headers missing")
        url = trusted_chain_url(chain_url, self._prefix)
        try:
            signed = base64.b64decode(signature.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise AlexaRejected("signature unreadable") from exc
        key = await self._signing_key(url)
        try:
            key.verify(signed, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as exc:
            raise AlexaRejected("signature wrong") from exc
        return self._check_envelope(body)

    def _check_envelope(self, body: bytes) -> dict[str, Any]:
        try:
            envelope = json.loads(body)
        except ValueError as exc:
            raise AlexaRejected("body not json") from exc
        if not isinstance(envelope, dict):
            raise AlexaRejected("request missing")
        request = envelope.get("request")
        if not isinstance(request, dict):
            raise AlexaRejected("request missing")
        if abs(self._clock() - _timestamp(request)) > self._tolerance:
            raise AlexaRejected("timestamp out of tolerance")
        if not self._skill_id:
            raise AlexaRejected("skill id not configured")
        for application_id in _application_ids(envelope):
            if not isinstance(application_id, str) or not constant_time_equals(
                application_id, self._skill_id
            ):
                raise AlexaRejected("another skill")
        return envelope

    async def _signing_key(self, url: str) -> RSAPublicKey:
        now = self._clock()
        cached = self._chains.get(url)
        if cached is not None and now < cached.until:
            return cached.key
        fetching = self._fetching.get(url)
        if fetching is None:  # one download per URL, however many requests wait for it
            fetching = asyncio.ensure_future(self._fetch_key(url, now))
            self._fetching[url] = fetching
        return await asyncio.shield(fetching)

    async def _fetch_key(self, url: str, now: datetime) -> RSAPublicKey:
        try:
            return await self._validated_key(url, now)
        finally:
            self._fetching.pop(url, None)

    async def _validated_key(self, url: str, now: datetime) -> RSAPublicKey:
        chain = await self._download(url)
        key = validate_chain(chain, await self._trusted_roots(), now)
        until = min([now + CACHE_AT_MOST, *(c.not_valid_after_utc for c in chain)])
        if len(self._chains) >= _CACHE_ENTRIES:
            self._chains.pop(next(iter(self._chains)))
        self._chains[url] = _Cached(key, until)
        return key

    async def _download(self, url: str) -> list[x509.Certificate]:
        received = bytearray()
        try:
            async with self._http.stream(
                "GET", url, timeout=self._timeout, follow_redirects=False
            ) as response:
                if response.status_code != 200:
                    raise AlexaRejected("certificate download refused")
                async for chunk in response.aiter_bytes():
                    received += chunk
                    if len(received) > CHAIN_MAX_BYTES:
                        raise AlexaRejected("certificate chain too large")
        except httpx.HTTPError as exc:
            raise AlexaRejected("certificate download failed") from exc
        try:
            chain = _certificates(bytes(received), strict=True)
        except ValueError as exc:
            raise AlexaRejected("certificate chain unreadable") from exc
        if not chain:
            raise AlexaRejected("certificate chain empty")
        return chain

    async def _trusted_roots(self) -> list[x509.Certificate]:
        if self._roots is None:
            path = self._bundle or _system_bundle()
            try:
                pem = await asyncio.to_thread(path.read_bytes)
            except OSError as exc:
                logger.warning("alexa trust roots unavailable")
                raise AlexaRejected("trust roots unavailable") from exc
            self._roots = _certificates(pem, strict=False)
        return self._roots

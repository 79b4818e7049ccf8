"""What Meta's two platforms (Messenger and the WhatsApp Cloud API) verify the same way.

    challenge = hub_challenge(query, verify_token)          # GET handshake, or None (403)
    check_hub_signature(body, headers, app_secret)          # raises Unauthorized / Forbidden

The signature is `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body keyed
with the app secret, compared in constant time before anything is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping

from kluis.channels.base import Forbidden, Unauthorized, header
from kluis.security import constant_time_equals

SIGNATURE_HEADER = "X-Hub-Signature-256"
_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})", re.IGNORECASE)
_MAX_CHALLENGE = 256


def hub_challenge(query: Mapping[str, str], verify_token: str) -> str | None:
    """The challenge to echo when the handshake names our verify token; else None."""
    offered = query.get("hub.verify_token")
    challenge = query.get("hub.challenge")
    if query.get("hub.mode") != "subscribe" or not verify_token or offered is None:
        return None
    if not challenge or len(challenge) > _MAX_CHALLENGE:
        return None
    return challenge if constant_time_equals(offered, verify_token) else None


def check_hub_signature(body: bytes, headers: Mapping[str, str], app_secret: str) -> None:
    """Raise unless `body` carries the app's signature: no header -> Unauthorized, a
    malformed or wrong one -> Forbidden."""
    signature = header(headers, SIGNATURE_HEADER)
    if not signature:
        raise Unauthorized("no signature")
    match = _SIGNATURE.fullmatch(signature.strip())
    if match is None or not app_secret:
        raise Forbidden("malformed signature")
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), match.group(1).lower().encode()):
        raise Forbidden("wrong signature")

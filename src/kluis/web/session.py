"""The web chat's session: a signed cookie holding a customer id and an expiry, nothing else.

    sessions = SessionSigner.from_settings(settings)
    sessions.write(response, "c-sanne")          # after sign-in
    customer_id = sessions.read(request)         # None when absent, tampered or expired
    sessions.clear(response)                     # sign-out

The cookie is `base64url(payload) "." base64url(HMAC-SHA256(key, payload))`; the payload is
`{"c": customer id, "e": expiry as Unix seconds}`. The algorithm is ours, never named by the
cookie, and the key lives in `session.key` in the data directory (0600, made on first use).
The cookie is HttpOnly and SameSite=Lax, and Secure when the public URL is https.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request, Response

from kluis.config import Settings
from kluis.security import constant_time_equals, load_or_create_secret

COOKIE_NAME = "kluis_session"
SESSION_LIFETIME = timedelta(hours=8)
_MAX_COOKIE_CHARS = 1024


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii") + b"=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class Session:
    """Who is signed in, until when."""

    customer_id: str
    expires_at: int


class SessionSigner:
    """Writes and checks the session cookie with one HMAC key."""

    def __init__(
        self,
        key: bytes,
        *,
        secure: bool,
        lifetime: timedelta = SESSION_LIFETIME,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = key
        self._secure = secure
        self._lifetime = lifetime
        self._clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionSigner:
        key = load_or_create_secret(settings.data_dir / "session.key")
        return cls(key, secure=settings.public_url.lower().startswith("https://"))

    def _signature(self, payload: bytes) -> str:
        return _encode(hmac.new(self._key, payload, hashlib.sha256).digest())

    def encode(self, customer_id: str) -> str:
        """A fresh cookie value for `customer_id`."""
        expires_at = int(self._clock() + self._lifetime.total_seconds())
        payload = json.dumps({"c": customer_id, "e": expires_at}, separators=(",", ":")).encode()
        return f"{_encode(payload)}.{self._signature(payload)}"

    def decode(self, value: str) -> Session | None:
        """The session in a cookie value; None unless the signature holds and time is left."""
        if len(value) > _MAX_COOKIE_CHARS or value.count(".") != 1:
            return None
        encoded_payload, signature = value.split(".")
        try:
            payload = _decode(encoded_payload)
        except ValueError:
            return None
        if not constant_time_equals(signature, self._signature(payload)):
            return None
        try:
            data = json.loads(payload)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        customer_id, expires_at = data.get("c"), data.get("e")
        if not isinstance(customer_id, str) or not customer_id or type(expires_at) is not int:
            return None
        if expires_at <= self._clock():
            return None
        return Session(customer_id, expires_at)

    def read(self, request: Request) -> str | None:
        """The signed-in customer's id, or None."""
        value = request.cookies.get(COOKIE_NAME)
        session = self.decode(value) if value else None
        return session.customer_id if session else None

    def write(self, response: Response, customer_id: str) -> None:
        response.set_cookie(
            COOKIE_NAME,
            self.encode(customer_id),
            max_age=int(self._lifetime.total_seconds()),
            path="/",
            secure=self._secure,
            httponly=True,
            samesite="lax",
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(
            COOKIE_NAME, path="/", secure=self._secure, httponly=True, samesite="lax"
        )

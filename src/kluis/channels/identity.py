"""Platform user ids are personal data (a WhatsApp id is a phone number): Kluis finds a
contact by a keyed hash of the id and keeps the id itself sealed.

    key = user_key(runtime, "whatsapp", "31612345678")   # 64 hex characters, stable
    blob = seal_user(runtime, "31612345678")             # to send to them later
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache
from pathlib import Path

from kluis.config import secret
from kluis.errors import ConfigError
from kluis.runtime import Runtime
from kluis.security import load_or_create_secret

_CONTEXT = "channel-user"


@cache
def _lookup_key(path: Path) -> bytes:
    return load_or_create_secret(path)


@cache
def _configured_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4))
    except ValueError as error:
        raise ConfigError("KLUIS_LOOKUP_KEY is not valid base64url") from error
    if len(key) < 16:
        raise ConfigError("KLUIS_LOOKUP_KEY must be at least 16 bytes")
    return key


def lookup_key(runtime: Runtime) -> bytes:
    """The secret the hashes are keyed with: the `lookup_key` setting, else a key file kept
    beside the seal keys in the data directory."""
    configured = secret(runtime.settings.lookup_key)
    if configured:
        return _configured_key(configured)
    return _lookup_key(runtime.settings.data_dir / "lookup.key")


def user_key(runtime: Runtime, channel: str, user_id: str) -> str:
    message = f"{channel}\x00{user_id}".encode()
    return hmac.new(lookup_key(runtime), message, hashlib.sha256).hexdigest()


def seal_user(runtime: Runtime, user_id: str) -> bytes:
    return runtime.sealer.seal(user_id, context=_CONTEXT)


def open_user(runtime: Runtime, blob: bytes) -> str:
    return runtime.sealer.open(blob, context=_CONTEXT)

"""Security primitives in one place: constant-time compares, tokens, sealing secrets at rest.

Sealing uses AES-256-GCM. A sealed value carries the id of the key that sealed it, so keys
can rotate: the newest key seals, every configured key still opens.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kluis.errors import ConfigError, KluisError

_VERSION = b"\x01"
_NONCE_BYTES = 12
_KEY_ID_BYTES = 4


class SealError(KluisError):
    """A sealed value cannot be opened: wrong key, or it was tampered with."""


def constant_time_equals(left: str | bytes, right: str | bytes) -> bool:
    """Compare two secrets without leaking where they differ."""
    left_bytes = left.encode() if isinstance(left, str) else left
    right_bytes = right.encode() if isinstance(right, str) else right
    return hmac.compare_digest(left_bytes, right_bytes)


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token."""
    return secrets.token_urlsafe(nbytes)


def new_key() -> str:
    """A fresh AES-256 key, base64url encoded, for the `seal_keys` setting."""
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()


def _decode_key(text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4))
    except ValueError as exc:
        raise ConfigError("a seal key is not valid base64url") from exc
    if len(raw) != 32:
        raise ConfigError("a seal key must be 32 bytes (AES-256)")
    return raw


class Sealer:
    """Seals and opens small secrets (bank consent ids, OAuth tokens) with AES-GCM."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ConfigError("at least one seal key is needed")
        self._keys: dict[bytes, AESGCM] = {}
        self._current: bytes = b""
        for index, text in enumerate(keys):
            raw = _decode_key(text)
            key_id = hashlib.sha256(raw).digest()[:_KEY_ID_BYTES]
            self._keys[key_id] = AESGCM(raw)
            if index == 0:
                self._current = key_id

    def seal(self, plaintext: str, *, context: str = "") -> bytes:
        """Encrypt with the newest key; `context` binds the value to where it is stored."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._keys[self._current].encrypt(nonce, plaintext.encode(), context.encode())
        return _VERSION + self._current + nonce + sealed

    def open(self, blob: bytes, *, context: str = "") -> str:
        """Decrypt with whichever configured key sealed it."""
        header = 1 + _KEY_ID_BYTES + _NONCE_BYTES
        if len(blob) <= header or blob[:1] != _VERSION:
            raise SealError("not a sealed value")
        key_id = blob[1 : 1 + _KEY_ID_BYTES]
        aead = self._keys.get(key_id)
        if aead is None:
            raise SealError("sealed with a key that is no longer configured")
        nonce = blob[1 + _KEY_ID_BYTES : header]
        try:
            return aead.decrypt(nonce, blob[header:], context.encode()).decode()
        except InvalidTag as exc:
            raise SealError("the sealed value was altered or the key is wrong") from exc

    def needs_reseal(self, blob: bytes) -> bool:
        """True when the value was sealed with an older key."""
        return blob[1 : 1 + _KEY_ID_BYTES] != self._current


def load_or_create_keys(configured: list[str], key_file: Path) -> list[str]:
    """The configured keys; else the data directory's key file, created on first use."""
    if configured:
        return configured
    if key_file.exists():
        return [line.strip() for line in key_file.read_text().splitlines() if line.strip()]
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = new_key()
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")
    return [key]


def load_or_create_secret(path: Path, nbytes: int = 32) -> bytes:
    """A random secret kept in `path` (mode 0600), created on first use.

    Two processes starting at once agree: the file is created exclusively, and whoever
    loses the race reads what the winner wrote.
    """
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(nbytes)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(base64.urlsafe_b64encode(secret).decode() + "\n")
    return secret


def _read_secret(path: Path) -> bytes:
    text = path.read_text().strip()
    try:
        secret = base64.urlsafe_b64decode(text.encode() + b"=" * (-len(text) % 4))
    except ValueError as exc:
        raise ConfigError(f"the secret in {path.name} is not valid base64url") from exc
    if len(secret) < 16:
        # An empty file (a writer that died half-way) must not become a guessable key.
        raise ConfigError(f"the secret in {path.name} is too short; delete the file")
    return secret

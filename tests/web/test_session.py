"""The session cookie: signed, expiring, and kept in a key file only we can read."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
from fastapi import Response

from kluis.config import load_settings
from kluis.errors import ConfigError
from kluis.security import load_or_create_secret
from kluis.web.session import Session, SessionSigner

KEY = b"k" * 32


class _Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_session_round_trips_until_it_expires() -> None:
    clock = _Clock()
    signer = SessionSigner(KEY, secure=False, clock=clock)
    value = signer.encode("c-sanne")
    assert signer.decode(value) == Session("c-sanne", int(clock.now) + 8 * 3600)
    clock.now += 8 * 3600 - 1
    assert signer.decode(value) is not None
    clock.now += 1
    assert signer.decode(value) is None


def test_another_key_or_a_changed_payload_is_refused() -> None:
    signer = SessionSigner(KEY, secure=False)
    value = signer.encode("c-sanne")
    assert SessionSigner(b"x" * 32, secure=False).decode(value) is None
    _, signature = value.split(".")
    forged = _b64(json.dumps({"c": "c-daan", "e": 9_999_999_999}).encode())
    assert signer.decode(f"{forged}.{signature}") is None


@pytest.mark.parametrize(
    "value",
    ["", ".", "a.b.c", "no-dot", "é.é", "x" * 5000, "!!!.???", "YWJj.ZGVm"],
)
def test_garbage_is_no_session(value: str) -> None:
    assert SessionSigner(KEY, secure=False).decode(value) is None


@pytest.mark.parametrize(
    "payload",
    [
        b"[1, 2]",
        b'{"c": 5, "e": 9999999999}',
        b'{"c": "c-sanne", "e": "9999999999"}',
        b'{"c": "", "e": 9999999999}',
        b'{"c": "c-sanne", "e": true}',
        b"\xff\xfe",
    ],
)
def test_a_validly_signed_but_odd_payload_is_no_session(payload: bytes) -> None:
    signer = SessionSigner(KEY, secure=False)
    signature = signer._signature(payload)
    assert signer.decode(f"{_b64(payload)}.{signature}") is None


def test_the_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data", public_url="https://bank.example")
    first = SessionSigner.from_settings(settings)
    key_file = tmp_path / "data" / "session.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = SessionSigner.from_settings(settings)
    assert second.decode(first.encode("c-emily")) is not None
    assert load_or_create_secret(key_file) == load_or_create_secret(key_file)


def test_a_damaged_key_file_is_an_error_not_a_weak_key(tmp_path: Path) -> None:
    key_file = tmp_path / "session.key"
    key_file.write_text("\n")
    with pytest.raises(ConfigError, match="too short"):
        load_or_create_secret(key_file)
    key_file.write_text("not base64 at all!\n")
    with pytest.raises(ConfigError):
        load_or_create_secret(key_file)


@pytest.mark.parametrize(("secure", "expected"), [(True, True), (False, False)])
def test_the_cookie_is_http_only_lax_and_secure_on_https(secure: bool, expected: bool) -> None:
    response = Response()
    SessionSigner(KEY, secure=secure).write(response, "c-sanne")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    assert ("Secure" in cookie) is expected

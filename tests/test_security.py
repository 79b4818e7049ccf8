from __future__ import annotations

from pathlib import Path

import pytest

from kluis.errors import ConfigError
from kluis.security import (
    Sealer,
    SealError,
    constant_time_equals,
    load_or_create_keys,
    new_key,
)


def test_seal_round_trip_and_context_binding() -> None:
    sealer = Sealer([new_key()])
    blob = sealer.seal("consent-123", context="consent:c-1:1")
    assert b"consent-123" not in blob
    assert sealer.open(blob, context="consent:c-1:1") == "consent-123"
    with pytest.raises(SealError):
        sealer.open(blob, context="consent:c-2:1")


def test_tampering_is_detected() -> None:
    sealer = Sealer([new_key()])
    blob = bytearray(sealer.seal("secret"))
    blob[-1] ^= 1
    with pytest.raises(SealError):
        sealer.open(bytes(blob))


def test_rotation_new_key_seals_old_keys_open() -> None:
    old, new = new_key(), new_key()
    sealed_before = Sealer([old]).seal("token")
    rotated = Sealer([new, old])
    assert rotated.open(sealed_before) == "token"
    assert rotated.needs_reseal(sealed_before)
    sealed_after = rotated.seal("token")
    assert not rotated.needs_reseal(sealed_after)
    with pytest.raises(SealError, match="no longer configured"):
        Sealer([old]).open(sealed_after)


def test_bad_keys_are_refused() -> None:
    with pytest.raises(ConfigError):
        Sealer([])
    with pytest.raises(ConfigError):
        Sealer(["c2hvcnQ"])


def test_key_file_is_created_once_and_private(tmp_path: Path) -> None:
    key_file = tmp_path / "keys" / "seal.keys"
    first = load_or_create_keys([], key_file)
    assert load_or_create_keys([], key_file) == first
    assert key_file.stat().st_mode & 0o077 == 0
    assert load_or_create_keys(["configured"], key_file) == ["configured"]


def test_constant_time_equals() -> None:
    assert constant_time_equals("abc", b"abc")
    assert not constant_time_equals("abc", "abd")

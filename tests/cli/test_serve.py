"""`kluis serve`: where the gateway listens, and the public URL the bank sends people back to."""

from __future__ import annotations

from pathlib import Path

import pytest

from kluis.cli.serve import DEFAULT_PORT, gateway_address
from kluis.config import load_settings


@pytest.mark.parametrize(
    ("public_url", "port", "expected_url", "expected_port"),
    [
        ("http://127.0.0.1:8080", None, "http://127.0.0.1:8080", 8080),
        ("http://127.0.0.1:8080", 9001, "http://127.0.0.1:9001", 9001),
        ("http://localhost:5000", None, "http://localhost:5000", 5000),
        ("http://127.0.0.1", None, f"http://127.0.0.1:{DEFAULT_PORT}", DEFAULT_PORT),
        # Behind a proxy the public address is the proxy's, whatever port we listen on.
        ("https://chat.bank.example", 9001, "https://chat.bank.example", 9001),
    ],
)
def test_the_public_url_follows_the_port_on_loopback_only(
    tmp_path: Path, public_url: str, port: int | None, expected_url: str, expected_port: int
) -> None:
    settings = load_settings(data_dir=tmp_path, public_url=public_url)
    adjusted, host, listen_port = gateway_address(settings, port)
    assert adjusted.public_url == expected_url
    assert listen_port == expected_port
    assert host in {"127.0.0.1", "localhost"}

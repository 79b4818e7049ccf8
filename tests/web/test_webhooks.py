"""The webhook POSTs are served ahead of the web app's middleware: what that path itself
promises (the channel behaviour is in tests/channels/test_conformance.py): its headers, its
own error rendering, a platform that hangs up, and paths it must leave to the app."""

from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path

from starlette.types import Message

from tests.channels.conformance import USER, driver_for, world

TELEGRAM = driver_for("telegram")


async def test_an_acknowledgement_is_json_that_no_cache_keeps(tmp_path: Path) -> None:
    async with world(TELEGRAM, tmp_path) as place:
        response = await place.post(TELEGRAM.text_event(USER, "hallo", "evt-headers-1"))
        assert response.status_code == 200
        assert response.json() == {"status": "received"}
        assert response.headers["content-type"] == "application/json"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert int(response.headers["content-length"]) == len(response.content)


async def test_a_failure_inside_is_a_500_with_a_reference_and_nothing_personal_logged(
    tmp_path: Path, captured: io.StringIO
) -> None:
    async with world(TELEGRAM, tmp_path) as place:
        # The inbox is gone: recording the event fails the way a broken database does.
        database = place.settings.data_dir / "kluis.db"
        with sqlite3.connect(database) as connection:
            connection.execute("DROP TABLE channel_inbox")
        question = "mijn geheime vraag over de hypotheek"
        response = await place.post(TELEGRAM.text_event(USER, question, "evt-broken-1"))
        assert response.status_code == 500
        reference = response.json()["reference"]
        assert re.fullmatch(r"[0-9A-F]{8}", reference)
        assert "error" in response.json()
    logged = captured.getvalue()
    assert f"telegram webhook failed with StorageError (reference {reference})" in logged
    assert question not in logged
    assert USER not in logged


async def test_a_platform_that_hangs_up_mid_request_gets_no_answer_and_leaves_no_trace(
    tmp_path: Path,
) -> None:
    async with world(TELEGRAM, tmp_path) as place:
        body = TELEGRAM.text_event(USER, "hallo", "evt-gone-1")
        headers = [(b"content-type", b"application/json")]
        headers += [(k.lower().encode(), v.encode()) for k, v in TELEGRAM.genuine(body).items()]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/webhooks/telegram",
            "raw_path": b"/webhooks/telegram",
            "root_path": "",
            "query_string": b"",
            "headers": headers,
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        incoming: list[Message] = [
            {"type": "http.request", "body": body[:10], "more_body": True},
            {"type": "http.disconnect"},
        ]
        sent: list[Message] = []

        async def receive() -> Message:
            return incoming.pop(0)

        async def send(message: Message) -> None:
            sent.append(message)

        await place.app(scope, receive, send)
        assert sent == []
        assert await place.count("channel_inbox") == 0


async def test_paths_below_a_channel_are_the_apps_to_answer(tmp_path: Path) -> None:
    async with world(TELEGRAM, tmp_path) as place:
        body = TELEGRAM.text_event(USER, "hallo", "evt-deeper-1")
        response = await place.client.post(
            "/webhooks/telegram/extra", content=body, headers=TELEGRAM.genuine(body)
        )
        assert response.status_code in {404, 405}
        assert await place.count("channel_inbox") == 0
        # ...and the web app's own pages keep their security headers.
        page = await place.client.get("/healthz")
        assert page.headers["x-frame-options"] == "DENY"

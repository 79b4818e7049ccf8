"""The fake platforms' rules refuse what the real platforms refuse, so that a conformance
test passing means Kluis's sends would be accepted."""

from __future__ import annotations

import json
from typing import Any

from tests.channels import send_rules
from tests.channels.drivers import Recorded

PAGE = "page-token"


def post(path: str, body: Any, token: str = PAGE) -> Recorded:
    raw = json.dumps(body).encode()
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    return Recorded("POST", path, {}, headers, raw, body)


def test_a_good_messenger_reply_passes() -> None:
    body = {
        "recipient": {"id": "123"},
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Je saldo is € 12,00",
            "quick_replies": [{"content_type": "text", "title": "Meer", "payload": "Meer"}],
        },
    }
    assert send_rules.messenger(post("/v23.0/me/messages", body), PAGE) == []


def test_messenger_rules_catch_what_the_send_api_refuses() -> None:
    no_type = {"recipient": {"id": "1"}, "message": {"text": "x"}}
    too_long = {
        "recipient": {"id": "1"},
        "messaging_type": "RESPONSE",
        "message": {"text": "x" * 2001},
    }
    chatty_utility = {
        "recipient": {"id": "1"},
        "messaging_type": "UTILITY",
        "message": {"template": {"name": "n", "language": {"code": "nl"}}, "text": "€ 12"},
    }
    long_title = {
        "recipient": {"id": "1"},
        "messaging_type": "RESPONSE",
        "message": {
            "text": "x",
            "quick_replies": [{"content_type": "text", "title": "x" * 21, "payload": "x"}],
        },
    }
    for body in (no_type, too_long, chatty_utility, long_title):
        assert send_rules.messenger(post("/v23.0/me/messages", body), PAGE), body
    wrong_token = post("/v23.0/me/messages", no_type, token="other")
    assert "the access token is missing or wrong" in send_rules.messenger(wrong_token, PAGE)


def test_whatsapp_rules_catch_what_the_cloud_api_refuses() -> None:
    path = "/v23.0/555/messages"
    good = {"messaging_product": "whatsapp", "to": "316", "type": "text", "text": {"body": "hoi"}}
    assert send_rules.whatsapp(post(path, good, "t"), "t", "555") == []
    four_buttons = {
        "messaging_product": "whatsapp",
        "to": "316",
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Kies"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": str(n), "title": str(n)}} for n in range(4)
                ]
            },
        },
    }
    assert send_rules.whatsapp(post(path, four_buttons, "t"), "t", "555")
    assert send_rules.whatsapp(post("/v23.0/999/messages", good, "t"), "t", "555")


def test_telegram_rules_catch_what_the_bot_api_refuses() -> None:
    path = "/botTOKEN/sendMessage"
    good = {
        "chat_id": 1,
        "text": "hoi",
        "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "A"}]]},
    }
    assert send_rules.telegram(post(path, good), "TOKEN") == []
    big_data = {
        "chat_id": 1,
        "text": "hoi",
        "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "x" * 65}]]},
    }
    assert send_rules.telegram(post(path, big_data), "TOKEN")
    assert send_rules.telegram(post("/botOTHER/sendMessage", good), "TOKEN")
    assert send_rules.telegram(post(path, {"chat_id": 1, "text": ""}), "TOKEN")

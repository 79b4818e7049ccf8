"""How the conformance suite plays Telegram: Bot API updates carrying the secret token, and
the Bot API methods that send (`sendMessage`) or only support a message (`sendPhoto`,
`sendChatAction`, `answerCallbackQuery`).

Telegram's ids are integers (`update_id`, `chat.id`). The suite's ids are strings: a
numeric one is used as it is; any other is given a stable integer, remembered so that what
Kluis sends to that chat is read back under the suite's id.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

from tests.channels import send_rules
from tests.channels.drivers import Recorded

TOKEN = "6000000001:AAF-conformanceSuiteBotToken_7Q"
SECRET = "conformance-secret_token"
BOT_USERNAME = "KluisConformanceBot"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
_DATE = 1767225600
_SENDING = ("sendMessage", "sendPhoto")


def _stable_integer(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:6], "big") + 1


class TelegramDriver:
    """The `Driver` for Telegram."""

    channel = "telegram"
    voice = False

    def __init__(self) -> None:
        self._users: dict[int, str] = {}
        self._message_ids = itertools.count(1)

    # -- ids -----------------------------------------------------------------------

    def _chat_id(self, user_id: str) -> int:
        chat_id = int(user_id) if user_id.isdigit() else _stable_integer(user_id)
        self._users[chat_id] = user_id
        return chat_id

    def _user_of(self, chat_id: object) -> str:
        if isinstance(chat_id, int) or (isinstance(chat_id, str) and chat_id.isdigit()):
            return self._users.get(int(chat_id), str(chat_id))
        return str(chat_id)

    @staticmethod
    def _update_id(event_id: str) -> int:
        return int(event_id) if event_id.isdigit() else _stable_integer(event_id)

    def _sender(self, chat_id: int) -> dict[str, Any]:
        return {"id": chat_id, "is_bot": False, "first_name": "Klant", "language_code": "nl"}

    # -- the protocol --------------------------------------------------------------

    def settings(self, platform_url: str) -> dict[str, Any]:
        return {
            "telegram_bot_token": TOKEN,
            "telegram_secret_token": SECRET,
            "telegram_api_base": platform_url.rstrip("/"),
            "telegram_bot_username": BOT_USERNAME,
        }

    def text_event(self, user_id: str, text: str, event_id: str) -> bytes:
        chat_id = self._chat_id(user_id)
        update = {
            "update_id": self._update_id(event_id),
            "message": {
                "message_id": self._update_id(event_id) % 1_000_000 + 1,
                "from": self._sender(chat_id),
                "chat": {"id": chat_id, "type": "private", "first_name": "Klant"},
                "date": _DATE,
                "text": text,
            },
        }
        return json.dumps(update).encode()

    def button_event(self, user_id: str, payload: str, title: str, event_id: str) -> bytes:
        # An inline keyboard button sends back its callback data, which Kluis sets to the
        # payload; the title is only shown on the button.
        chat_id = self._chat_id(user_id)
        update = {
            "update_id": self._update_id(event_id),
            "callback_query": {
                "id": f"cq{self._update_id(event_id)}",
                "from": self._sender(chat_id),
                "message": {
                    "message_id": 1,
                    "from": {"id": 6000000001, "is_bot": True, "first_name": "Kluis"},
                    "chat": {"id": chat_id, "type": "private", "first_name": "Klant"},
                    "date": _DATE,
                    "text": "…",
                },
                "chat_instance": f"ci{chat_id}",
                "data": payload,
            },
        }
        return json.dumps(update).encode()

    def genuine(self, body: bytes) -> dict[str, str]:
        return {"Content-Type": "application/json", HEADER: SECRET}

    def forged(self, body: bytes) -> dict[str, str]:
        return {"Content-Type": "application/json", HEADER: SECRET[::-1]}

    def missing(self, body: bytes) -> dict[str, str]:
        return {"Content-Type": "application/json"}

    def rejected_status(self) -> tuple[int, ...]:
        return (401, 403)

    def _method(self, request: Recorded) -> str | None:
        """The Bot API method of a request to our bot; None for any other path."""
        prefix, _, method = request.path.rpartition("/")
        return method if prefix.endswith(f"/bot{TOKEN}") else None

    def sent(self, request: Recorded) -> list[tuple[str, str]]:
        if self._method(request) != "sendMessage" or not isinstance(request.json, dict):
            return []  # a picture, a typing indicator, a callback answer, another bot
        return [(self._user_of(request.json.get("chat_id")), str(request.json.get("text", "")))]

    def check(self, request: Recorded) -> list[str]:
        return send_rules.telegram(request, TOKEN)

    def platform_reply(self, request: Recorded) -> tuple[int, Any]:
        method = self._method(request)
        if method is None:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if method in _SENDING:
            chat_id = request.json.get("chat_id") if isinstance(request.json, dict) else None
            if chat_id is None:
                chat_id = request.form.get("chat_id", "0")
            result = {
                "message_id": next(self._message_ids),
                "date": _DATE,
                "chat": {"id": int(str(chat_id)), "type": "private"},
            }
            return 200, {"ok": True, "result": result}
        return 200, {"ok": True, "result": True}

    def spoken(self, response: Any) -> str:
        return ""


DRIVER = TelegramDriver()

"""What each platform's API accepts, as the fake platform checks every send Kluis makes: the
credential, the required fields and the documented limits (Messenger's Send API, the
WhatsApp Cloud API messages and media endpoints, the Telegram Bot API methods). A request
that breaks a rule is answered 400, as the platform would, and the test fails."""

from __future__ import annotations

import json
from typing import Any

from tests.channels.drivers import Recorded

Problems = list[str]


def _bearer(request: Recorded, token: str) -> Problems:
    given = request.headers.get("authorization", "")
    query = request.query.get("access_token")
    if given != f"Bearer {token}" and query != token:
        return ["the access token is missing or wrong"]
    return []


def _json_field(request: Recorded, name: str) -> Any:
    if request.files or request.form:
        raw = request.form.get(name)
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return raw
    return request.json.get(name) if isinstance(request.json, dict) else None


def messenger(request: Recorded, page_token: str) -> Problems:
    problems = _bearer(request, page_token)
    path = request.path
    if path.endswith("/me/messages"):
        problems += _messenger_message(request)
    elif path.endswith(("/me/pass_thread_control", "/me/take_thread_control")):
        recipient = _json_field(request, "recipient") or {}
        if not recipient.get("id"):
            problems.append("thread control without recipient.id")
        if path.endswith("pass_thread_control") and not _json_field(request, "target_app_id"):
            problems.append("pass_thread_control without target_app_id")
    elif path.endswith("/me/unlink_accounts"):
        if not _json_field(request, "psid"):
            problems.append("unlink_accounts without psid")
    else:
        problems.append(f"not a Messenger endpoint Kluis should call: {path}")
    return problems


def _messenger_message(request: Recorded) -> Problems:
    recipient = _json_field(request, "recipient") or {}
    problems = [] if recipient.get("id") else ["recipient.id is required"]
    action = _json_field(request, "sender_action")
    message = _json_field(request, "message")
    if action is not None:
        if message is not None:
            problems.append("sender_action must go in a request of its own")
        if action not in {"typing_on", "typing_off", "mark_seen"}:
            problems.append(f"unknown sender_action {action}")
        return problems
    kind = _json_field(request, "messaging_type")
    if kind not in {"RESPONSE", "UPDATE", "MESSAGE_TAG", "UTILITY"}:
        problems.append(f"messaging_type is required (got {kind!r})")
    if not isinstance(message, dict):
        return [*problems, "message is required"]
    text = message.get("text")
    if text is not None and not 0 < len(text) <= 2000:
        problems.append(f"text must be 1 to 2000 characters, not {len(text)}")
    replies = message.get("quick_replies") or []
    if len(replies) > 13:
        problems.append("at most 13 quick replies")
    for reply in replies:
        if reply.get("content_type") != "text" or not 0 < len(reply.get("title", "")) <= 20:
            problems.append(f"a quick reply needs a title of 1 to 20 characters: {reply}")
        if not 0 < len(reply.get("payload", "")) <= 1000:
            problems.append("a quick reply needs a payload of at most 1000 characters")
    if kind == "UTILITY":
        template = message.get("template") or {}
        if not template.get("name") or not (template.get("language") or {}).get("code"):
            problems.append("a utility message needs template.name and template.language.code")
        if set(message) != {"template"}:
            problems.append("a utility message carries the template and nothing else")
    attachment = message.get("attachment") or {}
    payload = attachment.get("payload") or {}
    if payload.get("template_type") == "button":
        if not 0 < len(payload.get("text", "")) <= 640:
            problems.append("a button template's text must be 1 to 640 characters")
        if not 1 <= len(payload.get("buttons") or []) <= 3:
            problems.append("a button template has 1 to 3 buttons")
    if attachment.get("type") == "image" and not request.files.get("filedata"):
        problems.append("an image upload needs the file as filedata")
    if text is None and not attachment and kind != "UTILITY":
        problems.append("a message needs text, an attachment or a template")
    return problems


def whatsapp(request: Recorded, token: str, phone_number_id: str) -> Problems:
    problems = _bearer(request, token)
    if request.path.endswith(f"/{phone_number_id}/media"):
        if request.form.get("messaging_product") != "whatsapp" or "file" not in request.files:
            problems.append("a media upload needs messaging_product and the file")
        return problems
    if not request.path.endswith(f"/{phone_number_id}/messages"):
        return [*problems, f"not our phone number's endpoint: {request.path}"]
    body = request.json if isinstance(request.json, dict) else {}
    if body.get("messaging_product") != "whatsapp":
        problems.append("messaging_product must be whatsapp")
    if body.get("status") == "read":
        return problems if body.get("message_id") else [*problems, "read needs message_id"]
    if not body.get("to"):
        problems.append("to is required")
    kind = body.get("type")
    if kind == "text":
        text = (body.get("text") or {}).get("body", "")
        if not 0 < len(text) <= 4096:
            problems.append(f"a text body must be 1 to 4096 characters, not {len(text)}")
    elif kind == "interactive":
        problems += _whatsapp_interactive(body.get("interactive") or {})
    elif kind == "image":
        if not (body.get("image") or {}).get("id"):
            problems.append("an image message needs the uploaded media id")
    elif kind == "template":
        template = body.get("template") or {}
        if not template.get("name") or not (template.get("language") or {}).get("code"):
            problems.append("a template needs a name and language.code")
    else:
        problems.append(f"unknown message type {kind!r}")
    return problems


def _whatsapp_interactive(interactive: dict[str, Any]) -> Problems:
    problems: Problems = []
    body = (interactive.get("body") or {}).get("text", "")
    if not 0 < len(body) <= 1024:
        problems.append(f"an interactive body must be 1 to 1024 characters, not {len(body)}")
    action = interactive.get("action") or {}
    kind = interactive.get("type")
    if kind == "button":
        buttons = action.get("buttons") or []
        titles = [button["reply"]["title"] for button in buttons]
        if not 1 <= len(buttons) <= 3 or any(not 0 < len(title) <= 20 for title in titles):
            problems.append("1 to 3 reply buttons with titles of at most 20 characters")
        if len(set(titles)) != len(titles):
            problems.append("reply button titles must differ")
    elif kind == "list":
        rows = [row for section in action.get("sections") or [] for row in section["rows"]]
        if not 1 <= len(rows) <= 10 or any(not 0 < len(row["title"]) <= 24 for row in rows):
            problems.append("1 to 10 list rows with titles of at most 24 characters")
        if not 0 < len(action.get("button", "")) <= 20:
            problems.append("a list needs a button label of at most 20 characters")
    elif kind == "cta_url":
        parameters = action.get("parameters") or {}
        if not parameters.get("url") or not 0 < len(parameters.get("display_text", "")) <= 20:
            problems.append("a cta_url needs a url and display_text of at most 20 characters")
    else:
        problems.append(f"unknown interactive type {kind!r}")
    return problems


def telegram(request: Recorded, token: str) -> Problems:
    prefix, _, method = request.path.rpartition("/")
    if not prefix.endswith(f"/bot{token}"):
        return ["the bot token is missing or wrong"]
    fields = request.json if isinstance(request.json, dict) else dict(request.form)
    if method in {"sendMessage", "sendPhoto", "sendChatAction"} and not fields.get("chat_id"):
        return ["chat_id is required"]
    if method == "sendMessage":
        text = fields.get("text", "")
        problems = [] if 0 < len(text) <= 4096 else [f"text must be 1 to 4096, not {len(text)}"]
        return problems + _telegram_keyboard(fields.get("reply_markup"))
    if method == "sendPhoto":
        problems = [] if "photo" in request.files else ["sendPhoto needs the photo"]
        if len(str(fields.get("caption", ""))) > 1024:
            problems.append("a caption is at most 1024 characters")
        return problems + _telegram_keyboard(_json_field(request, "reply_markup"))
    if method == "answerCallbackQuery":
        return [] if fields.get("callback_query_id") else ["callback_query_id is required"]
    if method == "sendChatAction":
        return [] if fields.get("action") == "typing" else ["an unexpected chat action"]
    if method == "setWebhook":
        return [] if fields.get("url") else ["setWebhook needs the url"]
    return [f"a Bot API method Kluis should not call: {method}"]


def _telegram_keyboard(markup: Any) -> Problems:
    if markup is None:
        return []
    problems: Problems = []
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            targets = [key for key in ("callback_data", "url") if key in button]
            if not button.get("text") or len(targets) != 1:
                problems.append(f"a button needs text and one of callback_data/url: {button}")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                problems.append("callback_data must be 1 to 64 bytes")
    return problems

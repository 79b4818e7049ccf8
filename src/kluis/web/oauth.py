"""Kluis as the OAuth 2.0 authorisation server an Alexa skill links to (RFC 6749, the
authorisation-code grant).

    GET  /oauth/authorize   the Alexa app opens this: the demo sign-in first (which comes
                            back here), then what linking Alexa means, with Link and Cancel
    POST /oauth/authorize   decision=allow|deny: 303 back to Alexa's redirect_uri with a
                            one-time code (bound to that redirect_uri) or error=access_denied
    POST /oauth/token       Alexa's servers: grant_type=authorization_code or refresh_token,
                            the client authenticated by HTTP Basic or in the form; answers
                            a new access token (1 hour) and refresh token (each used once)

Our tokens only name the customer (`kluis.channels.grants` keeps their hashes); the bank's
tokens stay behind the gateway and never reach Amazon. A request with a wrong client_id or
redirect_uri gets an error page and is never redirected, so nobody can use these pages to
send a browser elsewhere. Linking is off (404) until `alexa_client_id` and
`alexa_client_secret` are both set.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, unquote_plus, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import ImmutableMultiDict
from starlette.exceptions import HTTPException

from kluis.channels.grants import LIFETIMES, issue_grant, redeem_grant
from kluis.config import Settings, secret
from kluis.domain import Customer
from kluis.errors import KluisError
from kluis.runtime import Runtime
from kluis.security import constant_time_equals
from kluis.web.link import safe_next, see_other, sign_in_page
from kluis.web.oauth_texts import OAuthTexts, oauth_texts_for
from kluis.web.pages import (
    Gateway,
    GatewayDependency,
    WebProblem,
    check_same_origin,
    render,
    signed_in_customer,
    visitor_texts,
)
from kluis.web.texts import WebTexts, texts_for

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

CHANNEL = "alexa"
CODE_KIND, ACCESS_KIND, REFRESH_KIND = "alexa_code", "alexa_access", "alexa_refresh"
AUTHORIZE_PATH = "/oauth/authorize"
MAX_REDIRECT_URI_CHARS = 256  # the code's grant row keeps it (platform_user_id)
MAX_STATE_CHARS = 512
MAX_FORM_BYTES = 8 * 1024
MAX_FORM_FIELDS = 20
TOKEN_BYTES = 32
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_BASIC_CHALLENGE = 'Basic realm="kluis", charset="UTF-8"'
_FORM_TYPE = "application/x-www-form-urlencoded"


class OAuthError(KluisError):
    """A request the OAuth edge refuses, named by its RFC 6749 error code."""

    def __init__(self, error: str, status_code: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.status_code = status_code


@dataclass(frozen=True, slots=True)
class AuthorizeRequest:
    """An authorisation request from our client with a redirect_uri we may send to."""

    client_id: str
    redirect_uri: str
    response_type: str
    state: str
    scope: str

    def fields(self) -> list[tuple[str, str]]:
        """The parameters carried through sign-in and the form, the empty ones left out."""
        pairs = [
            ("response_type", self.response_type),
            ("client_id", self.client_id),
            ("redirect_uri", self.redirect_uri),
            ("state", self.state),
            ("scope", self.scope),
        ]
        return [(name, value) for name, value in pairs if value]

    def path(self) -> str:
        return f"{AUTHORIZE_PATH}?{urlencode(self.fields())}"


def linking_on(settings: Settings) -> bool:
    return bool(settings.alexa_client_id) and bool(secret(settings.alexa_client_secret))


def allowed_redirect(uri: str, prefixes: list[str]) -> bool:
    """Whether `uri` starts with a configured prefix on the same scheme and host, with no
    fragment or dot segments that could lead outside it."""
    if not uri or len(uri) > MAX_REDIRECT_URI_CHARS:
        return False
    if not all(33 <= ord(char) < 127 and char not in "\\#" for char in uri):
        return False
    try:
        parts = urlsplit(uri)
        bases = [urlsplit(prefix) for prefix in prefixes]
    except ValueError:
        return False
    path = unquote(parts.path)
    if "\\" in path or {".", ".."} & set(path.split("/")):
        return False
    return any(
        uri.startswith(prefix) and (parts.scheme, parts.netloc) == (base.scheme, base.netloc)
        for prefix, base in zip(prefixes, bases, strict=True)
    )


def _parameter(params: ImmutableMultiDict[str, object], name: str) -> str | None:
    """A parameter given at most once, as text ('' when absent); None when repeated."""
    values = params.getlist(name)
    if not values:
        return ""
    if len(values) > 1 or not isinstance(values[0], str):
        return None
    return values[0]


def trusted_request(
    params: ImmutableMultiDict[str, object], settings: Settings
) -> AuthorizeRequest | None:
    """The request, if it names our client and an allowed redirect_uri (None: show an
    error page, never redirect)."""
    names = ("client_id", "redirect_uri", "response_type", "state", "scope")
    values = [_parameter(params, name) for name in names]
    client_id, redirect_uri, response_type, state, scope = values
    if client_id is None or redirect_uri is None or response_type is None:
        return None
    if state is None or scope is None:
        return None
    expected = settings.alexa_client_id or ""
    if not expected or not constant_time_equals(client_id, expected):
        return None
    if not allowed_redirect(redirect_uri, settings.alexa_redirect_uris):
        return None
    return AuthorizeRequest(client_id, redirect_uri, response_type, state, scope)


def refusal(asked: AuthorizeRequest) -> str | None:
    """The error code to send back to Alexa for a request we will not answer with a code."""
    if not asked.response_type:
        return "invalid_request"
    if asked.response_type != "code":
        return "unsupported_response_type"
    if len(asked.state) > MAX_STATE_CHARS or safe_next(asked.path()) is None:
        return "invalid_request"
    return None


def back_to_alexa(asked: AuthorizeRequest, **values: str) -> Response:
    """303 to Alexa's redirect_uri with `values` and the state added to the query it has."""
    added = dict(values)
    if asked.state:
        added["state"] = asked.state
    parts = urlsplit(asked.redirect_uri)
    query = "&".join(part for part in (parts.query, urlencode(added)) if part)
    return Response(status_code=303, headers={"Location": urlunsplit(parts._replace(query=query))})


def _form_action_policy(redirect_uri: str) -> str:
    """The page's security policy, letting its form lead on to Alexa: Chromium checks
    form-action on the redirect that follows the post, too."""
    parts = urlsplit(redirect_uri)
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"form-action 'self' {parts.scheme}://{parts.netloc}; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    )


async def _who(request: Request, parts: Gateway) -> tuple[Customer | None, WebTexts]:
    customer = await signed_in_customer(request, parts)
    texts = texts_for(customer.language) if customer else await visitor_texts(request)
    return customer, texts


def _not_ours(
    request: Request, texts: WebTexts, words: OAuthTexts, customer: Customer | None
) -> Response:
    return render(
        request,
        "chat_link_message.html",
        texts,
        status_code=400,
        title=words.invalid_title,
        text=words.invalid_text,
        problem=True,
        signed_in=customer is not None,
    )


def _decision_page(
    request: Request,
    texts: WebTexts,
    words: OAuthTexts,
    customer: Customer,
    asked: AuthorizeRequest,
) -> Response:
    page = render(
        request,
        "oauth_authorize.html",
        texts,
        title=words.title,
        w=words,
        intro=words.intro.format(name=customer.name),
        action=AUTHORIZE_PATH,
        fields=asked.fields(),
        signed_in=True,
    )
    page.headers["Content-Security-Policy"] = _form_action_policy(asked.redirect_uri)
    return page


@router.get(AUTHORIZE_PATH)
async def authorize_page(request: Request, parts: GatewayDependency) -> Response:
    settings = parts.runtime.settings
    if not linking_on(settings):
        raise HTTPException(status_code=404)
    customer, texts = await _who(request, parts)
    words = oauth_texts_for(texts.language)
    asked = trusted_request(request.query_params, settings)
    if asked is None:
        return _not_ours(request, texts, words, customer)
    problem = refusal(asked)
    if problem is not None:
        return back_to_alexa(asked, error=problem)
    if customer is None:
        return sign_in_page(request, texts, next_path=asked.path(), notice=words.signin_notice)
    return _decision_page(request, texts, words, customer, asked)


@router.post(AUTHORIZE_PATH)
async def authorize_decision(request: Request, parts: GatewayDependency) -> Response:
    settings = parts.runtime.settings
    if not linking_on(settings):
        raise HTTPException(status_code=404)
    customer, texts = await _who(request, parts)
    check_same_origin(request, texts)
    words = oauth_texts_for(texts.language)
    form = await request.form()
    asked = trusted_request(form, settings)
    if asked is None:
        return _not_ours(request, texts, words, customer)
    problem = refusal(asked)
    if problem is not None:
        return back_to_alexa(asked, error=problem)
    if customer is None:
        return see_other(asked.path())
    decision = _parameter(form, "decision")
    if decision == "deny":
        logger.info("alexa account linking declined")
        return back_to_alexa(asked, error="access_denied")
    if decision != "allow":
        raise WebProblem(400, texts.bad_request)
    code = await issue_grant(
        parts.runtime, CODE_KIND, CHANNEL, customer.id, platform_user_id=asked.redirect_uri
    )
    logger.info("alexa account linking allowed; code issued")
    return back_to_alexa(asked, code=code)


async def _bounded_body(request: Request) -> bytes:
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        raise OAuthError("invalid_request")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_FORM_BYTES:
            raise OAuthError("invalid_request")
    return bytes(body)


async def token_form(request: Request) -> dict[str, str]:
    """The token request's form; every parameter at most once (RFC 6749 section 3.2)."""
    media_type = request.headers.get("Content-Type", "").partition(";")[0].strip().lower()
    if media_type != _FORM_TYPE:
        raise OAuthError("invalid_request")
    body = await _bounded_body(request)
    try:
        pairs = parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS
        )
    except ValueError:  # not UTF-8, or too many fields
        raise OAuthError("invalid_request") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise OAuthError("invalid_request")
        form[name] = value
    return form


def _basic_credentials(header: str | None) -> list[tuple[str, str]] | None:
    """The (id, secret) an HTTP Basic header may mean: as sent, and form-decoded as RFC 6749
    section 2.3.1 asks clients to send them. None when the header is not Basic."""
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except ValueError:  # not base64, or not UTF-8
        raise OAuthError("invalid_client", 401) from None
    client_id, colon, client_secret = decoded.partition(":")
    if not colon:
        raise OAuthError("invalid_client", 401)
    return [(client_id, client_secret), (unquote_plus(client_id), unquote_plus(client_secret))]


def authenticate_client(request: Request, form: dict[str, str], settings: Settings) -> None:
    """Refuse (401 invalid_client) unless the request carries our client's id and secret,
    by HTTP Basic or in the form, not both."""
    candidates = _basic_credentials(request.headers.get("Authorization"))
    if candidates is None:
        candidates = [(form.get("client_id", ""), form.get("client_secret", ""))]
    elif "client_secret" in form:
        raise OAuthError("invalid_request")  # two ways of authenticating at once
    elif "client_id" in form and all(form["client_id"] != pair[0] for pair in candidates):
        raise OAuthError("invalid_request")
    expected_id = settings.alexa_client_id or ""
    expected_secret = secret(settings.alexa_client_secret)
    matches = [
        constant_time_equals(client_id, expected_id)
        & constant_time_equals(client_secret, expected_secret)
        for client_id, client_secret in candidates
    ]
    if not expected_id or not expected_secret or not any(matches):
        raise OAuthError("invalid_client", 401)


def _required(form: dict[str, str], name: str) -> str:
    value = form.get(name, "")
    if not value:
        raise OAuthError("invalid_request")
    return value


async def _redeem_code(runtime: Runtime, form: dict[str, str]) -> str:
    code, redirect_uri = _required(form, "code"), _required(form, "redirect_uri")
    redeemed = await redeem_grant(runtime, CODE_KIND, code)
    if redeemed is None:
        raise OAuthError("invalid_grant")
    customer_id, bound_to = redeemed
    if bound_to is None or not constant_time_equals(redirect_uri, bound_to):
        raise OAuthError("invalid_grant")
    return customer_id


async def _redeem_refresh(runtime: Runtime, form: dict[str, str]) -> str:
    redeemed = await redeem_grant(runtime, REFRESH_KIND, _required(form, "refresh_token"))
    if redeemed is None:
        raise OAuthError("invalid_grant")
    return redeemed[0]


async def customer_of_grant(runtime: Runtime, form: dict[str, str]) -> str:
    """The customer the code or refresh token names; either is used up now."""
    grant_type = _required(form, "grant_type")
    if grant_type == "authorization_code":
        return await _redeem_code(runtime, form)
    if grant_type == "refresh_token":
        return await _redeem_refresh(runtime, form)
    raise OAuthError("unsupported_grant_type")


async def issue_tokens(runtime: Runtime, customer_id: str) -> dict[str, object]:
    """A new access and refresh token for the customer, as RFC 6749 section 5.1 answers."""
    access = await issue_grant(runtime, ACCESS_KIND, CHANNEL, customer_id, nbytes=TOKEN_BYTES)
    refresh = await issue_grant(runtime, REFRESH_KIND, CHANNEL, customer_id, nbytes=TOKEN_BYTES)
    return {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": int(LIFETIMES[ACCESS_KIND].total_seconds()),
        "refresh_token": refresh,
    }


def _token_error(refused: OAuthError) -> JSONResponse:
    headers = dict(_NO_STORE)
    if refused.status_code == 401:
        headers["WWW-Authenticate"] = _BASIC_CHALLENGE
    return JSONResponse({"error": refused.error}, status_code=refused.status_code, headers=headers)


@router.post("/oauth/token")
async def token(request: Request, parts: GatewayDependency) -> Response:
    settings = parts.runtime.settings
    if not linking_on(settings):
        raise HTTPException(status_code=404)
    try:
        form = await token_form(request)
        authenticate_client(request, form, settings)
        customer_id = await customer_of_grant(parts.runtime, form)
    except OAuthError as refused:
        logger.info("alexa token request refused: %s", refused.error)
        return _token_error(refused)
    tokens = await issue_tokens(parts.runtime, customer_id)
    logger.info("alexa tokens issued for a %s grant", form["grant_type"])
    return JSONResponse(tokens, headers=_NO_STORE)

"""The servers `benchmarks/webhooks.py` runs, each in a process of its own:

    python benchmarks/support/webhook_servers.py bare --port P
        a bare FastAPI endpoint: POST /webhooks/{name} answers 200, nothing else
    python benchmarks/support/webhook_servers.py platform --port P --chain FILE
        the platforms' stand-in: every send succeeds; GET serves Alexa's certificate chain

Kluis itself runs as `kluis serve`, configured through KLUIS_* variables.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

SUCCESS = {
    "recipient_id": "psid",
    "message_id": "m_1",
    "messaging_product": "whatsapp",
    "messages": [{"id": "wamid.1"}],
    "id": "media-1",
    "ok": True,
    "result": {"message_id": 1},
}


def bare_app() -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/webhooks/{name}")
    async def receive(name: str, request: Request) -> Response:
        await request.body()
        return Response(b'{"status":"received"}', media_type="application/json")

    return app


def platform_app(chain: Path | None) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    pem = chain.read_text() if chain else ""

    @app.get("/{path:path}")
    async def certificate(path: str) -> Response:
        return PlainTextResponse(pem)

    @app.post("/{path:path}")
    async def send(path: str, request: Request) -> Response:
        await request.body()
        return JSONResponse(SUCCESS)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["bare", "platform"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--chain", type=Path)
    args = parser.parse_args()
    app = bare_app() if args.kind == "bare" else platform_app(args.chain)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()

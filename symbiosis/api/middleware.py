"""Transport-level protections applied to every request, as plain ASGI middleware.

* `BodyLimit`: a request body larger than allowed is refused with 413 — from its
  ``Content-Length`` before anything is read, and while streaming when the length is absent or
  lies — so an upload cannot fill memory or disk (``max_upload_mb`` for ``POST /imports``,
  ``max_body_kb`` for everything else).
* `SecurityHeaders`: CSP, X-Content-Type-Options, X-Frame-Options, Referrer-Policy on every answer,
  and HSTS in production (behind TLS). The API documentation pages (/docs, /redoc) are the only
  HTML we serve; their scripts are our own files (`symbiosis.api.docs`), so the policy needs no
  inline script (ReDoc's search worker comes from a ``blob:`` URL: ``worker-src blob:``).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from symbiosis.settings import Settings

UPLOAD_PATHS = ("/imports",)
MULTIPART_OVERHEAD_BYTES = 1 << 20  # boundaries and part headers around the files

API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"


class BodyLimit:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.upload_bytes = settings.max_upload_mb * 2**20 + MULTIPART_OVERHEAD_BYTES
        self.body_bytes = settings.max_body_kb * 1024

    def limit_for(self, path: str) -> int:
        return self.upload_bytes if path in UPLOAD_PATHS else self.body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                await _refuse(send, 400, "the Content-Length header is not a number")
                return
            if too_large:
                await _refuse(send, 413, _too_large(limit))
                return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # FastAPI re-raises an HTTPException met while reading the body
                    raise HTTPException(413, _too_large(limit))
            return message

        await self.app(scope, limited, send)


def _too_large(limit: int) -> str:
    return f"request body too large: at most {limit:,} bytes here"


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail, "errors": []}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.production = settings.mode == "production"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope.get("path", "").startswith(("/docs", "/redoc"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                for name, value in self.headers(docs):
                    if name not in present:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)

    def headers(self, docs: bool) -> list[tuple[bytes, bytes]]:
        out = [
            (b"content-security-policy", (DOCS_CSP if docs else API_CSP).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if self.production:
            out.append((b"strict-transport-security", HSTS.encode()))
        return out

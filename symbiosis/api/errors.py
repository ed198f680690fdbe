"""Errors → HTTP answers: one status per kind, a sentence, never a stack trace.

422 lists every field at fault (`InvalidInput` from the services and FastAPI's own request
validation alike); 404 covers both "missing" and "not yours"; 503 says the graph store is down.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from symbiosis.errors import GraphStoreUnavailable, InvalidInput, SymbiosisError
from symbiosis.services.errors import (
    Conflict,
    Forbidden,
    Misconfigured,
    NotFound,
    SharedDataFault,
    TooManyRequests,
    Unauthenticated,
)

log = logging.getLogger("symbiosis.api")

STATUS: tuple[tuple[type[Exception], int], ...] = (
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (TooManyRequests, 429),
    (InvalidInput, 422),
    (GraphStoreUnavailable, 503),
    (Misconfigured, 500),
    (SharedDataFault, 500),
    (SymbiosisError, 400),
)


def _json(
    status: int,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else headers
    return JSONResponse({"detail": detail, "errors": errors or []}, status_code=status, headers=headers)


MAX_ECHO_CHARS = 200
"""Longest piece of a rejected value echoed back: enough to recognise it, never the payload."""


def _safe(value: Any) -> Any:
    """A rejected value as JSON can carry it: non-finite floats as text (JSON has no Infinity,
    and serialising one would turn a 422 into a 500), long texts cut."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, bool | int | float | type(None)):
        return value
    return _cut(value if isinstance(value, str) else str(value))


def _cut(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def install(app: FastAPI) -> None:
    @app.exception_handler(SymbiosisError)
    async def _symbiosis(request: Request, exc: SymbiosisError) -> JSONResponse:
        status = next(code for kind, code in STATUS if isinstance(exc, kind))
        if isinstance(exc, GraphStoreUnavailable):
            request.app.state.ctx.graph.reset()
            return _json(status, f"the graph store is unavailable, try again shortly ({exc.reason})")
        if isinstance(exc, TooManyRequests):
            return _json(status, str(exc), headers={"Retry-After": str(exc.retry_after_s)})
        if isinstance(exc, InvalidInput):
            issues = [
                {
                    "location": i.location,
                    "field": i.field,
                    "value": _safe(i.value),
                    "expected": _cut(i.expected, 4 * MAX_ECHO_CHARS),
                }
                for i in exc.issues
            ]
            return _json(status, f"{len(issues)} problem(s) in {exc.what}", issues)
        return _json(status, _cut(str(exc), 4 * MAX_ECHO_CHARS))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        issues = [
            {
                "location": "request",
                "field": ".".join(str(p) for p in e.get("loc", ())),
                "value": _safe(e.get("input")),
                "expected": _cut(
                    str(e.get("msg", "invalid")).removeprefix("Value error, "), 4 * MAX_ECHO_CHARS
                ),
            }
            for e in exc.errors()
        ]
        return _json(422, f"{len(issues)} problem(s) in the request", issues)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _json(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _json(500, "internal error: it has been logged; nothing about it is shown here")

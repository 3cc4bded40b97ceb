"""The hub's FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.hub import console, refusals
from sync.hub.console import errors as console_errors
from sync.hub.db import WORKER_THREADS
from sync.hub.deps import token_is_valid, unauthorized
from sync.hub.routes import auth, campaigns, export, feedback, reservations, results, sync
from sync.hub.sign_in_gate import SignInGate
from sync.messages import Code
from sync.messages import Message as Said
from sync.protocol import (
    API_PREFIX,
    MAX_BODY_BYTES,
    MIN_CLIENT_PROTOCOL,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
)

log = logging.getLogger("phonebank.hub")


class ProtocolVersion:
    """Refuse clients too old for this hub (426); say the hub's protocol on every answer.

    Plain ASGI rather than `@app.middleware("http")`: that wrapper runs every request through
    extra tasks and memory streams, a measurable share of a small request's cost.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = Headers(scope=scope).get(PROTOCOL_HEADER)
        if raw is not None:
            refusal = _refusal(raw)
            if refusal is not None:
                await refusal(scope, receive, send)
                return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
            await send(message)

        await self.app(scope, receive, send_with_version)


def _too_large() -> Said:
    return Said(Code.TOO_LARGE, {"megabytes": MAX_BODY_BYTES // (1024 * 1024)})


class BodyLimit:
    """Answer 413 to a body over MAX_BODY_BYTES before any of it is parsed: at once when
    Content-Length says so, else as soon as the bytes received (chunked, or a
    Content-Length that lies) pass the limit. A 143 MB body used to be read, parsed and
    stored."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await refusals.response(413, _too_large())(scope, receive, send)
            return
        received = 0

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # FastAPI passes an HTTPException from reading the body on to its
                    # handler: the client gets this 413, the route never runs.
                    raise refusals.Refusal(413, _too_large())
            return message

        await self.app(scope, counting, send)


def _refusal(raw: str) -> JSONResponse | None:
    try:
        version = int(raw)
    except ValueError:
        return refusals.response(
            400, Said(Code.BAD_PROTOCOL_HEADER, {"header": PROTOCOL_HEADER, "value": raw[:20]})
        )
    if version < MIN_CLIENT_PROTOCOL:
        return refusals.response(426, Said(Code.UPGRADE_REQUIRED), min_protocol=MIN_CLIENT_PROTOCOL)
    return None


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # As many threads for sync routes as the database pool has connections (db.py).
    to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    yield


def create_app(engine: Engine) -> FastAPI:
    # No Swagger UI or ReDoc: their pages load scripts from a CDN, and a field office's LAN
    # may have no internet. The API's description stays at /openapi.json.
    app = FastAPI(
        title="Phonebank hub",
        version=str(PROTOCOL_VERSION),
        lifespan=_lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = engine
    # Reservations, sync snapshots and exports compress well; field offices have slow links.
    # Level 6 (zlib's default), not Starlette's 9: a grant's answer (4.8 kB) took half the
    # time (78 against 154 us) for the same compressed size.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)

    # Before routing: a throttled address's guesses cost nothing more (its answers still
    # carry the protocol header).
    app.add_middleware(SignInGate)
    app.add_middleware(ProtocolVersion)
    app.add_middleware(BodyLimit)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Never echo internals (or a token in a header) back; the log has the traceback.
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if console_errors.is_console(request):
            return console_errors.server_error(request)
        return refusals.response(500, Said(Code.INTERNAL_ERROR))

    async def refused(request: Request, exc: Exception) -> Response:
        if console_errors.is_console(request):  # a console page: HTML, as for any HTTP error
            return await console_errors.http_error(request, exc)
        return await refusals.refusal_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # Who is calling is checked before what they sent: a route that looks its token up
        # itself (deps.authenticates_itself) answers 401 for a bad token, as the others do.
        if console_errors.is_console(request):
            return console_errors.invalid_console_request(request, exc)
        endpoint = request.scope.get("endpoint")
        if getattr(endpoint, "authenticates_itself", False) and not await run_in_threadpool(
            token_is_valid, request
        ):
            return await http_exception_handler(request, unauthorized())
        return refusals.invalid_request(exc)

    for module in (auth, campaigns, reservations, results, sync, export, feedback):
        app.include_router(module.router, prefix=API_PREFIX)
    console.mount(app)  # the organizer console's pages under /console
    # After the console's handler of HTTPException: this subclass's handler wins.
    app.add_exception_handler(refusals.Refusal, refused)
    return app

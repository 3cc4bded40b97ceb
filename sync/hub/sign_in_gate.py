"""Refuse sign-ins from an address this process already throttles before the request is
routed, validated or its body read: in a flood of guesses from one address, each refused one
then costs the hub a few microseconds of its event loop instead of a trip through FastAPI,
and the signed-in volunteers' requests wait behind less (see docs/reliability.md).

Only the address is known this early; an account's block is checked by the route
(`login_throttle.refused_from_memory`), since which key applies depends on the body.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sync.hub import refusals
from sync.hub.crud.login_blocks import KnownBlocks
from sync.hub.types import utcnow
from sync.messages import Code, Message
from sync.protocol import API_PREFIX

log = logging.getLogger("phonebank.hub.auth")

LOGIN_PATH = API_PREFIX + "/auth/login"
CONSOLE_LOGIN_PATH = "/console/login"  # the console's own sign-in form: the same blocks


def too_many_failures(seconds: int, retry_at: datetime) -> Message:
    return Message(Code.TOO_MANY_SIGN_INS, {"seconds": seconds, "at": f"{retry_at:%H:%M:%S}"})


def known_blocks(state: object) -> KnownBlocks:
    """The app's `KnownBlocks` (made at first use; `state` is `app.state`)."""
    blocks = getattr(state, "sign_in_blocks", None)
    if blocks is None:
        blocks = KnownBlocks()
        state.sign_in_blocks = blocks  # type: ignore[attr-defined]
    return blocks


def _console_form(scope: Scope, seconds: int, until: datetime) -> Response:
    """The console's sign-in form saying until when to wait (a person reads this one)."""
    from sync.hub.console.pages.signin import throttled_form  # the console imports this module

    return throttled_form(Request(scope), seconds, until)


# Sign-ins one hub process lets past the gate at once; the rest wait their turn here,
# before their body is read or validated. In a burst of guesses every one but the first
# few then meets the block its predecessors caused and is refused for microseconds, not
# taken through FastAPI, while the volunteers' requests are served in between (the event
# loop was the volunteers' wait; docs/reliability.md). Argon2 runs 2 at a time anyway
# (deps.password_checks), so honest sign-ins lose nothing.
SIGN_INS_AT_ONCE = 4


def _turns(state: object) -> asyncio.Semaphore:
    """The app's queue of sign-ins (made in its event loop at first use)."""
    turns = getattr(state, "sign_in_turns", None)
    if turns is None:
        turns = asyncio.Semaphore(SIGN_INS_AT_ONCE)
        state.sign_in_turns = turns  # type: ignore[attr-defined]
    return turns


class SignInGate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] in (LOGIN_PATH, CONSOLE_LOGIN_PATH)
            and client
        ):
            async with _turns(scope["app"].state):
                await self._gate(scope, receive, send, client)
            return
        await self.app(scope, receive, send)

    async def _gate(self, scope: Scope, receive: Receive, send: Send, client: Any) -> None:
        now = utcnow()
        block = known_blocks(scope["app"].state).blocking([f"ip:{client[0]}"[:400]], now)
        if block is None:
            await self.app(scope, receive, send)
            return
        seconds = max(1, int((block.until - now).total_seconds() + 0.999))
        log.info(
            "sign-in refused at %s: too many failures for this address, retry in %d s",
            client[0],
            seconds,
        )
        response = (
            _console_form(scope, seconds, block.until)
            if scope["path"] == CONSOLE_LOGIN_PATH
            else JSONResponse(
                refusals.body(too_many_failures(seconds, block.until)),
                status_code=429,
                headers={"Retry-After": str(seconds)},
            )
        )
        await response(scope, receive, send)

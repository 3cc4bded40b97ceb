"""Signing in to the console and out again, throttled like the API's sign-in."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.engine import Engine

from sync.hub import security
from sync.hub.console.auth import (
    COOKIE_PATH,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    ConsoleOrganizer,
    CsrfRefused,
    SignedIn,
    new_login_csrf,
    safe_next,
    session_token,
    tokens_match,
)
from sync.hub.console.registry import Page
from sync.hub.console.render import render
from sync.hub.core.config import Settings
from sync.hub.crud import console_sessions, login_throttle
from sync.hub.crud.login_blocks import KnownBlocks
from sync.hub.db import session_scope
from sync.hub.deps import (
    HubRoute,
    SessionDep,
    SettingsDep,
    password_checks,
    sign_in_blocks,
    sign_in_steps,
)
from sync.hub.sign_in_gate import too_many_failures

router = APIRouter(route_class=HubRoute)
page = Page(router)  # no navigation entry

WRONG = "Wrong email or password."
log = logging.getLogger("phonebank.hub.auth")


def _signin_form(
    request: Request, *, email: str = "", error: str = "", status_code: int = 200, next_: str = ""
) -> Response:
    login_csrf = request.cookies.get(LOGIN_CSRF_COOKIE) or new_login_csrf()
    response = render(
        request,
        "signin.html",
        {"email": email, "error": error, "next": safe_next(next_), "login_csrf": login_csrf},
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        login_csrf,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path=COOKIE_PATH,
    )
    return response


@router.get("/console/login")
def signin_page(request: Request, next: str = "") -> Response:
    return _signin_form(request, next_=next)


def _begin(
    engine: Engine, email: str, address: str | None, settings: Settings, blocks: KnownBlocks
) -> login_throttle.Attempt:
    # Asked again here: a flood queued for these threads before its first refusal was known.
    remembered = login_throttle.refused_from_memory(blocks, email, address, "")
    if remembered is not None:
        return remembered
    with session_scope(engine) as session:  # committed before anything is answered
        return login_throttle.begin_attempt(
            session, email, address, "", login_throttle.policy_from(settings), blocks
        )


def _start(engine: Engine, attempt: login_throttle.Attempt, ttl: timedelta) -> str:
    assert attempt.user is not None
    with session_scope(engine) as session:
        login_throttle.forgiven(session, attempt)
        token, _ = console_sessions.start_session(session, attempt.user, ttl=ttl)
    return token


def throttled_form(
    request: Request, seconds: int, retry_at: datetime, *, email: str = "", next_: str = ""
) -> Response:
    """The sign-in form with the wait and the time it ends (429, Retry-After)."""
    response = _signin_form(
        request,
        email=email,
        error=str(too_many_failures(seconds, retry_at)),
        status_code=429,
        next_=next_,
    )
    response.headers["Retry-After"] = str(seconds)
    return response


@router.post("/console/login")
async def sign_in(
    request: Request,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The API's sign-in protection (routes/auth.py): a blocked address is refused before
    routing (sign_in_gate.py), a blocked account from this process's memory, and the
    throttle's count, the password check and the session each run on threads of their own,
    in short transactions committed before the answer; the page says until when to wait."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not tokens_match(csrf_token, expected):
        raise CsrfRefused()
    next_ = next
    email = email.strip()
    if not email or not password:
        return _signin_form(
            request, email=email, error="Enter your email and password.", status_code=400
        )
    engine = request.app.state.engine
    address = request.client.host if request.client else None
    blocks = sign_in_blocks(request)
    attempt = login_throttle.refused_from_memory(blocks, email, address, "")
    if attempt is None:
        attempt = await to_thread.run_sync(
            _begin, engine, email, address, settings, blocks, limiter=sign_in_steps(request)
        )
    if not attempt.allowed:
        assert attempt.retry_at is not None
        log.info(
            "console sign-in refused at %s: too many failures for this %s, retry in %d s",
            address,
            attempt.blocked_by or "account",
            attempt.retry_after_seconds,
        )
        return throttled_form(
            request, attempt.retry_after_seconds, attempt.retry_at, email=email, next_=next_
        )
    user = attempt.user
    password_hash = user.password_hash if user else None
    right = await to_thread.run_sync(
        security.verify_password, password_hash, password, limiter=password_checks(request)
    )
    if not right or user is None:
        log.info("console sign-in failed at %s: wrong email or password", address)
        return _signin_form(request, email=email, error=WRONG, status_code=401, next_=next_)
    if not user.active:
        return _signin_form(
            request,
            email=email,
            error="This account has been deactivated. Ask an organizer to reactivate it.",
            status_code=403,
        )
    ttl = timedelta(hours=settings.console_session_hours)
    token = await to_thread.run_sync(_start, engine, attempt, ttl, limiter=sign_in_steps(request))
    response = RedirectResponse(safe_next(next_), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.console_session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path=COOKIE_PATH,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=COOKIE_PATH)
    return response


@router.post("/console/logout")
def sign_out(request: Request, session: SessionDep, who: SignedIn) -> Response:
    token = session_token(request)
    if token:
        console_sessions.end_session(session, token)
        session.commit()
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


@router.get("/console")
def console_home(who: ConsoleOrganizer) -> Response:
    return RedirectResponse("/console/dashboard", status_code=303)

"""Signing in to the console and out again, throttled like the API's sign-in."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

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
from sync.hub.crud import console_sessions, login_throttle
from sync.hub.deps import HubRoute, SessionDep, SettingsDep

router = APIRouter(route_class=HubRoute)
page = Page(router)  # no navigation entry

WRONG = "Wrong email or password."


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


@router.post("/console/login")
def sign_in(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not tokens_match(csrf_token, expected):
        raise CsrfRefused()
    next_ = next
    email = email.strip()
    if not email or not password:
        return _signin_form(
            request, email=email, error="Enter your email and password.", status_code=400
        )
    # The API's throttle: counted before the password is checked, committed before any answer.
    address = request.client.host if request.client else None
    attempt = login_throttle.begin_attempt(
        session, email, address, "", login_throttle.policy_from(settings)
    )
    session.commit()
    if not attempt.allowed:
        return _signin_form(
            request,
            email=email,
            error="Too many failed sign-in attempts. "
            f"Please wait {attempt.retry_after_seconds} seconds and try again.",
            status_code=429,
            next_=next_,
        )
    user = attempt.user
    password_hash = user.password_hash if user else None
    if not security.verify_password(password_hash, password) or user is None:
        return _signin_form(request, email=email, error=WRONG, status_code=401, next_=next_)
    if not user.active:
        return _signin_form(
            request,
            email=email,
            error="This account has been deactivated. Ask an organizer to reactivate it.",
            status_code=403,
        )
    login_throttle.forgiven(session, attempt)
    token, _ = console_sessions.start_session(
        session, user, ttl=timedelta(hours=settings.console_session_hours)
    )
    session.commit()
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

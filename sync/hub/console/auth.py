"""Who is signed in to the console: a session cookie looked up in the database on every
request, and a CSRF token checked on every form.

The CSRF token is an HMAC of the session cookie: only a page the console rendered for this
session knows it (the cookie itself is HttpOnly), and no hub process needs to remember it.
Before sign-in, the sign-in form uses a double-submit cookie instead.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub.crud import console_sessions
from sync.hub.crud.effect_review_view import count_pending

SESSION_COOKIE = "phonebank_console"
LOGIN_CSRF_COOKIE = "phonebank_console_login"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
COOKIE_PATH = "/console"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class NotSignedIn(Exception):
    """No valid session: the handler sends the browser to the sign-in page."""


class OrganizersOnly(Exception):
    """Signed in, but not as an organizer: the handler shows the "organizers only" page."""


class CsrfRefused(Exception):
    """A form arrived without this session's token: refused with a 403 page."""


@dataclass(frozen=True)
class ConsoleUser:
    """Who is signed in (a snapshot of their account, read at the start of the request)."""

    id: int
    name: str
    email: str
    role: str
    csrf_token: str
    review_waiting: int = 0  # held effects waiting for an organizer (the nav's badge)

    @property
    def is_organizer(self) -> bool:
        return self.role == "organizer"


def csrf_token_for(session_token: str) -> str:
    return hmac.new(session_token.encode(), b"phonebank console forms", hashlib.sha256).hexdigest()


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


def tokens_match(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def _lookup(engine: Engine, token: str) -> tuple[int, str, str, str, int] | None:
    # A short session of its own, in this thread: no connection is held while the page runs
    # in another pool thread (docs/development.md). The review count rides along (an
    # indexed count) so that every page's nav can show it without a second transaction.
    with Session(engine) as session:
        user = console_sessions.user_for_session(session, token)
        found = None
        if user:
            waiting = count_pending(session) if user.role == "organizer" else 0
            found = (user.id or 0, user.name, user.email, user.role, waiting)
        session.rollback()
        return found


def _user(found: tuple[int, str, str, str, int], token: str) -> ConsoleUser:
    uid, name, email, role, waiting = found
    return ConsoleUser(uid, name, email, role, csrf_token_for(token), waiting)


async def submitted_csrf(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def signed_in(request: Request) -> ConsoleUser:
    """Anyone with a live console session (organizer or not); checks CSRF on unsafe methods."""
    token = request.cookies.get(SESSION_COOKIE)
    found = await run_in_threadpool(_lookup, request.app.state.engine, token) if token else None
    if found is None or token is None:
        raise NotSignedIn()
    console_user = _user(found, token)
    request.state.console_user = console_user
    if request.method not in SAFE_METHODS and not tokens_match(
        await submitted_csrf(request), console_user.csrf_token
    ):
        raise CsrfRefused()
    return console_user


async def who_if_signed_in(request: Request) -> ConsoleUser | None:
    """For pages outside any route (a 404): who is signed in, if anyone; never raises."""
    known = getattr(request.state, "console_user", None)
    if known is not None:
        return known
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        found = await run_in_threadpool(_lookup, request.app.state.engine, token)
    except Exception:  # the error page must render even when the database is the problem
        return None
    return _user(found, token) if found else None


async def organizer(console_user: Annotated[ConsoleUser, Depends(signed_in)]) -> ConsoleUser:
    if not console_user.is_organizer:
        raise OrganizersOnly()
    return console_user


# What a console page takes: `def page(request: Request, who: ConsoleOrganizer)`.
ConsoleOrganizer = Annotated[ConsoleUser, Depends(organizer)]
SignedIn = Annotated[ConsoleUser, Depends(signed_in)]


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


def safe_next(value: str | None) -> str:
    """Where to go after sign-in: only a path inside the console (no open redirect)."""
    if (
        value
        and value.startswith("/console")
        and not value.startswith("//")
        and "\\" not in value
        and all(ch.isprintable() for ch in value)
    ):
        return value
    return "/console"

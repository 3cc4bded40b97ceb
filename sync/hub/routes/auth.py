"""Sign-in: email and password for a bearer token, throttled across hub processes."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from anyio import to_thread
from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.engine import Engine

from sync.hub import security
from sync.hub.core.config import Settings
from sync.hub.crud import login_throttle, tokens
from sync.hub.crud import users as users_crud
from sync.hub.crud.login_blocks import KnownBlocks
from sync.hub.db import session_scope
from sync.hub.deps import (
    BearerToken,
    CurrentVolunteer,
    HubRoute,
    SessionDep,
    SettingsDep,
    answers,
    authenticates_itself,
    bearer_credentials,
    password_checks,
    sign_in_blocks,
    sign_in_steps,
    unauthorized,
)
from sync.hub.refusals import Refusal
from sync.hub.routes.reservations import clock_override
from sync.hub.sign_in_gate import too_many_failures
from sync.hub.types import utcnow
from sync.messages import Code, Message
from sync.protocol import LanguagesIn, LoginRequest, LoginResponse, TokenRenewal, VolunteerPublic

router = APIRouter(tags=["auth"], route_class=HubRoute)
log = logging.getLogger("phonebank.hub.auth")


def _begin(
    engine: Engine,
    body: LoginRequest,
    address: str | None,
    settings: Settings,
    blocks: KnownBlocks,
) -> login_throttle.Attempt:
    # Asked again here: a flood queued for these threads before its first refusal was known.
    remembered = login_throttle.refused_from_memory(blocks, body.email, address, body.device_key)
    if remembered is not None:
        return remembered
    with session_scope(engine) as session:  # committed before anything is answered
        return login_throttle.begin_attempt(
            session,
            body.email,
            address,
            body.device_key,
            login_throttle.policy_from(settings),
            blocks,
        )


def _succeed(
    engine: Engine, attempt: login_throttle.Attempt, body: LoginRequest, ttl: timedelta
) -> tuple[str, str, datetime]:
    assert attempt.user is not None
    with session_scope(engine) as session:
        device_key = login_throttle.succeeded(session, attempt, body.device_key)
        token, expires_at = users_crud.issue_token(session, attempt.user, body.device_name, ttl)
    return device_key, token, expires_at


def _who(attempt: login_throttle.Attempt) -> str:
    """An attempt's account for the log: its id, never the password or a key."""
    if attempt.remembered:
        return "an account or address already refused"
    if attempt.user is None:
        return "an unknown account"
    device = " from a known device" if attempt.known_device else ""
    return f"account {attempt.user.id}{device}"


@router.post(
    "/auth/login",
    response_model=LoginResponse,
    responses=answers(401, 403, 413, 422, 426, 429),
)
async def login(body: LoginRequest, request: Request, settings: SettingsDep) -> LoginResponse:
    """Every step that touches the database is its own short transaction, committed before
    the answer: a refusal never holds SQLite's write lock while it waits for a thread. A
    flood of guesses cannot take what signed-in volunteers' requests need: an account or
    address this process already refused is refused from memory (no database write, no
    thread); the other steps run on a few threads of their own (`sign_in_steps`), and the
    deliberately slow password check on others (`password_checks`)."""
    engine = request.app.state.engine
    address = request.client.host if request.client else None
    blocks = sign_in_blocks(request)
    attempt = login_throttle.refused_from_memory(blocks, body.email, address, body.device_key)
    if attempt is None:
        attempt = await to_thread.run_sync(
            _begin, engine, body, address, settings, blocks, limiter=sign_in_steps(request)
        )
    if not attempt.allowed:
        assert attempt.retry_at is not None
        log.info(
            "sign-in refused for %s at %s: too many failures for this %s, retry in %d s",
            _who(attempt),
            address,
            attempt.blocked_by,
            attempt.retry_after_seconds,
        )
        seconds = attempt.retry_after_seconds
        raise Refusal(
            status.HTTP_429_TOO_MANY_REQUESTS,
            too_many_failures(seconds, attempt.retry_at),
            headers={"Retry-After": str(seconds)},
        )
    password_hash = attempt.user.password_hash if attempt.user else None
    right = await to_thread.run_sync(
        security.verify_password, password_hash, body.password, limiter=password_checks(request)
    )
    if not right or attempt.user is None:
        log.info("sign-in failed for %s at %s: wrong email or password", _who(attempt), address)
        raise Refusal(status.HTTP_401_UNAUTHORIZED, Message(Code.WRONG_CREDENTIALS))
    if not attempt.user.active:
        # Said only to whoever knows the password: it tells them what to do.
        log.info("sign-in refused for %s at %s: account deactivated", _who(attempt), address)
        raise Refusal(status.HTTP_403_FORBIDDEN, Message(Code.ACCOUNT_DEACTIVATED))
    ttl = timedelta(days=settings.token_ttl_days)
    device_key, token, expires_at = await to_thread.run_sync(
        _succeed, engine, attempt, body, ttl, limiter=sign_in_steps(request)
    )
    log.info("signed in: %s at %s", _who(attempt), address)
    volunteer = users_crud.volunteer_public(attempt.user)
    return LoginResponse(
        token=token,
        volunteer=volunteer,
        expires_at=expires_at,
        device_key=device_key,
        renew_after=expires_at - ttl / 2,
    )


@router.post("/auth/renew", response_model=TokenRenewal, responses=answers(401, 426))
@authenticates_itself
def renew(
    request: Request, session: SessionDep, token: BearerToken, settings: SettingsDep
) -> TokenRenewal:
    """A new token for the one presented once it is past half its life (the old one then
    works for a short overlap more: a lost reply is asked again with it); before that
    "not yet" and when to ask, from one read. See crud/tokens.py."""
    renewal = tokens.renew(
        session,
        token,
        now=clock_override(request) or utcnow(),
        ttl=timedelta(days=settings.token_ttl_days),
        overlap=timedelta(seconds=settings.token_overlap_seconds),
    )
    if renewal is None:
        raise unauthorized()
    if renewal.token is not None:
        log.info("token %d of account %d renewed", renewal.token_id, renewal.user_id)
    return TokenRenewal(
        renewed=renewal.token is not None,
        token=renewal.token,
        expires_at=renewal.expires_at,
        renew_after=renewal.renew_after,
    )


@router.get("/auth/me", response_model=VolunteerPublic, responses=answers(401, 426))
def me(user: CurrentVolunteer) -> VolunteerPublic:
    """Who the token belongs to: a cheap way for the app to check it is still good."""
    return users_crud.volunteer_public(user)


@router.patch("/auth/me", response_model=VolunteerPublic, responses=answers(401, 413, 422, 426))
def set_my_languages(
    body: LanguagesIn, session: SessionDep, user: CurrentVolunteer
) -> VolunteerPublic:
    """The volunteer sets the languages they speak (language-barrier follow-up); the body
    replaces the list. A repeat of the same list changes nothing (the laptop may resend)."""
    users_crud.set_languages(session, user, body.languages)
    session.commit()
    return users_crud.volunteer_public(user)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, responses=answers(401, 426))
def logout(
    session: SessionDep,
    user: CurrentVolunteer,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer_credentials),
) -> Response:
    """Revoke the token this request carries (signing out on that laptop)."""
    if credentials is not None:
        users_crud.revoke_token(session, credentials.credentials)
        session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)

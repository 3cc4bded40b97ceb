"""Sign-in: email and password for a bearer token, throttled across hub processes."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials

from sync.hub import security
from sync.hub.crud import users as users_crud
from sync.hub.deps import CurrentVolunteer, SessionDep, SettingsDep, bearer_credentials
from sync.protocol import LoginRequest, LoginResponse, Role, VolunteerPublic

router = APIRouter(tags=["auth"])

WRONG_CREDENTIALS = "Wrong email or password."


@router.post("/auth/login", response_model=LoginResponse)
def login(
    body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> LoginResponse:
    window = timedelta(seconds=settings.login_window_seconds)
    keys = users_crud.failure_keys(body.email, request.client.host if request.client else None)
    throttle = users_crud.login_throttle(
        session,
        keys,
        settings.login_free_failures,
        window,
        address_free_failures=settings.login_address_free_failures,
    )
    if throttle.blocked:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail="Too many failed sign-in attempts. "
            f"Please wait {throttle.retry_after_seconds} seconds and try again.",
            headers={"Retry-After": str(throttle.retry_after_seconds)},
        )
    user = users_crud.user_by_email(session, body.email)
    password_hash = user.password_hash if user else None
    # End the read transaction before the deliberately slow hash check: on SQLite every
    # transaction holds the write lock, and nobody should wait on another's argon2.
    session.rollback()
    if not security.verify_password(password_hash, body.password) or user is None:
        users_crud.record_login_failure(session, keys, window)
        session.commit()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=WRONG_CREDENTIALS)
    users_crud.clear_login_failures(session, body.email)
    if not user.active:
        # Said only to whoever knows the password: it tells them what to do.
        session.commit()
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=users_crud.DEACTIVATED)
    token, expires_at = users_crud.issue_token(
        session, user, body.device_name, ttl=timedelta(days=settings.token_ttl_days)
    )
    session.commit()
    assert user.id is not None
    volunteer = VolunteerPublic(id=user.id, name=user.name, role=Role(user.role), email=user.email)
    return LoginResponse(token=token, volunteer=volunteer, expires_at=expires_at)


@router.get("/auth/me", response_model=VolunteerPublic)
def me(user: CurrentVolunteer) -> VolunteerPublic:
    """Who the token belongs to: a cheap way for the app to check it is still good."""
    assert user.id is not None
    return VolunteerPublic(id=user.id, name=user.name, role=Role(user.role), email=user.email)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
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

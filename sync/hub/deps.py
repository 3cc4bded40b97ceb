"""Request dependencies: the database session and who is calling."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from sqlmodel import Session

from sync.hub.core.config import Settings
from sync.hub.crud import users as users_crud
from sync.hub.crud.ids import MAX_DB_ID
from sync.hub.models import User

bearer_credentials = HTTPBearer(auto_error=False)
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session for the request. Async (making one does no I/O) so that it costs no trips
    through the thread pool; closing it is I/O only when a transaction is still open."""
    session = Session(request.app.state.engine, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)  # rolls back: database I/O
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def own_session(request: Request) -> Session:
    """A session a hot route opens and closes itself, in its own thread (`with`)."""
    return Session(request.app.state.engine, expire_on_commit=False)


# A row id in a URL path: out-of-range numbers get 422, never reach the database.
IdPath = Annotated[int, Path(ge=1, le=MAX_DB_ID)]


def get_settings(request: Request) -> Settings:
    """The settings the hub was started with (`serve` puts them on app.state)."""
    settings = getattr(request.app.state, "settings", None)
    if settings is None:
        settings = request.app.state.settings = Settings()
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def unauthorized() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Not signed in, or the session has expired. Please sign in again.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_volunteer(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_credentials)],
) -> User:
    user = users_crud.user_for_token(session, credentials.credentials) if credentials else None
    # End the lookup's transaction now: on SQLite it holds the write lock (BEGIN IMMEDIATE)
    # and the route runs in another worker thread; holding it across that hop starves the
    # thread pool under concurrent requests ("database is locked").
    session.commit()
    if user is None:
        raise unauthorized()
    return user


CurrentVolunteer = Annotated[User, Depends(current_volunteer)]


# ---------------------------------------------------------------- hot routes


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_credentials)],
) -> str:
    """The bearer token of a route that looks it up itself (`authenticates_itself`)."""
    if credentials is None:
        raise unauthorized()
    return credentials.credentials


BearerToken = Annotated[str, Depends(bearer_token)]


def authenticate(session: Session, token: str) -> User:
    """The caller, looked up in the route's own thread and transaction: the hot routes save
    the dependency's thread hop, COMMIT and second connection check-out. (Keeping the
    dependency's transaction open instead deadlocks: see docs/development.md.)"""
    user = users_crud.user_for_token(session, token)
    if user is None:
        raise unauthorized()
    return user


def authenticates_itself(endpoint: Endpoint) -> Endpoint:
    """Mark a route that takes `BearerToken` and looks the token up itself (`authenticate`,
    or inside its crud call as reservations do on PostgreSQL), so that a bad
    token with a bad body still answers 401, as on routes that take `CurrentVolunteer`
    (see `token_is_valid`, used by the app's handler of invalid requests)."""
    endpoint.authenticates_itself = True  # type: ignore[attr-defined]
    return endpoint


def token_is_valid(request: Request) -> bool:
    """Does the request carry a valid bearer token? (Database I/O: call it in a thread.)"""
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    if scheme.lower() != "bearer" or not token:
        return False
    with Session(request.app.state.engine) as session:
        return users_crud.user_for_token(session, token) is not None


def require_organizer(user: CurrentVolunteer) -> User:
    if user.role != "organizer":
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="Organizers only.")
    return user


Organizer = Annotated[User, Depends(require_organizer)]

"""Request dependencies: the database session and who is calling."""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from sqlmodel import Session

from sync.hub.core.config import Settings
from sync.hub.crud import users as users_crud
from sync.hub.crud.ids import MAX_DB_ID
from sync.hub.crud.login_blocks import KnownBlocks
from sync.hub.db import SIGN_IN_THREADS, WORKER_THREADS, read_only
from sync.hub.models import User
from sync.hub.refusals import Refusal
from sync.hub.sign_in_gate import known_blocks
from sync.messages import Code, Message

bearer_credentials = HTTPBearer(auto_error=False)

_WHY = {
    401: "Not signed in, or the token expired or was revoked.",
    403: "Organizers only.",
    404: "Not found, or not yours.",
    409: "Conflicts with what the hub already holds.",
    413: "The request body is too large.",
    422: "The request is not valid (the detail says what and where).",
    426: "The app is too old for this hub.",
    429: "Too many requests: wait for Retry-After seconds.",
}


def answers(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the refusals a route answers, besides its success."""
    return {code: {"description": _WHY[code]} for code in statuses}


Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def _limiter(request: Request, name: str, threads: int) -> CapacityLimiter:
    """A thread limiter of the app's own, made in its event loop at first use."""
    limiter = getattr(request.app.state, name, None)
    if limiter is None:
        limiter = CapacityLimiter(threads)
        setattr(request.app.state, name, limiter)
    return limiter


def password_checks(request: Request) -> CapacityLimiter:
    """Threads for argon2 checks: few (each takes ~0.1 s of CPU and 64 MiB), and not the
    request threads, so a flood of sign-ins only waits for itself."""
    return _limiter(request, "password_checks", 2)


def sign_in_steps(request: Request) -> CapacityLimiter:
    """Threads for sign-in's database steps (the throttle's count, the token): not the
    request threads, so that 200 guesses at once queue behind each other, not in front of
    the volunteers' requests."""
    return _limiter(request, "sign_in_steps", SIGN_IN_THREADS)


def sign_in_blocks(request: Request) -> KnownBlocks:
    """The sign-in blocks this process already decided (`crud/login_blocks.py`)."""
    return known_blocks(request.app.state)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session for the request. Async (making one does no I/O) so that it costs no trips
    through the thread pool; closing it is I/O only when a transaction is still open.

    That rollback runs on threads of its own: a route that raised with its transaction open
    holds SQLite's write lock until then, and every request thread may be waiting for that
    lock (the hub froze for the busy timeout when 40 refused sign-ins came at once)."""
    session = Session(request.app.state.engine, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction():
            limiter = _limiter(request, "session_cleanup", WORKER_THREADS)
            await to_thread.run_sync(session.close, limiter=limiter)  # rolls back: I/O
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def _ends_its_transaction(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """A sync endpoint that ends its session's transaction in its own thread: committed
    when it returns, rolled back before its error goes anywhere.

    FastAPI checks a sync endpoint's answer in another pool thread, and closes the session
    later still; on SQLite an open transaction holds the write lock, and with every pool
    thread waiting for that lock, nobody is left to release it (the hub froze for the
    busy timeout)."""

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        sessions = [value for value in kwargs.values() if isinstance(value, Session)]
        try:
            result = endpoint(*args, **kwargs)
        except BaseException:
            for session in sessions:
                if session.in_transaction():
                    session.rollback()
            raise
        for session in sessions:
            if session.in_transaction():
                session.commit()  # not ROLLBACK: psycopg's drops prepared statements
        return result

    return run


class HubRoute(APIRoute):
    """Every hub route (`APIRouter(route_class=HubRoute)`): see `_ends_its_transaction`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _ends_its_transaction(endpoint)
        super().__init__(path, endpoint, **kwargs)


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
    return Refusal(
        status.HTTP_401_UNAUTHORIZED,
        Message(Code.NOT_SIGNED_IN),
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_volunteer(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_credentials)],
) -> User:
    if credentials is None:
        raise unauthorized()
    read_only(session)  # a lookup: it never waits behind sign-ins' writes
    user = users_crud.user_for_token(session, credentials.credentials)
    # End the lookup's transaction now: the route runs in another worker thread, and a
    # connection held across that hop starves the pool under concurrent requests.
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
        raise Refusal(status.HTTP_403_FORBIDDEN, Message(Code.ORGANIZERS_ONLY))
    return user


Organizer = Annotated[User, Depends(require_organizer)]

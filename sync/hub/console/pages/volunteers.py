"""Volunteers: every account, searchable; add one or many (CSV), deactivate and reactivate,
reset a password, change a role. The same rules as `phonebank-hub users ...`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile
from sqlmodel import Session

from sync.hub import security
from sync.hub.console.auth import ConsoleOrganizer
from sync.hub.console.clock import now
from sync.hub.console.registry import NavItem, Page
from sync.hub.console.render import render
from sync.hub.crud import cap_alerts
from sync.hub.crud import users as users_crud
from sync.hub.deps import HubRoute, IdPath, SessionDep
from sync.hub.models import User
from sync.hub.password_policy import MIN_LENGTH, POLICY, password_problem
from sync.hub.user_csv import (
    MAX_BYTES,
    UserFileRefused,
    add_users_from_csv,
    generated_password,
)
from sync.protocol import Role

router = APIRouter(route_class=HubRoute)
page = Page(router, NavItem("Volunteers", "/console/volunteers", 30, "volunteers"))
SHOWN = 500  # accounts on one page; a search narrows it


def _page(
    request: Request,
    session: Session,
    *,
    q: str = "",
    role: str = "",
    state: str = "",
    notice: str = "",
    error: str = "",
    passwords: list[dict[str, str]] | None = None,
    rejected: list[Any] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    active = {"active": True, "deactivated": False}.get(state)
    users = users_crud.list_users(
        session, q, role=role if role in ("volunteer", "organizer") else None, active=active,
        limit=SHOWN,
    )  # fmt: skip
    everyone = users_crud.list_users(session, limit=100_000)
    alerts = cap_alerts.by_volunteer(cap_alerts.recent(session, now(request)))
    session.rollback()  # done reading
    counts = {
        "all": len(everyone),
        "organizers": sum(1 for u in everyone if u.role == "organizer"),
        "deactivated": sum(1 for u in everyone if not u.active),
    }
    return render(
        request,
        "volunteers.html",
        {
            "users": users,
            "cap_alerts": alerts,
            "counts": counts,
            "q": q,
            "role": role,
            "state": state,
            "notice": notice,
            "error": error,
            "passwords": passwords or [],
            "rejected": rejected or [],
            "form": form or {},
            "policy": POLICY,
            "min_length": MIN_LENGTH,
            "shown": SHOWN,
        },
        section="volunteers",
        status_code=status_code,
    )


@router.get("/console/volunteers")
def volunteers(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    q: str = "",
    role: str = "",
    state: str = "",
) -> Response:
    return _page(request, session, q=q[:200], role=role, state=state)


@router.post("/console/volunteers/add")
def add_volunteer(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    role: Annotated[str, Form()] = "volunteer",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    form = {"name": name, "email": email, "role": role}
    email = users_crud.normalize_email(email)
    problem = (
        ("Give the person's name." if not name.strip() else None)
        or users_crud.validate_email(email)
        or (None if role in ("volunteer", "organizer") else "Choose a role.")
    )
    generated = not password
    password = password or generated_password()
    problem = problem or password_problem(password, email=email, name=name)
    if problem is None and users_crud.user_by_email(session, email) is not None:
        problem = f"an account for {email} already exists"
    if problem:
        return _page(request, session, error=_sentence(problem), form=form, status_code=400)
    session.rollback()
    password_hash = security.hash_password(password)  # slow on purpose: outside any transaction
    try:
        users_crud.create_user(session, email, name, role, password_hash=password_hash)
        session.commit()
    except (users_crud.UserExists, ValueError) as exc:
        session.rollback()
        return _page(request, session, error=_sentence(str(exc)), form=form, status_code=400)
    shown = [{"email": email, "name": name.strip(), "password": password}] if generated else []
    return _page(
        request,
        session,
        notice=f"Added {name.strip()} ({email}) as {_a(role)}.",
        passwords=shown,
        q=email,
    )


@router.post("/console/volunteers/import")
def import_volunteers(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    file: Annotated[UploadFile, File()],
    role: Annotated[str, Form()] = "volunteer",
) -> Response:
    name = file.filename or "the file"
    data = file.file.read(MAX_BYTES + 1)
    if role not in ("volunteer", "organizer"):
        role = "volunteer"
    try:
        outcome = add_users_from_csv(session, data, role)
        session.commit()
    except UserFileRefused as exc:
        session.rollback()
        return _page(request, session, error=f"{name}: {exc}; nobody was added.", status_code=400)
    added = len(outcome.added)
    notice = f"{name}: added {added} account{'' if added == 1 else 's'}" + (
        f"; {len(outcome.rejected)} rows could not be added (below)." if outcome.rejected else "."
    )
    passwords = [{"email": a.email, "name": a.name, "password": a.password} for a in outcome.added]
    return _page(
        request,
        session,
        notice=notice if added else "",
        error="" if added else f"{name}: nobody was added.",
        passwords=passwords,
        rejected=outcome.rejected,
        status_code=200 if added else 400,
    )


def _account(session: Session, user_id: int) -> User:
    user = users_crud.get_user(session, user_id)
    if user is None:
        raise HTTPException(404, f"There is no account with id {user_id}.")
    return user


def _change(request: Request, session: Session, user: User, do: Any, done: str) -> Response:
    try:
        changed = do()
        session.commit()
    except users_crud.AccountError as exc:
        session.rollback()
        return _page(request, session, error=_sentence(str(exc)), status_code=409)
    return _page(request, session, notice=done if changed else "Nothing to change.")


@router.post("/console/volunteers/{user_id}/deactivate")
def deactivate(
    request: Request, session: SessionDep, who: ConsoleOrganizer, user_id: IdPath
) -> Response:
    user = _account(session, user_id)
    if user.id == who.id:
        return _page(
            request,
            session,
            error="You cannot deactivate your own account: ask another organizer.",
            status_code=409,
        )
    return _change(
        request,
        session,
        user,
        lambda: users_crud.set_active(session, user, False),
        f"Deactivated {user.name} ({user.email}): signed out of every laptop and the console "
        "at once; they cannot sign in until reactivated.",
    )


@router.post("/console/volunteers/{user_id}/reactivate")
def reactivate(
    request: Request, session: SessionDep, who: ConsoleOrganizer, user_id: IdPath
) -> Response:
    user = _account(session, user_id)
    return _change(
        request,
        session,
        user,
        lambda: users_crud.set_active(session, user, True),
        f"Reactivated {user.name} ({user.email}): they can sign in again.",
    )


@router.post("/console/volunteers/{user_id}/role")
def change_role(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    user_id: IdPath,
    role: Annotated[str, Form()],
) -> Response:
    user = _account(session, user_id)
    if role not in ("volunteer", "organizer"):
        raise HTTPException(400, "A role is volunteer or organizer.")
    return _change(
        request,
        session,
        user,
        lambda: users_crud.set_role(session, user, Role(role)),
        f"{user.name} is now {_a(role)}.",
    )


@router.post("/console/volunteers/{user_id}/languages")
def set_languages(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    user_id: IdPath,
    languages: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The languages a volunteer speaks (codes, comma-separated): language-barrier
    call-backs in them may go to them (crud/reservation_pool.py)."""
    user = _account(session, user_id)
    try:
        codes = users_crud.parse_languages(languages)
    except users_crud.AccountError as exc:
        return _page(request, session, error=_sentence(str(exc)), status_code=400)
    named = ", ".join(codes) if codes else "no languages"
    return _change(
        request,
        session,
        user,
        lambda: users_crud.set_languages(session, user, codes),
        f"{user.name} speaks {named}.",
    )


@router.post("/console/volunteers/{user_id}/password")
def reset_password(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    user_id: IdPath,
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    user = _account(session, user_id)
    email, name = user.email, user.name
    generated = not password
    password = password or generated_password()
    problem = password_problem(password, email=email, name=name)
    if problem:
        return _page(
            request, session, error=f"{name}: {_sentence(problem)}", q=email, status_code=400
        )
    session.rollback()
    password_hash = security.hash_password(password)
    revoked = users_crud.set_password(session, _account(session, user_id), password_hash)
    session.commit()
    shown = [{"email": email, "name": name, "password": password}] if generated else []
    return _page(
        request,
        session,
        notice=f"New password for {name}; signed out of {revoked} "
        f"device{'' if revoked == 1 else 's'}.",
        passwords=shown,
        q=email,
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def _a(role: str) -> str:
    return "an organizer" if role == "organizer" else "a volunteer"

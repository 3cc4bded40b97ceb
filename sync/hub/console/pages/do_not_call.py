"""Do not call: the hub's one do-not-call list, as `phonebank-hub dnc` manages it.

The list (searched, paged, where each number came from), add one number, upload a file (the
same reader and report as `dnc import`), take a number off with a reason (audited as
`dnc remove`, by the signed-in organizer's email) and the list as `dnc export` writes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response, UploadFile
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub.console.auth import ConsoleOrganizer
from sync.hub.console.registry import NavItem, Page
from sync.hub.console.render import render
from sync.hub.crud import do_not_call, do_not_call_view
from sync.hub.deps import HubRoute, SessionDep, SettingsDep
from sync.hub.importing.dnc_file import read_dnc_file
from sync.hub.importing.dnc_report import added_summary, not_taken, nothing_valid, plural
from sync.hub.importing.phones import normalize_phone
from sync.hub.importing.report import ImportRefused
from sync.hub.types import utcnow

router = APIRouter(route_class=HubRoute)
page = Page(router, NavItem("Do not call", "/console/do-not-call", 65, "do-not-call"))
HERE = "/console/do-not-call"
MAX_SEARCH = 100
MAX_TEXT = 500  # a note or a reason
ADDED_HERE = "added in the console"
COUNT_CAP = 10_000  # a search's matches are counted up to this ("more than 10,000")


def _clean(text: str, limit: int = MAX_TEXT) -> str:
    """One line of what was typed: no NUL (PostgreSQL refuses it), no control characters."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()[:limit]


def _file_name(name: str | None) -> str:
    """The upload's own name, without any folder a browser sent along."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return _clean(base, 120) or "the uploaded file"


def _show(
    request: Request,
    session: Session,
    *,
    q: str = "",
    after: str = "",
    remove: str = "",
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """The page: the list (a page of it), the forms, the latest removals, and `extra`
    (a notice, an error, an import report, what was typed)."""
    search = _clean(q, MAX_SEARCH)
    start = _clean(after, 20)
    listed, next_after = do_not_call_view.page(session, search, start)
    context = {
        "listed": listed,
        "total": do_not_call_view.count(session),
        "found": do_not_call_view.count(session, search, cap=COUNT_CAP) if search else None,
        "count_cap": COUNT_CAP,
        "search": search,
        "next": f"?{urlencode({'q': search, 'after': next_after})}" if next_after else "",
        "first": f"?{urlencode({'q': search})}" if start else "",
        "removals": do_not_call_view.removals(session),
        "remove_phone": _clean(remove, 40),
        "here": HERE,
        **extra,
    }
    session.rollback()
    return render(
        request, "do_not_call.html", context, section="do-not-call", status_code=status_code
    )


@router.get(HERE)
def dnc_page(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    q: str = "",
    after: str = "",
    remove: str = "",
) -> Response:
    return _show(request, session, q=q, after=after, remove=remove)


@router.post(HERE + "/add")
def add_number(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    who: ConsoleOrganizer,
    phone: Annotated[str, Form(max_length=40)],
    note: Annotated[str, Form(max_length=MAX_TEXT)] = "",
) -> Response:
    typed, why = _clean(phone, 40), _clean(note)
    number = normalize_phone(typed, settings.default_region.upper())
    if number is None:
        return _show(
            request, session, status_code=400, add_phone=typed, add_note=why,
            add_error=f"{typed!r} is not a valid phone number." if typed else "Type a number.",
        )  # fmt: skip
    added = do_not_call.add_numbers(
        session, [number.e164], by=who.email, reason=why or ADDED_HERE, now=utcnow()
    )
    session.commit()
    notice = (
        f"{number.e164} is on the do-not-call list now: nobody will be given it again, and "
        "laptops drop it at their next sync."
        if added
        else f"{number.e164} was already on the do-not-call list."
    )
    return _show(request, session, q=number.e164, notice=notice)


@router.post(HERE + "/import")
def import_file(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    who: ConsoleOrganizer,
    file: UploadFile,
) -> Response:
    name = _file_name(file.filename)
    try:
        found = read_dnc_file(file.file, settings.default_region)
    except ImportRefused as exc:
        return _show(
            request, session, status_code=400,
            import_error=f"{name}: {exc}; nothing was added.",
        )  # fmt: skip
    report: dict[str, Any] = {
        "file": name,
        "warnings": found.warnings,
        "not_taken": not_taken(found),
        "rows": plural(found.rows, "row"),
        "columns": found.columns,
    }
    if not found.phones:
        report["summary"] = nothing_valid(found)
        return _show(request, session, status_code=400, report=report, report_failed=True)
    added = do_not_call.add_numbers(
        session, found.phones, by=who.email, reason=f"import of {name}", now=utcnow()
    )
    session.commit()
    report["summary"] = added_summary(found, added)
    return _show(request, session, report=report)


@router.post(HERE + "/remove")
def remove_number(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    who: ConsoleOrganizer,
    phone: Annotated[str, Form(max_length=40)],
    reason: Annotated[str, Form(max_length=MAX_TEXT)] = "",
) -> Response:
    typed, why = _clean(phone, 40), _clean(reason)
    number = normalize_phone(typed, settings.default_region.upper())
    error = ""
    if not why:
        error = "Say why the number may be called again: the reason is kept with your name."
    elif number is None:
        error = f"{typed!r} is not a valid phone number." if typed else "Type a number."
    if error or number is None:
        return _show(
            request, session, status_code=400, remove=typed, remove_reason=why,
            remove_error=error,
        )  # fmt: skip
    removal = do_not_call.remove_number(
        session, number.e164, by=who.email, reason=why, now=utcnow()
    )
    if removal is None:
        session.rollback()
        return _show(
            request, session, status_code=404, remove=typed, remove_reason=why,
            remove_error=f"{number.e164} is not on the do-not-call list.",
        )  # fmt: skip
    session.commit()
    return _show(
        request,
        session,
        removed=removal,
        notice=(
            f"Removed {number.e164} from the do-not-call list; "
            f"{plural(removal.reopened, 'person', 'people')} can be called again. "
            f"Recorded as removed by {who.email}."
        ),
    )


@router.get(HERE + "/export.csv")
def export_list(request: Request, who: ConsoleOrganizer) -> StreamingResponse:
    """The whole list: the file `phonebank-hub dnc export` writes."""
    engine: Engine = request.app.state.engine

    def chunks() -> Iterator[str]:
        with Session(engine) as own:  # the response outlives the request's session
            yield from do_not_call_view.iter_csv(own)

    return StreamingResponse(
        chunks(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="do-not-call.csv"',
            "Cache-Control": "no-store",
        },
    )

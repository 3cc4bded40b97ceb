"""The listening report: what voters said (free-text answers and notes, choice counts) and
volunteers' feedback as an inbox; starring, read/unread, and the view as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync.hub.console.auth import ConsoleOrganizer, safe_next
from sync.hub.console.campaign_pages import campaign_or_404, to_campaign
from sync.hub.console.registry import NavItem, Page
from sync.hub.console.render import render
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import feedback_inbox, listening, stars
from sync.hub.crud.export import safe_cell
from sync.hub.crud.ids import is_db_id
from sync.hub.deps import HubRoute, IdPath, SessionDep

router = APIRouter(route_class=HubRoute)
page = Page(router, NavItem("Listening", "/console/listening", 20, "listening"))
MAX_SEARCH = 200


def _filters(
    session: Session, campaign_id: int, q: str, list_: str, question: str, starred: str
) -> listening.Filters:
    list_id = int(list_) if list_.isdigit() and is_db_id(int(list_)) else None
    known = {listening.NOTES} | {
        q.id for q in listening.text_questions(listening.questions(session, campaign_id))
    }
    return listening.Filters(
        list_id=list_id,
        question=question if question in known else None,
        search=q.strip().replace("\x00", "")[:MAX_SEARCH],
        starred_only=starred == "1",
    )


def _query_string(filters: listening.Filters, **extra: object) -> str:
    params = {
        "q": filters.search,
        "list": filters.list_id or "",
        "question": filters.question or "",
        "starred": "1" if filters.starred_only else "",
        **extra,
    }
    return urlencode({k: v for k, v in params.items() if v not in ("", None)})


@router.get("/console/listening")
def listening_home(
    request: Request, session: SessionDep, who: ConsoleOrganizer, campaign: int | None = None
) -> Response:
    return to_campaign(request, session, "listening", campaign)


@router.get("/console/listening/{campaign_id}")
def listening_page(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    q: str = "",
    list_: Annotated[str, Query(alias="list")] = "",
    question: str = "",
    starred: str = "",
    before: str = "",
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    filters = _filters(session, campaign_id, q, list_, question, starred)
    older_than = int(before) if before.isdigit() and len(before) < 19 else None
    all_questions = listening.questions(session, campaign_id)
    found, next_before = listening.items(session, campaign_id, filters, before=older_than)
    context = {
        "campaign": campaign,
        "campaigns": campaigns_crud.list_campaigns(session),
        "lists": campaigns_crud.lists_of(session, campaign_id),
        "text_questions": listening.text_questions(all_questions),
        "choices": listening.choice_counts(session, campaign_id, all_questions, filters.list_id),
        "filters": filters,
        "items": found,
        "older": f"?{_query_string(filters, before=next_before)}" if next_before else "",
        "newest": f"?{_query_string(filters)}" if older_than else "",
        "export": f"/console/listening/{campaign_id}/export.csv?{_query_string(filters)}",
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "unread": feedback_inbox.unread_count(session),
        "notes": listening.NOTES,
    }
    session.rollback()
    return render(request, "listening.html", context, section="listening")


def _csv(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text in chunks; every cell defused against spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([safe_cell(cell) for cell in row])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _download(chunks: Iterator[str], filename: str) -> StreamingResponse:
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/console/listening/{campaign_id}/export.csv")
def listening_export(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    q: str = "",
    list_: Annotated[str, Query(alias="list")] = "",
    question: str = "",
    starred: str = "",
) -> StreamingResponse:
    """The listening view as it is filtered now, every page of it."""
    campaign_or_404(session, campaign_id)
    filters = _filters(session, campaign_id, q, list_, question, starred)
    session.rollback()
    engine: Engine = request.app.state.engine

    def rows() -> Iterator[list[str]]:
        # Its own session: the response is still being sent after the request's closed.
        with Session(engine) as own:
            for item in listening.iter_items(own, campaign_id, filters):
                yield [
                    item.called_at.astimezone(UTC).isoformat(timespec="seconds"),
                    item.list_name,
                    item.contact,
                    item.volunteer,
                    item.question,
                    item.text,
                    "yes" if item.starred else "",
                    item.result_id,
                ]

    header = ["called_at", "list", "contact", "volunteer", "question", "text", "starred",
              "result_id"]  # fmt: skip
    return _download(_csv(header, rows()), f"campaign-{campaign_id}-listening.csv")


@router.post("/console/stars")
def star(
    session: SessionDep,
    who: ConsoleOrganizer,
    kind: Annotated[str, Form(max_length=16)],
    item_id: Annotated[str, Form(max_length=36)],
    starred: Annotated[str, Form(max_length=1)] = "1",
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        stars.set_star(session, kind, item_id, who.id, starred == "1")
    except stars.NothingToStar as exc:
        raise HTTPException(404, str(exc).capitalize() + ".") from exc
    session.commit()
    return RedirectResponse(safe_next(back), status_code=303)


# ---------------------------------------------------------------- feedback inbox


@router.get("/console/feedback")
def feedback_page(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    show: str = "all",
    q: str = "",
    before: str = "",
) -> Response:
    show = show if show in feedback_inbox.SHOW else "all"
    search = q.strip().replace("\x00", "")[:MAX_SEARCH]
    older_than = int(before) if before.isdigit() and len(before) < 10 else None
    found, next_before = feedback_inbox.messages(session, show, search, before=older_than)
    params = {k: v for k, v in {"show": show, "q": search}.items() if v and v != "all"}
    context = {
        "messages": found,
        "show": show,
        "search": search,
        "unread": feedback_inbox.unread_count(session),
        "older": f"?{urlencode({**params, 'before': next_before})}" if next_before else "",
        "newest": f"?{urlencode(params)}" if older_than else "",
        "export": f"/console/feedback/export.csv?{urlencode(params)}",
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "campaigns": campaigns_crud.list_campaigns(session),
    }
    session.rollback()
    return render(request, "feedback.html", context, section="listening")


@router.get("/console/feedback/export.csv")
def feedback_export(
    request: Request, who: ConsoleOrganizer, show: str = "all", q: str = ""
) -> StreamingResponse:
    show = show if show in feedback_inbox.SHOW else "all"
    search = q.strip().replace("\x00", "")[:MAX_SEARCH]
    engine: Engine = request.app.state.engine

    def rows() -> Iterator[list[str]]:
        with Session(engine) as own:
            for message in feedback_inbox.iter_messages(own, show, search):
                yield [
                    message.created_at.astimezone(UTC).isoformat(timespec="seconds"),
                    message.volunteer,
                    message.volunteer_email,
                    message.campaign,
                    message.text,
                    "read" if message.read_at else "unread",
                    "yes" if message.starred else "",
                ]

    header = ["sent_at", "volunteer", "email", "campaign", "text", "status", "starred"]
    return _download(_csv(header, rows()), "feedback.csv")


@router.post("/console/feedback/{feedback_id}/read")
def mark_read(
    session: SessionDep,
    who: ConsoleOrganizer,
    feedback_id: IdPath,
    read: Annotated[str, Form(max_length=1)] = "1",
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if not feedback_inbox.set_read(session, feedback_id, who.id, read == "1"):
        raise HTTPException(404, f"There is no feedback message {feedback_id}.")
    session.commit()
    return RedirectResponse(safe_next(back or "/console/feedback"), status_code=303)

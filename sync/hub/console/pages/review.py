"""Review: the household-wide and do-not-call effects held because one volunteer sent more
of them in an hour than anyone calls (crud/effect_review.py). An organizer approves (applied
now) or rejects (never applied) each one, or all of one volunteer's at once. The results
themselves are stored either way."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Form, HTTPException, Request, Response
from sqlmodel import Session

from sync.hub.console.auth import ConsoleOrganizer
from sync.hub.console.registry import NavItem, Page
from sync.hub.console.render import render
from sync.hub.crud import effect_review, effect_review_view
from sync.hub.deps import HubRoute, IdPath, SessionDep
from sync.hub.models import HeldEffect, User

router = APIRouter(route_class=HubRoute)
page = Page(router, NavItem("Review", "/console/review", 25, "review"))
HERE = "/console/review"
SHOWN = 200  # oldest first; the rest come as these are decided

Decision = Annotated[Literal["approve", "reject"], Form()]


def _show(request: Request, session: Session, notice: str = "") -> Response:
    total = effect_review_view.count_pending(session)
    # The nav's badge was counted before this request decided anything.
    who = request.state.console_user
    request.state.console_user = replace(who, review_waiting=total)
    context = {
        "waiting": effect_review_view.waiting(session, SHOWN),
        "total": total,
        "volunteers": effect_review_view.by_volunteer(session),
        "threshold": effect_review.REVIEW_AFTER_PER_HOUR,
        "shown": SHOWN,
        "notice": notice,
        "here": HERE,
    }
    session.rollback()
    return render(request, "review.html", context, section="review")


@router.get(HERE)
def review_page(request: Request, session: SessionDep, who: ConsoleOrganizer) -> Response:
    return _show(request, session)


@router.post(HERE + "/{held_id}")
def decide_one(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    held_id: IdPath,
    decision: Decision,
) -> Response:
    held = session.get(HeldEffect, held_id)
    if held is None:
        raise HTTPException(404, f"There is no held effect with id {held_id}.")
    if held.status != "pending":
        session.rollback()
        return _show(request, session, f"That one was already {held.status}; nothing changed.")
    approve = decision == "approve"
    effect_review.decide(session, held_id, who.id, approve)
    session.commit()
    what = effect_review_view.KIND_LABELS.get(held.kind, held.kind).lower()
    notice = (
        f"Approved for {held.phone}: {what}."
        if approve
        else f"Rejected for {held.phone}: the household stays callable."
    )
    return _show(request, session, notice)


@router.post(HERE + "/volunteer/{volunteer_id}")
def decide_volunteer(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    volunteer_id: IdPath,
    decision: Decision,
) -> Response:
    volunteer = session.get(User, volunteer_id)
    if volunteer is None:
        raise HTTPException(404, f"There is no volunteer with id {volunteer_id}.")
    name = volunteer.name or volunteer.email
    approve = decision == "approve"
    decided = effect_review_view.decide_all_of(session, volunteer_id, who.id, approve)
    session.commit()
    if not decided:
        notice = f"Nothing of {name}'s was waiting."
    elif approve:
        notice = f"Approved all {decided:,} of {name}'s held effects: they apply now."
    else:
        notice = (
            f"Rejected all {decided:,} of {name}'s held effects: those households stay callable."
        )
    return _show(request, session, notice)

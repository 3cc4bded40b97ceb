"""Campaigns: create one, change its goal and policy (laptops get it at their next sync),
pause, resume or archive it; rename and archive its lists. The same rules as
`phonebank-hub create-campaign`, `campaigns ...` and `lists ...`."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from sync.hub.console.auth import ConsoleOrganizer
from sync.hub.console.campaign_pages import campaign_or_404
from sync.hub.console.registry import NavItem, Page
from sync.hub.console.render import render
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import lists as lists_crud
from sync.hub.crud import membership
from sync.hub.crud.users import normalize_email
from sync.hub.deps import HubRoute, IdPath, SessionDep
from sync.hub.models import CallList, Campaign

router = APIRouter(route_class=HubRoute)
page = Page(router, NavItem("Campaigns", "/console/campaigns", 40, "campaigns"))

# Form field -> (setting, unit in seconds, what the organizer reads)
FIELDS = {
    "goal": ("goal", 1, "Goal"),
    "list_size": ("list_size", 1, "List size"),
    "hold_hours": ("hold_seconds", 3600, "Hold"),
    "cooldown_minutes": ("cooldown_seconds", 60, "Cooldown"),
    "retry_hours": ("retry_after_seconds", 3600, "Retry after"),
    "max_attempts": ("max_attempts", 1, "Max attempts"),
    "lists_per_hour": ("max_lists_per_hour", 1, "Lists per hour"),
    "lists_per_day": ("max_lists_per_day", 1, "Lists per day"),
}
DONE = {
    "paused": "Paused: volunteers still see it, but no new lists are handed out.",
    "active": "Active: lists are handed out again.",
    "archived": "Archived: gone from volunteers' pickers and syncs; its results are kept and "
    "can still be exported.",
}


class FormProblem(ValueError):
    pass


def _number(raw: str, label: str, unit: int) -> int:
    text = raw.strip().replace(",", "")
    try:
        value = float(text)
    except ValueError:
        raise FormProblem(f"{label}: {raw[:20]!r} is not a number") from None
    if value != value or abs(value) > 1e12:  # NaN, or absurdly large
        raise FormProblem(f"{label}: {raw[:20]!r} is not a usable number")
    if unit == 1 and value != int(value):
        raise FormProblem(f"{label} must be a whole number, got {raw[:20]!r}")
    return round(value * unit)


def _settings(form: dict[str, str]) -> dict[str, Any]:
    """The campaign settings a form gives (empty fields: unchanged / the default)."""
    settings: dict[str, Any] = {}
    for field, (setting, unit, label) in FIELDS.items():
        raw = form.get(field, "")
        if raw.strip():
            settings[setting] = _number(raw, label, unit)
    start, end = form.get("hours_start", "").strip(), form.get("hours_end", "").strip()
    if start or end:
        settings["calling_hours"] = campaigns_crud.parse_calling_hours(f"{start}-{end}")
    return settings


def _form_of(campaign: Campaign) -> dict[str, str]:
    def trim(value: float) -> str:
        return f"{value:g}"

    return {
        "name": campaign.name,
        "goal": str(campaign.goal),
        "list_size": str(campaign.list_size),
        "hold_hours": trim(campaign.hold_seconds / 3600),
        "cooldown_minutes": trim(campaign.cooldown_seconds / 60),
        "retry_hours": trim(campaign.retry_after_seconds / 3600),
        "max_attempts": str(campaign.max_attempts),
        "lists_per_hour": str(campaign.max_lists_per_hour),
        "lists_per_day": str(campaign.max_lists_per_day),
        "hours_start": campaign.calling_hours_start,
        "hours_end": campaign.calling_hours_end,
    }


DEFAULTS = {
    "name": "",
    "goal": "",
    "list_size": "20",
    "hold_hours": "24",
    "cooldown_minutes": "10",
    "retry_hours": "4",
    "max_attempts": "3",
    "lists_per_hour": "0",
    "lists_per_day": "0",
    "hours_start": "09:00",
    "hours_end": "21:00",
}


def _list_page(
    request: Request,
    session: Session,
    *,
    form: dict[str, str] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    campaigns = campaigns_crud.list_campaigns(session)
    rows = [
        {
            "campaign": c,
            "calls": campaigns_crud.calls_made(session, c.id or 0),
            "lists": len(campaigns_crud.lists_of(session, c.id or 0)),
        }
        for c in reversed(campaigns)
    ]
    session.rollback()
    return render(
        request,
        "campaigns.html",
        {"rows": rows, "form": form or DEFAULTS, "error": error},
        section="campaigns",
        status_code=status_code,
    )


@router.get("/console/campaigns")
def campaigns_page(request: Request, session: SessionDep, who: ConsoleOrganizer) -> Response:
    return _list_page(request, session)


@router.post("/console/campaigns")
def create(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    name: Annotated[str, Form(max_length=300)] = "",
    goal: Annotated[str, Form(max_length=20)] = "",
    list_size: Annotated[str, Form(max_length=20)] = "",
    hold_hours: Annotated[str, Form(max_length=20)] = "",
    cooldown_minutes: Annotated[str, Form(max_length=20)] = "",
    retry_hours: Annotated[str, Form(max_length=20)] = "",
    max_attempts: Annotated[str, Form(max_length=20)] = "",
    lists_per_hour: Annotated[str, Form(max_length=20)] = "",
    lists_per_day: Annotated[str, Form(max_length=20)] = "",
    hours_start: Annotated[str, Form(max_length=5)] = "",
    hours_end: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    form = {k: v for k, v in locals().items() if k in DEFAULTS}
    try:
        settings = _settings({**DEFAULTS, **{k: v for k, v in form.items() if k != "name"}})
        if "goal" not in settings:
            raise FormProblem("Give the campaign's goal: the number of calls it aims for")
        campaign = campaigns_crud.create_campaign(session, name, **settings)
        session.commit()
    except (FormProblem, campaigns_crud.CampaignError) as exc:
        session.rollback()
        return _list_page(request, session, form=form, error=_sentence(exc), status_code=400)
    return RedirectResponse(f"/console/campaigns/{campaign.id}?created=1", status_code=303)


def _edit_page(
    request: Request,
    session: Session,
    campaign: Campaign,
    *,
    form: dict[str, str] | None = None,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> Response:
    assert campaign.id is not None
    context = {
        "campaign": campaign,
        "form": form or _form_of(campaign),
        "lists": lists_crud.list_summaries(session, campaign.id),
        "calls": campaigns_crud.calls_made(session, campaign.id),
        "members": membership.members_of(session, campaign.id),
        "error": error,
        "notice": notice,
    }
    session.rollback()
    return render(
        request, "campaign_edit.html", context, section="campaigns", status_code=status_code
    )


@router.get("/console/campaigns/{campaign_id}")
def edit_page(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    created: int = 0,
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    notice = "Campaign created. Next: import contacts and upload a script." if created else ""
    return _edit_page(request, session, campaign, notice=notice)


@router.post("/console/campaigns/{campaign_id}")
def edit(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    name: Annotated[str, Form(max_length=300)] = "",
    goal: Annotated[str, Form(max_length=20)] = "",
    list_size: Annotated[str, Form(max_length=20)] = "",
    hold_hours: Annotated[str, Form(max_length=20)] = "",
    cooldown_minutes: Annotated[str, Form(max_length=20)] = "",
    retry_hours: Annotated[str, Form(max_length=20)] = "",
    max_attempts: Annotated[str, Form(max_length=20)] = "",
    lists_per_hour: Annotated[str, Form(max_length=20)] = "",
    lists_per_day: Annotated[str, Form(max_length=20)] = "",
    hours_start: Annotated[str, Form(max_length=5)] = "",
    hours_end: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    form = {k: v for k, v in locals().items() if k in DEFAULTS}
    campaign = campaign_or_404(session, campaign_id)
    try:
        changes = _settings(form)
        changed = campaigns_crud.update_campaign(session, campaign, name=name or None, **changes)
        session.commit()
    except (FormProblem, campaigns_crud.CampaignError) as exc:
        session.rollback()
        campaign = campaign_or_404(session, campaign_id)
        return _edit_page(
            request, session, campaign, form=form, error=_sentence(exc), status_code=400
        )
    labels = {
        "name": "name",
        "goal": "goal",
        "list_size": "list size",
        "hold_seconds": "hold",
        "cooldown_seconds": "cooldown",
        "calling_hours": "calling hours",
        "retry_after_seconds": "retry after",
        "max_attempts": "max attempts",
        "max_lists_per_hour": "lists per hour",
        "max_lists_per_day": "lists per day",
    }
    notice = (
        f"Saved: {', '.join(labels[c] for c in changed)}. Laptops get the change at their "
        "next sync."
        if changed
        else "Nothing changed."
    )
    return _edit_page(request, session, campaign, notice=notice)


@router.post("/console/campaigns/{campaign_id}/status")
def set_status(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    status: Annotated[str, Form(max_length=10)],
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    if status not in campaigns_crud.STATUSES:
        raise HTTPException(400, "A campaign is active, paused or archived.")
    changed = campaigns_crud.set_status(session, campaign, status)
    session.commit()
    return _edit_page(
        request, session, campaign, notice=DONE[status] if changed else "Nothing changed."
    )


def _list_of(session: Session, campaign: Campaign, list_id: int) -> CallList:
    assert campaign.id is not None
    try:
        return lists_crud.find_list(session, campaign.id, str(list_id))
    except lists_crud.ListError:
        raise HTTPException(404, f"{campaign.name} has no list with id {list_id}.") from None


@router.post("/console/campaigns/{campaign_id}/lists/{list_id}/rename")
def rename_list(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    list_id: IdPath,
    name: Annotated[str, Form(max_length=200)],
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    call_list = _list_of(session, campaign, list_id)
    old = call_list.name
    try:
        changed = lists_crud.rename_list(session, call_list, name)
        session.commit()
    except lists_crud.ListError as exc:
        session.rollback()
        campaign = campaign_or_404(session, campaign_id)
        return _edit_page(request, session, campaign, error=_sentence(exc), status_code=400)
    notice = f"Renamed {old} to {call_list.name}." if changed else "Nothing changed."
    return _edit_page(request, session, campaign, notice=notice)


@router.post("/console/campaigns/{campaign_id}/lists/{list_id}/status")
def list_status(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    list_id: IdPath,
    status: Annotated[str, Form(max_length=10)],
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    call_list = _list_of(session, campaign, list_id)
    try:
        changed = lists_crud.set_list_status(session, call_list, status)
        session.commit()
    except lists_crud.ListError as exc:
        session.rollback()
        raise HTTPException(400, _sentence(exc)) from None
    said = (
        f"Archived {call_list.name}: no more names are handed out from it."
        if status == "archived"
        else f"{call_list.name} is handed out again."
    )
    return _edit_page(request, session, campaign, notice=said if changed else "Nothing changed.")


@router.post("/console/campaigns/{campaign_id}/lists/{list_id}/merge")
def merge_list(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    list_id: IdPath,
    into: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    source = _list_of(session, campaign, list_id)
    if not into.isdigit():
        return _edit_page(
            request, session, campaign, error="Choose the list to merge into.", status_code=400
        )
    target = _list_of(session, campaign, int(into))
    names = (source.name, target.name)
    try:
        merged = lists_crud.merge_lists(session, source, target)
        session.commit()
    except lists_crud.ListError as exc:
        session.rollback()
        campaign = campaign_or_404(session, campaign_id)
        return _edit_page(request, session, campaign, error=_sentence(exc), status_code=409)
    return _edit_page(
        request,
        session,
        campaign,
        notice=f"Merged {names[0]} into {names[1]}: {merged.contacts:,} "
        f"contact{'' if merged.contacts == 1 else 's'} moved; their results stay.",
    )


@router.post("/console/campaigns/{campaign_id}/lists/{list_id}/remove")
def remove_list(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    list_id: IdPath,
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    call_list = _list_of(session, campaign, list_id)
    name = call_list.name
    try:
        removed = lists_crud.remove_list(session, call_list)
        session.commit()
    except lists_crud.ListError as exc:
        session.rollback()
        campaign = campaign_or_404(session, campaign_id)
        return _edit_page(request, session, campaign, error=_sentence(exc), status_code=409)
    kept = (
        ""
        if removed.list_deleted
        else f" The {removed.contacts_kept:,} called kept their results (in exports)."
    )
    return _edit_page(
        request,
        session,
        campaign,
        notice=f"Removed {name}: {removed.contacts_deleted:,} uncalled "
        f"contact{'' if removed.contacts_deleted == 1 else 's'} deleted.{kept}",
    )


# ---------------------------------------------------------------- membership
# Who may see and call for the campaign: every volunteer while it is open, else its members
# (organizers always), as `phonebank-hub members` sets it.
MAX_EMAILS = 200  # one paste of addresses


def _emails(text: str) -> list[str]:
    """The addresses typed or pasted: separated by commas, semicolons, spaces or lines."""
    found = [e for e in re.split(r"[\s,;]+", text) if e]
    return list(dict.fromkeys(found))[:MAX_EMAILS]


@router.post("/console/campaigns/{campaign_id}/access")
def set_access(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    access: Annotated[Literal["open", "closed"], Form()],
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    membership.set_open(session, campaign_id, access == "open")
    session.commit()
    notice = (
        "Open: every volunteer sees this campaign and may call for it."
        if access == "open"
        else "Closed: only its members (and organizers) see it; the others' laptops drop it "
        "at their next sync."
    )
    return _edit_page(request, session, campaign, notice=notice)


@router.post("/console/campaigns/{campaign_id}/members")
def add_members(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    emails: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    wanted = _emails(emails)
    if not wanted:
        return _edit_page(
            request, session, campaign, error="Type the email of an account to add.",
            status_code=400,
        )  # fmt: skip
    try:
        added = membership.add_members(session, campaign_id, wanted)
        session.commit()
    except campaigns_crud.CampaignError as exc:
        session.rollback()
        campaign = campaign_or_404(session, campaign_id)
        return _edit_page(
            request, session, campaign, error=_sentence(exc) + " Nobody was added.",
            status_code=400,
        )  # fmt: skip
    notice = f"Added {', '.join(added)}." if added else "Already members: nothing changed."
    return _edit_page(request, session, campaign, notice=notice)


@router.post("/console/campaigns/{campaign_id}/members/remove")
def remove_member(
    request: Request,
    session: SessionDep,
    who: ConsoleOrganizer,
    campaign_id: IdPath,
    email: Annotated[str, Form(max_length=320)],
) -> Response:
    campaign = campaign_or_404(session, campaign_id)
    if normalize_email(email) not in membership.members_of(session, campaign_id):
        session.rollback()
        return _edit_page(
            request, session, campaign, error=f"{email.strip()} is not a member.",
            status_code=404,
        )  # fmt: skip
    try:
        membership.remove_members(session, campaign_id, [email])
        session.commit()
    except campaigns_crud.CampaignError as exc:
        session.rollback()
        campaign = campaign_or_404(session, campaign_id)
        return _edit_page(request, session, campaign, error=_sentence(exc), status_code=400)
    notice = f"Removed {normalize_email(email)}."
    if not campaign.open:
        notice += " The campaign leaves their picker, and their laptop drops it at its next sync."
    return _edit_page(request, session, campaign, notice=notice)


# ---------------------------------------------------------------- end membership


def _sentence(exc: Exception) -> str:
    text = str(exc).strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."

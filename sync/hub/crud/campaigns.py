"""Campaigns, their call lists, and the progress figures everyone sees."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy import exists, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sync.hub.crud import result_tallies
from sync.hub.crud.ids import MAX_DB_ID, is_db_id
from sync.hub.models import CallList, Campaign, DoNotCall, Household, ScriptVersion
from sync.hub.types import utcnow
from sync.protocol import CallListPublic, CampaignPublic, Policy, ScriptRef

T = TypeVar("T")
MAX_LIST_SIZE = 200
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class CampaignError(ValueError):
    """A campaign setting a user gave is not acceptable; the message says which and why."""


def parse_calling_hours(text: str) -> tuple[str, str]:
    """'09:00-21:00' -> ('09:00', '21:00'); the end must come after the start."""
    start, dash, end = text.strip().partition("-")
    start, end = start.strip(), end.strip()
    if not dash or not _HHMM.match(start) or not _HHMM.match(end):
        raise CampaignError(
            f"calling hours must look like 09:00-21:00 (24-hour HH:MM-HH:MM), got {text!r}"
        )
    check_calling_hours(start, end)
    return start, end


def check_calling_hours(start: str, end: str) -> None:
    for value in (start, end):
        if not _HHMM.match(value):
            raise CampaignError(f"calling hours must be HH:MM (24-hour), got {value!r}")
    if end <= start:
        raise CampaignError(f"calling hours end ({end}) must be after their start ({start})")


# What an organizer may change after creating a campaign (and `create_campaign` takes).
SETTINGS = (
    "name",
    "goal",
    "list_size",
    "hold_seconds",
    "cooldown_seconds",
    "calling_hours",
    "retry_after_seconds",
    "max_attempts",
    "max_lists_per_hour",
    "max_lists_per_day",
)
MAX_LISTS_CAP = 10_000  # lists per volunteer per hour or day: more is no cap at all
STATUSES = ("active", "paused", "archived")


def _check_name(session: Session, name: str, *, except_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise CampaignError("the campaign name is empty")
    if len(name) > 300:
        raise CampaignError("the campaign name is longer than 300 characters")
    if "\0" in name:
        raise CampaignError("the campaign name contains a NUL character")
    clash = select(Campaign.id).where(func.lower(col(Campaign.name)) == name.lower())
    if except_id is not None:
        clash = clash.where(Campaign.id != except_id)
    other = session.exec(clash.limit(1)).first()
    if other is not None:
        # Volunteers pick campaigns by name: two of the same name cannot be told apart.
        raise CampaignError(
            f"there is already a campaign called {name!r} (id {other}); choose another name"
        )
    return name


def _check_settings(
    goal: int,
    list_size: int,
    hold_seconds: int,
    cooldown_seconds: int,
    calling_hours: tuple[str, str],
    retry_after_seconds: int,
    max_attempts: int,
    max_lists_per_hour: int = 0,
    max_lists_per_day: int = 0,
) -> None:
    for label, cap in (("per hour", max_lists_per_hour), ("per day", max_lists_per_day)):
        if not 0 <= cap <= MAX_LISTS_CAP:
            raise CampaignError(
                f"lists {label} must be between 0 (no cap) and {MAX_LISTS_CAP:,}, got {cap}"
            )
    if 0 < max_lists_per_day < max_lists_per_hour:
        raise CampaignError(
            f"lists per day ({max_lists_per_day}) cannot be fewer than lists per hour "
            f"({max_lists_per_hour})"
        )
    if goal < 1:
        raise CampaignError(f"goal must be a positive number of calls, got {goal}")
    if not 1 <= list_size <= MAX_LIST_SIZE:
        raise CampaignError(f"list size must be between 1 and {MAX_LIST_SIZE}, got {list_size}")
    if hold_seconds < 60:
        raise CampaignError(f"hold must be at least 60 seconds, got {hold_seconds}")
    if cooldown_seconds < 0:
        raise CampaignError(f"cooldown cannot be negative, got {cooldown_seconds}")
    if retry_after_seconds < 0:
        raise CampaignError(f"retry-after cannot be negative, got {retry_after_seconds}")
    if max_attempts < 1:
        raise CampaignError(f"max attempts must be at least 1, got {max_attempts}")
    for value in (goal, list_size, hold_seconds, cooldown_seconds, retry_after_seconds):
        if value > MAX_DB_ID:
            raise CampaignError(f"{value} is too large")
    if max_attempts > 100:
        raise CampaignError(f"max attempts must be at most 100, got {max_attempts}")
    start, end = calling_hours
    check_calling_hours(start, end)


def create_campaign(
    session: Session,
    name: str,
    goal: int,
    *,
    list_size: int = 20,
    hold_seconds: int = 24 * 3600,
    cooldown_seconds: int = 600,
    calling_hours: tuple[str, str] = ("09:00", "21:00"),
    retry_after_seconds: int = 4 * 3600,
    max_attempts: int = 3,
    max_lists_per_hour: int = 0,
    max_lists_per_day: int = 0,
) -> Campaign:
    """Validate and add a campaign. Flushes (the id is set); the caller commits.

    A name another campaign has (ignoring case) is refused: volunteers choose by name.
    """
    name = _check_name(session, name)
    _check_settings(
        goal,
        list_size,
        hold_seconds,
        cooldown_seconds,
        calling_hours,
        retry_after_seconds,
        max_attempts,
        max_lists_per_hour,
        max_lists_per_day,
    )
    start, end = calling_hours
    campaign = Campaign(
        name=name,
        goal=goal,
        list_size=list_size,
        hold_seconds=hold_seconds,
        cooldown_seconds=cooldown_seconds,
        calling_hours_start=start,
        calling_hours_end=end,
        retry_after_seconds=retry_after_seconds,
        max_attempts=max_attempts,
        max_lists_per_hour=max_lists_per_hour,
        max_lists_per_day=max_lists_per_day,
    )
    session.add(campaign)
    session.flush()
    return campaign


def update_campaign(session: Session, campaign: Campaign, **changes: Any) -> list[str]:
    """Change some of a campaign's `SETTINGS`; the names of those that changed. Flushes.

    Laptops get the new policy with the campaign at their next sync; lists already handed
    out keep the hold they were granted with.
    """
    unknown = sorted(set(changes) - set(SETTINGS))
    if unknown:
        raise CampaignError(f"unknown campaign setting(s): {', '.join(unknown)}")
    name = campaign.name
    if changes.get("name") is not None:
        name = _check_name(session, str(changes["name"]), except_id=campaign.id)
    current = {
        "goal": campaign.goal,
        "list_size": campaign.list_size,
        "hold_seconds": campaign.hold_seconds,
        "cooldown_seconds": campaign.cooldown_seconds,
        "calling_hours": (campaign.calling_hours_start, campaign.calling_hours_end),
        "retry_after_seconds": campaign.retry_after_seconds,
        "max_attempts": campaign.max_attempts,
        "max_lists_per_hour": campaign.max_lists_per_hour,
        "max_lists_per_day": campaign.max_lists_per_day,
    }
    wanted = {**current, **{k: v for k, v in changes.items() if k in current and v is not None}}
    _check_settings(**wanted)
    changed = [k for k in current if wanted[k] != current[k]]
    if name != campaign.name:
        changed.insert(0, "name")
    campaign.name = name
    campaign.goal = wanted["goal"]
    campaign.list_size = wanted["list_size"]
    campaign.hold_seconds = wanted["hold_seconds"]
    campaign.cooldown_seconds = wanted["cooldown_seconds"]
    campaign.calling_hours_start, campaign.calling_hours_end = wanted["calling_hours"]
    campaign.retry_after_seconds = wanted["retry_after_seconds"]
    campaign.max_attempts = wanted["max_attempts"]
    campaign.max_lists_per_hour = wanted["max_lists_per_hour"]
    campaign.max_lists_per_day = wanted["max_lists_per_day"]
    session.add(campaign)
    session.flush()
    return changed


def set_status(session: Session, campaign: Campaign, status: str) -> bool:
    """active (handed out), paused (visible, no new lists) or archived (gone from
    volunteers' pickers and syncs; results kept and exportable). False when unchanged."""
    if status not in STATUSES:
        raise CampaignError(f"a campaign is {', '.join(STATUSES)}; got {status!r}")
    if campaign.status == status:
        return False
    campaign.status = status
    session.add(campaign)
    session.flush()
    return True


def get_campaign(session: Session, campaign_id: int) -> Campaign | None:
    """The campaign, or None when there is none with that id (any int is safe to pass)."""
    return session.get(Campaign, campaign_id) if is_db_id(campaign_id) else None


def list_campaigns(session: Session, *, include_archived: bool = True) -> list[Campaign]:
    statement = select(Campaign)
    if not include_archived:
        statement = statement.where(Campaign.status != "archived")
    return list(session.exec(statement.order_by(col(Campaign.id))).all())


def visible_campaigns(session: Session) -> list[Campaign]:
    """What the app's picker and a laptop's sync show: every campaign but the archived."""
    return list_campaigns(session, include_archived=False)


def get_or_create_list(session: Session, campaign_id: int, name: str) -> CallList:
    """The campaign's call list called `name`, created when missing (safe against races)."""
    if get_campaign(session, campaign_id) is None:
        raise CampaignError(f"there is no campaign with id {campaign_id}")
    name = name.strip()
    if not name:
        raise CampaignError("a call list name is empty")
    if len(name) > 200:
        raise CampaignError(f"the call list name {name[:40]!r}... is longer than 200 characters")
    statement = select(CallList).where(CallList.campaign_id == campaign_id, CallList.name == name)
    found = session.exec(statement).first()
    if found is not None:
        return found
    call_list = CallList(campaign_id=campaign_id, name=name)
    try:
        with session.begin_nested():
            session.add(call_list)
    except IntegrityError:  # created by someone else meanwhile
        return session.exec(statement).one()
    return call_list


def lists_of(session: Session, campaign_id: int) -> list[CallList]:
    statement = select(CallList).where(CallList.campaign_id == campaign_id)
    return list(session.exec(statement.order_by(col(CallList.name))).all())


def policy_of(campaign: Campaign) -> Policy:
    return Policy(
        list_size=campaign.list_size,
        hold_seconds=campaign.hold_seconds,
        cooldown_seconds=campaign.cooldown_seconds,
        calling_hours_start=campaign.calling_hours_start,
        calling_hours_end=campaign.calling_hours_end,
        retry_after_seconds=campaign.retry_after_seconds,
        max_attempts=campaign.max_attempts,
    )


# Progress figures are counts over every row of a campaign: cheap for a field office, but
# ~0.1 s per 300k rows, and every sync of every volunteer asks for them (at 10,000
# households the count was 60% of a sync round). For campaigns this large (a deterministic
# size, so small test databases are always exact) a process reuses a figure for 20 times as
# long as it took to count, at most 30 s.
LARGE_COUNT = 10_000
_counts: dict[tuple[str, str, int], tuple[float, Any]] = {}


def _reused_if_large(
    kind: str, session: Session, campaign_id: int, count: Callable[[], T], size: Callable[[T], int]
) -> T:
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    key = (kind, url, campaign_id)
    now = time.monotonic()
    kept = _counts.get(key)
    if kept is not None and kept[0] > now:
        return cast(T, kept[1])
    value = count()
    took = time.monotonic() - now
    if size(value) >= LARGE_COUNT:
        _counts[key] = (time.monotonic() + min(30.0, 20 * took), value)
    else:
        _counts.pop(key, None)
    return value


def calls_made(session: Session, campaign_id: int) -> int:
    """Results of the campaign that count: not quarantined and not superseded by a correction
    (the running totals `crud/result_tallies` keeps as results are stored)."""
    if not is_db_id(campaign_id):
        return 0
    return result_tallies.calls_made(session, campaign_id)


def remaining_by_list(session: Session, campaign_id: int) -> dict[int, int]:
    """Households that could be handed out now, per list: open, not on DNC, not held."""
    if not is_db_id(campaign_id):
        return {}
    return _reused_if_large(
        "remaining",
        session,
        campaign_id,
        lambda: _count_remaining(session, campaign_id),
        lambda counts: sum(counts.values()),
    )


def _count_remaining(session: Session, campaign_id: int) -> dict[int, int]:
    now = utcnow()
    on_dnc = exists().where(col(DoNotCall.phone) == col(Household.phone))
    statement = (
        select(Household.call_list_id, func.count())
        .where(
            Household.campaign_id == campaign_id,
            Household.state == "open",
            (col(Household.held_until).is_(None)) | (col(Household.held_until) <= now),
            ~on_dnc,
        )
        .group_by(col(Household.call_list_id))
    )
    return {list_id: int(count) for list_id, count in session.exec(statement).all()}


def latest_script_ref(session: Session, campaign_id: int) -> ScriptRef | None:
    statement = (
        select(ScriptVersion.id, ScriptVersion.version)
        .where(ScriptVersion.campaign_id == campaign_id)
        .order_by(col(ScriptVersion.version).desc())
        .limit(1)
    )
    row = session.exec(statement).first()
    if row is None or row[0] is None:
        return None
    return ScriptRef(id=row[0], version=row[1])


def campaign_public(session: Session, campaign: Campaign) -> CampaignPublic:
    assert campaign.id is not None
    remaining = remaining_by_list(session, campaign.id)
    lists = [
        CallListPublic(id=cl.id, name=cl.name, remaining=remaining.get(cl.id, 0))
        for cl in lists_of(session, campaign.id)
        if cl.id is not None and cl.status == "active"  # archived lists leave the pickers
    ]
    return CampaignPublic(
        id=campaign.id,
        name=campaign.name,
        goal=campaign.goal,
        calls_made=calls_made(session, campaign.id),
        script=latest_script_ref(session, campaign.id),
        policy=policy_of(campaign),
        lists=lists,
        status=campaign.status,
    )

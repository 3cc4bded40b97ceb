"""`phonebank-hub campaigns list|edit|pause|resume|archive`."""

from __future__ import annotations

import argparse

from sqlmodel import Session

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.core.config import Settings
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.db import session_scope
from sync.hub.models import Campaign

_STATUS_FOR = {"pause": "paused", "resume": "active", "archive": "archived"}
_SAID = {
    "paused": "paused: volunteers see it, but no new lists are handed out",
    "active": "active: lists are handed out",
    "archived": "archived: gone from volunteers' pickers; its results are kept",
}


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "list":
        return _list(settings)
    if args.action == "edit":
        return _edit(args, settings)
    return _set_status(args, settings, _STATUS_FOR[args.action])


def _list(settings: Settings) -> int:
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            rows = [
                (c.id, c.name, c.status, campaigns_crud.calls_made(session, c.id or 0), c.goal)
                for c in campaigns_crud.list_campaigns(session)
            ]
    finally:
        engine.dispose()
    if not rows:
        print("no campaigns yet (create one with create-campaign)")
    for campaign_id, name, status, made, goal in rows:
        print(f"{campaign_id:>5}  {status:<8}  {made:,} of {goal:,} calls  {name}")
    return 0


def _edit(args: argparse.Namespace, settings: Settings) -> int:
    changes: dict[str, object] = {
        "name": args.name,
        "goal": args.goal,
        "list_size": args.list_size,
        "hold_seconds": args.hold,
        "cooldown_seconds": args.cooldown,
        "retry_after_seconds": args.retry_after,
        "max_attempts": args.max_attempts,
        "max_lists_per_hour": args.max_lists_per_hour,
        "max_lists_per_day": args.max_lists_per_day,
    }
    if args.calling_hours is not None:
        try:
            changes["calling_hours"] = campaigns_crud.parse_calling_hours(args.calling_hours)
        except campaigns_crud.CampaignError as exc:
            raise CommandError(f"--calling-hours: {exc}") from exc
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise CommandError("nothing to change: give --name, --goal, --list-size, --hold, ...")
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            campaign = _campaign(session, args.campaign_id)
            changed = campaigns_crud.update_campaign(session, campaign, **changes)
    except campaigns_crud.CampaignError as exc:
        raise CommandError(f"{exc}; nothing was changed") from exc
    finally:
        engine.dispose()
    if changed:
        print(
            f"campaign {args.campaign_id}: changed {', '.join(changed)}; "
            "laptops get it at their next sync"
        )
    else:
        print(f"campaign {args.campaign_id}: nothing changed (it already had those settings)")
    return 0


def _set_status(args: argparse.Namespace, settings: Settings, status: str) -> int:
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            campaign = _campaign(session, args.campaign_id)
            changed = campaigns_crud.set_status(session, campaign, status)
            name = campaign.name
    finally:
        engine.dispose()
    print(
        f"{name!r} (id {args.campaign_id}) {'is now' if changed else 'was already'} {_SAID[status]}"
    )
    return 0


def _campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = campaigns_crud.get_campaign(session, campaign_id)
    if campaign is None:
        raise CommandError(f"there is no campaign with id {campaign_id}")
    return campaign

"""`phonebank-hub create-campaign NAME --goal N ...`: prints the new campaign's id only."""

from __future__ import annotations

import argparse

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.core.config import Settings
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import membership
from sync.hub.db import session_scope


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        calling_hours = campaigns_crud.parse_calling_hours(args.calling_hours)
    except campaigns_crud.CampaignError as exc:
        raise CommandError(f"--calling-hours: {exc}") from exc
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            campaign = campaigns_crud.create_campaign(
                session,
                args.name,
                args.goal,
                list_size=args.list_size,
                hold_seconds=args.hold,
                cooldown_seconds=args.cooldown,
                calling_hours=calling_hours,
                retry_after_seconds=args.retry_after,
                max_attempts=args.max_attempts,
                max_lists_per_hour=args.max_lists_per_hour,
                max_lists_per_day=args.max_lists_per_day,
            )
            campaign_id = campaign.id
            if args.closed:
                assert campaign_id is not None
                membership.set_open(session, campaign_id, False)
    except campaigns_crud.CampaignError as exc:
        raise CommandError(f"{exc}; no campaign was created") from exc
    finally:
        engine.dispose()
    print(campaign_id)
    return 0

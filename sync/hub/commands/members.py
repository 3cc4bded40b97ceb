"""`phonebank-hub members CAMPAIGN list|add|remove|open|close [EMAIL...]`.

A closed campaign is seen and called for only by its members (and organizers); an open one
by every volunteer. `list` prints whether it is open, then one member email a line.
"""

from __future__ import annotations

import argparse

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.core.config import Settings
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import membership
from sync.hub.db import session_scope


def run(args: argparse.Namespace, settings: Settings) -> int:
    needs_emails = args.action in ("add", "remove")
    if needs_emails != bool(args.emails):
        raise CommandError(
            f"{args.action} needs one or more EMAILs"
            if needs_emails
            else f"{args.action} takes no EMAIL"
        )
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            if args.action == "add":
                membership.add_members(session, args.campaign_id, args.emails)
            elif args.action == "remove":
                membership.remove_members(session, args.campaign_id, args.emails)
            elif args.action in ("open", "close"):
                membership.set_open(session, args.campaign_id, args.action == "open")
            campaign = campaigns_crud.get_campaign(session, args.campaign_id)
            if campaign is None:
                raise campaigns_crud.CampaignError(
                    f"there is no campaign with id {args.campaign_id}"
                )
            members = membership.members_of(session, args.campaign_id)
            is_open = campaign.open
    except campaigns_crud.CampaignError as exc:
        raise CommandError(f"{exc}; nothing was changed") from exc
    finally:
        engine.dispose()
    print(
        f"campaign {args.campaign_id} is "
        + ("open: every volunteer may call for it" if is_open else "closed: members only")
    )
    for email in members:
        print(email)
    return 0

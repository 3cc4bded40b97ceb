"""`phonebank-hub lists CAMPAIGN_ID [--all] [rename|merge|archive|restore|remove ...]`.

Without an action: each list with its counts. Lists are named by name or id.
"""

from __future__ import annotations

import argparse

from sqlmodel import Session

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.core.config import Settings
from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.crud import lists as lists_crud
from sync.hub.db import session_scope


def run(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            if campaigns_crud.get_campaign(session, args.campaign_id) is None:
                raise CommandError(f"there is no campaign with id {args.campaign_id}")
            if args.action is None:
                summaries = lists_crud.list_summaries(session, args.campaign_id, removed=args.all)
            else:
                message = _change(session, args)
    except lists_crud.ListError as exc:
        raise CommandError(f"{exc}; nothing was changed") from None
    finally:
        engine.dispose()
    if args.action is not None:
        print(message)
        return 0
    _print_table(args.campaign_id, summaries)
    return 0


def _change(session: Session, args: argparse.Namespace) -> str:
    call_list = lists_crud.find_list(session, args.campaign_id, args.list)
    name = call_list.name
    if args.action == "rename":
        changed = lists_crud.rename_list(session, call_list, args.new_name)
        return f"renamed {name!r} to {call_list.name!r}" if changed else f"{name!r}: unchanged"
    if args.action == "merge":
        into = lists_crud.find_list(session, args.campaign_id, args.into)
        merged = lists_crud.merge_lists(session, call_list, into)
        return (
            f"merged {name!r} into {into.name!r}: {_n(merged.contacts, 'contact')} moved "
            f"({merged.households_joined:,} joined a household already in {into.name!r}); "
            f"{name!r} is gone, its results stay"
        )
    if args.action in ("archive", "restore"):
        status = "archived" if args.action == "archive" else "active"
        changed = lists_crud.set_list_status(session, call_list, status)
        if not changed:
            return f"{name!r} was already {status}"
        if status == "archived":
            return f"archived {name!r}: no more names are handed out from it"
        return f"restored {name!r}: names are handed out from it again"
    removed = lists_crud.remove_list(session, call_list)
    if removed.list_deleted:
        return f"removed {name!r}: {_n(removed.contacts_deleted, 'contact')} deleted"
    return (
        f"removed {name!r}: {_n(removed.contacts_deleted, 'uncalled contact')} deleted; "
        f"{_n(removed.contacts_kept, 'called contact')} kept with their results "
        f"(as {call_list.name!r}, in exports only)"
    )


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _print_table(campaign_id: int, summaries: list[lists_crud.ListSummary]) -> None:
    if not summaries:
        print(f"campaign {campaign_id} has no lists yet (import contacts to make one)")
        return
    headings = ("id", "list", "status", "contacts", "households", "to call", "held", "done",
                "results")  # fmt: skip
    rows = [
        (
            str(s.id),
            s.name,
            s.status,
            f"{s.contacts:,}",
            f"{s.households:,}",
            f"{s.open - s.held:,}",
            f"{s.held:,}",
            f"{s.done:,}",
            f"{s.results:,}",
        )
        for s in summaries
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headings)]

    def line(cells: tuple[str, ...]) -> str:
        out = []
        for i, cell in enumerate(cells):
            out.append(cell.ljust(widths[i]) if i in (1, 2) else cell.rjust(widths[i]))
        return "  ".join(out).rstrip()

    print(line(headings))
    for row in rows:
        print(line(row))

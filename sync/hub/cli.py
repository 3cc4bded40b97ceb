"""`phonebank-hub`: serve the API and administer campaigns from the command line.

Each command lives in `sync/hub/commands/<name>.py` as `run(args, settings) -> int`.
Errors a user can fix are raised as `CommandError` and printed without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sync.hub.commands.import_options import import_arguments
from sync.hub.core.config import Settings


class CommandError(Exception):
    """A problem the user can fix; printed as `error: ...`, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="phonebank-hub", description="The Phonebank hub.")
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL (sqlite:///FILE or postgresql://...); "
        "default $PHONEBANK_HUB_DATABASE_URL or a SQLite file in the data directory",
    )
    parser.add_argument("--data-dir", help="where the default SQLite database lives")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="run the HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    p.add_argument(
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help="reverse proxies whose X-Forwarded-For is believed: addresses or networks, "
        "comma-separated, '*' for any, '' for none (default: this machine's 127.0.0.1,::1)",
    )

    p = sub.add_parser("add-user", help="add an account; the password is read from stdin")
    p.add_argument("email")
    p.add_argument("--name", required=True)
    p.add_argument("--role", choices=["volunteer", "organizer"], default="volunteer")

    p = sub.add_parser("create-campaign", help="create a campaign and print its id")
    p.add_argument("name")
    p.add_argument("--goal", type=int, required=True)
    p.add_argument("--list-size", type=int, default=20)
    p.add_argument("--hold", type=int, default=24 * 3600, metavar="SECONDS")
    p.add_argument("--cooldown", type=int, default=600, metavar="SECONDS")
    p.add_argument("--calling-hours", default="09:00-21:00", metavar="HH:MM-HH:MM")
    p.add_argument("--retry-after", type=int, default=4 * 3600, metavar="SECONDS")
    p.add_argument("--max-attempts", type=int, default=3)
    p.add_argument(
        "--max-lists-per-hour",
        type=int,
        default=0,
        metavar="N",
        help="lists one volunteer may take per hour (default 0: no cap)",
    )
    p.add_argument(
        "--max-lists-per-day",
        type=int,
        default=0,
        metavar="N",
        help="lists one volunteer may take per 24 hours (default 0: no cap)",
    )
    p.add_argument(
        "--closed",
        action="store_true",
        help="only volunteers assigned with `members` see it (default: every volunteer)",
    )

    p = sub.add_parser(
        "members", help="who may call for a campaign: list, add or remove volunteers"
    )
    p.add_argument("campaign_id", type=int)
    p.add_argument("action", choices=["list", "add", "remove", "open", "close"])
    p.add_argument("emails", nargs="*", metavar="EMAIL")

    p = sub.add_parser("load-script", help="publish a script version from YAML; prints it")
    p.add_argument("campaign_id", type=int)
    p.add_argument("file")
    p.add_argument("--check", action="store_true", help="only check the file; nothing is stored")

    p = sub.add_parser("import-contacts", help="import a voter file or list of contacts")
    import_arguments(p)

    p = sub.add_parser("export-results", help="write a campaign's results as CSV")
    p.add_argument("campaign_id", type=int)
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument(
        "--format",
        choices=["standard", "van"],
        default="standard",
        help="standard (every column) or van (VAN's bulk upload layout)",
    )
    p.add_argument(
        "--all",
        dest="include_all",
        action="store_true",
        help="also superseded and quarantined results, marked in the status column",
    )

    dnc_parser(sub)

    sub.add_parser("demo", help="create the demo campaign, lists, script and users")
    _add_management(sub)
    return parser


def dnc_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("dnc", help="the do-not-call list: import, export, remove")
    actions = p.add_subparsers(dest="dnc_command", required=True, metavar="ACTION")
    by_help = "the organizer (email) this is done for; default: the shell user"
    q = actions.add_parser("import", help="add every phone number of a CSV file")
    q.add_argument("file")
    q.add_argument("--region", help="default region for numbers without +country (e.g. US)")
    q.add_argument("--by", metavar="EMAIL", help=by_help)
    q = actions.add_parser("export", help="write the list as CSV (to stdout unless -o)")
    q.add_argument("-o", "--output", metavar="FILE")
    q = actions.add_parser("remove", help="take one number off the list (recorded)")
    q.add_argument("phone")
    q.add_argument("--reason", required=True, help="why: kept with who and when")
    q.add_argument("--region", help="default region for a number without +country")
    q.add_argument("--by", metavar="EMAIL", help=by_help)


def _add_management(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`users`, `campaigns` and `lists`: what the organizer console does, from a shell."""
    users = sub.add_parser("users", help="list and manage accounts").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    p = users.add_parser("list", help="accounts, optionally searched (name or email)")
    p.add_argument("search", nargs="?", default="")
    p.add_argument("--role", choices=["volunteer", "organizer"])
    p.add_argument("--inactive", action="store_true", help="only deactivated accounts")
    p = users.add_parser(
        "import", help="add accounts from a CSV (name, email[, role]); prints their passwords"
    )
    p.add_argument("file")
    p.add_argument("--role", choices=["volunteer", "organizer"], default="volunteer")
    for action, text in (
        ("deactivate", "sign the account out everywhere at once and refuse its sign-ins"),
        ("reactivate", "allow a deactivated account to sign in again"),
        ("reset-password", "set a new password (from stdin) and sign the account out"),
    ):
        users.add_parser(action, help=text).add_argument("email")
    p = users.add_parser("set-role", help="make an account a volunteer or an organizer")
    p.add_argument("email")
    p.add_argument("role", choices=["volunteer", "organizer"])
    p = users.add_parser(
        "languages",
        help="the languages a volunteer speaks (codes, comma-separated: es,en); "
        "no list prints them, an empty one ('') clears them",
    )
    p.add_argument("email")
    p.add_argument("languages", nargs="?")

    campaigns = sub.add_parser("campaigns", help="list and change campaigns").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    campaigns.add_parser("list", help="every campaign with its status and progress")
    p = campaigns.add_parser("edit", help="change a campaign's name, goal or policy")
    p.add_argument("campaign_id", type=int)
    p.add_argument("--name")
    p.add_argument("--goal", type=int)
    p.add_argument("--list-size", type=int)
    p.add_argument("--hold", type=int, metavar="SECONDS")
    p.add_argument("--cooldown", type=int, metavar="SECONDS")
    p.add_argument("--calling-hours", metavar="HH:MM-HH:MM")
    p.add_argument("--retry-after", type=int, metavar="SECONDS")
    p.add_argument("--max-attempts", type=int)
    p.add_argument("--max-lists-per-hour", type=int, metavar="N", help="0: no cap")
    p.add_argument("--max-lists-per-day", type=int, metavar="N", help="0: no cap")
    for action, text in (
        ("pause", "stop handing out new lists (the campaign stays visible)"),
        ("resume", "hand out lists again (after pause or archive)"),
        ("archive", "hide the campaign from volunteers; its results are kept"),
    ):
        campaigns.add_parser(action, help=text).add_argument("campaign_id", type=int)

    p = sub.add_parser("lists", help="a campaign's call lists and their counts; change them")
    p.add_argument("campaign_id", type=int)
    p.add_argument("--all", action="store_true", help="also removed lists (kept for results)")
    lists = p.add_subparsers(dest="action", metavar="ACTION")
    q = lists.add_parser("rename", help="give a list a new name")
    q.add_argument("list", help="the list's name or id")
    q.add_argument("new_name")
    q = lists.add_parser("merge", help="move every contact of a list into another list")
    q.add_argument("list", help="the list to merge (it goes away)")
    q.add_argument("into", help="the list that receives its contacts")
    for action, text in (
        ("archive", "hand out no more names from the list; it leaves volunteers' pickers"),
        ("restore", "hand out an archived list again"),
        ("remove", "delete the list's uncalled contacts (results and the people they name stay)"),
    ):
        lists.add_parser(action, help=text).add_argument("list", help="the list's name or id")


def settings_from(args: argparse.Namespace) -> Settings:
    overrides = {}
    if args.database_url:
        overrides["database_url"] = args.database_url
    if args.data_dir:
        overrides["data_dir"] = args.data_dir
    return Settings(**overrides)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module = importlib.import_module(f"sync.hub.commands.{args.command.replace('-', '_')}")
    try:
        return int(module.run(args, settings_from(args)) or 0)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

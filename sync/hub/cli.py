"""`phonebank-hub`: serve the API and administer campaigns from the command line.

Each command lives in `sync/hub/commands/<name>.py` as `run(args, settings) -> int`.
Errors a user can fix are raised as `CommandError` and printed without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

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

    p = sub.add_parser("import-contacts", help="import a CSV of contacts into call lists")
    p.add_argument("campaign_id", type=int)
    p.add_argument("file")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--list", dest="list_name", metavar="NAME")
    group.add_argument("--list-column", metavar="COLUMN")
    p.add_argument("--region", help="default region for numbers without +country (e.g. US)")

    p = sub.add_parser("export-results", help="write every result of a campaign as CSV")
    p.add_argument("campaign_id", type=int)
    p.add_argument("-o", "--output", metavar="FILE")

    sub.add_parser("demo", help="create the demo campaign, lists, script and users")
    return parser


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

"""The options of `import-contacts` (kept apart so the CLI parser stays cheap to build)."""

from __future__ import annotations

import argparse


def import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("campaign_id", type=int)
    p.add_argument("file")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--list", dest="list_name", metavar="NAME", help="put every row in NAME")
    group.add_argument("--list-column", metavar="COLUMN", help="each row's list is in COLUMN")
    p.add_argument(
        "--map",
        dest="mapping",
        action="append",
        metavar="FIELD=COLUMN",
        help="take first_name, last_name, phone or source_id from COLUMN; phone may repeat "
        "(dialed in that order) and may join columns: phone=AREA_CODE+PHONE_NUMBER",
    )
    p.add_argument("--delimiter", help="comma, tab, semicolon or pipe (default: sniffed)")
    p.add_argument("--encoding", help="e.g. utf-8, cp1252, utf-16 (default: detected)")
    p.add_argument("--no-header", action="store_true", help="the first line is data")
    p.add_argument("--columns", help="the columns of a file without a header: a,b,c")
    p.add_argument("--id-column", metavar="COLUMN", help="the voter-file id (VanID, ncid...)")
    p.add_argument("--region", help="default region for numbers without +country (e.g. US)")
    p.add_argument("--check", action="store_true", help="validate and report; store nothing")

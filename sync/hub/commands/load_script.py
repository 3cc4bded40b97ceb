"""`phonebank-hub load-script CAMPAIGN_ID FILE.yaml [--check]`: publish a new version and
print its number; with `--check`, only say whether the file is valid (nothing is stored)."""

from __future__ import annotations

import argparse
import sys

from sync.hub.cli import CommandError
from sync.hub.commands._db import open_database
from sync.hub.core.config import Settings
from sync.hub.crud import scripts as scripts_crud
from sync.hub.db import session_scope
from sync.hub.script_file import ScriptError, load_script_file


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        doc = load_script_file(args.file)
    except ScriptError as exc:
        raise CommandError(f"{args.file}: {exc}; nothing was stored") from exc
    if args.check:
        for warning in doc.warnings:
            print(f"warning: {args.file}: {warning}", file=sys.stderr)
        count = len(doc.questions)
        print(
            f"{args.file}: valid: {doc.title!r}, {count} question{'' if count == 1 else 's'}; "
            "nothing was stored (run without --check to publish it)"
        )
        return 0
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            version = scripts_crud.publish_script(session, args.campaign_id, doc)
            number = version.version
    except scripts_crud.UnknownCampaign as exc:
        raise CommandError(f"{exc}; nothing was stored") from exc
    finally:
        engine.dispose()
    for warning in doc.warnings:
        print(f"warning: {args.file}: {warning}", file=sys.stderr)
    print(number)
    return 0

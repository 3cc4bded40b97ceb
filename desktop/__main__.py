"""`phonebank [--hub URL] [--data-dir DIR]` opens the app;
`phonebank demo [--data-dir DIR]` starts a local demo hub and opens the app signed in to it;
`phonebank --self-test` checks that this installation works, without a screen.

Heavy modules (Qt, the core) are imported only once the arguments are known, so `--help` is
instant and a cold start pays only for what it uses.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="phonebank", description="Phonebank: call voters with a script, online or offline."
    )
    parser.add_argument(
        "command", nargs="?", choices=["demo"], help="demo: run a local demo hub and sign in"
    )
    parser.add_argument(
        "--hub", metavar="URL", help="the hub to use (e.g. https://hub.example.org)"
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", help="keep everything in DIR (a portable layout)"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation (window, local store) offscreen, then exit",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        from desktop.self_test import run_self_test

        return run_self_test()
    from desktop.paths import resolve

    if args.command == "demo":
        from desktop.demo import run_demo

        folder = Path(args.data_dir) if args.data_dir else resolve(None).data / "demo"
        return run_demo(folder.absolute())
    from desktop import app

    return app.run(resolve(args.data_dir), args.hub)


if __name__ == "__main__":
    sys.exit(main())

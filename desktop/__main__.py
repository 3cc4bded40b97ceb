"""`phonebank [--hub URL] [--data-dir DIR]` opens the app;
`phonebank demo [--data-dir DIR]` starts a local demo hub and opens the app signed in to it.

Heavy modules (Qt, the core) are imported only once the arguments are known, so `--help` is
instant and a cold start pays only for what it uses.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DEMO_EMAIL = "volunteer@example.org"
DEMO_PASSWORD = "demo-volunteer"
DEMO_PORT = 8765
HUB_START_TIMEOUT = 60.0


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
    return parser


# ---------------------------------------------------------------- the demo hub


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise OSError("no free port on 127.0.0.1")


def _die_with_parent() -> None:
    """In the hub child (Linux): get SIGTERM when the app dies, even by SIGKILL."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class DemoHub:
    """A `phonebank-hub serve` child process on a SQLite file in the demo folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.database_url = f"sqlite:///{folder / 'hub.db'}"
        self.port = _free_port(DEMO_PORT)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = folder / "hub.log"

    def _hub(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "sync.hub", "--database-url", self.database_url, *args]

    def start(self) -> str:
        """Seed the demo once (`phonebank-hub demo` is idempotent, so an interrupted first
        run is simply repeated), start the hub, wait until it answers; returns its URL.

        Raises RuntimeError with plain words (and the hub's log file named) on failure.
        """
        marker = self.folder / "hub.db.seeded"
        if not marker.exists():  # first run, or a first run that was interrupted
            seeded = subprocess.run(self._hub("demo"), capture_output=True, text=True)
            if seeded.returncode != 0:
                detail = (seeded.stderr or seeded.stdout).strip().splitlines()[-1:] or [""]
                raise RuntimeError(f"The demo hub could not be set up: {detail[0]}")
            marker.write_text(seeded.stdout, encoding="utf-8")  # what the demo printed
        with open(self.log_path, "ab") as log_file:
            self.process = subprocess.Popen(
                self._hub("serve", "--host", "127.0.0.1", "--port", str(self.port)),
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        deadline = time.monotonic() + HUB_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The demo hub stopped while starting; see {self.log_path}.")
            try:
                with urllib.request.urlopen(self.url + "/openapi.json", timeout=1):
                    return self.url
            except OSError:
                time.sleep(0.1)  # start-up poll with a deadline
        raise RuntimeError(f"The demo hub did not start in time; see {self.log_path}.")

    def stop(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def run_demo(data_dir: Path) -> int:
    from desktop import app
    from desktop.paths import resolve

    paths = resolve(data_dir)
    hub = DemoHub(paths.data)

    def begin(window: Any, tasks: Any, core: Any) -> None:
        window.show_banner(window.tr("Starting the demo hub…"), kind="info")

        def start_and_sign_in() -> Any:
            from desktop.services.errors import UserError

            try:
                url = hub.start()
            except (OSError, RuntimeError) as exc:
                raise UserError(str(exc)) from exc
            return core.sign_in(url, DEMO_EMAIL, DEMO_PASSWORD)

        def failed(message: str) -> None:
            window.show_banner(message)
            window.show_sign_in(hub.url, DEMO_EMAIL, message)

        def signed_in(account: Any) -> None:
            window.banner.hide()
            window.accept_account(account)

        tasks.run_net(start_and_sign_in, signed_in, failed, what="demo hub")

    try:
        return app.run(paths, None, on_window=begin)
    finally:
        hub.stop()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from desktop.paths import resolve

    if args.command == "demo":
        folder = Path(args.data_dir) if args.data_dir else resolve(None).data / "demo"
        return run_demo(folder.absolute())
    from desktop import app

    return app.run(resolve(args.data_dir), args.hub)


if __name__ == "__main__":
    sys.exit(main())

"""`phonebank demo`: a local demo hub on SQLite, seeded once, and the app signed in to it.

The hub is a `phonebank-hub serve` child process. It must die with the app, however the app
ends: closing the window stops it (`DemoHub.stop`), and on Linux a parent-death signal covers
a crash or SIGKILL. That signal follows the *thread* that started the child, not the process,
so the child is started from a thread of its own that lives exactly as long as the hub: a
worker thread of a pool (which ends after 30 idle seconds) would take the hub down with it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from sync.messages import Code, Message

DEMO_EMAIL = "volunteer@example.org"
DEMO_PASSWORD = "demo-volunteer"
DEMO_PORT = 8765
HUB_START_TIMEOUT = 60.0
SEEDED_MARKER = "hub.db.seeded"
PORT_FILE = "hub.port"  # the port of the last run: the hub's address must not change
FROZEN_MESSAGE = (
    "The demo needs the Phonebank hub, which this installed app does not include. "
    "Run `make run` from the source tree, or install the Python package with the hub extra."
)


def _free_port(preferred: int) -> int:
    """`preferred` unless another program listens on it, else any free port. SO_REUSEADDR,
    as the hub's server sets it: the last run's connections, still in TIME_WAIT for a minute
    after closing, must not move the hub to another address."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise OSError("no free port on 127.0.0.1")


def _die_with_parent() -> None:
    """In the hub child (Linux): get SIGTERM when the thread that started it ends, which
    is also what happens to every thread when the app dies, even by SIGKILL."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class DemoHubError(RuntimeError):
    """The demo hub did not start; `msg` says why (the UI words it in the user's language)."""

    def __init__(self, code: Code, **params: int | str) -> None:
        self.msg = Message(code, params)
        super().__init__(str(self.msg))


class DemoHub:
    """A `phonebank-hub serve` child process on a SQLite file in the demo folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.database = folder / "hub.db"
        self.database_url = f"sqlite:///{self.database}"
        self.port = _free_port(self._last_port() or DEMO_PORT)
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = folder / "hub.log"
        self._lock = threading.Lock()
        self._stopped = threading.Event()  # set by stop(): the keeper thread may end

    def _last_port(self) -> int | None:
        """The port the demo hub had last time. The laptop's data belongs to an account on
        a hub *address*: a demo hub on another port is another hub, and signing in to it is
        refused while results for the old one wait to be sent."""
        try:
            return int((self.folder / PORT_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            return None

    def _hub(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "sync.hub", "--database-url", self.database_url, *args]

    def start(self) -> str:
        """Seed the demo once, start the hub, wait until it answers; returns its URL.
        May be called from any thread (the app calls it from a network worker).

        Raises DemoHubError (the hub's log file named) or OSError on failure.
        """
        self.seed_once()
        process = self._launch()
        deadline = time.monotonic() + HUB_START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise DemoHubError(Code.DEMO_HUB_STOPPED, log=str(self.log_path))
            try:
                with urllib.request.urlopen(self.url + "/openapi.json", timeout=1):
                    (self.folder / PORT_FILE).write_text(str(self.port), encoding="ascii")
                    return self.url
            except OSError:
                time.sleep(0.1)  # start-up poll with a deadline
        raise DemoHubError(Code.DEMO_HUB_SLOW, log=str(self.log_path))

    def seed_once(self) -> None:
        """Create the demo data unless an earlier run did: the hub database is kept between
        runs, with everything done in it. `phonebank-hub demo` is idempotent, so a first run
        that was interrupted before the marker was written is simply repeated."""
        marker = self.folder / SEEDED_MARKER
        if marker.exists() and self.database.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        seeded = subprocess.run(self._hub("demo"), capture_output=True, text=True)
        if seeded.returncode != 0:
            detail = (seeded.stderr or seeded.stdout).strip().splitlines()[-1:] or [""]
            raise DemoHubError(Code.DEMO_HUB_SETUP_FAILED, error=detail[0])
        marker.write_text(seeded.stdout, encoding="utf-8")  # what the demo printed

    def _launch(self) -> subprocess.Popen[bytes]:
        """Start the serve process from a keeper thread that lives until stop()."""
        launched = threading.Event()
        failures: list[BaseException] = []

        def keep() -> None:
            try:
                with self._lock:
                    if self._stopped.is_set():
                        raise DemoHubError(Code.DEMO_HUB_CLOSING)
                    with open(self.log_path, "ab") as log_file:
                        self.process = subprocess.Popen(
                            self._hub("serve", "--host", "127.0.0.1", "--port", str(self.port)),
                            stdin=subprocess.DEVNULL,
                            stdout=log_file,
                            stderr=subprocess.STDOUT,
                            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
                        )
            except (OSError, DemoHubError) as exc:
                failures.append(exc)
                return
            finally:
                launched.set()
            self._stopped.wait()  # this thread is the child's parent: keep it alive

        threading.Thread(target=keep, name="demo-hub-keeper", daemon=True).start()
        launched.wait()
        if failures:
            raise failures[0]
        assert self.process is not None
        return self.process

    def stop(self) -> None:
        """Stop the hub (or keep it from starting, when a start is still under way)."""
        with self._lock:
            self._stopped.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def run_demo(data_dir: Path) -> int:
    """Open the app on `data_dir`, start the demo hub there and sign in as the volunteer."""
    if getattr(sys, "frozen", False):
        print(f"phonebank: {FROZEN_MESSAGE}", file=sys.stderr)
        return 2
    from PySide6.QtCore import QCoreApplication

    from desktop import app
    from desktop.paths import resolve

    paths = resolve(data_dir)
    hub = DemoHub(paths.data)

    def begin(window: Any, tasks: Any, core: Any) -> None:
        window.show_banner(
            QCoreApplication.translate("demo", "Starting the demo hub…"), kind="info"
        )

        def start_and_sign_in() -> Any:
            from desktop.services.errors import UserError, user_error

            try:
                url = hub.start()
            except DemoHubError as exc:
                raise UserError(exc.msg) from exc
            except OSError as exc:
                raise user_error(Code.DEMO_HUB_NOT_STARTED, error=str(exc)) from exc
            return core.sign_in(url, DEMO_EMAIL, DEMO_PASSWORD)

        def failed(error: BaseException) -> None:
            from desktop.ui.tasks import plain_message

            message = plain_message(error)
            window.show_banner(message)
            window.show_sign_in(hub.url, DEMO_EMAIL, message)

        def signed_in(signed: Any) -> None:
            account = signed.account
            window.banner.hide()
            # Instead of the keyring notice (the demo signs itself in at every start anyway),
            # and again after signing out and back in.
            window.set_standing_notice(
                account.hub_url,
                QCoreApplication.translate(
                    "demo",
                    "Demo: a practice hub on this computer with made-up people. "
                    "Nothing you record here reaches a real campaign.",
                ),
            )
            window.accept_account(account)

        tasks.run_net(start_and_sign_in, signed_in, failed, what="demo hub")

    try:
        return app.run(paths, None, on_window=begin)
    finally:
        hub.stop()

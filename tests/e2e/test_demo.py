"""`phonebank demo`: the local demo hub is seeded once, kept between runs, takes the demo
volunteer's sign-in, outlives the thread that started it, and stops with the app however the
app ends; a second app on the same folder says so and starts no second hub."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop.demo import DEMO_EMAIL, DEMO_PASSWORD, DemoHub, DemoHubError
from desktop.services.core import PhonebankCore
from sync.messages import Code
from tests.e2e.seed import query
from tests.support.hub_process import REPO_ROOT, free_port

DEADLINE = 60.0


def wait_for(condition: Callable[[], object], what: str, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)  # polling a condition with a deadline


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/openapi.json", timeout=2):
            return True
    except OSError:
        return False


def test_a_demo_hub_that_cannot_start_says_why_as_a_message(tmp_path: Path) -> None:
    # A damaged hub database: `phonebank-hub demo` fails, and its last words are the reason.
    (tmp_path / "hub.db").write_bytes(b"not a database" * 100)
    hub = DemoHub(tmp_path)
    with pytest.raises(DemoHubError) as failed:
        hub.start()
    assert failed.value.msg.code == Code.DEMO_HUB_SETUP_FAILED
    assert str(failed.value).startswith("The demo hub could not be set up: ")
    assert failed.value.msg.params["error"]  # the hub's own last line
    assert hub.process is None
    # Closing the app before the hub started: nothing is started, and it says so.
    (tmp_path / "hub.db").unlink()
    hub.stop()
    with pytest.raises(DemoHubError) as closing:
        hub.start()
    assert closing.value.msg.code == Code.DEMO_HUB_CLOSING
    assert hub.process is None


def test_demo_hub_outlives_its_starting_thread_keeps_its_data_and_is_seeded_once(
    tmp_path: Path,
) -> None:
    hub = DemoHub(tmp_path)
    # The app starts the hub from a pool thread that ends when idle; the hub must not.
    starter = threading.Thread(target=hub.start)
    starter.start()
    starter.join()
    try:
        assert hub.process is not None
        with pytest.raises(subprocess.TimeoutExpired):  # it would die at once, by SIGTERM
            hub.process.wait(timeout=3)
        core = PhonebankCore(tmp_path / "laptop", config_dir=tmp_path / "config")
        try:
            account = core.sign_in(hub.url, DEMO_EMAIL, DEMO_PASSWORD).account
            assert account.email == DEMO_EMAIL and account.has_token
            assert core.sync_once().ok
            lists = {row.name: row.id for c in core.campaigns() for row in c.lists}
            assert {"Ohio", "Texas", "Rhode Island", "Vermont"} <= set(lists)
            assert core.request_names(lists["Ohio"]).kind == "reserved"  # work done in this run
        finally:
            core.close()
    finally:
        hub.stop()
    assert hub.process.poll() is not None
    assert (tmp_path / "hub.db.seeded").read_text().count(DEMO_EMAIL) >= 1
    database_url = f"sqlite:///{tmp_path / 'hub.db'}"
    reservations = query(database_url, "SELECT id FROM reservations")
    assert reservations

    again = DemoHub(tmp_path)  # the next `phonebank demo` reuses the hub database
    assert again.url == hub.url  # and its address, which the laptop's account names
    try:
        assert answers(again.start())
    finally:
        again.stop()
    assert query(database_url, "SELECT count(*) FROM campaigns") == [(1,)]
    assert query(database_url, "SELECT count(*) FROM contacts") == [(2000,)]
    assert query(database_url, "SELECT id FROM reservations") == reservations

    (tmp_path / "hub.db").unlink()  # deleted by hand: the next run seeds a new one
    DemoHub(tmp_path).seed_once()
    assert query(database_url, "SELECT count(*) FROM campaigns") == [(1,)]
    assert query(database_url, "SELECT id FROM reservations") == []


class DemoApp:
    """`python -m desktop demo --data-dir DIR`, offscreen, as `make run` starts it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        env = dict(os.environ)
        env.update(
            QT_QPA_PLATFORM="offscreen",
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "desktop", "demo", "--data-dir", str(folder)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def settings(self) -> dict[str, object]:
        try:
            return dict(json.loads((self.folder / "config" / "settings.json").read_text()))
        except (OSError, ValueError):
            return {}

    def settings_written(self) -> int:
        path = self.folder / "config" / "settings.json"
        return path.stat().st_mtime_ns if path.exists() else 0

    def wait_signed_in(self, since: int = 0) -> str:
        """The hub URL the app signed in to, once it has (a sign-in writes the settings)."""
        wait_for(
            lambda: self.settings_written() > since and self.settings().get("email") == DEMO_EMAIL,
            "the demo sign-in",
        )
        return str(self.settings()["hub_url"])

    def hubs_started(self) -> int:
        return (self.folder / "hub.log").read_text().count("Uvicorn running on")

    def end(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


@pytest.fixture
def demo_apps(tmp_path: Path) -> Iterator[Callable[[], DemoApp]]:
    started: list[DemoApp] = []

    def start() -> DemoApp:
        started.append(DemoApp(tmp_path / "demo"))
        return started[-1]

    yield start
    for demo in started:
        demo.end()


def test_demo_app_is_single_instance_keeps_its_hub_and_stops_it_however_it_ends(
    demo_apps: Callable[[], DemoApp],
) -> None:
    first = demo_apps()
    url = first.wait_signed_in()
    assert answers(url)

    second = demo_apps()  # a second `make run` while the first is open
    _out, err = second.process.communicate(timeout=DEADLINE)
    assert second.process.returncode != 0
    assert "Phonebank is already open with the data folder" in err
    assert "Traceback" not in err
    assert first.hubs_started() == 1 and answers(url)

    first.process.send_signal(signal.SIGTERM)  # ends the event loop like closing the window
    assert first.process.wait(timeout=DEADLINE) == 0
    wait_for(lambda: not answers(url), "the demo hub to stop")
    assert "Finished server process" in (first.folder / "hub.log").read_text()

    seeded = (first.folder / "hub.db.seeded").stat().st_mtime_ns
    settings_written = first.settings_written()
    third = demo_apps()  # the next run: the same hub database, not seeded again
    assert third.wait_signed_in(since=settings_written) == url  # the same hub address
    assert third.hubs_started() == 2
    assert (first.folder / "hub.db.seeded").stat().st_mtime_ns == seeded
    third.process.kill()  # a crash: the hub dies with the app all the same
    third.process.wait(timeout=DEADLINE)
    wait_for(lambda: not answers(url), "the demo hub to stop after the app was killed")


def test_demo_hub_keeps_its_port_between_runs_and_moves_only_when_it_is_taken(
    tmp_path: Path,
) -> None:
    (tmp_path / "hub.port").write_text(str(free_port()))
    remembered = int((tmp_path / "hub.port").read_text())
    assert DemoHub(tmp_path).port == remembered
    with socket.socket() as taken:  # e.g. the organizer's own hub on that port
        taken.bind(("127.0.0.1", remembered))
        taken.listen()
        assert DemoHub(tmp_path).port != remembered

"""The issue's second proof: the app in its own process is SIGKILLed right after it shows
results as saved; started again, it sends every one of them, and the hub has each once."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.e2e.seed import VOLUNTEER_EMAIL, VOLUNTEER_PASSWORD, Seeded, query
from tests.support.hub_process import REPO_ROOT, HubProcess

CALLS = 6
LINE_TIMEOUT = 60.0  # seconds for the next line from the app; ends as soon as it comes


class AppProcess:
    """`python -m tests.e2e.app_driver` with its stdout read line by line on a thread."""

    def __init__(self, data_dir: Path, hub_url: str, *extra: str) -> None:
        env = dict(os.environ)
        env.update(
            QT_QPA_PLATFORM="offscreen",
            PHONEBANK_SYNC_INTERVAL="0.3",
            PHONEBANK_SYNC_MAX_BACKOFF="0.5",
            PHONEBANK_TEST_PASSWORD=VOLUNTEER_PASSWORD,
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        )
        args = [sys.executable, "-m", "tests.e2e.app_driver", "--data-dir", str(data_dir)]
        args += ["--hub", hub_url, "--email", VOLUNTEER_EMAIL, *extra]
        self.process = subprocess.Popen(
            args,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def next_line(self) -> str:
        try:
            line = self.lines.get(timeout=LINE_TIMEOUT)
        except queue.Empty:
            self.process.kill()
            pytest.fail("the app said nothing for a minute:\n" + "\n".join(self.seen))
        if line is None:
            pytest.fail("the app exited early:\n" + "\n".join(self.seen))
        self.seen.append(line)
        return line

    def wait_for(self, word: str) -> list[str]:
        """Lines up to and including the first one that starts with `word`."""
        got = []
        while True:
            line = self.next_line()
            got.append(line)
            if line.startswith(word):
                return got

    def say(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no clean-up of any kind
        self.process.wait()


def hub_rows(database_url: str) -> list[tuple[str, bool]]:
    return [
        (str(row[0]), bool(row[1]))
        for row in query(database_url, "SELECT id, quarantined FROM call_results")
    ]


@pytest.mark.parametrize("hub_while_calling", ["down", "up"])
def test_results_shown_as_saved_survive_sigkill_and_reach_the_hub_once(
    seeded_hub_db: Seeded, tmp_path: Path, hub_while_calling: str
) -> None:
    laptop = tmp_path / "laptop"
    hub = HubProcess(seeded_hub_db.database_url).start()
    app: AppProcess | None = None
    try:
        app = AppProcess(laptop, hub.url, "--calls", str(CALLS), "--wait-go")
        app.wait_for("READY")  # signed in, names on the laptop, first call on screen
        if hub_while_calling == "down":
            hub.stop()
        app.say("go")
        saved: list[str] = []
        while len(saved) < CALLS:
            line = app.next_line()
            if line.startswith("SAVED "):
                saved.append(line.split()[1])
        app.kill()  # right after the window said the last one was saved
        assert len(set(saved)) == CALLS

        if not hub.running:
            hub.restart()
        again = AppProcess(laptop, hub.url, "--calls", "0")
        pending = int(again.wait_for("PENDING")[-1].split()[1])
        if hub_while_calling == "down":
            assert pending == CALLS  # every result the window called saved is on disk
        else:
            assert pending + len(hub_rows(seeded_hub_db.database_url)) >= CALLS
        again.wait_for("SYNCED")
        assert again.process.wait(timeout=LINE_TIMEOUT) == 0

        rows = hub_rows(seeded_hub_db.database_url)
        assert sorted(result_id for result_id, _ in rows) == sorted(saved)  # each exactly once
        assert not any(quarantined for _, quarantined in rows)
    finally:
        if app is not None and app.process.poll() is None:
            app.kill()
        hub.close()

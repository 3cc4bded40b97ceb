"""The `phonebank` command: options, one app per data folder, the lazy core."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile
from pytestqt.qtbot import QtBot

from desktop.app import LOCK_NAME, LazyCore, build_core, offer_to_move_damaged_file
from desktop.paths import resolve
from desktop.services.errors import UserError
from desktop.ui.main_window import MainWindow
from desktop.ui.tasks import TaskRunner
from tests.support.hub_process import REPO_ROOT


def run_phonebank(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_names_the_options_and_the_demo() -> None:
    done = run_phonebank("--help")
    assert done.returncode == 0
    for word in ("--hub", "--data-dir", "demo"):
        assert word in done.stdout


def test_a_second_app_on_the_same_data_folder_says_so_plainly(tmp_path: Path) -> None:
    lock = QLockFile(str(tmp_path / LOCK_NAME))
    assert lock.tryLock(0)  # this test process plays the first app
    try:
        done = run_phonebank("--data-dir", str(tmp_path))
    finally:
        lock.unlock()
    assert done.returncode == 3
    assert done.stderr.strip() == (
        f"phonebank: Phonebank is already open with the data folder {tmp_path}. "
        "Switch to that window, or close it before opening Phonebank again."
    )
    assert "Traceback" not in done.stderr


def test_lazy_core_builds_once_and_retries_after_a_failure() -> None:
    built: list[int] = []
    failures = [UserError("The data file is damaged.")]

    class Core:
        def status(self) -> str:
            return "ok"

    def factory() -> Core:
        if failures:
            raise failures.pop()
        built.append(1)
        return Core()

    core = LazyCore(factory)
    with pytest.raises(UserError):
        core.status()
    assert isinstance(core.error, UserError) and not core.built
    assert core.status() == "ok" and core.status() == "ok"
    assert built == [1] and core.error is None


def test_an_unusable_data_folder_is_named_in_plain_words(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = run_phonebank("--data-dir", str(blocker / "data"))
    assert done.returncode == 2
    assert done.stderr.startswith(f"phonebank: Phonebank cannot use the folder {blocker}")
    assert "--data-dir" in done.stderr and "Traceback" not in done.stderr


def test_a_damaged_data_file_is_moved_aside_when_the_user_agrees(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = resolve(tmp_path).create()
    paths.database.write_bytes(b"this is not a database at all")
    core = LazyCore(lambda: build_core(paths, None))
    tasks = TaskRunner()
    window = MainWindow(core, tasks, sync_interval=3600)
    qtbot.addWidget(window)
    questions: list[str] = []
    window.recover_start = lambda: offer_to_move_damaged_file(
        core, window, ask=lambda _w, problem: questions.append(problem) or True
    )
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.sign_in, timeout=10_000)
    try:
        assert len(questions) == 1 and str(paths.database) in questions[0]
        assert window.sign_in.error.text() == ""  # started afresh
        kept = list(tmp_path.glob("phonebank.db.corrupt-*"))
        assert [p.read_bytes() for p in kept if p.suffix not in ("-wal", "-shm")] == [
            b"this is not a database at all"
        ]
    finally:
        tasks.wait_for_all()
        core.close()


def test_with_quit_when_usable_the_app_says_so_and_exits(tmp_path: Path) -> None:
    """What `make bench` times: a fresh start reaches the sign-in form, says so, exits 0."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PHONEBANK_QUIT_WHEN_USABLE="1")
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(tmp_path)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "phonebank: usable: signInScreen"

"""`phonebank --self-test`: a working install passes with a line per check and exit 0; a
broken local store fails with a plain sentence and exit 1, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.self_test import run_self_test
from tests.support.hub_process import REPO_ROOT


def test_self_test_passes_offscreen_without_touching_the_users_folders(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # it must go offscreen by itself
    env.pop("DISPLAY", None)
    user = tmp_path / "user"
    env.update(
        PHONEBANK_DATA_DIR=str(user / "data"),
        PHONEBANK_CONFIG_DIR=str(user / "config"),
        PHONEBANK_LOG_DIR=str(user / "logs"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
    )
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--self-test"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "Phonebank self-test OK."
    assert any(line.startswith("  ok  local store: written and read back") for line in lines)
    assert any(line.startswith("  ok  main window: opened offscreen") for line in lines)
    assert "Traceback" not in done.stderr
    assert not user.exists()


def test_self_test_fails_in_plain_words_on_a_damaged_store(tmp_path: Path) -> None:
    (tmp_path / "phonebank.db").write_bytes(b"this is not a database, " * 100)
    lines: list[str] = []
    assert run_self_test(tmp_path, out=lines.append) == 1
    assert lines[-1] == "Phonebank self-test FAILED."
    assert lines[-2].startswith("  FAILED  local store: The data file")
    assert "is not a Phonebank database or is damaged" in lines[-2]
    assert not any("main window" in line for line in lines)

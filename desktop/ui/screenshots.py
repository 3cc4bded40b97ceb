"""Render the main screens to PNG: `python -m desktop.ui.screenshots DIR` (`make screenshots`).

Uses the in-memory sample core (realistic names, a branching script), the real widgets and
stylesheet, at 1280×800, offscreen: sign-in.png, list.png, call.png; and the call screen at
the sizes it must work at (issue 12): call-800x600.png, call-1024x600.png, call-1280x800.png,
call-1920x1080.png; call-script-es.png (the script read in Spanish).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

SIZE = (1280, 800)
CALL_SIZES = ((800, 600), (1024, 600), (1280, 800), (1920, 1080))


def render(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.ui.app_style import apply_style
    from desktop.ui.main_window import MainWindow
    from desktop.ui.sample_core import SampleCore
    from desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_style(app)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def settle(condition: Callable[[], bool], timeout: float = 15.0) -> None:
        """Run the event loop until `condition` holds (the worker thread has answered)."""
        deadline = time.monotonic() + timeout
        while not condition() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)
        for _ in range(10):
            app.processEvents()

    def shoot(window: MainWindow, name: str) -> None:
        path = out_dir / name
        window.grab().save(str(path))
        written.append(path)

    def window_for(core: SampleCore) -> tuple[MainWindow, TaskRunner]:
        tasks = TaskRunner()
        window = MainWindow(core, tasks, sync_interval=3600)
        window.ask_close_mid_call = lambda _name: "discard"  # a sample call, not a real one
        # The sample contacts are in New York: show them at 14:05 there, whatever the hour.
        window.work.call.card.clock = lambda: datetime(2026, 3, 3, 19, 5, tzinfo=UTC)
        window.resize(*SIZE)
        window.show()
        return window, tasks

    # Sign-in: a fresh laptop.
    core = SampleCore(signed_in=False)
    window, tasks = window_for(core)
    window.start()
    settle(lambda: tasks.busy == 0 and window.pages.currentWidget() is window.sign_in)
    window.sign_in.hub_url.setText("https://hub.neighborsforohio.org")
    window.sign_in.email.setText("sam.rivera@example.org")
    shoot(window, "sign-in.png")
    window.close()

    # Choose a state, with the goal.
    core = SampleCore()
    window, tasks = window_for(core)
    window.start()
    settle(lambda: tasks.busy == 0 and window.work.call.view is not None)
    window.show_campaigns()
    settle(lambda: tasks.busy == 0)
    shoot(window, "list.png")

    # The call screen, a few names in: one done, one call back, one do-not-call.
    core.set_state(3, "done")
    core.set_state(4, "call_back")
    core.set_state(5, "dnc")
    window.work.reload()
    window.show_work()
    settle(lambda: tasks.busy == 0)
    window.work.call.script.choose_number(1)  # "Yes" -> the polling place question
    settle(lambda: tasks.busy == 0)
    shoot(window, "call.png")
    for width, height in CALL_SIZES:
        window.resize(width, height)
        settle(lambda: tasks.busy == 0)
        shoot(window, f"call-{width}x{height}.png")
    # The same call with the script switched to Spanish (F4): the interface stays English.
    window.resize(*SIZE)
    window.work.call.language.next_language()
    settle(lambda: tasks.busy == 0)
    shoot(window, "call-script-es.png")
    window.close()
    tasks.wait_for_all()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0] if args else "docs/screenshots")
    for path in render(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

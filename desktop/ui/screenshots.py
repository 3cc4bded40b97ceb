"""Render the main screens to PNG: `python -m desktop.ui.screenshots DIR` (`make screenshots`).

Uses the in-memory sample core (realistic names, a branching script), the real widgets and
stylesheet, at 1280×800, offscreen: sign-in.png, list.png, call.png; and the call screen at
the sizes it must work at (issue 12): call-800x600.png, call-1024x600.png, call-1280x800.png,
call-1920x1080.png; call-script-es.png (the script read in Spanish).

Variants (issue 15), each a run of its own: `--language es` (call-es-*.png, sign-in-es.png),
`--scale 2` (QT_SCALE_FACTOR=2: call-200pct-*.png at the screens 200% is used on),
`--high-contrast` (call-high-contrast.png, sign-in-high-contrast.png).
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
# The screens each variant is shown at (in the screen's own pixels).
VARIANT_SIZES = {
    "es": ((1024, 600), (1280, 800)),
    "200pct": ((1920, 1080), (2560, 1600)),
    "high-contrast": ((1280, 800),),
}


def render(out_dir: Path, *, language: str = "en", variant: str = "") -> list[Path]:
    """Every screen (`variant` ""), or the call screen (and sign-in) as `variant` names them:
    "es" (in `language`), "200pct" (the process runs at QT_SCALE_FACTOR=2), "high-contrast"."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.ui.app_style import apply_style
    from desktop.ui.main_window import MainWindow
    from desktop.ui.sample_core import SampleCore
    from desktop.ui.tasks import TaskRunner
    from desktop.ui.translations import install_language

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_language(app, language)
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

    dash = f"-{variant}" if variant else ""
    # Sign-in: a fresh laptop.
    core = SampleCore(signed_in=False)
    window, tasks = window_for(core)
    window.start()
    settle(lambda: tasks.busy == 0 and window.pages.currentWidget() is window.sign_in)
    window.sign_in.hub_url.setText("https://hub.neighborsforohio.org")
    window.sign_in.email.setText("sam.rivera@example.org")
    if variant != "200pct":
        shoot(window, f"sign-in{dash}.png")
    window.close()

    # Choose a state, with the goal.
    core = SampleCore()
    window, tasks = window_for(core)
    window.start()
    settle(lambda: tasks.busy == 0 and window.work.call.view is not None)
    window.show_campaigns()
    settle(lambda: tasks.busy == 0)
    if not variant:
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
    if not variant:
        shoot(window, "call.png")
    for width, height in VARIANT_SIZES.get(variant, CALL_SIZES):
        # At 200% the window is sized in the screen's pixels: 1920x1080 is 960x540 to Qt.
        scale = 2 if variant == "200pct" else 1
        window.resize(width // scale, height // scale)
        settle(lambda: tasks.busy == 0)
        shoot(window, f"call{dash}-{width}x{height}.png")
    if not dash:
        # The same call with the script switched to Spanish (F4): the interface stays English.
        window.resize(*SIZE)
        window.work.call.language.next_language()
        settle(lambda: tasks.busy == 0)
        shoot(window, "call-script-es.png")
    window.close()
    tasks.wait_for_all()
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m desktop.ui.screenshots")
    parser.add_argument("out_dir", nargs="?", default="docs/screenshots", type=Path)
    parser.add_argument("--language", choices=("en", "es"), default="en")
    parser.add_argument("--scale", type=int, choices=(1, 2), default=1)
    parser.add_argument("--high-contrast", action="store_true")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    variant = ""
    if args.language != "en":
        variant = args.language
    elif args.scale == 2:
        variant = "200pct"
        os.environ["QT_SCALE_FACTOR"] = "2"  # read when the QApplication is made
    elif args.high_contrast:
        variant = "high-contrast"
        os.environ["PHONEBANK_HIGH_CONTRAST"] = "1"
    for path in render(args.out_dir, language=args.language, variant=variant):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Read the running app through AT-SPI, as a Linux screen reader does (docs/accessibility.md).

    xvfb-run -a dbus-run-session -- python3 packaging/atspi_check.py

Needs Debian's at-spi2-core and python3-pyatspi (run with the system python3, which has
pyatspi). Starts the app with the sample data on xcb with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1
(the venv's python), prints every control it finds on the call screen with its role, name and
description, answers the first question, and prints the announcements and description changes
that reach the bus. Exit status 1 when the app is not found or an announcement is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
APP_NAME = "phonebank-atspi-check"
INTERACTIVE = {
    "push button",
    "toggle button",
    "check box",
    "text",
    "password text",
    "combo box",
    "list",
    "tree",
    "tree table",
    "table",
    "spin button",
    "date editor",
    "menu item",
    "page tab",
    "slider",
    "radio button",
}

APP_CODE = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([{APP_NAME!r}])
app.setApplicationName({APP_NAME!r})
from desktop.ui.translations import install_language
install_language(app, "en")
from desktop.ui.app_style import apply_style
apply_style(app)
from desktop.ui.main_window import MainWindow
from desktop.ui.sample_core import SampleCore
from desktop.ui.tasks import TaskRunner
tasks = TaskRunner()
window = MainWindow(SampleCore(), tasks, sync_interval=3600)
window.ask_close_mid_call = lambda _name: "discard"
window.resize(1280, 800)
window.show()
window.start()
# The checker writes "answer" on stdin once it listens: key 1 answers question 1.
from PySide6.QtCore import QSocketNotifier
notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
def command():
    line = sys.stdin.readline().strip()
    if line == "answer":
        window.work.call.script.choose_number(1)
    elif line in ("quit", ""):
        app.quit()
notifier.activated.connect(command)
sys.exit(app.exec())
"""


def main() -> int:
    import pyatspi
    from gi.repository import GLib

    env = dict(
        os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_QPA_PLATFORM="xcb", LANGUAGE="en"
    )
    app = subprocess.Popen(
        [str(VENV_PYTHON), "-c", APP_CODE], cwd=ROOT, env=env, stdin=subprocess.PIPE, text=True
    )
    try:
        target = find_app(pyatspi, timeout=30)
        if target is None:
            print("FAILED: the app did not appear on the AT-SPI bus")
            return 1
        print(f"found {target.name!r} on the AT-SPI bus")
        time.sleep(2)  # the call screen fills in from the worker thread
        controls = list(walk(pyatspi, target))
        for role, name, description in controls:
            print(f"  {role:14} {name!r:42} {description!r}")
        unnamed = [c for c in controls if not c[1].strip()]
        print(f"{len(controls)} controls, {len(unnamed)} without a name")
        heard: list[str] = []

        def on_event(event) -> None:
            detail = event.any_data if isinstance(event.any_data, str) else ""
            heard.append(f"{event.type} {detail}")

        for kind in ("object:announcement", "object:property-change:accessible-description"):
            pyatspi.Registry.registerEventListener(on_event, kind)
        loop = GLib.MainLoop()
        GLib.timeout_add(500, lambda: (app.stdin.write("answer\n"), app.stdin.flush(), False)[2])
        GLib.timeout_add(3000, lambda: (loop.quit(), False)[1])
        loop.run()
        for line in heard:
            print("  event:", line)
        announced = any("announcement" in line and "Question 2" in line for line in heard)
        print("announcement of question 2:", "heard" if announced else "MISSING")
        return 0 if announced and not unnamed else 1
    finally:
        if app.poll() is None:
            app.stdin.write("quit\n")
            app.stdin.flush()
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()


def find_app(pyatspi, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            child = desktop.getChildAtIndex(index)
            if child is not None and child.name == APP_NAME:
                return child
        time.sleep(0.5)
    return None


def walk(pyatspi, node, depth: int = 0):
    if node is None or depth > 40:
        return
    states = node.getState()
    if not states.contains(pyatspi.STATE_SHOWING):
        return
    role = node.getRoleName()
    if role in INTERACTIVE:
        yield role, node.name or "", node.description or ""
    for index in range(node.childCount):
        yield from walk(pyatspi, node.getChildAtIndex(index), depth + 1)


if __name__ == "__main__":
    sys.exit(main())

"""Test-only driver: the real app (window + core, offscreen) operated by keystrokes.

    python -m tests.e2e.app_driver --data-dir DIR --hub URL --email E --calls N [--wait-go]

Signs in when asked (password from $PHONEBANK_TEST_PASSWORD), gets names, and records N
calls through the real call screen, printing `SAVED <uuid>` after the window reports each
result saved. With --wait-go it prints `READY` first and waits for a line on stdin. After N
calls it prints `DONE` and keeps running (the test kills it), or with --exit-when-synced waits
until every result is sent (`SYNCED`, exit 0). With --calls 0 it first prints `PENDING <n>`
(results waiting on disk), then waits until every result is sent (`SYNCED`, exit 0). Like the
real app it logs to the data folder's logs/ and saves its settings when it exits.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSocketNotifier, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.app import (
    LazyCore,
    acquire_lock,
    build_core,
    create_window,
    make_application,
    save_geometry,
    setup_logging,
)
from desktop.paths import resolve
from desktop.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
# The calls, in turn: keys for the script (or a disposition), then Ctrl+Enter.
CALLS: list[list[tuple[Qt.Key, Qt.KeyboardModifier]]] = [
    [(Qt.Key.Key_3, Qt.KeyboardModifier.NoModifier)],  # No -> done, contacted
    [(Qt.Key.Key_N, ALT)],  # no answer
    [(Qt.Key.Key_B, ALT)],  # busy
    [(Qt.Key.Key_L, ALT)],  # left a message
]


def say(line: str) -> None:
    print(line, flush=True)


class Driver:
    def __init__(self, window: MainWindow, args: argparse.Namespace) -> None:
        self.window = window
        self.args = args
        self.password = os.environ.get("PHONEBANK_TEST_PASSWORD", "")
        self.calls_left = args.calls
        self.done_calls = 0
        self.submitted_sign_in = False
        self.asked_for_names = False
        self.go = not args.wait_go
        self.said_ready = False
        self.saving = False
        self.stdin_notifier: QSocketNotifier | None = None
        window.sig_result_saved.connect(self.saved)
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self.step)
        self.timer.start()

    def keys(self, *keys: tuple[Qt.Key, Qt.KeyboardModifier]) -> None:
        for key, modifiers in keys:
            target = QApplication.focusWidget() or self.window
            QTest.keyClick(target, key, modifiers)

    def text(self, text: str) -> None:
        target = QApplication.focusWidget() or self.window
        QTest.keyClicks(target, text)

    def step(self) -> None:
        window = self.window
        page = window.pages.currentWidget()
        if page is window.sign_in:
            if not self.submitted_sign_in and window.sign_in.hub_url.text() == "":
                window.sign_in.hub_url.setFocus()
                self.text(self.args.hub)
            if not self.submitted_sign_in and window.sign_in.sign_in_button.isEnabled():
                self.submitted_sign_in = True
                window.sign_in.email.setText(self.args.email)
                window.sign_in.password.setFocus()
                self.text(self.password)
                self.keys((Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
            return
        finished = self.args.exit_when_synced and self.done_calls and self.calls_left <= 0
        if self.args.calls == 0 or finished:
            report = window.scheduler.last_report
            sent = window.status.pending_count.text() == "All results sent"
            if report is not None and report.ok and sent:
                say("SYNCED")
                QApplication.quit()
            return
        if page is window.campaigns and not self.asked_for_names:
            picker = window.campaigns.list_picker
            if picker.count() and picker.currentItem() is not None:
                self.asked_for_names = True
                picker.setFocus()
                self.keys((Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
            return
        view = window.work.call.view
        if page is not window.work or view is None or self.saving or self.calls_left <= 0:
            return
        if not self.go:
            if not self.said_ready:
                self.said_ready = True
                self.wait_for_go()
                say("READY")
            return
        self.saving = True
        self.keys(*CALLS[self.done_calls % len(CALLS)])
        self.keys((Qt.Key.Key_Return, CTRL))

    def saved(self, result_id: str) -> None:
        say(f"SAVED {result_id}")
        self.saving = False
        self.done_calls += 1
        self.calls_left -= 1
        if self.calls_left == 0:
            say("DONE")

    def wait_for_go(self) -> None:
        notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)

        def read() -> None:
            sys.stdin.readline()
            notifier.setEnabled(False)
            self.go = True

        notifier.activated.connect(read)
        self.stdin_notifier = notifier


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="app_driver")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--hub", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--calls", type=int, default=0)
    parser.add_argument("--wait-go", action="store_true")
    parser.add_argument("--exit-when-synced", action="store_true")
    args = parser.parse_args(argv)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application(sys.argv[:1])
    paths = resolve(Path(args.data_dir)).create()
    setup_logging(paths.log)
    lock = acquire_lock(paths.data)
    if lock is None:
        say("LOCKED")
        return 3
    core = LazyCore(lambda: build_core(paths, None))
    if args.calls == 0:
        # What survived on disk, before anything is sent: results waiting in the outbox.
        say(f"PENDING {core.status().pending}")
    window, tasks = create_window(core)
    window.show()
    window.start()
    keep: list[Callable[[], None] | Driver] = [Driver(window, args)]
    try:
        return app.exec()
    finally:
        del keep
        window.scheduler.stop()
        tasks.wait_for_all()
        save_geometry(window, core)
        core.close()
        lock.unlock()


if __name__ == "__main__":
    sys.exit(main())

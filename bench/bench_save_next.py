"""Save a result and show the next contact, with 100,000 contacts on the laptop.

Two measurements on the same store, one after the other:
- core: `record_result` + `next_contact_id` + `call_view`, exactly the one database task
  the window runs for Save & next;
- window (the figure that counts): the real main window offscreen, keys pressed like a
  volunteer (answers or Alt+letter, then Ctrl+Enter), timed from Ctrl+Enter until the
  window has saved, shown the next contact and painted.
Limit: a bare sqlite3 INSERT + COMMIT of one row, WAL with synchronous=FULL, in the same
folder (the durability every save must pay).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import local_list
from bench.common import emit, log, median, ms, parse_args, percentile, row, work_dir

NAME = "save_next_p99"
TARGET_MS = 15.0
CONTACTS = 100_000
WARM_UP = 10  # first saves pay one-time imports and caches; not counted
DISPOSITIONS = ("contacted", "no_answer", "busy", "left_message", "refused")


def bare_commits(folder: Path, count: int) -> list[float]:
    """Seconds per INSERT + COMMIT with sqlite3 alone (WAL, synchronous=FULL)."""
    conn = sqlite3.connect(folder / "bare.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE results (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    body = "x" * 400  # about a result's size
    times = []
    for _ in range(count + WARM_UP):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO results (body) VALUES (?)", (body,))
        conn.execute("COMMIT")
        times.append(time.perf_counter() - start)
    conn.close()
    return times[WARM_UP:]


def core_saves(core: object, count: int) -> list[float]:
    from desktop.services.views import ResultDraft

    times = []
    contact_id = core.next_contact_id(None)  # type: ignore[attr-defined]
    view = core.call_view(contact_id)  # type: ignore[attr-defined]
    for i in range(count + WARM_UP):
        disposition = DISPOSITIONS[i % len(DISPOSITIONS)]
        answers = {"support": "yes"} if disposition == "contacted" else {}
        draft = ResultDraft(contact_id=view.contact_id, disposition=disposition, answers=answers)
        start = time.perf_counter()
        core.record_result(draft)  # type: ignore[attr-defined]
        next_id = core.next_contact_id(draft.contact_id)  # type: ignore[attr-defined]
        view = core.call_view(next_id)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
    return times[WARM_UP:]


def window_saves(core: object, count: int) -> list[float]:
    """Through the real window: keys in, until the next contact is shown and painted."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop.app import create_window, make_application

    app = make_application(sys.argv[:1])
    window, tasks = create_window(core)
    window.show()
    window.show_work()
    window.work.reload(open_next=True)
    deadline = time.monotonic() + 120
    while window.work.call.view is None or window.work.list_panel.current_list is None:
        if time.monotonic() > deadline:
            raise RuntimeError("the window never showed a contact")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    window.show_work()
    app.processEvents()
    alt, ctrl = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
    keys = {
        "contacted": [(Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier)],  # support: yes
        "no_answer": [(Qt.Key.Key_N, alt)],
        "busy": [(Qt.Key.Key_B, alt)],
        "left_message": [(Qt.Key.Key_L, alt)],
        "refused": [(Qt.Key.Key_R, alt)],
    }
    saved = QEventLoop()
    window.sig_result_saved.connect(lambda _id: saved.quit())
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(saved.quit)
    times = []
    for i in range(count + WARM_UP):
        shown = window.work.call.view
        for key, modifiers in keys[DISPOSITIONS[i % len(DISPOSITIONS)]]:
            QTest.keyClick(QApplication.focusWidget() or window, key, modifiers)
        start = time.perf_counter()
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return, ctrl)
        watchdog.start(10_000)
        saved.exec()
        app.processEvents()  # the repaint of what changed
        elapsed = time.perf_counter() - start
        watchdog.stop()
        if window.work.call.view is shown or window.work.call.view is None:
            raise RuntimeError(f"save {i} did not show the next contact")
        times.append(elapsed)
    window.close()
    tasks.wait_for_all()
    return times[WARM_UP:]


def main() -> int:
    args = parse_args(__doc__ or "")
    started = time.monotonic()
    contacts = 2_000 if args.quick else CONTACTS
    count = 20 if args.quick else 300
    with work_dir("save-next") as folder:
        log(f"seeding a laptop store with {contacts:,} contacts")
        local_list.seed(folder, contacts)
        from desktop.services.core import PhonebankCore

        core = PhonebankCore(folder)
        try:
            log(f"core: {count} saves (+{WARM_UP} warm-up)")
            core_times = core_saves(core, count)
            log(f"window: {count} saves through the real window, offscreen")
            window_times = window_saves(core, count)
        finally:
            core.close()
        log(f"limit: {count} bare sqlite3 commits in the same folder")
        bare = bare_commits(folder, count)
    p50, p99 = ms(median(window_times)), ms(percentile(window_times, 99))
    core50, core99 = ms(median(core_times)), ms(percentile(core_times, 99))
    bare50, bare99 = ms(median(bare)), ms(percentile(bare, 99))
    log(f"window p50 {p50:.1f} p99 {p99:.1f} ms; core p50 {core50:.1f} p99 {core99:.1f} ms; "
        f"bare commit p50 {bare50:.2f} p99 {bare99:.2f} ms")  # fmt: skip
    detail = (
        f"real window offscreen, p50 {p50:.1f} ms; core alone p50 {core50:.1f} / p99 "
        f"{core99:.1f} ms; {contacts:,} contacts, {count} saves; bare commit p50 {bare50:.2f} ms"
    )
    emit(
        [
            row(NAME, p99, "ms", target=TARGET_MS, target_op="<=", limit=bare99,
                limit_note="p99 of a bare sqlite3 INSERT+COMMIT, synchronous=FULL",
                detail=detail, started=started)
        ]
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

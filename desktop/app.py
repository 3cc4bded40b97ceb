"""Composition root: the QApplication, the core, the task runner and the main window.

The window shows first; the real core (SQLite, requests, the sync engine) is built on the
database worker at its first use, so a cold start is not held up by opening the store.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QLockFile,
    QObject,
    QTimer,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import APP_NAME, ORG_NAME, __version__
from desktop.db_worker import DbWorker
from desktop.paths import AppPaths
from desktop.ui.app_style import apply_style
from desktop.ui.main_window import MainWindow
from desktop.ui.pyside_imports import skip_source_scan_of_non_qt_modules
from desktop.ui.tasks import TaskRunner
from desktop.ui.translations import effective_language, install_language

log = logging.getLogger("phonebank")
LOCK_NAME = "phonebank.lock"
# For benchmarks: print USABLE_LINE and the page's name (e.g. `phonebank: usable:
# signInScreen`) and quit, once the first usable page is on screen.
QUIT_WHEN_USABLE_ENV = "PHONEBANK_QUIT_WHEN_USABLE"
USABLE_LINE = "phonebank: usable"


class LazyCore:
    """Stands in for `PhonebankCore`; builds it on first use, from whichever thread asks.

    The first caller is the database worker (the window's first task), so the store is
    opened off the GUI thread. A failure to build (a damaged data file) is raised to that
    caller as the store's own plain-words error, and retried on the next call.
    """

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._core: Any = None
        self._lock = threading.Lock()
        self.error: Exception | None = None  # why the last build failed

    def _get(self) -> Any:
        with self._lock:
            if self._core is None:
                try:
                    self._core = self._factory()
                except Exception as exc:
                    self.error = exc
                    raise
                self.error = None
            return self._core

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)

    @property
    def built(self) -> bool:
        return self._core is not None

    def close(self) -> None:
        with self._lock:
            if self._core is not None:
                self._core.close()


def setup_logging(log_dir: Path) -> None:
    """Log to a rotating file in the log directory (never tokens or passwords)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / "phonebank.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def install_excepthook(window_getter: Callable[[], MainWindow | None]) -> None:
    """An unexpected error is logged and told in one sentence, never as a traceback."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error", exc_info=(kind, exc, tb))
        window = window_getter()
        if window is not None:
            window.statusBar().showMessage(
                QCoreApplication.translate(
                    "app", "Something went wrong; the details were written to the log file."
                ),
                10_000,
            )

    sys.excepthook = hook


def make_application(argv: list[str]) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    install_language(app, effective_language(""))  # the system's, until the settings say
    apply_style(app)
    return app


def apply_language_setting(app: QApplication, paths: AppPaths) -> str:
    """The language chosen in the app (settings.json), else the system's; returns its code."""
    from desktop.settings import Settings

    language = effective_language(Settings.load(paths.settings).language)
    install_language(app, language)
    return language


def quit_on_signals(app: QApplication) -> QTimer:
    """Ctrl+C or SIGTERM closes the app the normal way (so the clean-up after the event loop
    runs). Qt's loop does not return to Python by itself, so a timer lets Python's signal
    handlers run now and then."""

    def stop(_signum: int, _frame: object) -> None:
        app.quit()

    for name in ("SIGINT", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(300)
    return timer


def acquire_lock(data_dir: Path) -> QLockFile | None:
    """One app per data folder: the lock, or None when another Phonebank holds it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / LOCK_NAME))
    lock.setStaleLockTime(0)  # a crashed instance's lock is detected by its dead pid
    if lock.tryLock(200):
        return lock
    return None


def folder_problem(exc: OSError) -> str:
    """A data/config/log folder that cannot be created or written, in plain words."""
    where = exc.filename or "the data folder"
    reason = exc.strerror or str(exc)
    return (
        f"Phonebank cannot use the folder {where} ({reason}). "
        "Choose another one with --data-dir, or check its permissions."
    )


def already_running_message(data_dir: Path) -> str:
    return (
        f"Phonebank is already open with the data folder {data_dir}. "
        "Switch to that window, or close it before opening Phonebank again."
    )


def tell(app: QApplication, message: str) -> None:
    """Say `message` on stderr and, with a real screen, in a dialog."""
    print(f"phonebank: {message}", file=sys.stderr)
    if app.platformName() not in ("offscreen", "minimal"):
        QMessageBox.warning(None, APP_NAME, message)


def ask_to_move_damaged_file(window: MainWindow, problem: str) -> bool:
    """Ask whether to move the damaged data file aside (no when nobody can answer)."""
    if QApplication.platformName() in ("offscreen", "minimal"):
        return False  # no screen: the sign-in form shows the store's message instead
    answer = QMessageBox.question(
        window,
        QCoreApplication.translate("app", "Damaged data file"),
        QCoreApplication.translate(
            "app",
            "%1\n\nMove the damaged file aside and start with an empty one? It is kept "
            "next to the original, so nothing is deleted.",
        ).replace("%1", problem),
    )
    return answer == QMessageBox.StandardButton.Yes


def offer_to_move_damaged_file(
    core: LazyCore,
    window: MainWindow,
    ask: Callable[[MainWindow, str], bool] = ask_to_move_damaged_file,
) -> bool:
    """After a failed start: if the data file is damaged, offer to move it aside (never
    deleted) and start afresh. True when the app should try starting again."""
    from desktop.store.db import CorruptStoreError, quarantine_corrupt_file

    error = core.error
    if not isinstance(error, CorruptStoreError) or error.path is None:
        return False
    from desktop.ui.messages import error_text

    if not ask(window, error_text(error) or error.message):
        return False
    moved = quarantine_corrupt_file(error.path)
    log.warning("moved damaged data file aside to %s", moved)
    return True


def build_core(paths: AppPaths, hub_url: str | None, db_worker: DbWorker | None = None) -> Any:
    """The real core (imported here: it pulls in SQLite, requests and the sync engine),
    writing on `db_worker` (the task runner's: one database thread for the whole app)."""
    from desktop.services.core import PhonebankCore

    return PhonebankCore(paths.data, hub_url=hub_url, config_dir=paths.config, db_worker=db_worker)


class _FirstPaint(QObject):
    """Calls `then` once, right after `widget` has painted for the first time."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            QTimer.singleShot(0, then)  # after this paint has reached the screen
        return False


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Run `then` once the window is on screen: the core is built after the first paint,
    so its imports (SQLite, requests, pydantic) never delay the window appearing."""
    _FirstPaint(widget, then)


def prepare_window(window: MainWindow, paths: AppPaths, hub_url: str | None) -> None:
    """Before the first paint, from the settings file alone (quick: no database yet): put
    the window where it was last time, and on a laptop nobody has signed in on yet, show
    the sign-in form at once, so it can be typed into while the core is still loading."""
    from desktop.settings import Settings

    settings = Settings.load(paths.settings)
    window.show_language_choice(settings.language)
    if settings.window_geometry:
        try:
            window.restoreGeometry(QByteArray.fromBase64(settings.window_geometry.encode("ascii")))
        except (UnicodeEncodeError, ValueError):
            log.warning("ignoring an unreadable saved window geometry")
    if not settings.email:
        window.show_sign_in(hub_url or settings.hub_url)


def quit_when_usable(window: MainWindow) -> None:
    """Measure a cold start: once the window is usable, paint it, say so on stdout, quit."""

    def report() -> None:
        window.repaint()  # what the user sees is on screen before we say so
        page = window.pages.currentWidget()
        print(f"{USABLE_LINE}: {page.objectName() if page else ''}", flush=True)
        QApplication.quit()

    # Deferred: the sign-in form may be usable before the event loop has started.
    window.sig_usable.connect(lambda: QTimer.singleShot(0, report))


def save_geometry(window: MainWindow, core: LazyCore) -> None:
    """Remember the window's place for next time (only when the core was opened)."""
    if not core.built:
        return
    try:
        core.settings.window_geometry = bytes(window.saveGeometry().toBase64().data()).decode()
        core.save_settings()
    except Exception:  # never let a preference stop the app from closing
        log.exception("could not save the window geometry")


def create_window(
    core: Any, *, sync_interval: float | None = None, tasks: TaskRunner | None = None
) -> tuple[MainWindow, TaskRunner]:
    tasks = tasks or TaskRunner()
    window = MainWindow(core, tasks, sync_interval=sync_interval)
    window.resize(1280, 800)
    return window, tasks


def run(
    paths: AppPaths, hub_url: str | None, *, on_window: Callable[..., None] | None = None
) -> int:
    """Open the app on `paths` (optionally against `hub_url`) and run until it closes."""
    skip_source_scan_of_non_qt_modules()  # before the core's imports (pydantic, requests)
    app = make_application(sys.argv[:1])
    try:
        paths.create()
        setup_logging(paths.log)
    except OSError as exc:
        tell(app, folder_problem(exc))
        return 2
    lock = acquire_lock(paths.data)
    if lock is None:
        tell(app, already_running_message(paths.data))
        return 3
    quit_on_signals(app)
    apply_language_setting(app, paths)  # before any widget exists: their texts are set once
    tasks = TaskRunner()
    core = LazyCore(lambda: build_core(paths, hub_url, tasks.db_worker))
    window, tasks = create_window(core, tasks=tasks)
    if os.environ.get(QUIT_WHEN_USABLE_ENV):
        quit_when_usable(window)
    prepare_window(window, paths, hub_url)
    install_excepthook(lambda: window)
    window.recover_start = lambda: offer_to_move_damaged_file(core, window)
    if on_window is not None:
        after_first_paint(window, lambda: on_window(window, tasks, core))
    else:
        after_first_paint(window, window.start)
    window.show()
    try:
        return app.exec()
    finally:
        window.scheduler.stop()
        tasks.wait_for_all()
        save_geometry(window, core)
        core.close()
        lock.unlock()

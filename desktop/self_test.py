"""`phonebank --self-test`: does this installation work? For support, installers and CI.

Offscreen (unless QT_QPA_PLATFORM names another platform) and against a temporary data
folder (the user's own data and keyring are never touched), it checks what a broken install
or bundle would lose first: the bundled resources, the TLS certificates, the local store
(created, written, read back) and the main window with the real core behind it. It prints
one short line per check and a final OK (exit 0), or the failed check in plain words
(exit 1), never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop import APP_NAME, __version__
from desktop.paths import AppPaths

WINDOW_TIMEOUT = 20.0
SELF_TEST_KEY = "self_test"


class SelfTestFailure(Exception):
    """A check failed; the message says what, in plain words."""


def check_resources() -> str:
    from desktop.ui.resources import icon_path, resources_dir, stylesheet

    if not icon_path().is_file():
        raise SelfTestFailure(f"the application icon is missing from {resources_dir()}")
    if not stylesheet():
        raise SelfTestFailure(f"the stylesheet is missing from {resources_dir()}")
    return f"resources: stylesheet and icon found in {resources_dir()}"


def check_certificates() -> str:
    from certifi import where

    bundle = Path(where())
    if not bundle.is_file() or bundle.stat().st_size == 0:
        raise SelfTestFailure(
            f"the TLS certificates ({bundle}) are missing: the app could not reach a hub"
        )
    return "TLS certificates: found"


def check_store(paths: AppPaths) -> str:
    """Create the data file, write a row, read it back in a new connection."""
    from desktop.store import Store, meta

    token = uuid.uuid4().hex
    store = Store(paths.database)
    try:
        with store.write() as conn:
            meta.put(conn, SELF_TEST_KEY, token)
    finally:
        store.close()
    store = Store(paths.database)  # opened again: checked, schema read, the row still there
    try:
        with store.read() as conn:
            if meta.get(conn, SELF_TEST_KEY) != token:
                raise SelfTestFailure(f"the data file {paths.database} lost what was written")
        with store.write() as conn:
            meta.put(conn, SELF_TEST_KEY, None)
    finally:
        store.close()
    return f"local store: written and read back (SQLite {sqlite3.sqlite_version})"


def check_window(paths: AppPaths) -> str:
    """The real main window on the real core, offscreen, until it shows the sign-in form."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QThread

    from desktop import app

    qt_app = app.make_application(sys.argv[:1])
    core = app.LazyCore(lambda: app.build_core(paths, None))
    window, tasks = app.create_window(core)
    try:
        window.show()
        window.start()
        deadline = time.monotonic() + WINDOW_TIMEOUT
        while window.pages.currentWidget() is not window.sign_in:
            if time.monotonic() > deadline:
                raise SelfTestFailure("the main window did not finish opening in time")
            qt_app.processEvents()
            QThread.msleep(10)  # a bounded wait for the database worker
        if core.error is not None:
            raise SelfTestFailure(f"the main window could not open the store: {core.error}")
        image = window.grab()
        if image.isNull() or image.width() < 100:
            raise SelfTestFailure("the main window could not be drawn")
        size = f"{image.width()}×{image.height()}"
        platform = qt_app.platformName()
    finally:
        window.scheduler.stop()
        tasks.wait_for_all()
        window.close()
        core.close()
    where = "offscreen" if platform == "offscreen" else f"on {platform}"
    return f"main window: opened {where} ({size}, Qt {pyside_version}) on the sign-in form"


def check_translations() -> str:
    """Every interface language loads (English too: its file holds the plural forms)."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from desktop.ui.translations import LANGUAGES, SOURCE_LANGUAGE, qm_folders

    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for language in LANGUAGES:
        ours = QTranslator()
        if not any(ours.load(f"phonebank_{language}", str(f)) for f in qm_folders()):
            raise SelfTestFailure(
                f"the {LANGUAGES[language]} translation (phonebank_{language}.qm) is missing"
            )
        if language != SOURCE_LANGUAGE and not QTranslator().load(f"qtbase_{language}", qt_folder):
            raise SelfTestFailure(
                f"Qt's own {LANGUAGES[language]} translation (qtbase_{language}.qm) is missing"
            )
    return "translations: " + ", ".join(LANGUAGES.values())


def describe_keyring() -> str:
    """Not a failure either way: without a keyring the app asks for the password instead."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring set-up is reported, not fatal
        return f"keyring: unavailable ({exc}); the password will be asked at each start"
    if isinstance(backend, fail.Keyring):
        return "keyring: none on this system; the password will be asked at each start"
    return f"keyring: {type(backend).__module__}.{type(backend).__name__}"


def run_self_test(folder: Path | None = None, out: Callable[[str], Any] = print) -> int:
    """Run every check (in `folder`, else a temporary folder); 0 when all passed."""
    # Offscreen: no window flashes on the user's screen. An explicit QT_QPA_PLATFORM wins, so
    # `make bundle-check` can also prove the real (xcb) platform plugin loads, under Xvfb.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out(f"{APP_NAME} {__version__} self-test (Python {sys.version.split()[0]})")
    with tempfile.TemporaryDirectory(prefix="phonebank-self-test-") as temporary:
        base = folder or Path(temporary)
        paths = AppPaths(data=base, config=base / "config", log=base / "logs").create()
        checks: list[tuple[str, Callable[[], str]]] = [
            ("resources", check_resources),
            ("certificates", check_certificates),
            ("local store", lambda: check_store(paths)),
            ("main window", lambda: check_window(paths)),
            ("translations", check_translations),
            ("keyring", describe_keyring),
        ]
        for name, check in checks:
            try:
                out(f"  ok  {check()}")
            except Exception as exc:  # every failure becomes one plain sentence
                message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
                out(f"  FAILED  {name}: {message}")
                out(f"{APP_NAME} self-test FAILED.")
                return 1
    out(f"{APP_NAME} self-test OK.")
    return 0

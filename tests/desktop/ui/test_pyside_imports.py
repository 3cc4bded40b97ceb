"""PySide6 does not read the source of modules that never use Qt (a cold start imports
SQLAlchemy and pydantic after the window shows); UI modules are still checked."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import PySide6.QtCore  # noqa: F401  (installs PySide6's import hook)

from desktop.ui.pyside_imports import skip_source_scan_of_non_qt_modules, uses_qt_unknown


def fake_module(name: str, folder: Path) -> types.ModuleType:
    path = folder / f"{name.replace('.', '_')}.py"
    path.write_text("from PySide6.QtCore import QObject\n")  # says "PySide6" in its source
    module = types.ModuleType(name)
    module.__file__ = str(path)
    return module


def test_only_modules_that_may_use_qt_are_read(tmp_path: Path) -> None:
    skip_source_scan_of_non_qt_modules()
    assert skip_source_scan_of_non_qt_modules() is False  # installed once
    feature = sys.modules["shibokensupport.feature"]
    check = feature._mod_uses_pyside
    assert check(fake_module("desktop.ui.fake_screen", tmp_path)) is True
    assert check(fake_module("tests.fake_test", tmp_path)) is True
    # A core or library module is not read at all (its source would say PySide6 here).
    assert check(fake_module("sqlalchemy.fake", tmp_path)) is False
    assert check(fake_module("desktop.services.fake", tmp_path)) is False


def test_which_modules_count_as_never_using_qt() -> None:
    for name in ("sqlalchemy.orm", "pydantic", "sync.protocol", "desktop.store.db", "json",
                 "http.client", "desktop.settings", "desktop.sync.engine"):  # fmt: skip
        assert not uses_qt_unknown(name), name
    for name in ("desktop.ui.main_window", "desktop.app", "pytestqt.plugin", "tests.e2e"):
        assert uses_qt_unknown(name), name

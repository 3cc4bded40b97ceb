"""Suite-wide set-up: offscreen Qt, an in-memory keyring, throwaway hub databases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Qt aborts without a display unless this is set before any QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Subprocesses (app and hub processes in e2e tests) use the same in-memory backend.
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.memory_keyring.MemoryKeyring"
# The laptop's store refuses a write transaction off its database worker (desktop/store/db.py):
# a write that bypasses the worker fails the test that makes it, app subprocesses included.
os.environ["PHONEBANK_STRICT_DB_THREAD"] = "1"

# The interface in English whatever this machine's language (the app follows the system's);
# tests of other languages say so.
os.environ["LANGUAGE"] = "en"

import keyring
import pytest

from tests.support.databases import postgres_database
from tests.support.memory_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


_qm_built = False


@pytest.fixture(autouse=True)
def english_interface(request: pytest.FixtureRequest) -> None:
    """Qt tests run with the app's English translation installed, as the app does: the
    source strings carry "%n result(s)", the English file says "1 result", "3 results"."""
    global _qm_built
    if not _qm_built:  # also for the app in subprocesses (self-test, e2e)
        from tests.support.translations import build_qm

        build_qm()
        _qm_built = True
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        return
    from PySide6.QtCore import QTranslator

    from desktop.ui.translations import install_language

    app = request.getfixturevalue("qapp")
    if not app.findChildren(QTranslator, "phonebankTranslator"):
        install_language(app, "en")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty hub database URL: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url

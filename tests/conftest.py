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

"""The hub's SQLite file holds password hashes and voter data: only its owner may read it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sync.hub import migrate
from sync.hub.db import make_engine


def test_the_sqlite_database_and_its_wal_are_owner_only(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # what most systems use: files readable by everyone
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
        migrate.upgrade(engine)
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM users")
            files = sorted(tmp_path.glob("hub.db*"))
            assert {"hub.db", "hub.db-wal", "hub.db-shm"} <= {f.name for f in files}
            for path in files:
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        engine.dispose()
    finally:
        os.umask(old_umask)

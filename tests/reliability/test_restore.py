"""The hub's database is restored from an older backup: the laptops notice (their cursor is
ahead of the hub's history), send every result they still keep again, and the hub ends up
holding every result made after the backup — once each."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.services.core import PhonebankCore
from tests.e2e.seed import VOLUNTEER_PASSWORD, Seeded, query
from tests.reliability.conftest import Figures
from tests.reliability.helpers import (
    Drain,
    hub_result_ids,
    import_list,
    list_id,
    make_calls,
    outbox_statuses,
    signed_in_with_list,
    sync_until_sent,
)
from tests.support.databases import PG_ADMIN_URL
from tests.support.hub_process import HubProcess, run_hub_cli

BEN = "ben@example.org"


class Backup:
    """An organizer's backup of the hub database, and restoring it (the hub stopped)."""

    def __init__(self, database_url: str, work_dir: Path) -> None:
        self.url = database_url
        self.sqlite = database_url.startswith("sqlite")
        self.copy = work_dir / "hub-backup.db"
        self.name = database_url.rsplit("/", 1)[1]

    def take(self) -> None:
        """A consistent copy while the hub runs (it is idle at that moment)."""
        if self.sqlite:  # the SQLite online backup API
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as live:
                target = sqlite3.connect(self.copy)
                live.backup(target)
                target.close()
        else:  # the hub's idle pooled sessions are ended; it reconnects (pool_pre_ping)
            self._admin(f'CREATE DATABASE "{self.name}_backup" TEMPLATE "{self.name}"')

    def restore(self) -> None:
        if self.sqlite:
            live = Path(self.url.removeprefix("sqlite:///"))
            for leftover in (
                live.with_name(live.name + "-wal"),
                live.with_name(live.name + "-shm"),
            ):
                leftover.unlink(missing_ok=True)
            # Into a new file, renamed over the old: a new inode. Copied in place, the file
            # kept its inode, and SQLite shares what it knows of an inode (its -shm mapping)
            # between the connections of one process: a connection this test process still
            # had open let the next one read through the deleted -shm ("disk I/O error").
            restoring = live.with_name(live.name + ".restoring")
            shutil.copyfile(self.copy, restoring)
            os.replace(restoring, live)
        else:
            self._admin(f'DROP DATABASE "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.name}_backup"')

    def drop(self) -> None:
        if not self.sqlite:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}_backup" WITH (FORCE)')

    def _admin(self, sql: str) -> None:
        import psycopg

        admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as conn:
            # A template must have no other sessions (pooled connections of the seeding).
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.name,),
            )
            conn.execute(sql)  # type: ignore[arg-type]


@contextmanager
def backups(database_url: str, work_dir: Path) -> Iterator[Backup]:
    backup = Backup(database_url, work_dir)
    try:
        yield backup
    finally:
        backup.drop()


def test_after_a_restore_from_an_older_backup_the_laptops_send_everything_again(
    seeded_hub_any_db: Seeded,
    hub_factory: Callable[..., HubProcess],
    laptop: Callable[..., PhonebankCore],
    figures: Figures,
    tmp_path: Path,
) -> None:
    url = seeded_hub_any_db.database_url
    added = run_hub_cli(url, "add-user", BEN, "--name", "Ben", stdin=VOLUNTEER_PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    import_list(seeded_hub_any_db, tmp_path, 40)
    hub = hub_factory(url)
    drain = Drain()
    ana = laptop("ana")
    signed_in_with_list(ana, hub.url, "Ohio")
    ohio = list_id(ana, "Ohio")
    before = make_calls(ana, ohio, 3, sync_every=3, drain=drain)

    with backups(url, tmp_path) as backup:
        backup.take()  # 03:00, the nightly backup
        # The morning: Ana calls on; Ben signs in and gets his first list.
        acknowledged = make_calls(ana, ohio, 4, sync_every=2, drain=drain)
        ben = laptop("ben")
        ben.sign_in(hub.url, BEN, VOLUNTEER_PASSWORD)
        assert ben.sync_once().ok
        assert ben.request_names(list_id(ben, "Big")).kind == "reserved"
        ben_sent = make_calls(ben, list_id(ben, "Big"), 5, sync_every=5, drain=drain)
        assert len(hub_result_ids(url)) == len(before + acknowledged + ben_sent)
        unsent = make_calls(ana, ohio, 2, sync_every=100, drain=drain)

        hub.kill()  # noon: the disk fails; the organizer restores last night's backup
        backup.restore()
        hub.restart()
        assert sorted(hub_result_ids(url)) == sorted(before)

        drain = sync_until_sent(ana, drain)
        # Ben signed in after the backup: the restored hub does not know his token. He is
        # asked for his password again; nothing he saved is touched meanwhile.
        refused = ben.sync_once()
        assert refused.needs_sign_in and outbox_statuses(ben).total() == len(ben_sent)
        ben.sign_in(hub.url, BEN, VOLUNTEER_PASSWORD)
        drain = sync_until_sent(ben, drain)
        assert ana.sync_once().reset is False and ben.sync_once().reset is False

    after_backup = acknowledged + ben_sent + unsent
    stored = hub_result_ids(url)
    assert sorted(stored) == sorted(before + after_backup)  # every one, once
    quarantined = {
        str(r[0]): r[1]
        for r in query(url, "SELECT id, quarantine_reason FROM call_results WHERE quarantined")
    }
    # Ana's list is in the backup: her calls count as before. Ben's list was granted after
    # the backup, so the restored hub has never heard of it: his calls are kept, flagged.
    assert not set(quarantined) & set(before + acknowledged + unsent)
    figures.add(
        f"{len(after_backup)} results made after the backup by 2 laptops, all on the hub "
        f"after the restore; {len(quarantined)} of them quarantined "
        f"({sorted(set(quarantined.values()))}); lost "
        f"{len(set(before + after_backup) - set(stored))}, "
        f"doubled {len(stored) - len(set(stored))}"
    )

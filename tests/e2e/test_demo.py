"""`phonebank demo`: the local demo hub is seeded once, answers, takes the demo volunteer's
sign-in, and stops with the app."""

from __future__ import annotations

from pathlib import Path

from desktop.__main__ import DEMO_EMAIL, DEMO_PASSWORD, DemoHub
from desktop.services.core import PhonebankCore
from tests.e2e.seed import query


def test_demo_hub_is_seeded_once_signs_in_the_volunteer_and_stops(tmp_path: Path) -> None:
    hub = DemoHub(tmp_path)
    try:
        url = hub.start()
        core = PhonebankCore(tmp_path / "laptop", config_dir=tmp_path / "config")
        try:
            account = core.sign_in(url, DEMO_EMAIL, DEMO_PASSWORD)
            assert account.email == DEMO_EMAIL and account.has_token
            assert core.sync_once().ok
            lists = {row.name for c in core.campaigns() for row in c.lists}
            assert {"Ohio", "Texas", "Rhode Island", "Vermont"} <= lists
        finally:
            core.close()
    finally:
        hub.stop()
    assert hub.process is not None and hub.process.poll() is not None
    assert (tmp_path / "hub.db.seeded").read_text().count(DEMO_EMAIL) >= 1

    again = DemoHub(tmp_path)  # the next `phonebank demo` reuses the hub database
    try:
        again.start()
    finally:
        again.stop()
    database_url = f"sqlite:///{tmp_path / 'hub.db'}"
    assert query(database_url, "SELECT count(*) FROM campaigns") == [(1,)]
    assert query(database_url, "SELECT count(*) FROM contacts") == [(2000,)]

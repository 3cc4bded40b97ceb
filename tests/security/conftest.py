"""Security tests use the hub fixtures (a migrated database on SQLite and PostgreSQL, the app
in-process, accounts with tokens) and the real hub process; see tests/hub/conftest.py."""

from tests.hub.conftest import (  # noqa: F401  (fixtures)
    client,
    clock,
    engine,
    hub_app,
    make_user,
    organizer,
    volunteer,
)
from tests.support.hub_process import hub_factory  # noqa: F401  (a fixture)

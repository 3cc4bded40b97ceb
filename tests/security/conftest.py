"""Security tests use the hub fixtures (a migrated database on SQLite and PostgreSQL, the app
in-process, accounts with tokens; tests/hub/conftest.py), the real hub process and the
end-to-end seed (tests/e2e/conftest.py)."""

from tests.e2e.conftest import seeded_hub_any_db, seeded_hub_db  # noqa: F401  (fixtures)
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

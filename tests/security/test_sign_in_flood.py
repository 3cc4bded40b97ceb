"""A stranger with no password cannot stall the hub for the volunteers signed in to it.

On SQLite every transaction holds the one write lock; a sign-in that was refused with its
throttle transaction still open kept the lock while the request waited for a free worker
thread to roll it back, and 40 refused sign-ins at once froze every route for the busy
timeout (`500 database is locked`). Here 200 bad sign-ins arrive at once, at an account that
is already being throttled and at others, while volunteers keep syncing: every volunteer
request must succeed, and nothing answers 5xx. (Their latency is a benchmark:
`bench/bench_sign_in_flood.py`, figures in docs/reliability.md.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.routing import APIRoute

from sync.hub.deps import HubRoute
from tests.hub.conftest import Account
from tests.security.sign_in_flood import _request, flood
from tests.support.hub_process import HubProcess


def test_a_flood_of_bad_sign_ins_does_not_stall_signed_in_volunteers(
    database_url: str,
    make_user: Callable[..., Account],
    hub_factory: Callable[..., HubProcess],
) -> None:
    target = make_user()
    others = [make_user() for _ in range(10)]
    volunteers = [make_user() for _ in range(4)]
    hub = hub_factory(database_url)
    # The target's owner mistyped enough to be throttled already (the reported trigger).
    for n in range(5):
        status, _ = _request(
            hub.api_url, "POST", "/auth/login", {"email": target.email, "password": f"no {n}"}
        )
        assert status == 401
    emails = [target.email] * 10 + [other.email for other in others]

    outcome = flood(hub.api_url, emails, [v.token for v in volunteers], guesses=200)

    assert len(outcome.guess_statuses) == 200
    assert set(outcome.guess_statuses) <= {401, 429}, Counter(outcome.guess_statuses)
    assert outcome.volunteer_statuses.count(200) == len(outcome.volunteer_statuses), Counter(
        outcome.volunteer_statuses
    )
    assert "database is locked" not in hub.log_text()


def test_every_sync_route_ends_its_transaction_in_its_own_thread(hub_app: FastAPI) -> None:
    # The guarantee above holds for routes made with HubRoute (sync/hub/deps.py); a router
    # made without it would bring the freeze back.
    # (FastAPI keeps each included router whole: its routes are the router's own.)
    routers = [r.original_router for r in hub_app.routes if hasattr(r, "original_router")]
    routes = [route for router in routers for route in router.routes]
    routes += [route for route in hub_app.routes if isinstance(route, APIRoute)]
    assert len(routes) >= 10
    assert [r.path for r in routes if not isinstance(r, HubRoute)] == []

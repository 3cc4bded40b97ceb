"""Caps on lists per volunteer cannot be raced: 12 requests at once from one volunteer,
each list given back at once, against a cap of 3 an hour, get no more than 3 lists, and
then exactly 3 in all, on a real hub process (SQLite's grant and PostgreSQL's one-statement
grant, several request threads)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.engine import Engine

from sync.hub.crud import campaigns as campaigns_crud
from sync.hub.db import session_scope
from tests.hub.conftest import Account
from tests.security.test_bulk_download import _post
from tests.support.hub_process import HubProcess
from tests.support.hub_seed import seed_list

CAP = 3


def test_parallel_requests_get_no_more_lists_than_the_cap(
    database_url: str,
    engine: Engine,
    make_user: Callable[..., Account],
    hub_factory: Callable[..., HubProcess],
) -> None:
    seeded = seed_list(engine, households=120, list_size=5, cooldown_seconds=0)
    with session_scope(engine) as session:
        campaign = campaigns_crud.get_campaign(session, seeded.campaign_id)
        assert campaign is not None
        campaigns_crud.update_campaign(session, campaign, max_lists_per_hour=CAP)
    volunteer = make_user()
    hub = hub_factory(database_url)

    def ask(_: int) -> tuple[int, str]:
        status, body = _post(
            hub.api_url + "/reservations", volunteer.token, {"call_list_id": seeded.list_id}
        )
        if status == 201:
            _post(f"{hub.api_url}/reservations/{body['id']}/release", volunteer.token)
        return status, str(body.get("detail", ""))

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(ask, range(12)))
    granted = sum(status == 201 for status, _ in answers)
    assert 1 <= granted <= CAP, answers  # never more than the cap, however timed
    # A refusal in the burst is the cap, or the (zero) cooldown of a list stamped a moment
    # after that request's own clock reading.
    assert {status for status, _ in answers} <= {201, 429}
    assert all(
        "You have had 3 lists" in detail or "You can ask for more names in 1 second" in detail
        for status, detail in answers
        if status == 429
    ), answers
    # One by one after the burst: the rest of the cap, then the cap's refusal.
    assert [ask(0)[0] for _ in range(CAP - granted)] == [201] * (CAP - granted)
    status, detail = ask(0)
    assert status == 429
    assert detail.startswith(f"You have had {CAP} lists from 'Campaign Ohio' in the last hour")
    assert f"the cap of {CAP} lists per hour was reached" in hub.log_text()

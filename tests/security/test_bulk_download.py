"""One volunteer cannot download a campaign's voters list after list by giving each back.

Releasing a list used to allow the next at once: with a 600 s cooldown one volunteer took
60 lists (all 300 names and phones) in 6.8 s. The cooldown now counts from the grant unless
most of the list was called, on a real hub process (SQLite and PostgreSQL's own grant).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.hub.conftest import Account
from tests.support.hub_process import HubProcess
from tests.support.hub_seed import seed_list


def _post(url: str, token: str, body: object | None = None) -> tuple[int, Any]:
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
        PROTOCOL_HEADER: str(PROTOCOL_VERSION),
    }
    data = json.dumps(body if body is not None else {}).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_giving_lists_back_does_not_hand_out_more_names(
    database_url: str,
    engine: Engine,
    make_user: Callable[..., Account],
    hub_factory: Callable[..., HubProcess],
) -> None:
    seeded = seed_list(engine, households=300, list_size=5, cooldown_seconds=600)
    volunteer = make_user()
    hub = hub_factory(database_url)
    statuses: list[int] = []
    names: set[int] = set()
    for _ in range(20):
        status, body = _post(
            hub.api_url + "/reservations", volunteer.token, {"call_list_id": seeded.list_id}
        )
        statuses.append(status)
        if status == 201:
            names |= {c["id"] for c in body["contacts"]}
            released = _post(f"{hub.api_url}/reservations/{body['id']}/release", volunteer.token)
            assert released[0] == 200
        else:
            assert status == 429 and 0 < body["retry_after"] <= 600
    assert Counter(statuses) == {201: 1, 429: 19}
    assert len(names) == 5

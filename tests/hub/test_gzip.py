"""Large answers travel compressed for clients that accept gzip (requests does by default)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.hub.conftest import Account
from tests.support.hub_seed import seed_list


@pytest.mark.parametrize(("accept", "encoding"), [("gzip", "gzip"), ("identity", None)])
def test_a_large_reservation_is_gzipped_only_for_clients_that_accept_it(
    client: TestClient,
    engine: Engine,
    make_user: Callable[..., Account],
    accept: str,
    encoding: str | None,
) -> None:
    seeded = seed_list(engine, households=40, list_size=40)
    volunteer = make_user()
    response = client.post(
        "/api/v1/reservations",
        json={"call_list_id": seeded.list_id},
        headers={**volunteer.headers, "Accept-Encoding": accept},
    )
    assert response.status_code == 201, response.text
    assert response.headers.get("content-encoding") == encoding
    assert len(response.json()["contacts"]) == 40  # decoded transparently

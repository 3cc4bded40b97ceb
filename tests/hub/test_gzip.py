"""Large answers travel compressed for clients that accept gzip (requests does by default)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.hub.conftest import Account
from tests.support.hub_seed import seed_list


def test_a_large_reservation_is_sent_gzipped_and_reads_the_same(
    client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    seeded = seed_list(engine, households=40, list_size=40)
    volunteer = make_user()
    response = client.post(
        "/api/v1/reservations",
        json={"call_list_id": seeded.list_id},
        headers={**volunteer.headers, "Accept-Encoding": "gzip"},
    )
    assert response.status_code == 201, response.text
    assert response.headers["content-encoding"] == "gzip"
    assert len(response.json()["contacts"]) == 40  # decoded transparently


def test_a_client_without_gzip_gets_the_large_answer_plain(
    client: TestClient, engine: Engine, make_user: Callable[..., Account]
) -> None:
    seeded = seed_list(engine, households=40, list_size=40)
    volunteer = make_user()
    response = client.post(
        "/api/v1/reservations",
        json={"call_list_id": seeded.list_id},
        headers={**volunteer.headers, "Accept-Encoding": "identity"},
    )
    assert response.status_code == 201, response.text
    assert "content-encoding" not in response.headers
    assert len(response.json()["contacts"]) == 40

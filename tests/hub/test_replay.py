"""Proof: however results are replayed, a real hub stores each exactly once.

Several threads (the laptop's upload loop, a second copy of the app, a retry timer...) send the
same results to a real `phonebank-hub serve` at once: in shuffled batches of random sizes, each
batch sent twice, and some sent with a read timeout so short that the reply is lost after the
hub did the work. Afterwards every result is stored once, its effects were applied once (each
contact's attempts is exactly 1), the statuses seen are consistent, and a result re-sent with
other content is a conflict that leaves the original untouched.
"""

from __future__ import annotations

import contextlib
import random
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import requests
from sqlalchemy import text
from sqlalchemy.engine import Engine

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.hub.conftest import Account
from tests.support.hub_process import HubProcess
from tests.support.hub_seed import result_body, seed_list

THREADS = 6
DISPOSITIONS = ["contacted", "no_answer", "busy", "refused", "left_message"]


def _session(account: Account) -> requests.Session:
    http = requests.Session()
    http.headers.update({**account.headers, PROTOCOL_HEADER: str(PROTOCOL_VERSION)})
    return http


def _replay(
    index: int,
    url: str,
    account: Account,
    results: list[dict[str, Any]],
    start: threading.Barrier,
    seen: list[tuple[str, str]],
    lost: set[str],
    errors: list[str],
    lock: threading.Lock,
) -> None:
    http = _session(account)
    chooser = random.Random(index)
    mine = results[:]
    chooser.shuffle(mine)
    batches = []
    while mine:
        size = chooser.randint(1, 25)
        batches.append(mine[:size])
        mine = mine[size:]
    start.wait()
    try:
        for batch in batches:
            body = {"results": batch}
            if chooser.random() < 0.3:
                # The reply is lost: the hub stores the batch, the client never hears back.
                with contextlib.suppress(requests.exceptions.Timeout):
                    http.post(f"{url}/api/v1/results", json=body, timeout=(5, 0.001))
                with lock:
                    lost.update(r["id"] for r in batch)
            for _ in range(2):  # sent, reply ignored, sent again
                response = http.post(f"{url}/api/v1/results", json=body, timeout=60)
                if response.status_code not in (200, 201):
                    with lock:
                        errors.append(f"{response.status_code}: {response.text[:300]}")
                    continue
                with lock:
                    seen.extend((o["id"], o["status"]) for o in response.json()["results"])
    except Exception as exc:
        with lock:
            errors.append(f"thread {index}: {exc!r}")


def test_replayed_results_are_stored_exactly_once(
    database_url: str,
    engine: Engine,
    make_user: Callable[..., Account],
    hub_factory: Callable[..., HubProcess],
) -> None:
    seeded = seed_list(engine, households=40, members=2, list_size=40)
    volunteer = make_user()
    hub = hub_factory(database_url)
    http = _session(volunteer)
    reservation = http.post(
        f"{hub.url}/api/v1/reservations", json={"call_list_id": seeded.list_id}, timeout=30
    ).json()
    chooser = random.Random(7)
    results = [
        result_body(
            contact,
            reservation,
            disposition=chooser.choice(DISPOSITIONS),
            script_version=0,
            notes=f"call {n}",
        )
        for n, contact in enumerate(reservation["contacts"])
    ]
    assert len(results) == 80
    start = threading.Barrier(THREADS)
    seen: list[tuple[str, str]] = []
    lost: set[str] = set()
    errors: list[str] = []
    lock = threading.Lock()
    threads = [
        threading.Thread(
            target=_replay,
            args=(i, hub.url, volunteer, results, start, seen, lost, errors, lock),
        )
        for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    ids = {r["id"] for r in results}
    created = Counter(result_id for result_id, status in seen if status == "created")
    assert set(created.values()) <= {1}  # nobody is told "created" twice
    assert {status for _, status in seen} <= {"created", "duplicate"}
    # An id never reported as created was created by a send whose reply was lost.
    assert ids - set(created) <= lost
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, notes FROM call_results")).all()
        attempts = connection.execute(
            text("SELECT attempts FROM contacts WHERE call_list_id = :l"), {"l": seeded.list_id}
        ).all()
    assert sorted(r.id for r in rows) == sorted(ids)
    assert [a.attempts for a in attempts] == [1] * 80  # effects applied once per result

    # The same ids with other content: conflicts, the originals kept.
    altered = [dict(r, notes="rewritten") for r in results[:10]]
    response = http.post(f"{hub.url}/api/v1/results", json={"results": altered}, timeout=30)
    single = http.post(
        f"{hub.url}/api/v1/results", json={"results": [dict(results[20], disposition="busy")]}
    )
    assert response.status_code == 200
    assert [o["status"] for o in response.json()["results"]] == ["conflict"] * 10
    assert single.status_code == 409
    with engine.connect() as connection:
        notes = {
            row.id: row.notes
            for row in connection.execute(text("SELECT id, notes FROM call_results"))
        }
    assert notes == {r["id"]: r["notes"] for r in results}
    progress = http.get(f"{hub.url}/api/v1/sync", timeout=30).json()["progress"]
    assert progress[str(seeded.campaign_id)]["calls_made"] == 80

"""Upload 5,000 queued results over loopback: a real laptop store, the real sync engine
(`core.sync_once()`: 200-result batches, each marked sent after the hub's answer, then the
download), a real `phonebank-hub serve` process on SQLite.

Limit: the same request bodies POSTed with requests over one keep-alive connection to a
bare HTTP sink (bench/sink.py) that reads them and answers `{}`: moving the bytes over
loopback with no hub behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import emit, log, parse_args, row, subprocess_env, work_dir
from bench.cpu_meter import process_tree, tree_ticks
from bench.hub_setup import (
    VOLUNTEER_PASSWORD,
    add_volunteers,
    cli,
    create_campaign,
    import_contacts,
)

NAME = "upload_5000_results"
LIST_SIZE = 200  # the hub's largest list: 25 lists make the 5,000 results
TARGET_S = 3.0
DISPOSITIONS = ("contacted", "no_answer", "contacted", "busy", "left_message", "refused")


def queue_results(core: object, now: datetime, count: int) -> int:
    """One result per contact on the laptop, written as Save & next writes them (result +
    outbox row + the contact's new state), in one transaction to set up quickly."""
    from desktop.store import catalog, contacts, reservations, results
    from desktop.store.results import ResultRecord
    from desktop.store.sql import Connection
    from sync.protocol import Disposition

    store = core.store  # type: ignore[attr-defined]

    def queue(conn: Connection) -> int:
        queued = 0
        for reservation_id in reservations.reservations_with_contacts(conn):
            reservation = reservations.reservation(conn, reservation_id)
            assert reservation is not None
            for c in contacts.contacts_of(conn, reservation_id):
                if queued == count:
                    return queued
                campaign = catalog.campaign(conn, c.campaign_id)
                assert campaign is not None
                disposition = Disposition(DISPOSITIONS[queued % len(DISPOSITIONS)])
                talked = disposition == Disposition.contacted
                record = ResultRecord(
                    id=uuid.uuid4(), contact_id=c.id, reservation_id=reservation.id,
                    fence=reservation.fence, campaign_id=c.campaign_id,
                    disposition=disposition.value,
                    answers={"support": "yes", "plan": "yes"} if talked else {},
                    notes="Asked to be called after 6pm." if queued % 7 == 0 else "",
                    started_at=now - timedelta(minutes=3), ended_at=now,
                    call_back_at=None, script_version=campaign.script_version or 1,
                    supersedes=None, created_at=now,
                )  # fmt: skip
                results.insert(conn, record)
                contacts.apply_disposition(
                    conn, c, disposition, now=now, call_back_at=None,
                    retry_after_seconds=campaign.policy.retry_after_seconds,
                    max_attempts=campaign.policy.max_attempts,
                )  # fmt: skip
                queued += 1
        return queued

    return int(store.run_write(queue))  # on the database worker, like every write


def contacts_on_laptop(core: object) -> int:
    with core.store.read() as conn:  # type: ignore[attr-defined]
        return int(conn.execute("SELECT count(*) FROM contacts").scalar_one())


def wire_bodies(core: object, batch_size: int) -> list[bytes]:
    """The request bodies the engine sends for the queued results, in its order."""
    from desktop.store import results
    from sync.protocol import ResultsIn

    with core.store.read() as conn:  # type: ignore[attr-defined]
        pending = results.pending_batch(conn, 1_000_000)
    return [
        ResultsIn(results=[r.to_wire() for r in pending[i : i + batch_size]])
        .model_dump_json()
        .encode()
        for i in range(0, len(pending), batch_size)
    ]


def post_to_sink(folder: Path, bodies: list[bytes]) -> float:
    import requests

    port_file = folder / "sink.port"
    sink = subprocess.Popen(
        [sys.executable, "-m", "bench.sink", str(port_file)], env=subprocess_env()
    )
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text():
            if time.monotonic() > deadline or sink.poll() is not None:
                raise RuntimeError("the HTTP sink did not start")
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port_file.read_text()}/api/v1/results"
        headers = {"Content-Type": "application/json", "Authorization": "Bearer x"}
        with requests.Session() as http:
            http.post(url, data=b"{}", headers=headers, timeout=10)  # connect once
            start = time.perf_counter()
            for body in bodies:
                http.post(url, data=body, headers=headers, timeout=30).raise_for_status()
            return time.perf_counter() - start
    finally:
        sink.terminate()
        sink.wait(10)


def main() -> int:
    args = parse_args(__doc__ or "")
    started = time.monotonic()
    count = 500 if args.quick else 5_000
    import keyring

    from desktop.services.core import PhonebankCore
    from tests.support.hub_process import HubProcess
    from tests.support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    with work_dir("upload") as folder:
        database_url = f"sqlite:///{folder / 'hub.db'}"
        campaign_id = create_campaign(database_url, list_size=LIST_SIZE)
        import_contacts(database_url, folder, campaign_id, count + count // 4)
        (email,) = add_volunteers(database_url, 1).emails
        with HubProcess(database_url) as hub:
            core = PhonebankCore(folder / "laptop", hub_url=hub.url)
            try:
                core.sign_in(hub.url, email, VOLUNTEER_PASSWORD)
                core.sync_once()  # the campaigns and their lists
                lists = [cl.id for c in core.campaigns() for cl in c.lists]
                while contacts_on_laptop(core) < count:  # no cool-down: list after list
                    outcome = core.request_names(lists[0])
                    if outcome.kind != "reserved":
                        raise RuntimeError(f"Get names: {outcome.kind}: {outcome.message}")
                queued = queue_results(core, datetime.now(UTC), count)
                log(f"{queued} results queued on the laptop")
                bodies = wire_bodies(core, core.engine.batch_size)
                log(f"syncing {queued} results in {len(bodies)} requests")
                hub_tree = process_tree(hub.pid or 0)
                hub_ticks = tree_ticks(hub_tree)
                t = time.perf_counter()
                report = core.sync_once()
                seconds = time.perf_counter() - t
                hub_cpu = (tree_ticks(hub_tree) - hub_ticks) / os.sysconf("SC_CLK_TCK")
                pending = core.status().pending
            finally:
                core.close()
        stored = cli(database_url, "export-results", str(campaign_id), "-o",
                     str(folder / "export.csv"))  # fmt: skip
        exported = sum(1 for _ in (folder / "export.csv").open()) - 1
        log(f"sync {seconds:.2f} s (hub CPU {hub_cpu:.2f} s): {report}; {pending} still pending;"
            f" hub exported {exported} {stored.strip()}")  # fmt: skip
        if pending or exported < queued:
            raise RuntimeError(f"upload incomplete: {pending} pending, {exported} on the hub")
        log("limit: the same bodies to a bare HTTP sink")
        limit = post_to_sink(folder, bodies)
        size_mb = sum(len(b) for b in bodies) / 1e6
    detail = (
        f"{queued:,} results in {len(bodies)} requests ({size_mb:.1f} MB JSON), hub on SQLite,"
        f" 1 worker; includes the download that ends the round; hub CPU {hub_cpu:.2f} s"
    )
    emit(
        [
            row(NAME, seconds, "s", target=TARGET_S * count / 5_000, target_op="<=",
                limit=limit, limit_note="same bodies POSTed to a bare HTTP sink",
                detail=detail, started=started)
        ]
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

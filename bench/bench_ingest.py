"""Hub result ingest: volunteers upload call results in batches of 100 on PostgreSQL.

    .venv/bin/python -m bench.bench_ingest [--quick]

Target: at least 5,000 results/s. Limit: COPY of the same rows into call_results, in batches
of 100, one transaction each, over a few concurrent connections. Every result must come back
`created` and on time; afterwards SQL checks that each one is stored once and counted as an
attempt on its contact (the effects ran, not just the insert).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from bench.common import emit, load, log, row
from bench.cpu_meter import CpuMeter, PostgresBackends, process_tree
from bench.hub_setup import Seeded, add_volunteers, seed_list, throwaway_database
from bench.loadgen import STOP, Connection, RunStats, run_load
from tests.support.hub_process import running_hub

NAME = "ingest_results_per_s_postgres"
TARGET = 5000.0
BATCH = 100
# A phone bank's evening: who answered, who did not, who wants a call back, who said never.
DISPOSITIONS = (
    ["contacted"] * 8
    + ["no_answer"] * 5
    + ["busy", "call_back", "call_back", "refused", "refused", "wrong_number", "do_not_call"]
)
COPY_COLUMNS = (
    "id, campaign_id, contact_id, reservation_id, fence, volunteer_id, disposition, answers,"
    " notes, started_at, ended_at, script_version, call_back_at, supersedes, received_at,"
    " timing, quarantined, quarantine_reason, flagged, content_hash"
)


@dataclass
class Batch:
    body: bytes  # POST /results as a laptop sends it
    rows: list[tuple[Any, ...]]  # the same results as call_results rows, for COPY


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 contacts, a few seconds")
    parser.add_argument("--workers", type=int, default=2, help="hub worker processes")
    parser.add_argument("--volunteers", type=int, default=None)
    parser.add_argument("--duration", type=float, default=None, help="seconds measured")
    parser.add_argument("--connections", type=int, default=20, help="for the COPY limit")
    args = parser.parse_args(argv)
    args.volunteers = args.volunteers or (20 if args.quick else 100)
    args.contacts = 10_000 if args.quick else 200_000
    args.duration = args.duration or (2.0 if args.quick else 15.0)
    args.warmup = 0.5 if args.quick else 2.0
    return args


def hold_for_volunteers(url: str, seeded: Seeded) -> dict[int, list[tuple[int, int]]]:
    """Give each volunteer one reservation holding an equal share of the households.

    Returns volunteer index -> [(contact id, reservation id)].
    """
    share = seeded.households // len(seeded.volunteers.ids)
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO reservations (volunteer_id, campaign_id, call_list_id, status,"
            " created_at, expires_at, next_request_at)"
            " SELECT v, %s, %s, 'active', now(), now() + interval '1 day', now()"
            " FROM unnest(%s::int[]) WITH ORDINALITY AS t(v, n) ORDER BY n",
            (seeded.campaign_id, seeded.list_id, seeded.volunteers.ids),
        )
        conn.execute(
            "UPDATE households h SET reservation_id = r.id, fence = r.id,"
            " held_until = r.expires_at"
            " FROM (SELECT id, expires_at, row_number() OVER (ORDER BY id) - 1 AS k"
            "       FROM reservations) r"
            " WHERE (h.id - %(first)s) / %(share)s = r.k",
            {"first": seeded.first_household, "share": share},
        )
        conn.execute(
            "INSERT INTO reservation_items (reservation_id, household_id, granted_at, expires_at)"
            " SELECT reservation_id, id, now() - interval '1 hour', held_until FROM households"
            " WHERE reservation_id IS NOT NULL"
        )
        rows = conn.execute(
            "SELECT c.id, h.reservation_id, r.volunteer_id FROM contacts c"
            " JOIN households h ON h.id = c.household_id"
            " JOIN reservations r ON r.id = h.reservation_id ORDER BY r.id, c.id"
        ).fetchall()
    index = {volunteer: n for n, volunteer in enumerate(seeded.volunteers.ids)}
    held: dict[int, list[tuple[int, int]]] = {}
    for contact_id, reservation_id, volunteer_id in rows:
        held.setdefault(index[volunteer_id], []).append((contact_id, reservation_id))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE households")
    return held


def make_batches(seeded: Seeded, held: dict[int, list[tuple[int, int]]]) -> dict[int, list[Batch]]:
    """Each volunteer's results, one per held contact, in batches of 100."""
    now = datetime.now(UTC)
    out: dict[int, list[Batch]] = {}
    for volunteer, contacts in held.items():
        volunteer_id = seeded.volunteers.ids[volunteer]
        batches = out.setdefault(volunteer, [])
        for start in range(0, len(contacts) - BATCH + 1, BATCH):
            wire, rows = [], []
            for n, (contact_id, reservation_id) in enumerate(contacts[start : start + BATCH]):
                disposition = DISPOSITIONS[(contact_id + n) % len(DISPOSITIONS)]
                ended = now - timedelta(minutes=30, seconds=contact_id % 600)
                result = {
                    "id": str(uuid.uuid4()),
                    "contact_id": contact_id,
                    "reservation_id": reservation_id,
                    "fence": reservation_id,
                    "disposition": disposition,
                    "answers": {"support": "yes", "volunteer": "maybe"}
                    if disposition == "contacted"
                    else {},
                    "notes": "Asked about polling places." if n % 4 == 0 else "",
                    "started_at": (ended - timedelta(minutes=2)).isoformat(),
                    "ended_at": ended.isoformat(),
                    "script_version": 1,
                    "call_back_at": (now + timedelta(days=1)).isoformat()
                    if disposition == "call_back"
                    else None,
                }
                wire.append(result)
                rows.append(_row(result, seeded, volunteer_id, now))
            batches.append(Batch(json.dumps({"results": wire}).encode(), rows))
    return out


def _row(result: dict[str, Any], seeded: Seeded, volunteer_id: int, now: datetime) -> tuple:
    digest = hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest()
    return (
        result["id"], seeded.campaign_id, result["contact_id"], result["reservation_id"],
        result["fence"], volunteer_id, result["disposition"], json.dumps(result["answers"]),
        result["notes"], result["started_at"], result["ended_at"], 1, result["call_back_at"],
        None, now, "on_time", False, None, False, digest,
    )  # fmt: skip


async def limit_run(
    url: str, batches: dict[int, list[Batch]], args: argparse.Namespace
) -> RunStats:
    """COPY the same rows, a batch per transaction, over a few connections."""
    queue = [batch for volunteer in batches.values() for batch in volunteer]
    connections = [await psycopg.AsyncConnection.connect(url) for _ in range(args.connections)]

    async def one(worker: int) -> str | None:
        if not queue:
            return STOP
        batch = queue.pop()
        conn = connections[worker]
        statement = f"COPY call_results ({COPY_COLUMNS}) FROM STDIN"
        async with conn.cursor() as cursor, cursor.copy(statement) as copy:
            for row in batch.rows:
                await copy.write_row(row)
        await conn.commit()
        return None

    backends = PostgresBackends(url)
    try:
        return await run_load(
            args.connections,
            one,
            warmup=0.0,
            duration=args.duration,
            budget=len(queue),
            meter=CpuMeter(postgres=backends),
        )
    finally:
        backends.close()
        for conn in connections:
            await conn.close()
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await conn.execute("TRUNCATE call_results")
            await conn.execute("VACUUM ANALYZE call_results")


async def http_run(
    port: int,
    hub_pid: int,
    url: str,
    seeded: Seeded,
    batches: dict[int, list[Batch]],
    args: argparse.Namespace,
) -> tuple[RunStats, dict[str, int]]:
    """Every volunteer uploads its batches one after another, all volunteers at once."""
    connections = [Connection("127.0.0.1", port, token) for token in seeded.volunteers.tokens]
    statuses: dict[str, int] = {}

    async def one(worker: int) -> str | None:
        mine = batches.get(worker)
        if not mine:
            return STOP
        response = await connections[worker].post("/api/v1/results", mine.pop(0).body)
        if response.status != 201:
            return f"HTTP {response.status}"
        outcomes = json.loads(response.body)["results"]
        for outcome in outcomes:
            key = f"{outcome['status']}/{outcome.get('timing')}"
            statuses[key] = statuses.get(key, 0) + 1
        return None if len(outcomes) == BATCH else f"{len(outcomes)} outcomes"

    backends = PostgresBackends(url)
    meter = CpuMeter(hub=lambda: process_tree(hub_pid), postgres=backends)
    try:
        stats = await run_load(
            args.volunteers,
            one,
            warmup=args.warmup,
            duration=args.duration,
            budget=sum(len(b) for b in batches.values()),
            meter=meter,
        )
    finally:
        backends.close()
        for connection in connections:
            await connection.close()
    return stats, statuses


def stored_check(url: str) -> tuple[int, int, int]:
    """Results stored, those not accepted on time, and attempts counted on contacts."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE quarantined OR timing <> 'on_time'),"
            " (SELECT sum(attempts) FROM contacts) FROM call_results"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2] or 0)


def per_result(stats: RunStats, group: str) -> float:
    return stats.cpu_ms_per_op(group) / BATCH


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    log(f"load {load()}; {args.contacts:,} contacts, {args.volunteers} volunteers")
    with throwaway_database("phonebank_bench_ingest") as url:
        seeded = seed_list(url, args.contacts, script_questions=("support", "volunteer"))
        seeded.volunteers = add_volunteers(url, args.volunteers)
        held = hold_for_volunteers(url, seeded)
        log("seeded")
        limit = asyncio.run(limit_run(url, make_batches(seeded, held), args))
        limit_rate = limit.rate * BATCH
        log(f"limit (COPY): {limit_rate:,.0f} results/s, PostgreSQL CPU "
            f"{per_result(limit, 'postgres'):.3f} ms/result")  # fmt: skip
        batches = make_batches(seeded, held)
        with running_hub(url, workers=args.workers) as hub:
            assert hub.pid is not None
            log(f"hub up on port {hub.port} ({args.workers} workers)")
            stats, statuses = asyncio.run(http_run(hub.port, hub.pid, url, seeded, batches, args))
        stored, not_on_time, attempts = stored_check(url)
    rate = stats.rate * BATCH
    p99 = 1000 * stats.latencies.percentile(99)
    log(
        f"hub: {rate:,.0f} results/s over {stats.seconds:.1f} s, p99 {p99:.0f} ms per batch; "
        f"CPU ms per result: hub {per_result(stats, 'hub'):.3f}, "
        f"PostgreSQL {per_result(stats, 'postgres'):.3f}, "
        f"client {per_result(stats, 'client'):.3f}; "
        f"statuses {statuses}; failures {stats.failures or 'none'}; stored {stored}, "
        f"not on time {not_on_time}, attempts counted {attempts}"
    )
    correct = (
        not stats.failures
        and set(statuses) == {"created/on_time"}
        and stored == attempts
        and not_on_time == 0
    )
    detail = (
        f"batches of {BATCH}, {args.volunteers} volunteers uploading at once, "
        f"{args.workers} hub workers, {args.contacts:,} contacts; p99 {p99:.0f} ms per batch; "
        f"CPU/result ms: hub {per_result(stats, 'hub'):.2f} + "
        f"PostgreSQL {per_result(stats, 'postgres'):.2f} + "
        f"load generator {per_result(stats, 'client'):.2f}; "
        f"{'all created on time, each counted once' if correct else 'CHECK FAILED'}"
    )
    limit_note = (
        f"COPY of the same rows into call_results, {BATCH} per transaction, "
        f"{args.connections} connections"
    )
    emit(
        [
            row(NAME, rate, "results/s", target=TARGET, target_op=">=", limit=limit_rate,
                limit_note=limit_note, detail=detail, started=started, checks_passed=correct)
        ]
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

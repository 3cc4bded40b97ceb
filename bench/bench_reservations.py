"""Hub reservations/s: 200 volunteers asking at once over 1,000,000 contacts on PostgreSQL.

    .venv/bin/python -m bench.bench_reservations [--quick]

Target: at least 300 reservations/s with zero overlap. Limit: the same grant (one statement
with FOR UPDATE SKIP LOCKED) run straight through psycopg by as many concurrent requesters.
Every granted household is checked twice for overlap: per response (no household is handed
out twice while holds last a day) and afterwards in SQL over the reservation history.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time

import psycopg

from bench.common import emit, load, log, row
from bench.cpu_meter import CpuMeter, PostgresBackends, process_tree
from bench.hub_setup import ZONES, Seeded, add_volunteers, seed_list, throwaway_database
from bench.loadgen import Connection, RunStats, run_load
from tests.support.hub_process import running_hub

NAME = "reservations_per_s_postgres"
TARGET = 300.0
LIST_SIZE = 20

# The grant as one statement: lock free households (skipping rows others hold locked),
# create the reservation, hold the rows, write the history, return the people.
GRANT = """
WITH picked AS (
    SELECT id FROM households
    WHERE call_list_id = %(list)s AND state = 'open' AND held_until IS NULL
      AND next_call_at IS NULL AND timezone = ANY(%(zones)s)
      AND NOT EXISTS (SELECT 1 FROM do_not_call d WHERE d.phone = households.phone
                      LIMIT 1 OFFSET 0)
    LIMIT %(size)s FOR UPDATE SKIP LOCKED
), reservation AS (
    INSERT INTO reservations (volunteer_id, campaign_id, call_list_id, status, created_at,
                              expires_at, next_request_at)
    VALUES (%(volunteer)s, %(campaign)s, %(list)s, 'active', now(), now() + interval '1 day',
            now())
    RETURNING id, created_at, expires_at
), held AS (
    UPDATE households h SET held_until = r.expires_at, reservation_id = r.id, fence = r.id
    FROM reservation r WHERE h.id IN (SELECT id FROM picked)
    RETURNING h.id, r.id AS reservation_id, r.created_at, r.expires_at
), history AS (
    INSERT INTO reservation_items (reservation_id, household_id, granted_at, expires_at)
    SELECT reservation_id, id, created_at, expires_at FROM held
)
SELECT c.id, c.first_name, c.last_name, c.phone, c.timezone, c.household_id, c.extra,
       c.attempts, c.last_disposition, c.call_back_at, held.reservation_id
FROM held JOIN contacts c ON c.household_id = held.id AND c.state = 'open'
ORDER BY c.household_id, c.id
"""

# Two grants of one household whose holds overlap in time.
OVERLAPS = """
SELECT count(*) FROM reservation_items a JOIN reservation_items b
  ON a.household_id = b.household_id AND a.id < b.id
 AND a.granted_at < coalesce(b.released_at, b.expires_at)
 AND b.granted_at < coalesce(a.released_at, a.expires_at)
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 contacts, a few seconds")
    parser.add_argument("--workers", type=int, default=2, help="hub worker processes")
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--contacts", type=int, default=None)
    parser.add_argument("--duration", type=float, default=None, help="seconds measured")
    parser.add_argument("--connections", type=int, default=20, help="for the psycopg limit")
    parser.add_argument("--skip-limit", action="store_true")
    args = parser.parse_args(argv)
    args.contacts = args.contacts or (10_000 if args.quick else 1_000_000)
    args.duration = args.duration or (2.0 if args.quick else 15.0)
    args.limit_duration = min(args.duration, 10.0)  # a reference: shorter is enough
    args.warmup = 0.5 if args.quick else 3.0
    return args


async def limit_run(url: str, seeded: Seeded, args: argparse.Namespace) -> RunStats:
    """The grant statement through psycopg: `volunteers` requesters over a few connections."""
    free: asyncio.Queue[psycopg.AsyncConnection] = asyncio.Queue()
    for _ in range(args.connections):
        free.put_nowait(await psycopg.AsyncConnection.connect(url))

    async def one(worker: int) -> str | None:
        conn = await free.get()
        try:
            params = {
                "list": seeded.list_id,
                "zones": list(ZONES),
                "size": LIST_SIZE,
                "volunteer": seeded.volunteers.ids[worker],
                "campaign": seeded.campaign_id,
            }
            rows = await (await conn.execute(GRANT, params)).fetchall()
            await conn.commit()
            return None if len(rows) == LIST_SIZE else f"{len(rows)} contacts"
        finally:
            free.put_nowait(conn)

    backends = PostgresBackends(url)
    meter = CpuMeter(postgres=backends)
    try:
        return await run_load(
            args.volunteers,
            one,
            warmup=args.warmup,
            duration=args.limit_duration,
            budget=seeded.households // LIST_SIZE,
            meter=meter,
        )
    finally:
        backends.close()
        while not free.empty():
            await free.get_nowait().close()


async def http_run(
    port: int, hub_pid: int, url: str, seeded: Seeded, args: argparse.Namespace
) -> tuple[RunStats, int]:
    """Every volunteer asks for a list again and again; returns the stats and overlaps seen."""
    connections = [Connection("127.0.0.1", port, token) for token in seeded.volunteers.tokens]
    body = json.dumps({"call_list_id": seeded.list_id}).encode()
    holder: dict[str, int] = {}  # household -> reservation that got it
    overlaps = 0

    async def one(worker: int) -> str | None:
        nonlocal overlaps
        response = await connections[worker].post("/api/v1/reservations", body)
        if response.status != 201:
            return f"HTTP {response.status}"
        reservation = json.loads(response.body)
        for contact in reservation["contacts"]:
            other = holder.setdefault(contact["household"], reservation["id"])
            if other != reservation["id"]:
                overlaps += 1
        return None if reservation["contacts"] else "empty list"

    backends = PostgresBackends(url)
    meter = CpuMeter(hub=lambda: process_tree(hub_pid), postgres=backends)
    random.shuffle(connections)  # volunteers do not line up by id
    try:
        stats = await run_load(
            args.volunteers,
            one,
            warmup=args.warmup,
            duration=args.duration,
            budget=seeded.households // LIST_SIZE,
            meter=meter,
        )
    finally:
        backends.close()
        for connection in connections:
            await connection.close()
    return stats, overlaps


def reset_holds(url: str) -> None:
    """Give every household back and forget the limit run's reservations."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE households SET held_until = NULL, reservation_id = NULL, fence = 0"
            " WHERE reservation_id IS NOT NULL"
        )
        conn.execute("DELETE FROM reservation_items")
        conn.execute("DELETE FROM reservations")
        conn.execute("VACUUM ANALYZE households")
        conn.execute("VACUUM ANALYZE reservation_items")


def describe(stats: RunStats, groups: tuple[str, ...]) -> str:
    cpu = ", ".join(f"{g} {stats.cpu_ms_per_op(g):.2f}" for g in groups)
    return (
        f"{stats.rate:.1f}/s over {stats.seconds:.1f} s ({stats.count} done), "
        f"p50 {1000 * stats.latencies.percentile(50):.0f} ms, "
        f"p99 {1000 * stats.latencies.percentile(99):.0f} ms; CPU ms per op: {cpu}; "
        f"failures {stats.failures or 'none'}"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    log(f"load {load()}; {args.contacts:,} contacts, {args.volunteers} volunteers")
    with throwaway_database("phonebank_bench_res") as url:
        seeded = seed_list(url, args.contacts, list_size=LIST_SIZE)
        seeded.volunteers = add_volunteers(url, args.volunteers)
        log("seeded")
        limit = None
        if not args.skip_limit:
            limit = asyncio.run(limit_run(url, seeded, args))
            log(f"limit (psycopg): {describe(limit, ('postgres', 'client'))}")
            reset_holds(url)
        with running_hub(url, workers=args.workers) as hub:
            assert hub.pid is not None
            log(f"hub up on port {hub.port} ({args.workers} workers)")
            stats, seen_twice = asyncio.run(http_run(hub.port, hub.pid, url, seeded, args))
        log(f"hub: {describe(stats, ('hub', 'postgres', 'client'))}")
        with psycopg.connect(url) as conn:
            found = conn.execute(OVERLAPS).fetchone()
            in_history = int(found[0]) if found else -1
        log(f"overlaps: {seen_twice} in responses, {in_history} in the reservation history")
    overlaps = seen_twice + in_history
    detail = (
        f"{args.volunteers} volunteers, {args.workers} hub workers, {args.contacts:,} contacts, "
        f"{overlaps} overlaps, p99 {1000 * stats.latencies.percentile(99):.0f} ms, "
        f"CPU/reservation ms: hub {stats.cpu_ms_per_op('hub'):.1f} + "
        f"PostgreSQL {stats.cpu_ms_per_op('postgres'):.1f} + "
        f"load generator {stats.cpu_ms_per_op('client'):.1f}; "
        f"failures {sum(stats.failures.values())}"
    )
    limit_note = (
        f"the same FOR UPDATE SKIP LOCKED grant as one statement via psycopg, "
        f"{args.volunteers} concurrent requesters over {args.connections} connections"
    )
    emit(
        [
            row(NAME, stats.rate, "reservations/s", target=TARGET, target_op=">=",
                limit=limit.rate if limit else None, limit_note=limit_note, detail=detail,
                started=started, checks_passed=overlaps == 0 and not stats.failures)
        ]
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

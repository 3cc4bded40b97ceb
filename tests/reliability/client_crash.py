"""SIGKILL the laptop's core at random moments of record / push / pull, many times over.

The parent (the test) has imported the core already, so each round is a cheap `os.fork()`:
the child opens the laptop's store like the app does at start-up and works — records a few
results, then runs a sync round (push, then pull) — over and over, telling the parent
through a pipe which phase it is in and which results are saved (only after
`record_result` returned, i.e. after the commit). The parent waits for a randomly chosen
phase, lets a random few milliseconds pass, and SIGKILLs the child. Then it checks the file
as the next start-up would find it (see `check_after_kill`).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import select as io_select
import signal
import sqlite3
import statistics
import time
import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from desktop.paths import DATABASE_NAME
from desktop.services.core import PhonebankCore, ResultDraft
from sync.client.http import HubClient
from sync.hub.models import Reservation
from sync.hub.types import utcnow

PHASES = ("record", "push", "pull", "apply")
DEFAULT_WINDOW = 0.03  # seconds after a phase starts, until its length has been measured
PHASE_TIMEOUT = 20.0  # seconds for the child to reach the chosen phase
CHILD_MAX_ITERATIONS = 500  # a child never killed still ends
DISPOSITIONS = ("contacted", "no_answer", "busy", "left_message", "refused")


# ---------------------------------------------------------------- the child


class _Reporter:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __call__(self, line: str) -> None:
        os.write(self.fd, (line + "\n").encode())  # < PIPE_BUF: one atomic write


def _reporting(core: PhonebankCore, report: _Reporter) -> None:
    """Say "push" when results go out, "pull" when the download starts and "apply" when
    it is written to the store."""
    make_client = core.engine.client_factory

    def client() -> HubClient | None:
        made = make_client()
        if made is None:
            return None
        post_results, sync = made.post_results, made.sync

        def posting(results: Any) -> Any:
            report("phase push")
            return post_results(results)

        def pulling(cursor: str | None) -> Any:
            report("phase pull")
            return sync(cursor)

        made.post_results = posting  # type: ignore[method-assign]
        made.sync = pulling  # type: ignore[method-assign]
        return made

    core.engine.client_factory = client
    apply = core.engine._apply

    def applying(*args: Any) -> None:
        report("phase apply")
        apply(*args)

    core.engine._apply = applying  # type: ignore[method-assign,assignment]


def _child_work(data_dir: Path, report: _Reporter, seed: int, list_id: int, target: str) -> None:
    rng = random.Random(seed)
    core = PhonebankCore(data_dir)  # start-up: opens, checks and upgrades the store
    _reporting(core, report)
    if target != "record":  # at start-up the app syncs first (and it saves time here)
        sync = core.sync_once()
        report(f"synced {int(sync.ok)} {sync.pushed}")
    for _ in range(CHILD_MAX_ITERATIONS):
        report("phase record")
        with core.store.read() as conn:
            contact_ids = list(conn.execute("SELECT id FROM contacts").scalars())
        if not contact_ids:  # the list is done and gone: "Get names", like the volunteer
            report("phase reserve")
            report(f"reserved {core.request_names(list_id).kind}")
            continue
        for _ in range(rng.randint(1, 4)):
            saved = core.record_result(
                ResultDraft(
                    rng.choice(contact_ids),
                    rng.choice(DISPOSITIONS),
                    answers={"support": rng.choice(["yes", "no"])},
                    notes=f"call {rng.random():.6f}",
                    # A minute's call: seconds-long contacted calls in bulk are quarantined.
                    started_at=datetime.now(UTC) - timedelta(minutes=1),
                )
            )
            report(f"saved {saved.id}")
        sync = core.sync_once()
        report(f"synced {int(sync.ok)} {sync.pushed}")


def _child(data_dir: Path, fd: int, seed: int, list_id: int, target: str) -> None:
    """Runs in the forked child; never returns (os._exit), so pytest never runs twice."""
    report = _Reporter(fd)
    code = 0
    try:
        _child_work(data_dir, report, seed, list_id, target)
        code = 3  # worked through every iteration without being killed
    except BaseException:
        report("error " + traceback.format_exc().replace("\n", " | "))
        code = 2
    finally:
        os._exit(code)


# ---------------------------------------------------------------- the parent


@dataclass
class KillRound:
    target: str
    phase_hit: str  # the phase the child was in when it died
    saved: list[str]  # results the child had reported saved


def _read_lines(fd: int, pending: bytearray, timeout: float) -> list[str] | None:
    """Lines that arrive within `timeout` seconds; None at end of file."""
    ready, _, _ = io_select.select([fd], [], [], max(0.0, timeout))
    if not ready:
        return []
    chunk = os.read(fd, 65536)
    if not chunk:
        return None
    pending.extend(chunk)
    *lines, rest = pending.split(b"\n")
    pending[:] = rest
    return [line.decode() for line in lines]


class ChildKiller:
    """Forks children that work on `data_dir` (calling from `list_id`) and SIGKILLs each at
    a random moment of a randomly chosen phase. The moment is uniform over the phase's
    length as measured in earlier rounds, so kills land anywhere in it, commits included."""

    def __init__(self, data_dir: Path, list_id: int, rng: random.Random) -> None:
        self.data_dir = data_dir
        self.list_id = list_id
        self.rng = rng
        self.lengths: dict[str, deque[float]] = {p: deque(maxlen=25) for p in PHASES}

    def lengths_text(self) -> str:
        """The phases' median lengths in the last rounds, e.g. "record 12 ms, push 30 ms"."""
        return ", ".join(
            f"{p} {statistics.median(seen) * 1000:.0f} ms"
            for p, seen in self.lengths.items()
            if seen
        )

    def window(self, phase: str) -> float:
        seen = sorted(self.lengths[phase])
        return seen[len(seen) * 3 // 4] if seen else DEFAULT_WINDOW

    def kill_one(self) -> KillRound:
        target = self.rng.choice(PHASES)
        delay = self.rng.uniform(0, self.window(target))
        child_seed = self.rng.getrandbits(32)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read_fd)
            _child(self.data_dir, write_fd, child_seed, self.list_id, target)
        os.close(write_fd)
        timed: list[tuple[float, str]] = []
        try:
            status = self._kill_in(pid, read_fd, target, delay, timed)
        finally:
            os.close(read_fd)
            with contextlib.suppress(ChildProcessError, ProcessLookupError):  # reaped already
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        lines = [line for _, line in timed]
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, lines[-5:]
        errors = [line for line in lines if line.startswith("error")]
        assert not errors, errors
        self._measure(timed)
        phases = [line.split()[1] for line in lines if line.startswith("phase ")]
        saved = [line.split()[1] for line in lines if line.startswith("saved ")]
        return KillRound(target=target, phase_hit=phases[-1], saved=saved)

    def _kill_in(
        self, pid: int, fd: int, target: str, delay: float, timed: list[tuple[float, str]]
    ) -> int:
        pending = bytearray()

        def read(timeout: float) -> bool:
            got = _read_lines(fd, pending, timeout)
            if got is None:
                return False
            timed.extend((time.monotonic(), line) for line in got)
            return True

        deadline = time.monotonic() + PHASE_TIMEOUT
        while not any(line == f"phase {target}" for _, line in timed):
            if not read(deadline - time.monotonic()) or time.monotonic() > deadline:
                raise AssertionError(f"child never reached {target}: {timed[-5:]}")
        kill_at = time.monotonic() + delay
        while (left := kill_at - time.monotonic()) > 0:  # the random moment; keep reading
            if not read(left):
                raise AssertionError(f"child ended by itself: {timed[-5:]}")
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        while read(PHASE_TIMEOUT):
            pass  # what it wrote before it died
        return status

    def _measure(self, timed: list[tuple[float, str]]) -> None:
        """A phase lasts from its line to the next marker (next phase, "synced")."""
        markers = [(t, line) for t, line in timed if not line.startswith("saved ")]
        for (start, line), (end, _) in itertools.pairwise(markers):
            phase = line.removeprefix("phase ")
            if line.startswith("phase ") and phase in self.lengths:
                self.lengths[phase].append(end - start)


# ---------------------------------------------------------------- the checks


def check_after_kill(
    data_dir: Path, hub_engine: Engine, volunteer_id: int, saved: set[str]
) -> set[str]:
    """What the next start-up relies on; returns the ids of the results on the laptop.

    - the file passes `PRAGMA integrity_check`;
    - every result the child reported saved is on the laptop, with its outbox row, or it
      is on the hub (sent results of a finished list are deleted: SPEC §3.8);
    - every outbox row marked done is on the hub (else it would never be sent again);
    - the cursor is not ahead of the data it covers: it belongs to the stored epoch, and
      every list the hub had granted this volunteer up to the cursor's reservation mark
      (and still holds for them) is on the laptop.
    """
    conn = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        local = {row[0] for row in conn.execute("SELECT id FROM results")}
        orphans = conn.execute(
            "SELECT count(*) FROM results r LEFT JOIN outbox o ON o.result_id = r.id"
            " WHERE o.result_id IS NULL"
        ).fetchone()[0]
        assert orphans == 0, f"{orphans} results without an outbox row"
        done = {r[0] for r in conn.execute("SELECT result_id FROM outbox WHERE state = 'done'")}
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        local_lists = {int(r[0]) for r in conn.execute("SELECT id FROM reservations")}
    finally:
        conn.close()
    with hub_engine.connect() as hub:
        on_hub = {r[0] for r in hub.execute(text("SELECT id FROM call_results"))}
        lost = saved - local - on_hub
        assert not lost, f"saved results neither on the laptop nor the hub: {sorted(lost)[:5]}"
        assert done <= on_hub, f"marked sent but not on the hub: {sorted(done - on_hub)[:5]}"
        cursor = meta.get("cursor")
        if cursor is not None:
            epoch, _results_mark, reservations_mark, _fingerprint = cursor.split(".")
            assert meta.get("epoch") == epoch, (meta.get("epoch"), cursor)
            granted = hub.execute(
                select(Reservation.id).where(
                    Reservation.volunteer_id == volunteer_id,
                    col(Reservation.id) <= int(reservations_mark),
                    Reservation.status == "active",
                    col(Reservation.expires_at) > utcnow(),
                )
            ).all()
            for (reservation_id,) in granted:
                assert reservation_id in local_lists, (
                    f"cursor {cursor} covers list {reservation_id}, which is not on the laptop"
                )
    return local


@dataclass
class CrashTally:
    seed: int
    kills_by_phase: Counter[str] = field(default_factory=Counter)
    reported_saved: set[str] = field(default_factory=set)
    made: set[str] = field(default_factory=set)  # every result seen on the laptop, or reported

    def line(self, hub_counts: dict[str, int]) -> str:
        lost = len(self.made - set(hub_counts))
        doubled = sum(n - 1 for n in hub_counts.values()) + len(set(hub_counts) - self.made)
        phases = ", ".join(f"{p} {n}" for p, n in sorted(self.kills_by_phase.items()))
        return (
            f"client crashes: seed {self.seed}; {sum(self.kills_by_phase.values())} SIGKILLs "
            f"({phases}); results saved {len(self.made)} (reported saved before a kill "
            f"{len(self.reported_saved)}); on the hub {sum(hub_counts.values())}; "
            f"lost {lost}; doubled {doubled}"
        )

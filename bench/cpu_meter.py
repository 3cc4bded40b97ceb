"""CPU seconds used by groups of processes (the hub's tree, PostgreSQL's backends) over a
measured window, read from /proc: the steadier figure on a shared machine."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from typing import Any

import psycopg

from bench.common import PG_ADMIN


def _ticks(pid: int) -> int:
    """User + system CPU ticks of one process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def process_tree(root: int) -> list[int]:
    pids = [root]
    for pid in pids:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{pid}/children") as f:
            pids.extend(int(p) for p in f.read().split())
    return pids


def tree_ticks(pids: list[int]) -> int:
    """User + system CPU ticks of these processes together."""
    return sum(_ticks(pid) for pid in pids)


class PostgresBackends:
    """The server processes serving one database, listed over one admin connection."""

    def __init__(self, url: str) -> None:
        self.name = url.rsplit("/", 1)[1]
        self.conn: psycopg.Connection[Any] | None = None

    def __call__(self) -> list[int]:
        if self.conn is None:
            self.conn = psycopg.connect(PG_ADMIN, autocommit=True)
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.name,)
        ).fetchall()
        return [row[0] for row in rows]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class CpuMeter:
    """CPU seconds used by named groups of processes between start() and stop().

    The groups are listed again every 0.2 s, so processes that start during the run (a pool
    opening connections) count from zero; one that ends is counted up to its last sample.
    """

    HZ = os.sysconf("SC_CLK_TCK")

    def __init__(self, **groups: Callable[[], list[int]]) -> None:
        self.groups = groups
        self.first: dict[int, int] = {}  # pid -> ticks when first seen
        self.last: dict[int, tuple[str, int]] = {}  # pid -> (group, ticks when last seen)
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def _sample(self, initial: bool) -> None:
        for name, find in self.groups.items():
            for pid in find():
                ticks = _ticks(pid)
                self.first.setdefault(pid, ticks if initial else 0)
                self.last[pid] = (name, max(ticks, self.last.get(pid, (name, 0))[1]))

    def start(self) -> None:
        self._sample(initial=True)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.wait(0.2):
            self._sample(initial=False)

    def stop(self) -> dict[str, float]:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join()
        self._sample(initial=False)
        seconds = dict.fromkeys(self.groups, 0.0)
        for pid, (name, ticks) in self.last.items():
            seconds[name] += (ticks - self.first[pid]) / self.HZ
        return seconds

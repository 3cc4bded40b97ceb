"""The sign-in blocks this hub process already decided, kept in memory until they end, so
that a flood of guesses at a blocked account or address is refused without a database
transaction (on SQLite each one held the single write lock the volunteers' requests wait
for: 200 bad sign-ins made their p99 860 ms).

Sound because a block only ends at its time: a refused attempt is not counted (guessing on
does not lengthen it), and the failures behind it are removed only by a right password that
got past every block (`login_throttle.succeeded` / `forgiven`) or by the window passing. The
database stays the truth shared by hub processes: a key not here is asked there.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Block:
    until: datetime
    kind: str  # "account", "device" or "address": for the log


class KnownBlocks:
    """Throttle keys (`email:…`, `device:…`, `ip:…`) with the time their block ends."""

    # Bounds memory under a flood from many addresses; past it the oldest-ending are dropped
    # (they are then asked of the database, as before).
    MAX_KEYS = 10_000

    def __init__(self) -> None:
        self._blocks: dict[str, Block] = {}
        self._lock = threading.Lock()

    def remember(self, key: str, until: datetime, kind: str) -> None:
        with self._lock:
            known = self._blocks.get(key)
            if known is None or known.until < until:
                self._blocks[key] = Block(until, kind)
            if len(self._blocks) > self.MAX_KEYS:
                for stale in sorted(self._blocks, key=lambda k: self._blocks[k].until)[
                    : len(self._blocks) // 2
                ]:
                    del self._blocks[stale]

    def blocking(self, keys: list[str], now: datetime) -> Block | None:
        """The latest-ending block among `keys` still in force at `now`, if any."""
        worst: Block | None = None
        with self._lock:
            for key in keys:
                block = self._blocks.get(key)
                if block is None:
                    continue
                if block.until <= now:
                    del self._blocks[key]
                elif worst is None or block.until > worst.until:
                    worst = block
        return worst

"""What every bench script shares: the result row, its JSON line, progress, percentiles.

A script builds its rows with `row(...)` (or `not_measured(...)`) and ends with
`emit(rows)`, which prints the one JSON line the runner reads (the LAST stdout line).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
# The PostgreSQL server the hub benchmarks create their throwaway databases on.
PG_ADMIN = os.environ.get("PHONEBANK_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# Every row of bench/results.json has these (`row`, `not_measured`; bench/run.py refuses a
# row without them): docs/benchmarks.md is one table of them.
ROW_FIELDS = frozenset(
    {"name", "value", "unit", "target", "target_op", "limit", "limit_note", "ratio", "met",
     "detail", "load"}
)  # fmt: skip


def log(message: str) -> None:
    """Human progress, on stderr (stdout is for the JSON line)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load() -> str:
    """The 1/5/15-minute load averages, as `uptime` shows them (noted with every figure)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def parse_args(description: str, argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a small, fast run (smoke test)")
    return parser.parse_args(argv)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100), nearest-rank: p99 of 300 samples is the 297th."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def row(
    name: str,
    value: float,
    unit: str,
    *,
    target: float,
    target_op: str,
    limit: float | None,
    limit_note: str,
    detail: str,
    started: float | None = None,
    checks_passed: bool = True,
) -> dict[str, Any]:
    """One result. `ratio` = value / limit (how far from the physical limit; for times,
    >1 is slower). `met` compares value with target by `target_op` ("<=" or ">="), and is
    false whatever the figure when the run's own correctness checks failed."""
    if target_op not in ("<=", ">="):
        raise ValueError(f"target_op must be <= or >=, not {target_op!r}")
    met = checks_passed and (value <= target if target_op == "<=" else value >= target)
    ratio = value / limit if limit else None
    result: dict[str, Any] = {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "target": target,
        "target_op": target_op,
        "limit": None if limit is None else round(limit, 4),
        "limit_note": limit_note,
        "ratio": None if ratio is None else round(ratio, 2),
        "met": met,
        "detail": detail,
        "load": load(),
    }
    if started is not None:
        result["seconds"] = round(time.monotonic() - started, 1)
    return result


def not_measured(
    name: str, unit: str, target: float | None, target_op: str, reason: str
) -> dict[str, Any]:
    """A target the script could not measure: shown as a miss with its reason."""
    return {
        "name": name,
        "value": None,
        "unit": unit,
        "target": target,
        "target_op": target_op,
        "limit": None,
        "limit_note": "",
        "ratio": None,
        "met": False,
        "detail": f"not measured: {reason}",
        "load": load(),
    }


def emit(rows: list[dict[str, Any]]) -> None:
    """The last stdout line: what the runner collects."""
    sys.stdout.flush()
    print(json.dumps({"results": rows}, ensure_ascii=False), flush=True)


@contextlib.contextmanager
def work_dir(prefix: str) -> Iterator[Path]:
    """A scratch folder on the same disk as the product's data (removed afterwards).
    BENCH_TMPDIR overrides where (e.g. to measure another disk)."""
    base = os.environ.get("BENCH_TMPDIR") or None
    folder = Path(tempfile.mkdtemp(prefix=f"phonebank-bench-{prefix}-", dir=base))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python: this repo importable, unbuffered output."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def ms(seconds: float) -> float:
    return seconds * 1000.0

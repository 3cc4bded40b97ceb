"""`make bench` must not rot: the runner, run quickly on two cheap benchmarks, writes
results.json with every field and the Markdown report ending with the count of targets met."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.hub_process import REPO_ROOT

FIELDS = {"name", "value", "unit", "target", "target_op", "limit", "limit_note", "ratio",
          "met", "detail", "load"}  # fmt: skip


def test_the_runner_writes_results_and_the_report(tmp_path: Path) -> None:
    results, docs = tmp_path / "results.json", tmp_path / "benchmarks.md"
    notes = tmp_path / "notes.md"
    notes.write_text("## Notes kept by hand\n\nThis paragraph survives regeneration.\n")
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--only", "save_next", "bundle_size",
         "--results", str(results), "--docs", str(docs), "--notes", str(notes)],
        cwd=REPO_ROOT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(results.read_text())
    rows = {r["name"]: r for r in report["results"]}
    assert set(rows) == {"save_next_p99", "bundle_size"}
    for r in rows.values():
        assert set(r) >= FIELDS, r
    measured = rows["save_next_p99"]
    assert measured["unit"] == "ms" and measured["value"] > 0 and measured["limit"] > 0
    # value and limit are stored rounded (4 decimals), the ratio to 2: a small limit (a bare
    # commit is ~0.1 ms) carries its rounding into the ratio, so check within both roundings
    recomputed = measured["value"] / measured["limit"]
    assert measured["ratio"] == pytest.approx(
        recomputed, abs=0.01 + recomputed * 1e-4 / 2 / measured["limit"]
    )
    assert measured["met"] == (measured["value"] <= measured["target"])
    met = sum(r["met"] for r in rows.values())
    assert done.stdout.strip().splitlines()[-1] == f"{met} of 2 targets met"
    text = docs.read_text()
    assert report["machine"]["cores"] and "| save_next_p99 |" in text
    assert "This paragraph survives regeneration." in text
    assert text.rstrip().endswith(f"{met} of 2 targets met.")


def test_a_failing_benchmark_becomes_a_not_measured_row(tmp_path: Path) -> None:
    from bench import run

    failing = tmp_path / "bench_broken.py"
    failing.write_text("import sys\nprint('progress', file=sys.stderr)\nsys.exit(4)\n")
    rows, _ = run.run_script("bench_broken", quick=True, timeout=30, directory=tmp_path)
    assert [r["detail"] for r in rows] == ["not measured: exited with status 4"]
    assert rows[0]["met"] is False

    slow = tmp_path / "bench_slow.py"
    slow.write_text("import time\ntime.sleep(60)\n")
    rows, _ = run.run_script("bench_slow", quick=True, timeout=1, directory=tmp_path)
    assert [r["detail"] for r in rows] == ["not measured: timed out after 1 s"]


def test_a_row_without_its_load_average_is_refused(tmp_path: Path) -> None:
    from bench import run

    row = {"name": "x", "value": 1, "unit": "s", "target": 2, "target_op": "<=", "limit": None,
           "limit_note": "", "ratio": None, "met": True, "detail": ""}  # fmt: skip
    script = tmp_path / "bench_no_load.py"
    script.write_text(f"import json\nprint(json.dumps({{'results': [{row!r}]}}))\n")
    rows, _ = run.run_script("bench_no_load", quick=True, timeout=30, directory=tmp_path)
    assert rows[0]["met"] is False and rows[0]["load"]
    assert rows[0]["detail"].startswith("not measured: malformed result (no load)")

"""`make bench`: run every bench/bench_*.py, collect their rows, write bench/results.json
and regenerate docs/benchmarks.md.

    python -m bench.run [--quick] [--only NAME ...] [--results PATH] [--docs PATH]

A script that fails, prints no result line or runs past its timeout becomes a
"not measured: <reason>" row; the runner itself never stops on one. The last line printed
says how many targets were met.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import REPO_ROOT, ROW_FIELDS, log, not_measured, subprocess_env
from bench.report import machine_facts, write_markdown

BENCH_DIR = REPO_ROOT / "bench"
DEFAULT_TIMEOUT = 240.0
# Seconds each script may take on a fresh clone (a quick run gets a fifth, at least 60).
TIMEOUTS = {
    "bench_bundle_size": 420.0,
    "bench_capacity": 900.0,
    "bench_dashboard": 420.0,
    "bench_import": 240.0,
    "bench_reservations": 240.0,
    "bench_ingest": 240.0,
}


# Expected seconds on a quiet 2-core machine (the whole run is planned for 15 minutes,
# creating the environment included).
EXPECTED = {
    "bench_bundle_size": 120,
    "bench_capacity": 410,
    "bench_cold_start": 35,
    "bench_dashboard": 180,
    "bench_import": 75,
    "bench_ingest": 120,
    "bench_reservations": 120,
    "bench_save_during_sync": 60,
    "bench_save_next": 25,
    "bench_sign_in_flood": 10,
    "bench_upload": 25,
}


def discover(only: list[str] | None) -> list[str]:
    names = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))
    if only:
        wanted = {n if n.startswith("bench_") else f"bench_{n}" for n in only}
        unknown = wanted - set(names)
        if unknown:
            raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))}")
        names = [n for n in names if n in wanted]
    return names


def failed_row(script: str, reason: str) -> dict[str, Any]:
    return not_measured(script.removeprefix("bench_"), "", None, "", reason)


def _last_json_line(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                parsed = json.loads(line)
            except ValueError:
                return None
            return parsed if isinstance(parsed, dict) else None
        if line:
            return None  # the last line must be the JSON object
    return None


def _stop_group(process: subprocess.Popen[str]) -> None:
    """Stop the script and whatever it started (hubs, apps): its own process group."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_script(
    script: str, quick: bool, timeout: float, directory: Path | None = None
) -> tuple[list[dict[str, Any]], float]:
    """Run one script (`bench.<script>`, or `<directory>/<script>.py`); its rows (or one
    failure row) and how long it took."""
    target = [str(directory / f"{script}.py")] if directory else ["-m", f"bench.{script}"]
    command = [sys.executable, *target, *(["--quick"] if quick else [])]
    expected = f"expected ~{EXPECTED[script]} s, " if script in EXPECTED and not quick else ""
    log(f"{script}: {shlex.join(command)} ({expected}timeout {timeout:.0f} s)")
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=subprocess_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=None,  # progress goes straight to our stderr
        text=True,
        start_new_session=True,  # a process group of its own, to stop on a timeout
    )
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(process.stdout.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        code = process.wait(timeout)
    except subprocess.TimeoutExpired:
        _stop_group(process)
        return [failed_row(script, f"timed out after {timeout:.0f} s")], timeout
    finally:
        reader.join(10)
    seconds = time.monotonic() - started
    stdout = "".join(out)
    parsed = _last_json_line(stdout)
    if code != 0 and parsed is None:
        return [failed_row(script, f"exited with status {code}")], seconds
    if parsed is None or not isinstance(parsed.get("results"), list) or not parsed["results"]:
        return [failed_row(script, "no result line on stdout")], seconds
    rows = []
    for item in parsed["results"]:
        missing = sorted(ROW_FIELDS - set(item)) if isinstance(item, dict) else ["all"]
        if missing:
            what = f"malformed result (no {', '.join(missing)}) {str(item)[:80]}"
            rows.append(failed_row(script, what))
            continue
        item.setdefault("script", script)
        rows.append(item)
    return rows, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small runs (smoke test)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these scripts")
    parser.add_argument("--results", type=Path, help="default bench/results.json")
    parser.add_argument("--docs", type=Path, help="default docs/benchmarks.md")
    parser.add_argument(
        "--notes", type=Path, nargs="+", help="default bench/notes.md, then bench/notes-*.md"
    )
    args = parser.parse_args(argv)

    scripts = discover(args.only)
    # A partial or quick run never overwrites the full run's report unless told to.
    partial = "-partial" if args.only or args.quick else ""
    args.results = args.results or BENCH_DIR / f"results{partial}.json"
    args.docs = args.docs or (BENCH_DIR if partial else REPO_ROOT / "docs") / (
        f"benchmarks{partial}.md"
    )
    started_at = datetime.now(UTC)
    machine = machine_facts()
    log(f"machine: {machine['cpu']}, {machine['cores']} cores, load {machine['load']}")
    began = time.monotonic()
    rows: list[dict[str, Any]] = []
    durations: dict[str, float] = {}
    for script in scripts:
        timeout = TIMEOUTS.get(script, DEFAULT_TIMEOUT)
        if args.quick:
            timeout = max(60.0, timeout / 5)
        script_rows, seconds = run_script(script, args.quick, timeout)
        durations[script] = round(seconds, 1)
        for r in script_rows:
            r.setdefault("script", script)
            log(f"  {r['name']}: {r.get('value')} {r.get('unit', '')} met={r['met']}")
        rows.extend(script_rows)
    met = sum(1 for r in rows if r.get("met"))
    given = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "-m", "bench.run", *given]) if given else "make bench"
    report = {
        "date": started_at.isoformat(timespec="seconds"),
        "command": command,
        "machine": machine,
        "seconds": round(time.monotonic() - began, 1),
        "durations": durations,
        "met": met,
        "total": len(rows),
        "results": rows,
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    notes = args.notes or [BENCH_DIR / "notes.md", *sorted(BENCH_DIR.glob("notes-*.md"))]
    write_markdown(report, args.docs, notes)
    log(f"wrote {args.results} and {args.docs} in {report['seconds']} s")
    print(f"{met} of {len(rows)} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())

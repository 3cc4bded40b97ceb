"""Import a 1,000,000-row voter file with phone normalization: `phonebank-hub
import-contacts` on SQLite, as an organizer runs it (a new process, lists from a column,
rejects written). The file is laid out as voter files come: a VOTER_ID (the source id) and
two phone columns, CellPhone and HomePhone (two rows in three have both).

Limit: the part no importer can skip — reading the file, parsing the CSV, normalizing each
phone to E.164 with its time zone (the product's own `normalize_phone`, the fastest correct
one known) and writing the rows: a household per distinct first number and a contact per
row, as plain tuples of the real tables' widths, one executemany each into tables without
secondary indexes in a new SQLite file, one commit — timed on the first 200,000 rows and
scaled to the whole file. (Until 2026-12-06 the limit left the writing out, and the file's
numbers ran in order, 320 seven-digit prefixes in the sample: bench/notes.md.)
"""

from __future__ import annotations

import contextlib
import csv
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from bench.common import emit, log, parse_args, row, subprocess_env, work_dir
from bench.hub_setup import create_campaign, write_contacts_csv

NAME = "import_1m_csv"
TARGET_S = 60.0
LIMIT_SAMPLE = 200_000


def read_and_write(path: Path, rows: int, database: Path) -> float:
    """Seconds to read, CSV-parse and normalize the phones of the first `rows` rows and
    write them bare: the households and contacts as tuples as wide as the real tables,
    executemany into unindexed SQLite tables, committed (synchronous=FULL, as the hub)."""
    from sync.hub.importing.phones import normalize_phone
    from sync.hub.models import Contact, Household

    widths = {"households": len(Household.__table__.columns),  # type: ignore[attr-defined]
              "contacts": len(Contact.__table__.columns)}  # type: ignore[attr-defined]  # fmt: skip
    start = time.perf_counter()
    households: dict[str, tuple[Any, ...]] = {}
    contacts: list[tuple[Any, ...]] = []
    with path.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        next(reader)
        for n, fields in enumerate(reader):
            if n >= rows:
                break
            cell = normalize_phone(fields[3], "US")
            home = normalize_phone(fields[4], "US") if fields[4] else None
            first = cell or home
            if first is None:
                continue
            household = households.get(first.e164)
            if household is None:
                household = (len(households) + 1, 1, 1, first.e164, first.timezone, "open")
                households[first.e164] = household
            phones = [p.e164 for p in (cell, home) if p]
            extra = orjson.dumps({"city": fields[5]}).decode()
            contacts.append((n + 1, household[0], 1, 1, fields[1], fields[2], first.e164,
                             first.timezone, extra, fields[0], fields[3],
                             orjson.dumps(phones).decode(), "open"))  # fmt: skip
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("BEGIN IMMEDIATE")
        for table, found in (("households", households.values()), ("contacts", contacts)):
            width = widths[table]
            columns = ", ".join(f"c{i}" for i in range(1, width))
            db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, {columns})")
            marks = ", ".join("?" * width)
            db.executemany(
                f"INSERT INTO {table} VALUES ({marks})",
                (t + (None,) * (width - len(t)) for t in found),
            )
        db.execute("COMMIT")
    return time.perf_counter() - start


def main() -> int:
    args = parse_args(__doc__ or "")
    started = time.monotonic()
    rows = 50_000 if args.quick else 1_000_000
    sample = min(rows, LIMIT_SAMPLE)
    with work_dir("import") as folder:
        csv_path = folder / "contacts.csv"
        t = time.perf_counter()
        write_contacts_csv(csv_path, rows, voter_file=True)
        log(f"wrote {rows:,} rows in {time.perf_counter() - t:.1f} s")
        database_url = f"sqlite:///{folder / 'hub.db'}"
        campaign_id = create_campaign(database_url)
        log("importing with phonebank-hub import-contacts (a new process)")
        command = [sys.executable, "-m", "sync.hub", "--database-url", database_url]
        command += ["import-contacts", str(campaign_id), str(csv_path), "--list-column", "state"]
        t = time.perf_counter()
        done = subprocess.run(command, env=subprocess_env(), capture_output=True, text=True)
        seconds = time.perf_counter() - t
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode != 0:
            raise RuntimeError(f"import failed: {done.stderr.strip()[-500:]}")
        summary = next(s for s in done.stdout.splitlines() if s.startswith("imported"))
        log(f"{seconds:.1f} s, peak {peak_mb:.0f} MB: {summary}")
        log(f"limit: reading, CSV, phone normalization and bare writes of {sample:,} rows")
        limit = read_and_write(csv_path, sample, folder / "bare.db") * rows / sample
        log(f"limit {limit:.1f} s for {rows:,} rows")
    counts = summary.split(" into ")[0]  # "imported N contacts in M households (K new)"
    detail = f"{rows:,} rows, SQLite, peak RSS {peak_mb:.0f} MB; {counts}"
    emit(
        [
            row(NAME, seconds, "s", target=TARGET_S * rows / 1_000_000, target_op="<=",
                limit=limit, limit_note="read + CSV + normalize_phone + bare "
                f"executemany, scaled from {sample:,} rows", detail=detail, started=started)
        ]
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

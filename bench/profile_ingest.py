"""CPU per batch of `ingest_results`, in-process and one batch at a time: a steadier figure
than the HTTP benchmark on a busy machine, and a target for a profiler.

    .venv/bin/python -m bench.profile_ingest [--batches 60] [--pyinstrument]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime

from bench.bench_ingest import hold_for_volunteers, make_batches
from bench.common import log
from bench.hub_setup import add_volunteers, seed_list, throwaway_database
from sync.hub.crud.results import ingest_results
from sync.hub.db import make_engine, session_scope
from sync.hub.models import User
from sync.protocol import ResultsIn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=60)
    parser.add_argument("--pyinstrument", action="store_true")
    args = parser.parse_args(argv)
    with throwaway_database("phonebank_bench_prof") as url:
        seeded = seed_list(url, args.batches * 100, script_questions=("support", "volunteer"))
        seeded.volunteers = add_volunteers(url, 1)
        batches = make_batches(seeded, hold_for_volunteers(url, seeded))[0]
        engine = make_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        profiler = None
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        cpu = time.process_time()
        wall = time.monotonic()
        for batch in batches:
            results = ResultsIn.model_validate(json.loads(batch.body)).results
            with session_scope(engine) as session:
                volunteer = session.get(User, seeded.volunteers.ids[0])
                assert volunteer is not None
                ingest_results(session, volunteer, results, now=datetime.now(UTC))
        cpu = time.process_time() - cpu
        wall = time.monotonic() - wall
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False))
        engine.dispose()
    log(f"{len(batches)} batches: {1000 * cpu / len(batches):.2f} ms CPU, "
        f"{1000 * wall / len(batches):.2f} ms wall per batch of 100 (in-process)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

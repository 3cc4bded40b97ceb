"""`make bench`: one script per SPEC §6 target, each measured against its physical limit.

Each `bench/bench_<name>.py` runs as `python -m bench.bench_<name> [--quick]`, prints its
progress on stderr and, as its last stdout line, `{"results": [row, ...]}` (see
`bench.common.row`). `bench/run.py` runs them all and writes `bench/results.json` and
`docs/benchmarks.md`.
"""

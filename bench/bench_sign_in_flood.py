"""Signed-in volunteers' latency while 200 bad sign-ins arrive at once (a stranger without
a password trying to stall the hub; tests/security/test_sign_in_flood.py asserts that
nothing answers 5xx and every volunteer request succeeds). A real `phonebank-hub serve`
on SQLite, 4 volunteers asking `/auth/me` and `/campaigns` in a loop during the burst.
"""

from __future__ import annotations

import time

from bench.common import emit, log, ms, parse_args, percentile, row, work_dir
from bench.hub_setup import add_volunteers

NAME = "volunteer_p99_during_200_bad_sign_ins"
TARGET_MS = 500.0


def main() -> None:
    args = parse_args(__doc__ or "")
    from argon2 import PasswordHasher

    from sync.hub import migrate
    from sync.hub.db import make_engine
    from tests.security.sign_in_flood import flood
    from tests.support.hub_process import running_hub

    started = time.monotonic()
    guesses = 40 if args.quick else 200
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("pw")
    with work_dir("flood") as folder:
        url = f"sqlite:///{folder / 'hub.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        # 4 volunteers at work (their tokens), 10 accounts the stranger guesses (their emails)
        accounts = add_volunteers(url, 14, password_hash=cheap)
        with running_hub(url) as hub:
            log(f"{guesses} bad sign-ins at once, 4 volunteers working")
            outcome = flood(hub.api_url, accounts.emails[4:], accounts.tokens[:4], guesses=guesses)
    p99 = ms(percentile(outcome.volunteer_seconds, 99))
    refused = outcome.guess_statuses.count(429)
    errors = sum(1 for s in outcome.guess_statuses + outcome.volunteer_statuses if s >= 500)
    detail = (
        f"{len(outcome.volunteer_statuses)} volunteer requests, "
        f"{outcome.volunteer_statuses.count(200)} answered 200; guesses: "
        f"{outcome.guess_statuses.count(401)} checked (401), {refused} refused (429), "
        f"{errors} 5xx"
    )
    log(detail)
    emit(
        [
            row(
                NAME,
                p99,
                "ms",
                target=TARGET_MS,
                target_op="<=",
                limit=None,
                limit_note="",
                detail=detail,
                started=started,
            )
        ]
    )


if __name__ == "__main__":
    main()

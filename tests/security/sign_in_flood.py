"""A burst of bad sign-ins against a real hub while signed-in volunteers keep working.

Shared by `test_sign_in_flood.py` (no 5xx, every volunteer request answered) and
`bench/bench_sign_in_flood.py` (the volunteers' latency during the burst).
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION


@dataclass
class FloodOutcome:
    guess_statuses: list[int] = field(default_factory=list)
    volunteer_statuses: list[int] = field(default_factory=list)
    volunteer_seconds: list[float] = field(default_factory=list)  # bench_sign_in_flood's p99


def _request(
    api_url: str, method: str, path: str, body: object = None, token: str | None = None
) -> tuple[int, float]:
    """One request on its own connection: its status (599 when the hub did not answer)."""
    parts = urlsplit(api_url)
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.monotonic()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        data = json.dumps(body).encode() if body is not None else None
        connection.request(method, parts.path + path, body=data, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    except OSError:
        return 599, time.monotonic() - started
    finally:
        connection.close()


def flood(
    api_url: str,
    guessed_emails: Sequence[str],
    volunteer_tokens: Sequence[str],
    *,
    guesses: int = 200,
) -> FloodOutcome:
    """Send `guesses` wrong sign-ins at once (round-robin over `guessed_emails`) while each
    volunteer token keeps asking `/auth/me` and `/campaigns`, until every guess is answered
    (and each volunteer made at least a few requests)."""
    outcome = FloodOutcome()
    lock = threading.Lock()
    start = threading.Barrier(guesses + len(volunteer_tokens))
    done = threading.Event()

    def guess(n: int) -> None:
        body = {"email": guessed_emails[n % len(guessed_emails)], "password": f"guess {n}"}
        start.wait()
        status, _ = _request(api_url, "POST", "/auth/login", {**body, "device_name": "x"})
        with lock:
            outcome.guess_statuses.append(status)

    def volunteer(token: str) -> None:
        start.wait()
        made = 0
        while not done.is_set() or made < 4:
            path = "/auth/me" if made % 2 == 0 else "/campaigns"
            status, seconds = _request(api_url, "GET", path, token=token)
            made += 1
            with lock:
                outcome.volunteer_statuses.append(status)
                outcome.volunteer_seconds.append(seconds)

    with ThreadPoolExecutor(guesses + len(volunteer_tokens)) as pool:
        volunteers = [pool.submit(volunteer, token) for token in volunteer_tokens]
        guessers = [pool.submit(guess, n) for n in range(guesses)]
        for future in guessers:
            future.result()
        done.set()
        for future in volunteers:
            future.result()
    return outcome

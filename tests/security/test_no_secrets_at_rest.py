"""No token or password is left anywhere after real use: not in the laptop's data folder
(database, its journal, settings, logs), not in the hub's log, not in the hub's database.

The tokens are found without knowing them: every run of 43 URL-safe characters in a file
(what `secrets.token_urlsafe(32)` makes) is hashed and compared with the token hashes the
hub issued, so a token copied anywhere, in any file, is caught.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import requests
from sqlalchemy import create_engine, inspect, text

from tests.e2e.seed import VOLUNTEER_EMAIL, VOLUNTEER_PASSWORD, Seeded, hub_results, query
from tests.support.hub_process import REPO_ROOT, HubProcess

TOKEN_RUN = re.compile(rb"[A-Za-z0-9_-]{43,}")
WRONG_PASSWORD = "not my password, but still a secret"
WAIT = 90.0  # seconds: generous for a loaded 2-core machine; the waits end as soon as true


def token_hashes(database_url: str) -> set[str]:
    return {row[0] for row in query(database_url, "SELECT token_hash FROM api_tokens")}


def leaked_tokens(data: bytes, hashes: set[str]) -> int:
    """How many 43-character windows of `data` are a live token (their SHA-256 is issued)."""
    found = 0
    for run in TOKEN_RUN.finditer(data):
        chunk = run.group()
        for start in range(len(chunk) - 42):
            if hashlib.sha256(chunk[start : start + 43]).hexdigest() in hashes:
                found += 1
    return found


def secrets_in(files: Iterable[Path], hashes: set[str], passwords: list[str]) -> dict[str, str]:
    problems = {}
    for path in files:
        data = path.read_bytes()
        if leaked_tokens(data, hashes):
            problems[str(path)] = "token"
        for password in passwords:
            if password.encode() in data or password.encode("utf-16-le") in data:
                problems[str(path)] = "password"
    return problems


def test_the_scanner_finds_a_token_it_was_not_told() -> None:
    token = secrets.token_urlsafe(32)
    hashes = {hashlib.sha256(token.encode()).hexdigest()}
    assert leaked_tokens(b'{"t": "' + token.encode() + b'"}', hashes) == 1
    assert leaked_tokens(b"Bearer_" + token.encode() + b"-suffix", hashes) == 1
    assert leaked_tokens(token.encode()[:-1], hashes) == 0


def run_the_app(hub: HubProcess, laptop: Path, calls: int) -> str:
    """The real window (offscreen) signs in by keyboard, gets names, records `calls` calls,
    waits until the hub has them all and exits cleanly. Returns what it printed."""
    env = dict(os.environ)
    env.update(
        PHONEBANK_TEST_PASSWORD=VOLUNTEER_PASSWORD,
        PHONEBANK_SYNC_INTERVAL="0.3",
        PHONEBANK_SYNC_MAX_BACKOFF="0.5",
        QT_QPA_PLATFORM="offscreen",
    )
    args = ["--data-dir", str(laptop), "--hub", hub.url, "--email", VOLUNTEER_EMAIL]
    args += ["--calls", str(calls), "--exit-when-synced"]
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.app_driver", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_after_a_session_no_token_or_password_is_on_the_laptop_or_the_hub(
    seeded_hub_db: Seeded, tmp_path: Path
) -> None:
    hub = HubProcess(seeded_hub_db.database_url).start()
    try:
        laptop = tmp_path / "laptop"
        printed = run_the_app(hub, laptop, calls=3)
        assert printed.count("SAVED ") == 3 and "SYNCED" in printed, printed
        assert len(hub_results(hub.database_url)) == 3
        hashes = token_hashes(hub.database_url)
        assert hashes, "the app signed in, so the hub issued a token"
        # A failed sign-in too: its password must not be written anywhere either.
        bad = {"email": VOLUNTEER_EMAIL, "password": WRONG_PASSWORD, "device_name": "x"}
        assert requests.post(hub.api_url + "/auth/login", json=bad, timeout=10).status_code == 401
        log = hub.log_text()
    finally:
        hub.close()
    laptop_files = [p for p in laptop.rglob("*") if p.is_file()]
    names = {p.name for p in laptop_files}
    # Not a vacuous search: the data folder has its database, settings and log.
    assert {"phonebank.db", "settings.json", "phonebank.log"} <= names, names
    hub_files = [p for p in tmp_path.glob("hub.db*") if p.is_file()]
    assert hub_files and "Phonebank hub at" in log
    log_file = tmp_path / "hub.log"
    log_file.write_text(log, encoding="utf-8")
    passwords = [VOLUNTEER_PASSWORD, WRONG_PASSWORD]
    problems = secrets_in([*laptop_files, *hub_files, log_file], hashes, passwords)
    assert problems == {}


def hub_tables_as_text(database_url: str) -> str:
    """Every row of every table of the hub's database, as text."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            assert "api_tokens" in tables and "users" in tables
            return "\n".join(
                repr(list(conn.execute(text(f'SELECT * FROM "{table}"')))) for table in tables
            )
    finally:
        engine.dispose()


def test_the_hub_stores_only_hashes_and_logs_no_secret(
    seeded_hub_any_db: Seeded, tmp_path: Path
) -> None:
    hub = HubProcess(seeded_hub_any_db.database_url).start()
    try:
        api = hub.api_url
        bad = {"email": VOLUNTEER_EMAIL, "password": WRONG_PASSWORD, "device_name": "x"}
        assert requests.post(f"{api}/auth/login", json=bad, timeout=10).status_code == 401
        good = {**bad, "password": VOLUNTEER_PASSWORD}
        tokens = []
        for _ in range(2):  # two laptops; the first signs out again
            signed_in = requests.post(f"{api}/auth/login", json=good, timeout=10)
            assert signed_in.status_code == 200, signed_in.text
            tokens.append(signed_in.json()["token"])
        headers = {"Authorization": f"Bearer {tokens[1]}"}
        assert requests.get(f"{api}/sync", headers=headers, timeout=10).ok
        logout = {"Authorization": f"Bearer {tokens[0]}"}
        assert requests.post(f"{api}/auth/logout", headers=logout, timeout=10).status_code == 204
        log = hub.log_text()
    finally:
        hub.close()
    stored = hub_tables_as_text(seeded_hub_any_db.database_url)
    # The hub keeps each token's SHA-256 (so it can check them) and nothing else of them.
    for token in tokens:
        assert hashlib.sha256(token.encode()).hexdigest() in stored
        assert token not in stored and token not in log
    for password in (VOLUNTEER_PASSWORD, WRONG_PASSWORD):
        assert password not in stored and password not in log
    assert "$argon2" in stored  # the password as an argon2 hash
    if seeded_hub_any_db.database_url.startswith("sqlite"):
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("hub.db*"))
        hashes = {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
        assert leaked_tokens(raw, hashes) == 0
        assert VOLUNTEER_PASSWORD.encode() not in raw and WRONG_PASSWORD.encode() not in raw

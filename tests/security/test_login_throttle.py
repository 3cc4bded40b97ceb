"""Repeated bad sign-ins are slowed down, per account and per address.

What a user depends on: a guesser gets 429 with a truthful Retry-After, the right password
does not get in while the account is blocked (so guessing on until it happens to be right is
useless) and does get in once the wait is over; more attempts during the wait do not make it
longer; a few typos in a field office never lock the office out. That several hub processes
share the count: tests/hub/test_cli_admin.py::test_login_throttling_is_shared_by_hub_processes.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from sync.hub.core.config import Settings
from sync.hub.crud.login_blocks import KnownBlocks
from sync.hub.models import LoginFailure
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.hub.conftest import PASSWORD, Account
from tests.hub.test_cli_admin import post_json
from tests.support.hub_process import HubProcess, run_hub_cli

LOGIN = "/api/v1/auth/login"
SETTINGS = Settings()


def login(
    client: TestClient, email: str, password: str = PASSWORD, device_key: str = ""
) -> Response:
    body = {"email": email, "password": password, "device_name": "laptop"}
    if device_key:
        body["device_key"] = device_key
    return client.post(LOGIN, json=body)


def retry_after(response: Response) -> int:
    assert response.status_code == 429, response.text
    seconds = int(response.headers["Retry-After"])
    assert f"wait {seconds} seconds" in response.json()["detail"]
    assert "token" not in response.json()
    return seconds


def age_failures(client: TestClient, engine: Engine, seconds: float) -> None:
    """Let `seconds` pass for the throttle: every recorded failure becomes that much older,
    and the hub forgets the blocks it remembers (`crud/login_blocks.py`: a cache of what the
    database said, whose times this cannot move)."""
    with Session(engine) as session:
        for failure in session.exec(select(LoginFailure)).all():
            failure.at = failure.at - timedelta(seconds=seconds)
            session.add(failure)
        session.commit()
    client.app.state.sign_in_blocks = KnownBlocks()  # type: ignore[attr-defined]


@pytest.fixture
def from_address(hub_app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """Clients whose requests come from the given address (one per address)."""
    clients: list[TestClient] = []

    def make(address: str) -> TestClient:
        client = TestClient(hub_app, raise_server_exceptions=False, client=(address, 40000))
        client.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        clients.append(client.__enter__())
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def test_an_account_is_blocked_until_the_wait_is_over_even_with_the_right_password(
    client: TestClient, engine: Engine, volunteer: Account
) -> None:
    for _ in range(SETTINGS.login_free_failures):
        assert login(client, volunteer.email, "wrong").status_code == 401
    wait = retry_after(login(client, volunteer.email))
    assert 0 < wait <= SETTINGS.login_window_seconds
    # Guessing on during the wait neither gets in nor makes the wait longer.
    for _ in range(3):
        assert retry_after(login(client, volunteer.email, "wrong")) <= wait
    assert retry_after(login(client, volunteer.email)) <= wait
    # Retry-After is truthful: a little before it, still blocked; once it has passed, in.
    age_failures(client, engine, wait - 10)  # 10 s short: room for a slow machine between the calls
    assert 0 < retry_after(login(client, volunteer.email)) <= 10
    age_failures(client, engine, 10)
    signed_in = login(client, volunteer.email)
    assert signed_in.status_code == 200
    assert signed_in.json()["volunteer"]["id"] == volunteer.id
    # ...and success clears the account's failures.
    with Session(engine) as session:
        keys = {f.key for f in session.exec(select(LoginFailure)).all()}
    assert f"email:{volunteer.email}" not in keys


def test_an_account_is_blocked_from_every_address(
    from_address: Callable[[str], TestClient], make_user: Callable[..., Account]
) -> None:
    target, bystander = make_user(), make_user()
    guesser, owner = from_address("198.51.100.7"), from_address("203.0.113.9")
    for _ in range(SETTINGS.login_free_failures):
        assert login(guesser, target.email.upper(), "wrong").status_code == 401
    # A guesser moving to another address, or the owner at theirs, waits too.
    retry_after(login(owner, target.email))
    # Other accounts at the guesser's address are not affected by one account's block.
    assert login(guesser, bystander.email).status_code == 200


def test_an_address_guessing_across_accounts_is_slowed_down(
    from_address: Callable[[str], TestClient],
    engine: Engine,
    make_user: Callable[..., Account],
) -> None:
    # Existing accounts (their test hashes are cheap to check; an unknown email costs a
    # full-strength argon2 check, ~0.2 s, by design).
    accounts = [make_user() for _ in range(SETTINGS.login_address_free_failures + 2)]
    colleague, other, *guessed = accounts
    office, elsewhere = from_address("192.0.2.10"), from_address("192.0.2.99")
    # A field office behind one address: a few volunteers' typos do not lock it out...
    for account in guessed[: SETTINGS.login_free_failures]:
        assert login(office, account.email, "wrong").status_code == 401
    assert login(office, colleague.email).status_code == 200
    # ...but someone guessing across many accounts from that address is slowed down,
    for account in guessed[SETTINGS.login_free_failures :]:
        assert login(office, account.email, "wrong").status_code == 401
    wait = retry_after(login(office, other.email))
    assert 0 < wait <= SETTINGS.login_window_seconds
    assert retry_after(login(office, colleague.email, "wrong")) <= wait
    # while the same accounts from another address are not.
    assert login(elsewhere, other.email).status_code == 200
    age_failures(office, engine, wait)
    assert login(office, other.email).status_code == 200


def test_once_refused_further_guesses_are_answered_without_the_database(
    from_address: Callable[[str], TestClient],
    make_user: Callable[..., Account],
    hub_app: FastAPI,
) -> None:
    # A flood of guesses must not queue for the database the volunteers' requests need:
    # what this hub already refused, it refuses again from memory.
    target, *others = [make_user() for _ in range(6)]
    guesser, elsewhere = from_address("198.51.100.20"), from_address("203.0.113.20")
    for account in [target, *others]:
        for _ in range(SETTINGS.login_free_failures):
            assert login(guesser, account.email, "wrong").status_code == 401
    assert SETTINGS.login_address_free_failures <= 6 * SETTINGS.login_free_failures
    retry_after(login(guesser, make_user().email))  # the address is blocked
    retry_after(login(elsewhere, target.email))  # and the account, from anywhere
    hub_app.state.engine = create_engine("sqlite:////nonexistent-folder/hub.db")
    assert retry_after(login(guesser, "anyone@example.org", "x")) > 0
    assert retry_after(login(elsewhere, target.email.upper(), "guess")) > 0


def test_success_clears_the_accounts_failures_but_not_the_addresss(
    client: TestClient, engine: Engine, volunteer: Account
) -> None:
    for _ in range(SETTINGS.login_free_failures - 1):
        assert login(client, volunteer.email, "wrong").status_code == 401
    assert login(client, volunteer.email).status_code == 200
    with Session(engine) as session:
        keys = [f.key for f in session.exec(select(LoginFailure)).all()]
    assert f"email:{volunteer.email}" not in keys
    # A correct login must not let a guesser reset the address's count.
    assert keys == ["ip:testclient"] * (SETTINGS.login_free_failures - 1)


def test_failures_older_than_the_window_are_forgotten(
    client: TestClient, engine: Engine, volunteer: Account
) -> None:
    for _ in range(SETTINGS.login_free_failures - 1):
        assert login(client, volunteer.email, "wrong").status_code == 401
    age_failures(client, engine, SETTINGS.login_window_seconds + 1)
    # A whole new allowance: the old typos do not count against it.
    for _ in range(SETTINGS.login_free_failures - 1):
        assert login(client, volunteer.email, "wrong").status_code == 401
    assert login(client, volunteer.email).status_code == 200


# Behind a load balancer every sign-in arrives from the balancer's address: the hub must count
# failures per volunteer address (X-Forwarded-For) when, and only when, it trusts the sender.
# The addresses are from TEST-NET-3 (RFC 5737): header values, nothing is sent to them.
OFFICE, ELSEWHERE = "203.0.113.7", "203.0.113.8"
ADDRESS_ALLOWANCE = 3


def _throttled_elsewhere(
    database_url: str, hub_factory: Callable[..., HubProcess], trusted: str
) -> int:
    """Fail ADDRESS_ALLOWANCE sign-ins (other accounts each time) forwarded for OFFICE, then
    sign in rightly forwarded for ELSEWHERE through a hub trusting `trusted`: its status."""
    added = run_hub_cli(
        database_url, "add-user", "fay@example.org", "--name", "Fay", stdin="plum orbit canyon\n"
    )
    assert added.returncode == 0, added.stderr
    env = {
        "PHONEBANK_HUB_LOGIN_ADDRESS_FREE_FAILURES": str(ADDRESS_ALLOWANCE),
        "PHONEBANK_HUB_FORWARDED_ALLOW_IPS": trusted,
    }
    hub = hub_factory(database_url, env=env)
    for n in range(ADDRESS_ALLOWANCE):
        wrong = {"email": f"guess{n}@example.org", "password": "nope", "device_name": "t"}
        assert post_json(hub.api_url + "/auth/login", wrong, forwarded_for=OFFICE)[0] == 401
    right = {"email": "fay@example.org", "password": "plum orbit canyon", "device_name": "t"}
    return post_json(hub.api_url + "/auth/login", right, forwarded_for=ELSEWHERE)[0]


def test_behind_a_trusted_proxy_failures_count_per_volunteer_address(
    database_url: str, hub_factory: Callable[..., HubProcess]
) -> None:
    assert _throttled_elsewhere(database_url, hub_factory, "127.0.0.1,::1") == 200


def test_a_forwarded_address_from_an_untrusted_sender_is_not_believed(
    database_url: str, hub_factory: Callable[..., HubProcess]
) -> None:
    # Trusting nobody, both forwarded addresses are the sender's own: one address, throttled.
    assert _throttled_elsewhere(database_url, hub_factory, "") == 429


@pytest.mark.parametrize("bad", ["10.0.0.300", "proxy.example.org", "10.0.0.0/33"])
def test_serve_refuses_a_proxy_that_is_not_an_address(database_url: str, bad: str) -> None:
    result = run_hub_cli(database_url, "serve", "--port", "1", "--forwarded-allow-ips", bad)
    assert result.returncode == 2
    assert f"--forwarded-allow-ips: '{bad}' is not an address or network" in result.stderr
    assert "Traceback" not in result.stderr


def test_each_failure_past_the_allowance_doubles_the_wait(
    client: TestClient, engine: Engine, volunteer: Account
) -> None:
    for _ in range(SETTINGS.login_free_failures):
        assert login(client, volunteer.email, "wrong").status_code == 401
    waits = []
    for _ in range(3):
        wait = retry_after(login(client, volunteer.email, "wrong"))
        waits.append(wait)
        age_failures(client, engine, wait)
        assert login(client, volunteer.email, "wrong").status_code == 401  # checked again
    base = SETTINGS.login_base_delay_seconds
    assert [round(w / base) for w in waits] == [1, 2, 4], waits
    assert retry_after(login(client, volunteer.email)) > 4 * base - 10


def test_the_owners_known_laptop_signs_in_while_a_stranger_is_throttled(
    client: TestClient, engine: Engine, volunteer: Account
) -> None:
    first = login(client, volunteer.email)
    assert first.status_code == 200
    device_key = first.json()["device_key"]
    assert len(device_key) >= 32
    # Someone who knows only the email guesses until the account is throttled...
    for _ in range(SETTINGS.login_free_failures):
        assert login(client, volunteer.email, "wrong").status_code == 401
    refused = login(client, volunteer.email, "wrong", device_key="made-up")
    retry_after(refused)
    assert " UTC)" in refused.json()["detail"]  # the time, not only a count of seconds
    # ...while the owner's laptop, which signed in before, still gets in, keeping its key.
    again = login(client, volunteer.email, device_key=device_key)
    assert again.status_code == 200, again.text
    assert again.json()["device_key"] == device_key
    # A new laptop is told how long to wait (the right password does not get through).
    assert 0 < retry_after(login(client, volunteer.email)) <= SETTINGS.login_window_seconds
    # The known laptop is not a way around the limit: its own wrong guesses are counted.
    for _ in range(SETTINGS.login_free_failures):
        assert login(client, volunteer.email, "wrong", device_key=device_key).status_code == 401
    retry_after(login(client, volunteer.email, device_key=device_key))


def test_parallel_guesses_get_no_more_password_checks_than_allowed(
    database_url: str, make_user: Callable[..., Account], hub_factory: Callable[..., HubProcess]
) -> None:
    """Each attempt is counted before its password is checked, atomically: 20 guesses at
    once get the account's allowance of answers (401) and 429 for the rest."""
    target = make_user()
    hub = hub_factory(database_url, workers=2 if "postgresql" in database_url else 1)
    start = threading.Barrier(20)

    def guess(n: int) -> int:
        start.wait()
        wrong = {"email": target.email, "password": f"guess {n}", "device_name": "t"}
        return post_json(hub.api_url + "/auth/login", wrong)[0]

    with ThreadPoolExecutor(20) as pool:
        statuses = Counter(pool.map(guess, range(20)))
    assert statuses == {401: SETTINGS.login_free_failures, 429: 20 - SETTINGS.login_free_failures}
    # What the limiter decided is in the log, without the guesses.
    log = hub.log_text()
    assert f"sign-in refused for account {target.id}" in log
    assert "guess " not in log

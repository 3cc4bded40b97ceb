"""Signing in: the token in the keyring (or only in memory without one), plain-word errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import keyring
import pytest
import requests
from keyring.backends import fail

from desktop.services.core import PhonebankCore, UserError
from sync.client import credentials
from tests.support.hub_process import free_port
from tests.support.memory_keyring import MemoryKeyring
from tests.sync_client.live_hub import EMAIL, PASSWORD, LiveHub


@pytest.fixture
def hub(live_hub: Callable[[], LiveHub]) -> LiveHub:
    hub = live_hub()
    hub.add_volunteer(EMAIL, name="Vera Volunteer")
    return hub


def test_token_goes_to_the_keyring_never_to_disk(
    hub: LiveHub, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    core = PhonebankCore(tmp_path / "laptop")
    account = core.sign_in(hub.url, " Vera@Example.org ", PASSWORD).account
    assert (account.email, account.volunteer_name, account.role) == (
        EMAIL,
        "Vera Volunteer",
        "volunteer",
    )
    assert account.has_token and account.remember
    ((service, user), token) = next(iter(memory_keyring.secrets.items()))
    assert (service, user) == ("phonebank", f"{EMAIL}@{hub.url}")
    core.close()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
    # next run: still signed in
    again = PhonebankCore(tmp_path / "laptop")
    assert again.saved_account() == account
    assert again.default_hub_url == hub.url
    again.close()


def test_without_a_keyring_the_token_lives_only_in_memory(hub: LiveHub, tmp_path: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    core = PhonebankCore(tmp_path / "laptop")
    account = core.sign_in(hub.url, EMAIL, PASSWORD).account
    assert account.has_token and not account.remember
    assert core.sync_once().ok  # usable for this run
    core.close()
    later = PhonebankCore(tmp_path / "laptop")
    account = later.saved_account()
    assert account is not None and not account.has_token and not account.remember
    assert later.sync_once().needs_sign_in
    later.close()


def test_wrong_password_and_unreachable_hub_are_plain_words(hub: LiveHub, tmp_path: Path) -> None:
    core = PhonebankCore(tmp_path / "laptop")
    with pytest.raises(UserError, match="Wrong email or password"):
        core.sign_in(hub.url, EMAIL, "nope")
    with pytest.raises(UserError, match="Wrong email or password"):
        core.sign_in(hub.url, "nobody@example.org", PASSWORD)
    with pytest.raises(UserError, match="Cannot reach the hub"):
        core.sign_in(f"http://127.0.0.1:{free_port()}", EMAIL, PASSWORD)
    with pytest.raises(UserError, match="not a hub address"):
        core.sign_in("ftp://hub", EMAIL, PASSWORD)
    assert core.saved_account() is None
    core.close()


def test_too_many_attempts_says_when_to_try_again(hub: LiveHub, tmp_path: Path) -> None:
    core = PhonebankCore(tmp_path / "laptop")
    with pytest.raises(UserError) as caught:
        for _ in range(20):
            try:
                core.sign_in(hub.url, EMAIL, "wrong")
            except UserError as exc:
                if "Wrong" not in exc.message:
                    raise
    assert "Try again in" in caught.value.message and "minute" in caught.value.message
    core.close()


def test_a_laptop_that_signed_in_before_gets_in_while_a_stranger_is_slowed_down(
    hub: LiveHub, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    mine = PhonebankCore(tmp_path / "mine")
    mine.sign_in(hub.url, EMAIL, PASSWORD)
    assert credentials.load_device_key(hub.url, EMAIL)  # kept in the keyring, not on disk
    mine.sign_out()
    # A stranger on another laptop (without this laptop's keyring) guesses the password.
    guess = {"email": EMAIL, "password": "guess", "device_name": "elsewhere"}
    statuses = [requests.post(f"{hub.url}/api/v1/auth/login", json=guess).status_code]
    while statuses[-1] == 401 and len(statuses) < 50:
        statuses.append(requests.post(f"{hub.url}/api/v1/auth/login", json=guess).status_code)
    assert statuses[-1] == 429
    assert mine.sign_in(hub.url, EMAIL, PASSWORD).account.has_token
    mine.close()


def test_switching_account_is_refused_while_results_are_unsent(
    hub: LiveHub, tmp_path: Path
) -> None:
    from desktop.services.core import ResultDraft

    hub.add_volunteer("other@example.org", name="Otto")
    seeded = hub.seed(households=2)
    core = PhonebankCore(tmp_path / "laptop")
    core.sign_in(hub.url, EMAIL, PASSWORD)
    core.request_names(seeded.list_id)
    first = core.next_contact_id()
    assert first is not None
    core.record_result(ResultDraft(first, "contacted"))
    with pytest.raises(UserError, match="1 unsent result"):
        core.sign_in(hub.url, "other@example.org", PASSWORD)
    assert core.sync_once().ok
    switched = core.sign_in(hub.url, "other@example.org", PASSWORD).account
    assert switched.volunteer_name == "Otto"
    assert core.my_list() is None  # Vera's list is gone from the laptop
    assert credentials.load_token(hub.url, EMAIL) is None
    core.close()


def test_credentials_tolerate_a_broken_keyring() -> None:
    keyring.set_keyring(fail.Keyring())
    assert credentials.save_token("https://hub", EMAIL, "t") is False
    assert credentials.load_token("https://hub", EMAIL) is None
    credentials.delete_token("https://hub", EMAIL)  # no exception
    assert not credentials.keyring_available()

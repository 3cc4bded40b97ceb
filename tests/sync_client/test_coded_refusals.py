"""The laptop reads the code of a real hub's refusals (SQLite and PostgreSQL): what the core
reports is a Message it words itself, never just the hub's English detail."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop.services.core import PhonebankCore
from desktop.services.errors import UserError
from sync.hub.crud import users as users_crud
from sync.hub.db import session_scope
from sync.messages import Code
from tests.sync_client.live_hub import EMAIL, PASSWORD, LiveHub


@pytest.fixture
def hub(live_hub_on: Callable[[], LiveHub]) -> LiveHub:
    hub = live_hub_on()
    hub.add_volunteer(EMAIL)
    return hub


def test_a_list_taken_by_others_is_refused_with_its_code(hub: LiveHub, core: PhonebankCore) -> None:
    seeded = hub.seed(households=2, list_size=2, name="Dayton")
    hub.add_volunteer("otto@example.org", name="Otto")
    core.sign_in(hub.url, "otto@example.org", PASSWORD)
    assert core.request_names(seeded.list_id).kind == "reserved"
    core.sign_out(force=True)

    core.sign_in(hub.url, EMAIL, PASSWORD)
    empty = core.request_names(seeded.list_id)

    assert empty.kind == "empty"
    assert empty.msg is not None and empty.msg.code is Code.LIST_BUSY
    assert dict(empty.msg.params) == {"list": "Dayton"}
    assert "reserved by other volunteers" in empty.message  # the same English as before


def test_sign_in_refusals_come_with_the_laptops_own_codes(
    hub: LiveHub, core: PhonebankCore
) -> None:
    with pytest.raises(UserError) as wrong:
        core.sign_in(hub.url, EMAIL, "not the password")
    assert wrong.value.msg.code is Code.SIGN_IN_REFUSED

    with session_scope(hub.engine) as session:
        user = users_crud.user_by_email(session, EMAIL)
        assert user is not None
        users_crud.set_active(session, user, False)
    with pytest.raises(UserError) as deactivated:
        core.sign_in(hub.url, EMAIL, PASSWORD)
    assert deactivated.value.msg.code is Code.ACCOUNT_DEACTIVATED
    assert "deactivated by an organizer" in deactivated.value.message


def test_a_refused_token_is_reported_and_kept_as_a_code(hub: LiveHub, core: PhonebankCore) -> None:
    core.sign_in(hub.url, EMAIL, PASSWORD)
    with session_scope(hub.engine) as session:
        user = users_crud.user_by_email(session, EMAIL)
        assert user is not None and user.id is not None
        users_crud.revoke_all_tokens(session, user.id)

    report = core.sync_once()

    assert report.needs_sign_in and report.msg is not None
    assert report.msg.code is Code.NOT_SIGNED_IN
    status = core.status()  # read back from the data file
    assert status.last_error_msg == report.msg
    assert status.last_error == "Not signed in, or the session has expired. Please sign in again."

"""The volunteer's own languages, set in the app: kept at once, sent by the sync round
(offline: queued until the hub answers), and known again at the next sign-in."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from desktop.services.core import PhonebankCore, UserError
from sync.hub.models import User
from tests.sync_client.live_hub import EMAIL, PASSWORD, LiveHub


def hub_languages(hub: LiveHub) -> list[str]:
    with Session(hub.engine) as session:
        user = session.exec(select(User).where(User.email == EMAIL)).one()
        return list(user.languages)


def test_languages_set_offline_reach_the_hub_at_the_next_sync(
    hub: LiveHub, core: PhonebankCore
) -> None:
    core.sign_in(hub.url, EMAIL, PASSWORD)
    assert core.my_languages() == []
    hub.stop()  # offline
    core.set_my_languages(["es", "EN", "es"])
    assert core.my_languages() == ["es", "en"]  # kept at once, in the volunteer's order
    assert not core.sync_once().ok
    assert hub_languages(hub) == []
    hub.start()
    report = core.sync_once()
    assert report.ok, report.message
    assert hub_languages(hub) == ["es", "en"]
    assert core.sync_once().ok and hub_languages(hub) == ["es", "en"]  # sent once is enough
    # Set on the hub by an organizer: the laptop learns it at its next sign-in.
    with Session(hub.engine) as session:
        user = session.exec(select(User).where(User.email == EMAIL)).one()
        user.languages = ["vi"]
        session.add(user)
        session.commit()
    core.sign_in(hub.url, EMAIL, PASSWORD)
    assert core.my_languages() == ["vi"]


def test_a_bad_code_is_refused_in_plain_words(core: PhonebankCore) -> None:
    with pytest.raises(UserError, match="'spanish' is not a language code"):
        core.set_my_languages(["Spanish"])
    assert core.my_languages() == []
